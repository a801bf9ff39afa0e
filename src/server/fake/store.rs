//! The fake's memory: users and their tokens, baskets, purchases and lockers, card
//! registrations, the partner users, the sales log and refunds.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::models::{Basket, CardRegistration, PaymentCard, SubscriptionStatus, User};
use crate::oauth::Clock;

/// Faults the fake injects, changeable while it runs ([`super::FakeHandle::set_faults`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Faults {
    /// Added before every answer.
    pub latency: Duration,
    /// The share of requests (0.0 to 1.0) answered with 503 and code 9001 instead.
    pub error_rate: f64,
    /// Answer this many of the next requests with 503 and code 9001 (then serve normally).
    pub error_count: u32,
    /// Close the connection after this many bytes of an answer's body.
    pub cut_after_bytes: Option<u64>,
    /// How many answers to cut (`None`: every answer while `cut_after_bytes` is set).
    pub cut_count: Option<u32>,
    /// Cut only answers to paths containing this text (for example `/downloads/`).
    pub cut_only: Option<String>,
}

/// A user created by a partner for its own customer (`user/create` with `userId`).
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerUser {
    /// The partner's id for the customer.
    pub user_id: String,
    /// Where the customer lives.
    pub country: String,
}

/// One line of the sales log (`user/deliveritem`).
#[derive(Debug, Clone, PartialEq)]
pub struct Sale {
    /// The 7digital purchase id.
    pub purchase_id: u64,
    /// The partner's user id.
    pub user_id: String,
    /// The release sold, or the release of the track sold.
    pub release_id: String,
    /// The track sold, if only a track.
    pub track_id: Option<String>,
    /// The customer's country.
    pub country: String,
    /// The partner's transaction id.
    pub transaction_id: String,
    /// The retail price as sent (a decimal string).
    pub retail_price: Option<String>,
    /// The package id (2 = standard).
    pub package_id: u32,
    /// When the sale was logged (Unix time).
    pub at: u64,
    /// Whether it has been refunded.
    pub refunded: bool,
}

/// One item a user bought through the 3-legged purchase calls (what fills their locker).
#[derive(Debug, Clone, PartialEq)]
pub struct Owned {
    /// The purchase it came with.
    pub purchase_id: i64,
    /// The release bought, or the release of the track bought.
    pub release_id: Option<i64>,
    /// The track bought, if only a track.
    pub track_id: Option<i64>,
    /// When it was bought (RFC 3339).
    pub date: String,
}

/// Everything the fake remembers.
#[derive(Debug, Default)]
pub struct State {
    next_id: u64,
    /// Users by id (signup, create, authenticate).
    pub users: BTreeMap<String, User>,
    /// Passwords by user id (signup).
    pub passwords: HashMap<String, String>,
    /// Access token -> (token secret, user id).
    pub tokens: HashMap<String, (String, String)>,
    /// Baskets by id.
    pub baskets: HashMap<String, Basket>,
    /// What each user bought, by user id (the 3-legged locker).
    pub purchases: HashMap<String, Vec<Owned>>,
    /// Payment cards by user id.
    pub cards: HashMap<String, Vec<PaymentCard>>,
    /// Card registrations by id.
    pub registrations: HashMap<String, CardRegistration>,
    /// Streaming subscriptions by user id.
    pub subscriptions: HashMap<String, SubscriptionStatus>,
    /// Partner users by their id.
    pub partner_users: BTreeMap<String, PartnerUser>,
    /// The sales log.
    pub sales: Vec<Sale>,
}

