//! An opt-in cache of catalogue answers ([`ClientBuilder::cache`](crate::ClientBuilder::cache)),
//! as 7digital's own SDKs have: a `GET` signed with the consumer key only (no user, nothing
//! secret in the answer) whose answer says `Cache-Control: max-age=N` is answered from memory
//! for N seconds. Bounded in entries and in bytes; the oldest entries go first.
//!
//! ```
//! let client = sevendigital::Client::builder()
//!     .consumer("KEY", "SECRET")
//!     .cache(sevendigital::cache::CacheLimits::new(1000, 16 * 1024 * 1024))
//!     .build()?;
//! # let _ = client; Ok::<(), sevendigital::Error>(())
//! ```

use std::collections::HashMap;
use std::sync::Mutex;

use crate::answer::Answer;
use crate::catalogue::{AuthLevel, Method, Operation};

/// How much a client's cache may hold.
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
    answer: Answer,
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

/// The cache itself (one per client, shared by its clones).
#[derive(Debug)]
pub(crate) struct Cache {
    limits: CacheLimits,
    state: Mutex<State>,
}

impl Cache {
    pub(crate) fn new(limits: CacheLimits) -> Self {
        Cache {
            limits,
            state: Mutex::new(State::default()),
        }
    }

    /// Whether answers of `operation` may be kept: a `GET` that changes nothing, signed with the
    /// consumer key only.
    pub(crate) fn applies_to(operation: &Operation) -> bool {
        operation.method == Method::Get
            && operation.safe_to_retry()
            && operation.auth_level() <= AuthLevel::ConsumerKey
    }

    /// The answer kept for `key`, if it has not expired at `now`.
    pub(crate) fn get(&self, key: &str, now: u64) -> Option<Answer> {
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

    /// Keeps `answer` for `key` when its `Cache-Control` allows it, from `now`.
    pub(crate) fn put(&self, key: String, answer: &Answer, cache_control: Option<&str>, now: u64) {
        let Some(max_age) = cache_control.and_then(max_age) else {
            return;
        };
        let size = answer.body.len();
        if max_age == 0 || size > self.limits.max_bytes || self.limits.max_entries == 0 {
            return;
        }
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        remove(&mut state, &key);
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
            key,
            Entry {
                answer: answer.clone(),
                expires: now.saturating_add(max_age),
                order,
            },
        );
    }
}

fn remove(state: &mut State, key: &str) {
    if let Some(old) = state.entries.remove(key) {
        state.bytes -= old.answer.body.len();
    }
}

/// The seconds of `max-age` in a `Cache-Control` value; `None` when the answer must not be
/// kept (`no-store`, `no-cache`, `private`) or says no age.
fn max_age(value: &str) -> Option<u64> {
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
    age
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &str) -> Answer {
        Answer {
            status: 200,
            content_type: None,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn directives() {
        assert_eq!(max_age("max-age=60"), Some(60));
        assert_eq!(max_age("public, Max-Age=\"5\""), Some(5));
        assert_eq!(max_age("max-age=60, no-store"), None);
        assert_eq!(max_age("private, max-age=60"), None);
        assert_eq!(max_age("no-cache"), None);
        assert_eq!(max_age("public"), None);
        assert_eq!(max_age("max-age=x"), None);
    }

    #[test]
    fn expiry_and_bounds() {
        let cache = Cache::new(CacheLimits::new(2, 10));
        cache.put("a".into(), &answer("aaaa"), Some("max-age=10"), 100);
        assert!(cache.get("a", 109).is_some());
        assert!(cache.get("a", 110).is_none(), "expired after max-age");
        cache.put("a".into(), &answer("aaaa"), Some("max-age=10"), 100);
        cache.put("b".into(), &answer("bbbb"), Some("max-age=10"), 100);
        cache.put("c".into(), &answer("cccc"), Some("max-age=10"), 100);
        assert!(cache.get("a", 100).is_none(), "the oldest went first");
        assert!(cache.get("b", 100).is_some() && cache.get("c", 100).is_some());
        // Bytes: 8 kept, 6 more would pass 10: the oldest goes, and that is enough.
        cache.put("d".into(), &answer("dddddd"), Some("max-age=10"), 100);
        assert!(cache.get("b", 100).is_none());
        assert!(cache.get("c", 100).is_some() && cache.get("d", 100).is_some());
        // Larger than the whole cache, or not to be stored: not kept.
        cache.put("e".into(), &answer("eeeeeeeeeeee"), Some("max-age=10"), 100);
        cache.put("f".into(), &answer("f"), Some("no-store"), 100);
        cache.put("g".into(), &answer("g"), None, 100);
        assert!(cache.get("e", 100).is_none());
        assert!(cache.get("f", 100).is_none() && cache.get("g", 100).is_none());
        let state = cache.state.lock().unwrap();
        assert_eq!(state.bytes, 10);
    }
}
