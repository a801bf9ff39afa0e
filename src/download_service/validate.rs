//! Input checks of the download-service calls, made before anything is sent.
//!
//! Every check fails with [`Error::InvalidInput`] naming the wire field (`country`,
//! `retailPrice`, ...). The builders run them when `.send()` is called; they are public so that
//! a store can check a form with the same rules.
//!
//! ```
//! use sevendigital::download_service::{validate, Price};
//!
//! assert_eq!(validate::country("gb").unwrap(), "GB");
//! assert_eq!(Price::parse("7.99").unwrap().as_str(), "7.99");
//! assert!(Price::parse("7,99").is_err());
//! assert_eq!(validate::post_code("10001-1234", "US").unwrap(), "10001-1234");
//! // A sale on 15 January 2026 can be refunded until 2026-02-04T00:00:00Z.
//! assert_eq!(validate::refund_deadline("2026-01-15").unwrap(), 1_770_163_200);
//! ```

use jiff::civil::Date;
use jiff::tz::Offset;
use jiff::{Span, Timestamp};

use crate::error::Error;

/// The longest user id 7digital accepts, in characters.
pub const MAX_USER_ID_CHARS: usize = 255;
/// The largest locker page.
pub const MAX_PAGE_SIZE: u32 = 50;

/// How much of a rejected value an error message repeats.
const SHOWN_CHARS: usize = 40;

/// A rejected value, quoted and shortened for an error message.
pub(crate) fn shown(value: &str) -> String {
    let mut out: String = value.chars().take(SHOWN_CHARS).collect();
    if value.chars().nth(SHOWN_CHARS).is_some() {
        out.push('…');
    }
    format!("`{out}`")
}

/// A country code: two ASCII letters (ISO 3166-1 alpha-2), returned upper case.
///
/// # Errors
///
/// [`Error::InvalidInput`] for `country` otherwise.
pub fn country(value: &str) -> Result<String, Error> {
    country_field("country", value)
}

pub(crate) fn country_field(field: &str, value: &str) -> Result<String, Error> {
    if value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(value.to_ascii_uppercase())
    } else {
        Err(Error::invalid_input(
            field,
            format!(
                "must be an ISO 3166-1 alpha-2 country code (two letters, such as `GB` or `US`), got {}",
                shown(value)
            ),
        ))
    }
}

/// A partner user id: not empty or blank, at most 255 characters.
///
/// # Errors
///
/// [`Error::InvalidInput`] for `userId` otherwise.
pub fn user_id(value: &str) -> Result<&str, Error> {
    let value = required("userId", value)?;
    let chars = value.chars().count();
    if chars > MAX_USER_ID_CHARS {
        return Err(Error::invalid_input(
            "userId",
            format!("must be at most {MAX_USER_ID_CHARS} characters, got {chars}"),
        ));
    }
    Ok(value)
}

/// A required text input: not empty or only white space.
pub(crate) fn required<'a>(field: &str, value: &'a str) -> Result<&'a str, Error> {
    if value.trim().is_empty() {
        Err(Error::invalid_input(field, "must not be empty"))
    } else {
        Ok(value)
    }
}

/// A 7digital id (release, track, purchase): not empty, digits only.
pub(crate) fn id<'a>(field: &str, value: &'a str) -> Result<&'a str, Error> {
    let value = required(field, value)?;
    if value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value)
    } else {
        Err(Error::invalid_input(
            field,
            format!("must be a 7digital id (digits only), got {}", shown(value)),
        ))
    }
}

/// A locker page size: 1 to 50.
///
/// # Errors
///
/// [`Error::InvalidInput`] for `pageSize` otherwise.
pub fn page_size(value: u32) -> Result<u32, Error> {
    if (1..=MAX_PAGE_SIZE).contains(&value) {
        Ok(value)
    } else {
        Err(Error::invalid_input(
            "pageSize",
            format!("must be from 1 to {MAX_PAGE_SIZE}, got {value}"),
        ))
    }
}

/// A page number: 1 or more.
pub(crate) fn page(value: u32) -> Result<u32, Error> {
    if value >= 1 {
        Ok(value)
    } else {
        Err(Error::invalid_input(
            "page",
            "must be 1 or more (pages count from 1)",
        ))
    }
}

/// A buyer's post code, accepted only with country `US` (ZIP: `12345` or `12345-6789`) or `CA`
/// (postal code `A1A 1A1`, returned upper case with the space). `country` must already be
/// upper case (see [`country`]).
///
/// # Errors
///
/// [`Error::InvalidInput`] for `postCode` otherwise.
pub fn post_code(value: &str, country: &str) -> Result<String, Error> {
    let bytes = value.as_bytes();
    match country {
        "US" => {
            let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
            let ok = match bytes.len() {
                5 => digits(bytes),
                10 => digits(&bytes[..5]) && bytes[5] == b'-' && digits(&bytes[6..]),
                _ => false,
            };
            if ok {
                Ok(value.to_string())
            } else {
                Err(Error::invalid_input(
                    "postCode",
                    format!(
                        "must be a US ZIP code, `12345` or `12345-6789`, got {}",
                        shown(value)
                    ),
                ))
            }
        }
        "CA" => {
            let compact: Vec<u8> = match bytes.len() {
                6 => bytes.to_vec(),
                7 if bytes[3] == b' ' => [&bytes[..3], &bytes[4..]].concat(),
                _ => Vec::new(),
            };
            let ok = compact.len() == 6
                && compact.iter().enumerate().all(|(i, b)| {
                    if i % 2 == 0 {
                        b.is_ascii_alphabetic()
                    } else {
                        b.is_ascii_digit()
                    }
                });
            if ok {
                let upper = String::from_utf8_lossy(&compact).to_ascii_uppercase();
                Ok(format!("{} {}", &upper[..3], &upper[3..]))
            } else {
                Err(Error::invalid_input(
                    "postCode",
                    format!(
                        "must be a Canadian postal code such as `K1A 0B1`, got {}",
                        shown(value)
                    ),
                ))
            }
        }
        other => Err(Error::invalid_input(
            "postCode",
            format!("is only accepted when country is US (or CA), not `{other}`"),
        )),
    }
}

