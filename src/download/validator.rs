//! Validators: what identifies the representation a `.part` file holds a prefix of, sent back
//! in `If-Range` so that a server appends only to the same representation.

use std::time::Duration;

use reqwest::header::{DATE, ETAG, HeaderMap, HeaderValue, LAST_MODIFIED};

/// How long before the answer's `Date` a `Last-Modified` time must be for it to be a strong
/// validator (RFC 9110, section 8.8.2.2).
const STRONG_DATE_MARGIN: Duration = Duration::from_secs(60);

/// A strong validator, as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Validator {
    /// A strong entity tag, quotes included: `"abc"`.
    ETag(String),
    /// A `Last-Modified` HTTP date.
    LastModified(String),
}

impl Validator {
    /// The validator of an answer: its `ETag` when that is strong, else its `Last-Modified`
    /// when that is at least 60 seconds before its `Date` (a client may only send a date in
    /// `If-Range` then), else `None`: such an answer cannot be resumed safely.
    pub(crate) fn from_headers(headers: &HeaderMap) -> Option<Validator> {
        let text = |name| {
            headers
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
        };
        if let Some(tag) = text(ETAG) {
            let tag = Validator::ETag(tag.trim().to_string());
            if tag.is_usable() {
                return Some(tag);
            }
        }
        let modified = text(LAST_MODIFIED)?.trim();
        let modified_at = httpdate::parse_http_date(modified).ok()?;
        let date = httpdate::parse_http_date(text(DATE)?.trim()).ok()?;
        let margin = date.duration_since(modified_at).ok()?;
        (margin >= STRONG_DATE_MARGIN).then(|| Validator::LastModified(modified.to_string()))
    }

    /// Whether the validator can be sent in `If-Range`: a strong, well-formed entity tag, or
    /// a valid HTTP date; either a valid header value.
    pub(crate) fn is_usable(&self) -> bool {
        let well_formed = match self {
            Validator::ETag(tag) => {
                tag.len() >= 2
                    && tag.starts_with('"')
                    && tag.ends_with('"')
                    && !tag[1..tag.len() - 1].contains('"')
            }
            Validator::LastModified(date) => httpdate::parse_http_date(date).is_ok(),
        };
        well_formed && self.header_value().is_some()
    }

    /// The `If-Range` header value.
    pub(crate) fn header_value(&self) -> Option<HeaderValue> {
        let text = match self {
            Validator::ETag(text) | Validator::LastModified(text) => text,
        };
        HeaderValue::from_str(text).ok()
    }

    /// Whether an answer's headers name a different representation: a different `ETag`
    /// (for an entity tag) or `Last-Modified` (for a date). Absent headers contradict nothing.
    pub(crate) fn contradicted_by(&self, headers: &HeaderMap) -> bool {
        let (name, saved) = match self {
            Validator::ETag(tag) => (ETAG, tag),
            Validator::LastModified(date) => (LAST_MODIFIED, date),
        };
        headers
            .get(name)
            .is_some_and(|value| value.as_bytes().trim_ascii() != saved.as_bytes())
    }

    /// For messages: `ETag "abc"` or `Last-Modified Sun, 06 Nov 1994 08:49:37 GMT`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Validator::ETag(tag) => format!("ETag {tag}"),
            Validator::LastModified(date) => format!("Last-Modified {date}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    reqwest::header::HeaderName::from_static(k),
                    HeaderValue::from_static(v),
                )
            })
            .collect()
    }

    #[test]
    fn strong_etag_is_preferred() {
        let h = headers(&[
            ("etag", "\"v1\""),
            ("last-modified", "Sun, 06 Nov 1994 08:49:37 GMT"),
            ("date", "Sun, 06 Nov 1994 09:49:37 GMT"),
        ]);
        assert_eq!(
            Validator::from_headers(&h),
            Some(Validator::ETag("\"v1\"".into()))
        );
    }

    #[test]
    fn weak_or_malformed_etag_falls_back_to_an_old_enough_date() {
        for tag in ["W/\"v1\"", "v1", "\"", "\"a\"b\""] {
            let h = headers(&[
                ("etag", tag),
                ("last-modified", "Sun, 06 Nov 1994 08:49:37 GMT"),
                ("date", "Sun, 06 Nov 1994 08:50:37 GMT"),
            ]);
            assert_eq!(
                Validator::from_headers(&h),
                Some(Validator::LastModified(
                    "Sun, 06 Nov 1994 08:49:37 GMT".into()
                )),
                "{tag}"
            );
        }
    }

    #[test]
    fn recent_or_undated_last_modified_is_weak() {
        let recent = headers(&[
            ("last-modified", "Sun, 06 Nov 1994 08:49:37 GMT"),
            ("date", "Sun, 06 Nov 1994 08:50:36 GMT"),
        ]);
        assert_eq!(Validator::from_headers(&recent), None);
        assert!(!Validator::ETag("\"v1\"".into()).contradicted_by(&headers(&[("etag", "\"v1\"")])));
        assert!(Validator::ETag("\"v1\"".into()).contradicted_by(&headers(&[("etag", "\"v2\"")])));
        assert!(!Validator::ETag("\"v1\"".into()).contradicted_by(&HeaderMap::new()));
        let undated = headers(&[("last-modified", "Sun, 06 Nov 1994 08:49:37 GMT")]);
        assert_eq!(Validator::from_headers(&undated), None);
        let garbage = headers(&[("last-modified", "yesterday"), ("date", "today")]);
        assert_eq!(Validator::from_headers(&garbage), None);
        assert_eq!(Validator::from_headers(&HeaderMap::new()), None);
    }
}
