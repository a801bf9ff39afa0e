//! Dates of the sales log, computed by the same rules the client enforces
//! (see [`crate::download_service::refund_deadline`]).

use crate::download_service::{deadline_after, format_utc};

/// RFC 3339 text (`2026-11-02T10:00:00Z`) of a Unix time.
pub fn rfc3339(unix: u64) -> String {
    format_utc(i64::try_from(unix).unwrap_or(i64::MAX))
}

/// The Unix time from which a sale made at `sale` can no longer be refunded: 00:00 UTC on the
/// 4th day of the month after the sale's month.
pub fn refund_deadline(sale: u64) -> u64 {
    u64::try_from(deadline_after(i64::try_from(sale).unwrap_or(i64::MAX))).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        let jan15 = 1_768_478_400; // 2026-01-15T12:00:00Z
        assert_eq!(rfc3339(refund_deadline(jan15)), "2026-02-04T00:00:00Z");
        let dec31 = 1_798_761_599; // 2026-12-31T23:59:59Z
        assert_eq!(rfc3339(dec31), "2026-12-31T23:59:59Z");
        assert_eq!(rfc3339(refund_deadline(dec31)), "2027-01-04T00:00:00Z");
    }
}
