//! When and how often a failed call is tried again: one retry loop (`RetryPolicy::run`) for
//! API calls and downloads, fed by a classifier that says what each failure allows
//! ([`RetryAction`]), in the manner of the AWS SDK's retry classifiers.

use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

/// The longest `Retry-After` honoured; a server asking for a longer wait gets its error
/// returned instead, so that a call never hangs for minutes.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// What a failed attempt allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAction {
    /// Try again after the policy's backoff.
    Retry,
    /// Try again after this wait, which the server asked for (`Retry-After` on 429 or 503).
    RetryAfter(Duration),
    /// Give up: the failure is final.
    NoRetry,
}

/// The wait a `Retry-After` header value asks for (delay-seconds, or an HTTP date measured
/// from `now`); [`RetryAction::NoRetry`] when it is longer than [`MAX_RETRY_AFTER`], `None`
/// when it cannot be read.
pub fn retry_after(value: &str, now: SystemTime) -> Option<RetryAction> {
    let wait = retry_after_duration(value, now)?;
    Some(if wait > MAX_RETRY_AFTER {
        RetryAction::NoRetry
    } else {
        RetryAction::RetryAfter(wait)
    })
}

/// The wait a `Retry-After` header value asks for, however long: delay-seconds, or an HTTP date
/// measured from `now` (zero when it has passed); `None` when it cannot be read.
pub(crate) fn retry_after_duration(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    Some(match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => httpdate::parse_http_date(value)
            .ok()?
            .duration_since(now)
            .unwrap_or(Duration::ZERO),
    })
}

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

impl RetryPolicy {
    /// Runs `attempt` (given the attempt number, from 0) until it succeeds, `classify` says
    /// [`RetryAction::NoRetry`], the retries are used up, or the next wait would end at or past
    /// `deadline`; returns the last result.
    pub(crate) async fn run<T, E, Fut>(
        &self,
        mut attempt: impl FnMut(u32) -> Fut,
        classify: impl Fn(&E) -> RetryAction,
        deadline: Option<Instant>,
    ) -> Result<T, E>
    where
        Fut: Future<Output = Result<T, E>>,
    {
        let mut number = 0;
        loop {
            let error = match attempt(number).await {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            let wait = match classify(&error) {
                RetryAction::NoRetry => return Err(error),
                RetryAction::Retry => self.delay(number),
                RetryAction::RetryAfter(wait) => wait,
            };
            if number >= self.max_retries || deadline.is_some_and(|d| Instant::now() + wait >= d) {
                return Err(error);
            }
            tokio::time::sleep(wait).await;
            number += 1;
        }
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

    #[test]
    fn retry_after_values() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(
            retry_after("3", now),
            Some(RetryAction::RetryAfter(Duration::from_secs(3)))
        );
        assert_eq!(retry_after("31", now), Some(RetryAction::NoRetry));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(10));
        assert_eq!(
            retry_after(&date, now),
            Some(RetryAction::RetryAfter(Duration::from_secs(10)))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(10));
        assert_eq!(
            retry_after(&past, now),
            Some(RetryAction::RetryAfter(Duration::ZERO))
        );
        assert_eq!(retry_after("soon", now), None);
    }

    #[tokio::test]
    async fn one_loop_follows_the_classifier() {
        let policy = RetryPolicy::new(3, Duration::ZERO, Duration::ZERO);
        // Retried until it succeeds.
        let mut tries = 0;
        let result: Result<u32, &str> = policy
            .run(
                |n| {
                    tries += 1;
                    async move { if n < 2 { Err("again") } else { Ok(n) } }
                },
                |_| RetryAction::Retry,
                None,
            )
            .await;
        assert_eq!((result, tries), (Ok(2), 3));
        // Never retried when the classifier says no.
        let mut tries = 0;
        let result: Result<(), &str> = policy
            .run(
                |_| {
                    tries += 1;
                    async { Err("final") }
                },
                |_| RetryAction::NoRetry,
                None,
            )
            .await;
        assert_eq!((result, tries), (Err("final"), 1));
        // At most max_retries retries.
        let mut tries = 0;
        let _: Result<(), &str> = policy
            .run(
                |_| {
                    tries += 1;
                    async { Err("again") }
                },
                |_| RetryAction::RetryAfter(Duration::ZERO),
                None,
            )
            .await;
        assert_eq!(tries, 4);
        // A wait that would pass the deadline ends it.
        let mut tries = 0;
        let _: Result<(), &str> = policy
            .run(
                |_| {
                    tries += 1;
                    async { Err("again") }
                },
                |_| RetryAction::RetryAfter(Duration::from_secs(5)),
                Some(Instant::now() + Duration::from_secs(1)),
            )
            .await;
        assert_eq!(tries, 1);
    }
}
