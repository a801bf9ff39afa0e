//! The refund window: a sale can be refunded until 00:00 UTC on the 4th day of the month after
//! it, and a refund that comes later is refused before it is sent.
//!
//! ```
//! use sevendigital::download_service::refund_deadline;
//!
//! // A sale on 15 January 2026 can be refunded until 2026-02-04T00:00:00Z.
//! assert_eq!(refund_deadline("2026-01-15").unwrap(), 1_770_163_200);
//! ```

use jiff::civil::Date;
use jiff::tz::Offset;
use jiff::{Span, Timestamp};

use super::price::shown;
use crate::call::{Call, Endpoint};
use crate::error::Error;
use crate::requests::{RefundReleaseInputs, RefundTrackInputs};

impl Call<RefundReleaseInputs> {
    /// Refuses the refund now, before anything is sent, when the reporting period of a sale made
    /// at `purchase_date` has closed by the client's clock: pass the sale's
    /// [`purchase_date`](crate::models::LoggedSale::purchase_date) from the answer that logged
    /// it, or a locker item's. `YYYY-MM-DD` or an RFC 3339 date-time.
    ///
    /// Without it, the API refuses a late refund itself (7digital error 2002, also
    /// [`Error::ReportingPeriodClosed`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad input of the call, or for `purchase_date` when it is
    /// not a date; [`Error::ReportingPeriodClosed`] (with no status) when the period has closed.
    pub fn sold_at(self, purchase_date: &str) -> Result<Self, Error> {
        within_window(&self, purchase_date)?;
        Ok(self)
    }
}

impl Call<RefundTrackInputs> {
    /// As [`sold_at`](Call::<RefundReleaseInputs>::sold_at) for a release: refuses the refund
    /// before it is sent when the sale's reporting period has closed.
    ///
    /// # Errors
    ///
    /// As for a release.
    pub fn sold_at(self, purchase_date: &str) -> Result<Self, Error> {
        within_window(&self, purchase_date)?;
        Ok(self)
    }
}

/// Refuses `call` when the reporting period of a sale made at `purchase_date` has closed.
fn within_window<E: Endpoint + Clone>(call: &Call<E>, purchase_date: &str) -> Result<(), Error> {
    let now = call.client.now_unix();
    let (_, request) = call.clone().into_request();
    // A bad input is named first, as `send` would name it.
    request.check()?;
    let purchase_id = request.value("purchaseId").unwrap_or_default();
    refund_allowed(E::OPERATION.id, &purchase_id, purchase_date, now)
}

/// Seconds since the Unix epoch of 00:00 UTC on `date`.
fn midnight_utc(date: Date) -> Option<i64> {
    let at = Offset::UTC.to_timestamp(date.to_datetime(jiff::civil::Time::midnight()));
    Some(at.ok()?.as_second())
}

/// Seconds since the Unix epoch of `YYYY-MM-DD` (midnight UTC) or an RFC 3339 date-time
/// (`2026-01-15T10:00:00Z`, `2026-01-15T10:00:00.5+02:00`).
fn parse_instant(value: &str) -> Option<i64> {
    if !value.is_ascii() {
        return None;
    }
    if value.len() == 10 {
        let date: Date = value.parse().ok()?;
        return midnight_utc(date);
    }
    // An RFC 3339 date-time has a date, a time and an offset; nothing else is accepted.
    if value.len() < 20 || value.contains('[') {
        return None;
    }
    let at: Timestamp = value.parse().ok()?;
    Some(at.as_second())
}

/// A sale's date (`YYYY-MM-DD`, or an RFC 3339 date-time such as a locker item's
/// `purchaseDate`) as seconds since the Unix epoch; the field is `purchaseDate`.
pub(crate) fn purchase_date(value: &str) -> Result<i64, Error> {
    match parse_instant(value.trim()) {
        Some(at) if at >= 0 => Ok(at),
        Some(_) => Err(Error::invalid_input(
            "purchase_date",
            format!("is before 1970, got {}", shown(value)),
        )),
        None => Err(Error::invalid_input(
            "purchase_date",
            format!(
                "must be a date `YYYY-MM-DD` or an RFC 3339 date-time such as `2026-01-15T10:00:00Z`, got {}",
                shown(value)
            ),
        )),
    }
}

/// When a sale's reporting period closes, in seconds since the Unix epoch: 00:00 UTC on the
/// 4th day of the month after the sale's month (in UTC). A refund must be logged before then.
///
/// # Errors
///
/// [`Error::InvalidInput`] for `purchaseDate` when `purchase_date` is not `YYYY-MM-DD` or an
/// RFC 3339 date-time from 1970 on.
pub fn refund_deadline(purchase_date: &str) -> Result<u64, Error> {
    let sold = self::purchase_date(purchase_date)?;
    Ok(u64::try_from(deadline_after(sold)).unwrap_or(0))
}

