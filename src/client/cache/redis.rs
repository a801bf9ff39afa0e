//! [`RedisCache`]: catalogue answers kept in Redis, so that every server of a store shares them.

use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

use redis::AsyncCommands;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::{Cache, CacheFuture, CachedResponse};
use crate::error::Error;

/// The default bound on one answer's size: 1 MiB.
const DEFAULT_MAX_ENTRY_BYTES: usize = 1024 * 1024;

/// Room for an entry's status and headers beside its body, when an entry is read back.
const HEADER_ROOM: usize = 64 * 1024;

/// The default wait for Redis, connecting or answering: 250 ms.
const DEFAULT_TIMEOUT: Duration = Duration::from_millis(250);

/// Catalogue answers kept in Redis (feature `redis`), expiring by Redis's clock after their
/// `max-age`. Several clients, in one process or many, share what one of them stored.
///
/// Redis unreachable, slow past [`timeout`](Self::timeout) or answering an error is a cache
/// miss and a `tracing` warning, never a failed call; the connection is tried again on later
/// calls.
///
/// ```no_run
/// use std::sync::Arc;
/// let cache = sevendigital::client::cache::RedisCache::open("redis://127.0.0.1:6379/")?
///     .prefix("store-1:");
/// let client = sevendigital::Client::builder()
///     .consumer("KEY", "SECRET")
///     .cache_with(Arc::new(cache))
///     .build()?;
/// # let _ = client; Ok::<(), sevendigital::Error>(())
/// ```
pub struct RedisCache {
    client: redis::Client,
    /// Made on first use, inside the caller's Tokio runtime; connects lazily.
    manager: OnceLock<Option<ConnectionManager>>,
    prefix: String,
    max_entry_bytes: usize,
    timeout: Duration,
}

impl fmt::Debug for RedisCache {
    // The URL is left out: it may carry a password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisCache")
            .field("prefix", &self.prefix)
            .field("max_entry_bytes", &self.max_entry_bytes)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl RedisCache {
    /// A cache on the Redis server at `url` (`redis://[:password@]host[:port][/db]`). Nothing
    /// is connected until the first call; keys start with `sevendigital:`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when `url` is not a Redis URL (the message does not repeat it).
    pub fn open(url: &str) -> Result<RedisCache, Error> {
        let client = redis::Client::open(url)
            .map_err(|e| Error::config(format!("the Redis URL is not valid ({:?})", e.kind())))?;
        Ok(RedisCache {
            client,
            manager: OnceLock::new(),
            prefix: "sevendigital:".to_string(),
            max_entry_bytes: DEFAULT_MAX_ENTRY_BYTES,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// Starts every key with `prefix` (default `sevendigital:`), to share a server with other
    /// data or keep stores apart.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Stores no answer whose body is larger than `bytes` (default 1 MiB).
    pub fn max_entry_bytes(mut self, bytes: usize) -> Self {
        self.max_entry_bytes = bytes;
        self
    }

    /// Waits at most `timeout` for Redis (connecting, or answering one command; default
    /// 250 ms); past it, the call goes on as a miss.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn connection(&self) -> Option<ConnectionManager> {
        self.manager
            .get_or_init(|| {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(self.timeout))
                    .set_response_timeout(Some(self.timeout))
                    .set_number_of_retries(1)
                    .set_max_delay(self.timeout);
                match ConnectionManager::new_lazy_with_config(self.client.clone(), config) {
                    Ok(manager) => Some(manager),
                    Err(e) => {
                        tracing::warn!(kind = ?e.kind(), "the Redis cache cannot be used");
                        None
                    }
                }
            })
            .clone()
    }

    async fn lookup(&self, key: &str) -> Option<CachedResponse> {
        let mut connection = self.connection()?;
        let key = format!("{}{key}", self.prefix);
        // Read at most what `store` could have written (the body bound plus room for the
        // status and headers): whatever else sits under the key is not ours, and is a miss.
        let limit = self.max_entry_bytes.saturating_add(HEADER_ROOM);
        let last = isize::try_from(limit).unwrap_or(isize::MAX);
        let read = connection.getrange::<_, Vec<u8>>(key, 0, last);
        match tokio::time::timeout(self.timeout, read).await {
            Ok(Ok(bytes)) if bytes.len() > limit => {
                tracing::warn!(
                    limit,
                    "a Redis cache entry larger than this cache writes: a miss"
                );
                None
            }
            Ok(Ok(bytes)) => CachedResponse::from_bytes(&bytes),
            Ok(Err(e)) => {
                tracing::warn!(kind = ?e.kind(), "the Redis cache failed: a miss");
                None
            }
            Err(_) => {
                tracing::warn!(
                    timeout_ms = self.timeout.as_millis() as u64,
                    "the Redis cache did not answer in time: a miss"
                );
                None
            }
        }
    }

    async fn store(&self, key: &str, answer: CachedResponse, max_age: u64) {
        if answer.body.len() > self.max_entry_bytes || max_age == 0 {
            return;
        }
        let Some(mut connection) = self.connection() else {
            return;
        };
        let key = format!("{}{key}", self.prefix);
        let set = connection.set_ex::<_, _, ()>(key, answer.to_bytes(), max_age);
        match tokio::time::timeout(self.timeout, set).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(kind = ?e.kind(), "the Redis cache failed: not stored"),
            Err(_) => tracing::warn!(
                timeout_ms = self.timeout.as_millis() as u64,
                "the Redis cache did not answer in time: not stored"
            ),
        }
    }
}

impl Cache for RedisCache {
    fn get<'a>(&'a self, key: &'a str, _now: u64) -> CacheFuture<'a, Option<CachedResponse>> {
        Box::pin(self.lookup(key))
    }

    fn put<'a>(
        &'a self,
        key: &'a str,
        answer: CachedResponse,
        _now: u64,
        max_age: u64,
    ) -> CacheFuture<'a, ()> {
        Box::pin(self.store(key, answer, max_age))
    }
}
