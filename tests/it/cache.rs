//! The opt-in cache: catalogue answers kept for their `max-age` by the client's clock, calls on
//! a user's behalf and calls that change something never kept, nothing kept when it is off.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use common::Server;
use sevendigital::Client;
use sevendigital::client::cache::CacheLimits;
use sevendigital::oauth::Clock;

#[derive(Debug)]
struct TestClock(AtomicU64);

impl Clock for TestClock {
    fn now_unix(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

fn client(server: &Server, clock: &Arc<TestClock>, limits: Option<CacheLimits>) -> Client {
    let mut builder = Client::builder()
        .base_url(&server.base_url)
        .consumer("key", "secret")
        .clock(Arc::clone(clock) as Arc<dyn Clock>);
    if let Some(limits) = limits {
        builder = builder.cache(limits);
    }
    builder.build().unwrap()
}

#[tokio::test]
async fn catalogue_answers_are_kept_for_their_max_age() {
    let server = Server::tags_with_cache_control("public, max-age=60").await;
    let clock = Arc::new(TestClock(AtomicU64::new(1_800_000_000)));
    let client = client(&server, &clock, Some(CacheLimits::new(100, 1 << 20)));
    let first = client.get_all_tags().await.unwrap();
    let second = client.get_all_tags().await.unwrap();
    assert_eq!(first, second);
    assert_eq!(
        server.received().len(),
        1,
        "the second answer came from the cache"
    );
    // Another query is another entry, kept apart.
    client.get_release_tags(1).await.unwrap();
    client.get_release_tags(2).await.unwrap();
    client.get_release_tags(1).await.unwrap();
    assert_eq!(server.received().len(), 3);
    // Clones share the cache.
    client.clone().get_all_tags().await.unwrap();
    assert_eq!(server.received().len(), 3);
    // Still fresh one second before max-age; asked again at max-age.
    clock.0.fetch_add(59, Ordering::Relaxed);
    client.get_all_tags().await.unwrap();
    assert_eq!(server.received().len(), 3);
    clock.0.fetch_add(1, Ordering::Relaxed);
    client.get_all_tags().await.unwrap();
    assert_eq!(server.received().len(), 4);
}

#[tokio::test]
async fn nothing_is_kept_unless_asked_and_allowed() {
    let clock = Arc::new(TestClock(AtomicU64::new(1_800_000_000)));
    // Off by default.
    let server_a = Server::tags_with_cache_control("max-age=60").await;
    let off = client(&server_a, &clock, None);
    off.get_all_tags().await.unwrap();
    off.get_all_tags().await.unwrap();
    assert_eq!(server_a.received().len(), 2);
    // The answer forbids it.
    for directive in ["no-store", "private, max-age=60", "no-cache"] {
        let server = Server::tags_with_cache_control(directive).await;
        let on = client(&server, &clock, Some(CacheLimits::new(100, 1 << 20)));
        on.get_all_tags().await.unwrap();
        on.get_all_tags().await.unwrap();
        assert_eq!(server.received().len(), 2, "{directive}");
    }
    // A call on a user's behalf is never kept, whatever the answer says.
    let server = Server::tags_with_cache_control("max-age=60").await;
    let on = client(&server, &clock, Some(CacheLimits::new(100, 1 << 20)))
        .with_user_token("token", "token-secret");
    let _ = on.get_user_locker().await;
    let _ = on.get_user_locker().await;
    assert_eq!(server.received().len(), 2);
}
