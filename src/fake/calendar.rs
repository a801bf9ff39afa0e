//! Civil dates from Unix time (UTC), for sale dates and the refund reporting period.

/// `(year, month 1-12, day 1-31)` of a day count since 1970-01-01 (H. Hinnant's algorithm).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// RFC 3339 text (`2026-11-02T10:00:00Z`) of a Unix time.
pub fn rfc3339(unix: u64) -> String {
    let secs = unix as i64;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The Unix time from which a sale made at `sale` can no longer be refunded: 00:00 UTC on the
/// 4th day of the month after the sale's month.
pub fn refund_deadline(sale: u64) -> u64 {
    let (y, m, _) = civil_from_days((sale / 86_400) as i64);
    let (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    (days_from_civil(y, m, 4) * 86_400) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2026, 2, 4), 20_488);
        assert_eq!(civil_from_days(20_488), (2026, 2, 4));
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        let jan15 = days_from_civil(2026, 1, 15) as u64 * 86_400;
        assert_eq!(rfc3339(refund_deadline(jan15)), "2026-02-04T00:00:00Z");
        let dec31 = days_from_civil(2026, 12, 31) as u64 * 86_400 + 86_399;
        assert_eq!(rfc3339(refund_deadline(dec31)), "2027-01-04T00:00:00Z");
    }
}
