//! [`MemoryCache`]: answers kept in this process, bounded in entries and in bytes; the oldest
//! entries go first.

use std::collections::HashMap;
use std::sync::Mutex;

use super::{Cache, CacheFuture, CachedResponse};

/// How much a [`MemoryCache`] may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheLimits {
    /// The most answers kept.
    pub max_entries: usize,
    /// The most body bytes kept, all answers together.
    pub max_bytes: usize,
}

impl CacheLimits {
    /// At most `max_entries` answers and `max_bytes` bytes of bodies.
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        CacheLimits {
            max_entries,
            max_bytes,
        }
    }
}

/// One answer kept, until `expires` (Unix seconds of the client's clock).
#[derive(Debug)]
struct Entry {
    answer: CachedResponse,
    expires: u64,
    /// When it was stored, in insertion order: the smallest goes first when full.
    order: u64,
}

#[derive(Debug, Default)]
struct State {
    entries: HashMap<String, Entry>,
    bytes: usize,
    next: u64,
}

/// Answers kept in this process, within [`CacheLimits`] (one per client, shared by its clones;
/// [`ClientBuilder::cache`](crate::ClientBuilder::cache) makes one).
#[derive(Debug)]
pub struct MemoryCache {
    limits: CacheLimits,
    state: Mutex<State>,
}

impl MemoryCache {
    /// An empty cache that holds at most `limits`.
    pub fn new(limits: CacheLimits) -> Self {
        MemoryCache {
            limits,
            state: Mutex::new(State::default()),
        }
    }

    fn lookup(&self, key: &str, now: u64) -> Option<CachedResponse> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match state.entries.get(key) {
            Some(entry) if entry.expires > now => Some(entry.answer.clone()),
            Some(_) => {
                remove(&mut state, key);
                None
            }
            None => None,
        }
    }

    fn store(&self, key: &str, answer: CachedResponse, now: u64, max_age: u64) {
        let size = answer.body.len();
        if max_age == 0 || size > self.limits.max_bytes || self.limits.max_entries == 0 {
            return;
        }
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        remove(&mut state, key);
        while state.entries.len() >= self.limits.max_entries
            || state.bytes + size > self.limits.max_bytes
        {
            let Some(oldest) = state
                .entries
                .iter()
                .min_by_key(|(_, e)| e.order)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            remove(&mut state, &oldest);
        }
        let order = state.next;
        state.next += 1;
        state.bytes += size;
        state.entries.insert(
            key.to_string(),
            Entry {
                answer,
                expires: now.saturating_add(max_age),
                order,
            },
        );
    }
}

impl Cache for MemoryCache {
    fn get<'a>(&'a self, key: &'a str, now: u64) -> CacheFuture<'a, Option<CachedResponse>> {
        let found = self.lookup(key, now);
        Box::pin(std::future::ready(found))
    }

    fn put<'a>(
        &'a self,
        key: &'a str,
        answer: CachedResponse,
        now: u64,
        max_age: u64,
    ) -> CacheFuture<'a, ()> {
        self.store(key, answer, now, max_age);
        Box::pin(std::future::ready(()))
    }
}

fn remove(state: &mut State, key: &str) {
    if let Some(old) = state.entries.remove(key) {
        state.bytes -= old.answer.body.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &str) -> CachedResponse {
        CachedResponse {
            status: 200,
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn expiry_and_bounds() {
        let cache = MemoryCache::new(CacheLimits::new(2, 10));
        cache.store("a", answer("aaaa"), 100, 10);
        assert!(cache.lookup("a", 109).is_some());
        assert!(cache.lookup("a", 110).is_none(), "expired after max-age");
        cache.store("a", answer("aaaa"), 100, 10);
        cache.store("b", answer("bbbb"), 100, 10);
        cache.store("c", answer("cccc"), 100, 10);
        assert!(cache.lookup("a", 100).is_none(), "the oldest went first");
        assert!(cache.lookup("b", 100).is_some() && cache.lookup("c", 100).is_some());
        // Bytes: 8 kept, 6 more would pass 10: the oldest goes, and that is enough.
        cache.store("d", answer("dddddd"), 100, 10);
        assert!(cache.lookup("b", 100).is_none());
        assert!(cache.lookup("c", 100).is_some() && cache.lookup("d", 100).is_some());
        // Larger than the whole cache: not kept.
        cache.store("e", answer("eeeeeeeeeeee"), 100, 10);
        assert!(cache.lookup("e", 100).is_none());
        let state = cache.state.lock().unwrap();
        assert_eq!(state.bytes, 10);
    }
}
