//! A download store on 7digital / MassiveMusic: the partner-side calls the spec lacks (or
//! describes without the parameters the service needs), as typed methods on [`Client`].
//!
//! All of them are signed two-legged, with the consumer key and secret only: the store acts for
//! its users by naming them (`userId`), without user access tokens. Their inputs are checked
//! before anything is sent (see [`validate`]); a bad one is an [`Error::InvalidInput`] naming
//! the wire field.
//!
//! # The store flow
//!
//! 1. **Users.** Create each of the store's users once, under the store's own id for them:
//!    [`Client::create_partner_user`]. An id already taken is [`Error::UserAlreadyExists`].
//! 2. **Sales.** Take the payment, then log every sale for the monthly rights-holders report:
//!    [`Client::log_sale`], with the price charged as a [`Price`] (a decimal string, never a
//!    float). The answer's purchase id names the sale in downloads and refunds. A sale is sent
//!    at most once per call and never retried automatically; if its answer is lost, the error is
//!    [`Error::SaleOutcomeUnknown`]: look for the purchase or transaction in the locker before
//!    logging it again ([`PartnerLocker::find_transaction`]).
//! 3. **Locker.** Everything a user bought: [`Client::partner_locker`], page by page or as a
//!    stream of every item ([`PartnerLocker::into_stream`]).
//! 4. **Downloads.** Signed URLs on the download host (see [`ClientBuilder::download_url`]) for a
//!    whole purchase, a release or a track: [`Client::download_url`] with a [`DownloadRequest`].
//!    Each call signs afresh, so call it again for each attempt.
//! 5. **Refunds.** Take a refunded release or track out of the report: [`Client::refund_release`],
//!    [`Client::refund_track`]. Only before 00:00 UTC on the 4th day of the month after the sale:
//!    later, the refund is refused before it is sent ([`Error::ReportingPeriodClosed`]). A sale the
//!    log does not have is [`Error::SaleNotFound`]. Refunds are never retried automatically.
//!
//! ```no_run
//! use sevendigital::download_service::{DownloadRequest, LockerSort, Price, SortColumn, SortOrder};
//! use futures_util::TryStreamExt;
//!
//! # async fn demo() -> Result<(), sevendigital::Error> {
//! let client = sevendigital::Client::builder()
//!     .consumer("KEY", "SECRET")
//!     .download_url("https://downloads.example/1.2")
//!     .build()?;
//! client.create_partner_user("store-user-42", "GB").send().await?;
//! let sale = client
//!     .log_sale("store-user-42", "11700062", "GB", "tx-1", Price::parse("7.99")?)
//!     .email_address("jane@example.com")
//!     .send()
//!     .await?;
//! let items: Vec<_> = client
//!     .partner_locker("store-user-42", "GB")
//!     .sort(LockerSort::new(SortColumn::PurchaseDate, SortOrder::Desc))
//!     .into_stream()
//!     .try_collect()
//!     .await?;
//! let url = client.download_url(&DownloadRequest::purchase("store-user-42", &sale.purchase_id, "GB"))?;
//! client
//!     .refund_release(&sale.purchase_id, "11700062", "GB", sale.purchase_date.as_deref().unwrap_or("2026-01-15"))
//!     .send()
//!     .await?;
//! # let _ = (items, url); Ok(()) }
//! ```
//!
//! [`Client`]: crate::Client
//! [`ClientBuilder::download_url`]: crate::ClientBuilder::download_url
//! [`Error::InvalidInput`]: crate::Error::InvalidInput
//! [`Error::UserAlreadyExists`]: crate::Error::UserAlreadyExists
//! [`Error::SaleOutcomeUnknown`]: crate::Error::SaleOutcomeUnknown
//! [`Error::ReportingPeriodClosed`]: crate::Error::ReportingPeriodClosed
//! [`Error::SaleNotFound`]: crate::Error::SaleNotFound

mod downloads;
mod fetch;
mod locker;
pub mod operations;
mod price;
mod refunds;
mod sales;
pub mod types;
mod users;
pub mod validate;

pub use downloads::DownloadRequest;
pub use fetch::LockerDownload;
pub use locker::PartnerLocker;
pub use price::Price;
pub use refunds::{RefundRelease, RefundTrack};
pub use sales::LogSale;
pub use types::{
    LockerItem, LockerPage, LockerSort, LoggedSale, PartnerUser, SortColumn, SortOrder,
};
pub use users::CreatePartnerUser;

use serde::de::DeserializeOwned;

use crate::client::{Answer, Client};
use crate::error::{Error, snippet};
use crate::request::Request;

/// Sends `request` and returns its 2xx answer. A 2xx answer whose body is a 7digital error
/// envelope is an error too ([`Error::Api`] with that status).
async fn send(client: &Client, request: Request) -> Result<Answer, Error> {
    let operation = request.operation().id;
    let answer = client.execute(request).await?;
    if crate::envelope::parse(&answer.body).is_some() {
        return Err(Error::from_answer(operation, answer.status, &answer.body));
    }
    Ok(answer)
}

/// Decodes a JSON answer.
fn decode_json<T: DeserializeOwned>(operation: &'static str, answer: &Answer) -> Result<T, Error> {
    serde_json::from_slice(&answer.body).map_err(|e| decode_error(operation, answer, e.to_string()))
}

/// The error for a 2xx answer that does not decode.
fn decode_error(operation: &'static str, answer: &Answer, why: String) -> Error {
    Error::Decode {
        operation,
        status: answer.status,
        message: match &answer.content_type {
            Some(ct) => format!("{why} (content type `{ct}`)"),
            None => why,
        },
        snippet: snippet(&answer.body),
    }
}