/// A buyer's email address: one `@` between a non-empty local part and a domain with a dot,
/// no white space, at most 254 characters. (The mailbox itself is not checked.)
///
/// # Errors
///
/// [`Error::InvalidInput`] for `emailAddress` otherwise.
pub fn email_address(value: &str) -> Result<&str, Error> {
    let well_formed = value.len() <= 254
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && match value.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            }
            None => false,
        };
    if well_formed {
        Ok(value)
    } else {
        Err(Error::invalid_input(
            "emailAddress",
            format!("is not an email address: {}", shown(value)),
        ))
    }
}

/// An absolute `http` or `https` URL.
pub(crate) fn http_url<'a>(field: &str, value: &'a str) -> Result<&'a str, Error> {
    match url::Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => Ok(value),
        _ => Err(Error::invalid_input(
            field,
            format!(
                "must be an absolute http or https URL, got {}",
                shown(value)
            ),
        )),
    }
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
            "purchaseDate",
            format!("is before 1970, got {}", shown(value)),
        )),
        None => Err(Error::invalid_input(
            "purchaseDate",
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
    use crate::download_service::Price;

    fn field(e: Error) -> String {
        match e {
            Error::InvalidInput { field, .. } => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn countries() {
        assert_eq!(country("gb").unwrap(), "GB");
        assert_eq!(country("Us").unwrap(), "US");
        for bad in ["", "G", "GBR", "G1", "é", "ÉÉ", " G"] {
            assert_eq!(field(country(bad).unwrap_err()), "country", "{bad}");
        }
    }

    #[test]
    fn user_ids() {
        assert!(user_id("a").is_ok());
        assert!(user_id(&"é".repeat(255)).is_ok());
        assert_eq!(field(user_id("").unwrap_err()), "userId");
        assert_eq!(field(user_id("  ").unwrap_err()), "userId");
        assert_eq!(field(user_id(&"a".repeat(256)).unwrap_err()), "userId");
    }

    #[test]
    fn prices() {
        for good in ["7.99", "1", "0.5", "0", "0.00", "1.00", "1234567.10"] {
            assert_eq!(Price::parse(good).unwrap().as_str(), good);
        }
        for bad in [
            "7,99", "-1", "1.999", "1e3", "NaN", "inf", "", "1.", ".5", "+1", " 1", "1 ", "0x10",
            "1.2.3", "١",
        ] {
            assert_eq!(
                field(Price::parse(bad).unwrap_err()),
                "retailPrice",
                "{bad}"
            );
        }
        assert!(
            Price::parse("7,99")
                .unwrap_err()
                .to_string()
                .contains("comma")
        );
        assert!(
            Price::parse("-1")
                .unwrap_err()
                .to_string()
                .contains("negative")
        );
        assert!(
            Price::parse("1.999")
                .unwrap_err()
                .to_string()
                .contains("2 decimal")
        );
        assert_eq!(Price::from_minor_units(5).as_str(), "0.05");
        assert_eq!(Price::from_minor_units(100).as_str(), "1.00");
    }

    #[test]
    fn post_codes() {
        assert_eq!(post_code("12345", "US").unwrap(), "12345");
        assert_eq!(post_code("12345-6789", "US").unwrap(), "12345-6789");
        assert_eq!(post_code("k1a0b1", "CA").unwrap(), "K1A 0B1");
        assert_eq!(post_code("K1A 0B1", "CA").unwrap(), "K1A 0B1");
        for (bad, c) in [
            ("1234", "US"),
            ("123456", "US"),
            ("12345 6789", "US"),
            ("12345-678", "US"),
            ("ABCDE", "US"),
            ("12345", "CA"),
            ("12345", "GB"),
            ("SW1A 1AA", "GB"),
            ("１２３４５", "US"),
        ] {
            assert_eq!(
                field(post_code(bad, c).unwrap_err()),
                "postCode",
                "{bad} {c}"
            );
        }
    }

    #[test]
    fn emails_and_urls() {
        assert!(email_address("jane@example.com").is_ok());
        for bad in [
            "",
            "jane",
            "@example.com",
            "jane@",
            "jane@example",
            "a b@c.d",
            "a@b@c.d",
        ] {
            assert_eq!(
                field(email_address(bad).unwrap_err()),
                "emailAddress",
                "{bad}"
            );
        }
        assert!(http_url("errorUrl", "https://store.example/oops?x=1").is_ok());
        assert!(http_url("errorUrl", "ftp://store.example/").is_err());
        assert!(http_url("errorUrl", "/relative").is_err());
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
            "purchaseDate"
        );
        assert_eq!(
            field(refund_deadline("1969-12-31").unwrap_err()),
            "purchaseDate"
        );
    }
}
