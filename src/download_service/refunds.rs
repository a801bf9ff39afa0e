//! Refunding sold releases and tracks.

use super::operations::{REFUND_RELEASE, REFUND_TRACK};
use super::{send, validate};
use crate::client::Client;
use crate::codes;
use crate::error::Error;
use crate::request::Request;

impl Client {
    /// Refunds the release `release_id` of purchase `purchase_id`, made in `country`, taking it
    /// out of the rights-holders report. `purchase_date` is when the sale was made
    /// (`YYYY-MM-DD`, or an RFC 3339 date-time such as [`LoggedSale::purchase_date`] or a locker
    /// item's `purchaseDate`): a refund at or after 00:00 UTC on the 4th day of the following month
    /// is refused before it is sent.
    ///
    /// `GET /sales/refund/release` (operation `refundRelease`, signed two-legged). Never retried
    /// automatically. Send the call with [`RefundRelease::send`].
    ///
    /// [`LoggedSale::purchase_date`]: super::LoggedSale::purchase_date
    pub fn refund_release(
        &self,
        purchase_id: impl Into<String>,
        release_id: impl Into<String>,
        country: impl Into<String>,
        purchase_date: impl Into<String>,
    ) -> RefundRelease {
        RefundRelease {
            client: self.clone(),
            purchase_id: purchase_id.into(),
            release_id: release_id.into(),
            country: country.into(),
            purchase_date: purchase_date.into(),
        }
    }

    /// Refunds the track `track_id` of purchase `purchase_id`, taking it out of the
    /// rights-holders report. `purchase_date` is when the sale was made: see
    /// [`Client::refund_release`] for the reporting period.
    ///
    /// `GET /sales/refund/track` (operation `refundTrack`, signed two-legged). Never retried
    /// automatically. Send the call with [`RefundTrack::send`].
    pub fn refund_track(
        &self,
        purchase_id: impl Into<String>,
        track_id: impl Into<String>,
        purchase_date: impl Into<String>,
    ) -> RefundTrack {
        RefundTrack {
            client: self.clone(),
            purchase_id: purchase_id.into(),
            track_id: track_id.into(),
            purchase_date: purchase_date.into(),
        }
    }
}

/// Request builder for `GET /sales/refund/release` (operation `refundRelease`), made by
/// [`Client::refund_release`].
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until you call `.send().await`"]
pub struct RefundRelease {
    client: Client,
    purchase_id: String,
    release_id: String,
    country: String,
    purchase_date: String,
}

impl RefundRelease {
    /// Checks the inputs and the reporting period, then sends the refund.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad `purchaseId`, `releaseId`, `country` or `purchaseDate`,
    /// and [`Error::ReportingPeriodClosed`] (with no status) when the period has closed: nothing
    /// is sent. [`Error::SaleNotFound`] (7digital error 2001) and
    /// [`Error::ReportingPeriodClosed`] (2002) from the API; otherwise as for any call.
    pub async fn send(self) -> Result<(), Error> {
        let op = &REFUND_RELEASE;
        let purchase_id = validate::id("purchaseId", &self.purchase_id)?;
        let release_id = validate::id("releaseId", &self.release_id)?;
        let country = validate::country(&self.country)?;
        validate::refund_allowed(
            op.id,
            purchase_id,
            &self.purchase_date,
            self.client.now_unix(),
        )?;
        let mut request = Request::new(op);
        request.query("purchaseId", purchase_id.to_string());
        request.query("releaseId", release_id.to_string());
        request.query("country", country);
        refund(&self.client, request, purchase_id).await
    }
}

/// Request builder for `GET /sales/refund/track` (operation `refundTrack`), made by
/// [`Client::refund_track`].
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until you call `.send().await`"]
pub struct RefundTrack {
    client: Client,
    purchase_id: String,
    track_id: String,
    purchase_date: String,
}

impl RefundTrack {
    /// Checks the inputs and the reporting period, then sends the refund.
    ///
    /// # Errors
    ///
    /// As for [`RefundRelease::send`], with `trackId` instead of `releaseId` and `country`.
    pub async fn send(self) -> Result<(), Error> {
        let op = &REFUND_TRACK;
        let purchase_id = validate::id("purchaseId", &self.purchase_id)?;
        let track_id = validate::id("trackId", &self.track_id)?;
        validate::refund_allowed(
            op.id,
            purchase_id,
            &self.purchase_date,
            self.client.now_unix(),
        )?;
        let mut request = Request::new(op);
        request.query("purchaseId", purchase_id.to_string());
        request.query("trackId", track_id.to_string());
        refund(&self.client, request, purchase_id).await
    }
}

/// Sends a refund and gives 7digital's errors 2001 and 2002 their own variants.
async fn refund(client: &Client, request: Request, purchase_id: &str) -> Result<(), Error> {
    match send(client, request).await {
        Ok(_) => Ok(()),
        Err(Error::Api {
            operation,
            status,
            code: codes::NOT_FOUND,
            message,
        }) => Err(Error::SaleNotFound {
            operation,
            purchase_id: purchase_id.to_string(),
            status,
            message,
        }),
        Err(Error::Api {
            operation,
            status,
            code: codes::REPORTING_PERIOD_CLOSED,
            message,
        }) => Err(Error::ReportingPeriodClosed {
            operation,
            purchase_id: purchase_id.to_string(),
            status: Some(status),
            message,
        }),
        Err(e) => Err(e),
    }
}
