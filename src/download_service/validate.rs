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

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// The longest user id 7digital accepts, in characters.
pub const MAX_USER_ID_CHARS: usize = 255;
/// The largest locker page.
pub const MAX_PAGE_SIZE: u32 = 50;

/// How much of a rejected value an error message repeats.
const SHOWN_CHARS: usize = 40;

/// A rejected value, quoted and shortened for an error message.
fn shown(value: &str) -> String {
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

/// A retail price as 7digital wants it: a decimal string, not negative, with at most two
/// decimal places and no commas (`"7.99"`, `"1"`, `"0.5"`, `"0"` for a free item). Kept as the
/// text given, never converted to a float.
///
/// ```
/// use sevendigital::download_service::Price;
///
/// let price: Price = "7.99".parse()?;
/// assert_eq!(price.to_string(), "7.99");
/// assert_eq!(Price::from_minor_units(799), price);
/// for bad in ["7,99", "-1", "1.999", "1e3", "NaN", "", " 1", ".5"] {
///     assert!(Price::parse(bad).is_err(), "{bad}");
/// }
/// # Ok::<(), sevendigital::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Price(String);

impl Price {
    /// Parses a price.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for `retailPrice`, saying what is wrong.
    pub fn parse(value: &str) -> Result<Price, Error> {
        let fail = |message: String| Err(Error::invalid_input("retailPrice", message));
        if value.is_empty() {
            return fail("must not be empty (use `0` for a free item)".into());
        }
        if value.contains(',') {
            return fail(format!(
                "must not contain commas: write the decimal part after a dot, like `7.99`; got {}",
                shown(value)
            ));
        }
        if value.starts_with('-') {
            return fail(format!("must not be negative, got {}", shown(value)));
        }
        let (whole, fraction) = match value.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (value, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !fraction.is_none_or(digits) {
            return fail(format!(
                "must be a decimal number such as `7.99`, `1` or `0.5`, got {}",
                shown(value)
            ));
        }
        if fraction.is_some_and(|f| f.len() > 2) {
            return fail(format!(
                "must have at most 2 decimal places, got {}",
                shown(value)
            ));
        }
        Ok(Price(value.to_string()))
    }

    /// The price of `units` hundredths (cents, pence): `799` is `7.99`.
    pub fn from_minor_units(units: u64) -> Price {
        Price(format!("{}.{:02}", units / 100, units % 100))
    }

    /// The price as sent (`7.99`).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Price {
    type Err = Error;

    fn from_str(value: &str) -> Result<Price, Error> {
        Price::parse(value)
    }
}

impl TryFrom<&str> for Price {
    type Error = Error;

    fn try_from(value: &str) -> Result<Price, Error> {
        Price::parse(value)
    }
}

impl fmt::Display for Price {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const SECONDS_PER_DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// `n` ASCII digits at the start of `s`, as a number, and the rest.
fn number(s: &str, n: usize) -> Option<(u32, &str)> {
    let head = s.get(..n)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, &s[n..]))
}

/// Seconds since the Unix epoch of `YYYY-MM-DD` (midnight UTC) or an RFC 3339 date-time
/// (`2026-01-15T10:00:00Z`, `2026-01-15T10:00:00.5+02:00`).
fn parse_instant(value: &str) -> Option<i64> {
    let (year, rest) = number(value, 4)?;
    let rest = rest.strip_prefix('-')?;
    let (month, rest) = number(rest, 2)?;
    let rest = rest.strip_prefix('-')?;
    let (day, rest) = number(rest, 2)?;
    let year = i64::from(year);
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * SECONDS_PER_DAY;
    if rest.is_empty() {
        return Some(seconds);
    }
    let rest = rest
        .strip_prefix('T')
        .or_else(|| rest.strip_prefix('t'))
        .or_else(|| rest.strip_prefix(' '))?;
    let (hour, rest) = number(rest, 2)?;
    let rest = rest.strip_prefix(':')?;
    let (minute, rest) = number(rest, 2)?;
    let rest = rest.strip_prefix(':')?;
    let (second, mut rest) = number(rest, 2)?;
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    if let Some(fraction) = rest.strip_prefix('.') {
        let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return None;
        }
        rest = &fraction[len..];
    }
    // A leap second counts as the last second of its minute.
    seconds += i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second.min(59));
    match rest {
        "Z" | "z" => Some(seconds),
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (off_hour, tail) = number(&rest[1..], 2)?;
            let tail = tail.strip_prefix(':')?;
            let (off_minute, tail) = number(tail, 2)?;
            if !tail.is_empty() || off_hour > 23 || off_minute > 59 {
                return None;
            }
            Some(seconds - sign * (i64::from(off_hour) * 3600 + i64::from(off_minute) * 60))
        }
    }
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

/// The close of the reporting period of a sale made at `sold` (Unix seconds).
pub(crate) fn deadline_after(sold: i64) -> i64 {
    let (year, month, _) = civil_from_days(sold.div_euclid(SECONDS_PER_DAY));
    let (year, month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    days_from_civil(year, month, 4) * SECONDS_PER_DAY
}

/// Unix seconds as an RFC 3339 UTC date-time (`2026-02-04T00:00:00Z`).
pub(crate) fn format_utc(at: i64) -> String {
    let (year, month, day) = civil_from_days(at.div_euclid(SECONDS_PER_DAY));
    let secs = at.rem_euclid(SECONDS_PER_DAY);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
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
    fn civil_dates_round_trip() {
        for days in [-1, 0, 59, 365, 11_016, 19_000, 20_468, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(format_utc(1_770_163_200), "2026-02-04T00:00:00Z");
    }

    #[test]
    fn instants() {
        let midnight = days_from_civil(2026, 1, 15) * SECONDS_PER_DAY;
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
        assert_eq!(
            parse_instant("2024-02-29"),
            Some(days_from_civil(2024, 2, 29) * 86_400)
        );
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