impl State {
    /// A fresh number, for ids.
    pub fn next_number(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// The user an access token belongs to; an unknown token gets a user of its own, so that
    /// a fake that does not check signatures accepts any token.
    pub fn user_for_token(&mut self, token: &str) -> String {
        if let Some((_, user)) = self.tokens.get(token) {
            return user.clone();
        }
        let user = format!("user-{token}");
        self.tokens
            .insert(token.to_string(), (String::new(), user.clone()));
        user
    }
}

/// The shared state of a running fake.
#[derive(Debug)]
pub struct Store {
    /// The consumer key the fake accepts.
    pub consumer_key: String,
    /// The consumer secret signatures are checked with.
    pub consumer_secret: String,
    /// Whether signatures are checked.
    pub verify_signatures: bool,
    /// The size of every download.
    pub download_bytes: u64,
    /// The fake's clock (sale dates, refund periods, URL expiry).
    pub clock: Arc<dyn Clock>,
    state: Mutex<State>,
    faults: Mutex<(Faults, u64)>,
    requests: std::sync::atomic::AtomicU64,
    nonces: Mutex<std::collections::BTreeSet<(u64, String, String)>>,
    /// How far a request's `oauth_timestamp` may be from the fake's clock, in seconds.
    pub(crate) timestamp_window: Option<u64>,
}

impl Store {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        consumer_key: String,
        consumer_secret: String,
        verify_signatures: bool,
        download_bytes: u64,
        clock: Arc<dyn Clock>,
        state: State,
        faults: Faults,
        seed: u64,
        timestamp_window: Option<u64>,
    ) -> Self {
        Store {
            consumer_key,
            consumer_secret,
            verify_signatures,
            download_bytes,
            clock,
            state: Mutex::new(state),
            faults: Mutex::new((faults, seed.max(1))),
            requests: std::sync::atomic::AtomicU64::new(0),
            nonces: Mutex::new(std::collections::BTreeSet::new()),
            timestamp_window,
        }
    }

    /// The state, locked. A panic while it was locked leaves it usable.
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The current faults.
    pub fn faults(&self) -> Faults {
        self.faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .0
            .clone()
    }

    /// Replaces the faults.
    pub fn set_faults(&self, faults: Faults) {
        self.faults.lock().unwrap_or_else(|p| p.into_inner()).0 = faults;
    }

    /// Counts a request; returns how many came before it.
    pub fn count_request(&self) -> u64 {
        self.requests
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    }

    /// How many requests the fake has received.
    pub fn requests(&self) -> u64 {
        self.requests.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Decides the faults of one answer: whether it fails with 503, and where its body is cut.
    pub fn roll(&self, path: &str) -> (Duration, bool, Option<u64>) {
        let mut guard = self.faults.lock().unwrap_or_else(|p| p.into_inner());
        let (faults, rng) = &mut *guard;
        // xorshift64: reproducible from the seed.
        *rng ^= *rng << 13;
        *rng ^= *rng >> 7;
        *rng ^= *rng << 17;
        let counted = faults.error_count > 0;
        if counted {
            faults.error_count -= 1;
        }
        let fail = counted
            || (faults.error_rate > 0.0 && (*rng as f64 / u64::MAX as f64) < faults.error_rate);
        let eligible = faults
            .cut_only
            .as_deref()
            .is_none_or(|part| path.contains(part));
        let cut = match (
            faults.cut_after_bytes.filter(|_| eligible),
            faults.cut_count,
        ) {
            (Some(_), Some(0)) | (None, _) => None,
            (Some(n), Some(count)) => {
                faults.cut_count = Some(count - 1);
                Some(n)
            }
            (Some(n), None) => Some(n),
        };
        (faults.latency, fail, cut)
    }

    /// Records a nonce; `false` when it was seen before (a replay). At most [`MAX_NONCES`] are
    /// kept, the oldest timestamps forgotten first (and, with a timestamp window, those outside
    /// it, which are refused anyway), so memory stays bounded however long the fake runs.
    pub fn fresh_nonce(&self, timestamp: &str, nonce: &str) -> bool {
        let at = timestamp.trim().parse::<u64>().unwrap_or(0);
        let mut nonces = self.nonces.lock().unwrap_or_else(|p| p.into_inner());
        let fresh = nonces.insert((at, timestamp.to_string(), nonce.to_string()));
        if let Some(window) = self.timestamp_window {
            let oldest = self.now().saturating_sub(window);
            while nonces.first().is_some_and(|(t, _, _)| *t < oldest) {
                nonces.pop_first();
            }
        }
        while nonces.len() > MAX_NONCES {
            nonces.pop_first();
        }
        fresh
    }

    /// Now, in Unix seconds, by the fake's clock.
    pub fn now(&self) -> u64 {
        self.clock.now_unix()
    }
}

/// The most nonces the fake remembers to refuse replays.
pub const MAX_NONCES: usize = 100_000;