/// The close of the reporting period of a sale made at `sold` (Unix seconds): 00:00 UTC on
/// the 4th of the next month (`i64::MAX` for a time past the calendar's end).
pub(crate) fn deadline_after(sold: i64) -> i64 {
    let deadline = || -> Option<i64> {
        let sold = Offset::UTC
            .to_datetime(Timestamp::from_second(sold).ok()?)
            .date();
        let next = sold
            .first_of_month()
            .checked_add(Span::new().months(1))
            .ok()?;
        let fourth = Date::new(next.year(), next.month(), 4).ok()?;
        midnight_utc(fourth)
    };
    deadline().unwrap_or(i64::MAX)
}

/// Unix seconds as an RFC 3339 UTC date-time (`2026-02-04T00:00:00Z`).
pub(crate) fn format_utc(at: i64) -> String {
    match Timestamp::from_second(at) {
        Ok(at) => at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Err(_) => format!("{at} seconds after 1970-01-01T00:00:00Z"),
    }
}

/// Refuses a refund of a sale made at `purchase_date` when `now` (Unix seconds) is at or after
/// the close of its reporting period.
pub(crate) fn refund_allowed(
    operation: &'static str,
    purchase_id: &str,
    purchase_date: &str,
    now: u64,
) -> Result<(), Error> {
    let sold = self::purchase_date(purchase_date)?;
    let deadline = deadline_after(sold);
    let now = i64::try_from(now).unwrap_or(i64::MAX);
    if now < deadline {
        return Ok(());
    }
    Err(Error::ReportingPeriodClosed {
        operation,
        purchase_id: purchase_id.to_string(),
        status: None,
        message: format!(
            "a sale of {} (UTC) could be refunded until {}, and it is now {}",
            &format_utc(sold)[..10],
            format_utc(deadline),
            format_utc(now)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(e: Error) -> String {
        match e {
            Error::InvalidInput { field, .. } => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn dates_format() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(1_770_163_200), "2026-02-04T00:00:00Z");
        assert_eq!(deadline_after(1_770_163_199), 1_772_582_400); // 2026-03-04
    }

    #[test]
    fn instants() {
        let midnight = 1_768_435_200; // 2026-01-15T00:00:00Z
        assert_eq!(parse_instant("2026-01-15"), Some(midnight));
        assert_eq!(
            parse_instant("2026-01-15T10:00:00Z"),
            Some(midnight + 36_000)
        );
        assert_eq!(
            parse_instant("2026-01-15T10:00:00.123Z"),
            Some(midnight + 36_000)
        );
        assert_eq!(
            parse_instant("2026-01-15T10:00:00+02:00"),
            Some(midnight + 28_800)
        );
        assert_eq!(
            parse_instant("2026-01-15t10:00:00-01:30"),
            Some(midnight + 41_400)
        );
        assert_eq!(parse_instant("2024-02-29"), Some(1_709_164_800));
        for bad in [
            "",
            "2026",
            "2026-1-15",
            "2026-13-01",
            "2026-02-29",
            "2026-01-32",
            "2026-01-15T",
            "2026-01-15T24:00:00Z",
            "2026-01-15T10:00:00",
            "2026-01-15T10:00:00+2",
            "15/01/2026",
            "2026-01-15T10:00:00.Z",
            "２０２６-01-15",
        ] {
            assert_eq!(parse_instant(bad), None, "{bad}");
        }
    }

    #[test]
    fn reporting_period() {
        let at = |s: &str| u64::try_from(parse_instant(s).unwrap()).unwrap();
        assert!(refund_allowed("r", "1", "2026-01-15", at("2026-02-03T23:59:59Z")).is_ok());
        let err = refund_allowed("r", "1", "2026-01-15", at("2026-02-04T00:00:00Z")).unwrap_err();
        assert!(
            matches!(err, Error::ReportingPeriodClosed { status: None, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("2026-02-04T00:00:00Z"), "{err}");
        // December sale: January's 4th.
        assert!(
            refund_allowed("r", "1", "2025-12-31T23:59:59Z", at("2026-01-03T23:59:59Z")).is_ok()
        );
        assert!(refund_allowed("r", "1", "2025-12-01", at("2026-01-04T00:00:00Z")).is_err());
        // The sale's month is taken in UTC.
        assert_eq!(
            refund_deadline("2026-01-31T23:30:00-01:00").unwrap(),
            at("2026-03-04T00:00:00Z")
        );
        assert_eq!(
            field(refund_allowed("r", "1", "yesterday", 0).unwrap_err()),
            "purchase_date"
        );
        assert_eq!(
            field(refund_deadline("1969-12-31").unwrap_err()),
            "purchase_date"
        );
    }
}
