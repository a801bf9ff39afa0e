//! An opt-in cache of catalogue answers, as 7digital's own SDKs have: a `GET` signed with the
//! consumer key only (no user, nothing secret in the answer) whose answer says
//! `Cache-Control: max-age=N` is answered from the cache for N seconds, by the client's clock.
//! Calls on a user's behalf and calls that change something are never kept.
//!
//! Where answers are kept is a [`Cache`]: [`MemoryCache`], in this process, bounded in entries
//! and bytes ([`ClientBuilder::cache`](crate::ClientBuilder::cache)); `RedisCache` (feature
//! `redis`), shared by every server of a store; or one of yours
//! ([`ClientBuilder::cache_with`](crate::ClientBuilder::cache_with)).
//!
//! ```
//! let client = sevendigital::Client::builder()
//!     .consumer("KEY", "SECRET")
//!     .cache(sevendigital::client::cache::CacheLimits::new(1000, 16 * 1024 * 1024))
//!     .build()?;
//! # let _ = client; Ok::<(), sevendigital::Error>(())
//! ```
//!
//! A cache that fails (a server that is down) must answer a miss and drop what it was asked to
//! store: a call never fails because of its cache.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::catalogue::{AuthLevel, Method, Operation};
use crate::decode::RawResponse;

mod memory;
#[cfg(feature = "redis")]
mod redis;

pub use memory::{CacheLimits, MemoryCache};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis::RedisCache;

/// What [`Cache`] methods return: a boxed future, so that the trait can be used as
/// `Arc<dyn Cache>`.
pub type CacheFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where a client keeps catalogue answers (see the [module](self)).
pub trait Cache: Send + Sync + fmt::Debug {
    /// The answer kept under `key`, if it is still fresh at `now` (Unix seconds, by the
    /// client's clock). A failure is a miss.
    fn get<'a>(&'a self, key: &'a str, now: u64) -> CacheFuture<'a, Option<CachedResponse>>;

    /// Keeps `answer` under `key` for `max_age` seconds from `now` (`max_age` is at least 1). A
    /// cache may decline (an answer too large); a failure is silent for the call.
    fn put<'a>(
        &'a self,
        key: &'a str,
        answer: CachedResponse,
        now: u64,
        max_age: u64,
    ) -> CacheFuture<'a, ()>;
}

/// An answer as a cache keeps it: status, headers and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedResponse {
    /// The HTTP status (2xx).
    pub status: u16,
    /// The headers, as name and value (values that are not visible ASCII are left out).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// The first bytes of [`CachedResponse::to_bytes`]: the format and its version.
const MAGIC: &[u8; 4] = b"7dc1";

impl CachedResponse {
    /// The answer as bytes, for a cache that stores bytes ([`from_bytes`](Self::from_bytes)
    /// reads them back).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.body.len() + 64);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.status.to_be_bytes());
        let headers: Vec<_> = self
            .headers
            .iter()
            .filter(|(n, v)| u16::try_from(n.len()).is_ok() && u16::try_from(v.len()).is_ok())
            .take(usize::from(u16::MAX))
            .collect();
        out.extend_from_slice(&(headers.len() as u16).to_be_bytes());
        for (name, value) in headers {
            for part in [name, value] {
                out.extend_from_slice(&(part.len() as u16).to_be_bytes());
                out.extend_from_slice(part.as_bytes());
            }
        }
        out.extend_from_slice(&self.body);
        out
    }

    /// Reads what [`to_bytes`](Self::to_bytes) wrote; `None` for anything else (never panics).
    pub fn from_bytes(bytes: &[u8]) -> Option<CachedResponse> {
        let mut rest = bytes.strip_prefix(MAGIC.as_slice())?;
        let mut take = |n: usize| -> Option<&[u8]> {
            let (head, tail) = rest.split_at_checked(n)?;
            rest = tail;
            Some(head)
        };
        let status = u16::from_be_bytes(take(2)?.try_into().ok()?);
        let count = u16::from_be_bytes(take(2)?.try_into().ok()?);
        let mut headers = Vec::with_capacity(usize::from(count.min(64)));
        for _ in 0..count {
            let mut part = || -> Option<String> {
                let len = u16::from_be_bytes(take(2)?.try_into().ok()?);
                String::from_utf8(take(usize::from(len))?.to_vec()).ok()
            };
            let name = part()?;
            let value = part()?;
            headers.push((name, value));
        }
        Some(CachedResponse {
            status,
            headers,
            body: rest.to_vec(),
        })
    }

    /// The answer a cache gives back, as the call path reads it.
    pub(crate) fn into_raw(self) -> RawResponse {
        let mut headers = HeaderMap::with_capacity(self.headers.len());
        for (name, value) in &self.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                headers.append(name, value);
            }
        }
        let content_type = headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        RawResponse {
            status: self.status,
            content_type,
            headers,
            from_cache: true,
            body: self.body,
        }
    }

    /// What a cache keeps of `answer`.
    pub(crate) fn from_raw(answer: &RawResponse) -> CachedResponse {
        CachedResponse {
            status: answer.status,
            headers: answer
                .headers
                .iter()
                .filter_map(|(n, v)| Some((n.as_str().to_string(), v.to_str().ok()?.to_string())))
                .collect(),
            body: answer.body.clone(),
        }
    }
}

/// Whether answers of `operation` may be kept: a `GET` that changes nothing, signed with the
/// consumer key only.
pub(crate) fn applies_to(operation: &Operation) -> bool {
    operation.method == Method::Get
        && operation.safe_to_retry()
        && operation.auth_level() <= AuthLevel::ConsumerKey
}

/// The seconds of `max-age` in a `Cache-Control` value; `None` when the answer must not be
/// kept (`no-store`, `no-cache`, `private`), says no age, or says 0.
pub(crate) fn max_age(value: &str) -> Option<u64> {
    let mut age = None;
    for directive in value.split(',').map(str::trim) {
        let lower = directive.to_ascii_lowercase();
        if matches!(lower.as_str(), "no-store" | "no-cache" | "private") {
            return None;
        }
        if let Some(n) = lower.strip_prefix("max-age=") {
            age = n.trim_matches('"').parse().ok();
        }
    }
    age.filter(|&age| age > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives() {
        assert_eq!(max_age("max-age=60"), Some(60));
        assert_eq!(max_age("public, Max-Age=\"5\""), Some(5));
        assert_eq!(max_age("max-age=60, no-store"), None);
        assert_eq!(max_age("private, max-age=60"), None);
        assert_eq!(max_age("no-cache"), None);
        assert_eq!(max_age("public"), None);
        assert_eq!(max_age("max-age=x"), None);
        assert_eq!(max_age("max-age=0"), None);
    }

    #[test]
    fn bytes_round_trip_and_garbage_is_refused() {
        let answer = CachedResponse {
            status: 200,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("cache-control".into(), "max-age=60".into()),
            ],
            body: b"{\"status\":\"ok\"}".to_vec(),
        };
        let bytes = answer.to_bytes();
        assert_eq!(CachedResponse::from_bytes(&bytes), Some(answer));
        for cut in 0..bytes.len() - 15 {
            // Cut inside the header section: refused, never a panic.
            assert!(
                CachedResponse::from_bytes(&bytes[..cut]).is_none(),
                "cut at {cut}"
            );
        }
        assert!(CachedResponse::from_bytes(b"not an answer").is_none());
        let mut wrong = bytes.clone();
        wrong[8] = 0xff; // a header length past the end
        assert!(CachedResponse::from_bytes(&wrong).is_none());
    }
}
