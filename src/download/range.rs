//! `Content-Range` (RFC 9110, section 14.4) and what a server's answer to a (range) request
//! means for the `.part` file.

/// A parsed `Content-Range` value in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContentRange {
    /// `bytes FIRST-LAST/COMPLETE` (`COMPLETE` may be `*`: unknown).
    Range {
        /// The first byte position.
        first: u64,
        /// The last byte position (inclusive).
        last: u64,
        /// The complete length, when known.
        complete: Option<u64>,
    },
    /// `bytes */COMPLETE`, sent with 416 Range Not Satisfiable.
    Unsatisfied {
        /// The complete length.
        complete: u64,
    },
}

impl ContentRange {
    /// Parses a `Content-Range` value; `None` when it is malformed or inconsistent
    /// (last before first, or not below the complete length). For a `Range`,
    /// `last - first + 1` never overflows.
    pub(crate) fn parse(value: &str) -> Option<ContentRange> {
        let value = value.trim();
        let (unit, rest) = value.split_once(' ')?;
        if !unit.eq_ignore_ascii_case("bytes") {
            return None;
        }
        let (range, complete) = rest.trim_start().split_once('/')?;
        let complete = match complete {
            "*" => None,
            n => Some(number(n)?),
        };
        if range == "*" {
            return complete.map(|complete| ContentRange::Unsatisfied { complete });
        }
        let (first, last) = range.split_once('-')?;
        let (first, last) = (number(first)?, number(last)?);
        // `last == u64::MAX` would make the length of the range overflow.
        if last < first || last == u64::MAX || complete.is_some_and(|complete| last >= complete) {
            return None;
        }
        Some(ContentRange::Range {
            first,
            last,
            complete,
        })
    }
}

/// A decimal number of digits only (no sign, no spaces).
fn number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges_parse() {
        assert_eq!(
            ContentRange::parse("bytes 100-199/1000"),
            Some(ContentRange::Range {
                first: 100,
                last: 199,
                complete: Some(1000)
            })
        );
        assert_eq!(
            ContentRange::parse("Bytes 0-0/*"),
            Some(ContentRange::Range {
                first: 0,
                last: 0,
                complete: None
            })
        );
        assert_eq!(
            ContentRange::parse("bytes */4096"),
            Some(ContentRange::Unsatisfied { complete: 4096 })
        );
    }

    #[test]
    fn bad_content_ranges_are_rejected() {
        for bad in [
            "",
            "bytes",
            "bytes 1-2",
            "items 0-1/2",
            "bytes 5-4/10",
            "bytes 0-10/10",
            "bytes -1-2/10",
            "bytes +1-2/10",
            "bytes 1-2/x",
            "bytes */*",
            "bytes 1-/10",
            "bytes 99999999999999999999-1/2",
            "bytes 0-18446744073709551615/*",
        ] {
            assert_eq!(ContentRange::parse(bad), None, "{bad}");
        }
    }
}
