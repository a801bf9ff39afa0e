//! What a client keeps between calls for its own safety, and where the next request of a call
//! goes.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use url::Url;

use crate::oauth::Clock;

/// The default of [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes):
/// 8 MiB, far above the largest real answers (a page of 100 releases is well under 1 MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 8 * 1024 * 1024;

/// Where the next request of a call goes: the operation's own URL, or a redirect's.
#[derive(Debug, Clone, Default)]
pub(crate) struct Hop {
    /// The URL a same-origin redirect pointed at (its `oauth_*` parameters removed).
    pub(crate) url: Option<Url>,
    /// Whether the redirect turns the request into a body-less `GET` (303, or 301/302 after
    /// anything but `GET`/`HEAD`).
    pub(crate) as_get: bool,
}

/// What a client keeps between calls for its own safety: the answer size limit and the
/// learned offset of the server's clock.
#[derive(Debug, Clone)]
pub(crate) struct Guard {
    pub(crate) max_response_bytes: u64,
    pub(crate) offset: Arc<AtomicI64>,
}

impl Guard {
    pub(crate) fn new(max_response_bytes: Option<u64>) -> Self {
        Guard {
            max_response_bytes: max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            offset: Arc::new(AtomicI64::new(0)),
        }
    }

    /// The signer's clock shifted by the learned offset.
    pub(crate) fn clock(&self, inner: Arc<dyn Clock>) -> Arc<dyn Clock> {
        Arc::new(OffsetClock {
            inner,
            offset: Arc::clone(&self.offset),
        })
    }
}

/// A clock plus the offset learned from the server.
#[derive(Debug)]
struct OffsetClock {
    inner: Arc<dyn Clock>,
    offset: Arc<AtomicI64>,
}

impl Clock for OffsetClock {
    fn now_unix(&self) -> u64 {
        let base = i64::try_from(self.inner.now_unix()).unwrap_or(i64::MAX);
        let shifted = base.saturating_add(self.offset.load(Ordering::Relaxed));
        u64::try_from(shifted).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_clock_shifts() {
        let guard = Guard::new(None);
        let clock = guard.clock(Arc::new(crate::oauth::FixedClock(1000)));
        guard.offset.store(-3000, Ordering::Relaxed);
        assert_eq!(clock.now_unix(), 0);
        guard.offset.store(60, Ordering::Relaxed);
        assert_eq!(clock.now_unix(), 1060);
    }
}
