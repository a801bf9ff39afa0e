//! Injectable sources of timestamps and nonces, so that signing is testable.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of `oauth_timestamp` values (seconds since the Unix epoch).
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current time in whole seconds since 1970-01-01T00:00:00Z.
    fn now_unix(&self) -> u64;
}

/// The system's wall clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    /// Seconds since the Unix epoch; 0 if the system clock is set before 1970.
    fn now_unix(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}

/// A clock that always returns the same instant (for tests and fixtures).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixedClock(pub u64);

impl Clock for FixedClock {
    fn now_unix(&self) -> u64 {
        self.0
    }
}

/// A source of `oauth_nonce` values.
pub trait NonceSource: Send + Sync + std::fmt::Debug {
    /// A new nonce. RFC 5849 §3.3 requires it to be unique across all requests
    /// with the same timestamp, client credentials and token.
    fn nonce(&self) -> String;
}

/// Random nonces: 16 bytes from the operating system's CSPRNG, as 32 lower-case
/// hex characters.
///
/// Should the OS generator ever fail, the nonce falls back to a value built from
/// the current time in nanoseconds, the process id and a process-wide counter:
/// still unique per process (which is what the protocol needs), though not
/// unpredictable. It never panics.
#[derive(Clone, Copy, Debug, Default)]
pub struct RandomNonce;

impl NonceSource for RandomNonce {
    fn nonce(&self) -> String {
        let mut bytes = [0u8; 16];
        if getrandom::fill(&mut bytes).is_err() {
            bytes = fallback_bytes();
        }
        let mut out = String::with_capacity(32);
        for b in bytes {
            // Writing to a String cannot fail.
            let _ = write!(out, "{b:02x}");
        }
        out
    }
}

/// Unique (not unpredictable) 16 bytes, used only if the OS generator fails.
fn fallback_bytes() -> [u8; 16] {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let low = (nanos as u64) ^ (u64::from(std::process::id()) << 32);
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&low.to_be_bytes());
    out[8..].copy_from_slice(&count.to_be_bytes());
    out
}

/// A nonce source that always returns the same value (for tests and fixtures).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixedNonce(pub String);

impl FixedNonce {
    /// Builds a fixed nonce source.
    pub fn new(nonce: impl Into<String>) -> Self {
        FixedNonce(nonce.into())
    }
}

impl NonceSource for FixedNonce {
    fn nonce(&self) -> String {
        self.0.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_nonce_shape_and_uniqueness() {
        let a = RandomNonce.nonce();
        let b = RandomNonce.nonce();
        assert_eq!(a.len(), 32);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_ne!(a, b);
    }

    #[test]
    fn fallback_is_unique() {
        assert_ne!(fallback_bytes(), fallback_bytes());
    }

    #[test]
    fn fixed_sources() {
        assert_eq!(FixedClock(42).now_unix(), 42);
        assert_eq!(FixedNonce::new("abc").nonce(), "abc");
        assert!(SystemClock.now_unix() > 1_600_000_000);
    }
}
