//! When and how often a failed call is tried again.

use std::time::Duration;

/// Retries for calls the catalogue marks safe to retry (idempotent and not state-changing):
/// on connection errors, timeouts and 5xx answers, with capped exponential backoff and full
/// jitter. Calls that are not safe to retry (purchases, `user/deliveritem`, basket changes, ...)
/// are sent exactly once, whatever the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Two retries, backoff from 200 ms capped at 2 s.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Up to `max_retries` retries, waiting a random time up to `base_delay * 2^attempt`,
    /// never more than `max_delay`.
    pub fn new(max_retries: u32, base_delay: Duration, max_delay: Duration) -> Self {
        RetryPolicy {
            max_retries,
            base_delay,
            max_delay,
        }
    }

    /// How many retries after the first attempt.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The wait before retry number `attempt` (0 for the first retry).
    pub fn delay(&self, attempt: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.min(20)))
            .min(self.max_delay);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        let mut bytes = [0u8; 8];
        // Without randomness, waiting the whole ceiling is still a valid (if unjittered) backoff.
        let random = match getrandom::fill(&mut bytes) {
            Ok(()) => u64::from_le_bytes(bytes),
            Err(_) => u64::MAX,
        };
        Duration::from_nanos(random % nanos.saturating_add(1).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_are_capped_and_jittered() {
        let policy = RetryPolicy::new(5, Duration::from_millis(100), Duration::from_millis(300));
        for attempt in 0..30 {
            assert!(policy.delay(attempt) <= Duration::from_millis(300));
        }
        assert!(policy.delay(0) <= Duration::from_millis(100));
        let distinct: std::collections::HashSet<_> = (0..20).map(|_| policy.delay(3)).collect();
        assert!(distinct.len() > 1, "jitter gives different delays");
        assert_eq!(RetryPolicy::none().max_retries(), 0);
    }
}
