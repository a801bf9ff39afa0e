//! The Redis cache against a real `redis-server` (installed by `.ci/run`; skipped elsewhere when
//! it is missing, failed under CI): two clients share an entry, entries expire by their
//! `max-age`, the size bound holds, answers signed for a user are never stored, and Redis down
//! is a miss and a warning, never a failed call.

use crate::common;

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Server, TAGS, capture};
use sevendigital::Client;
use sevendigital::client::cache::{Cache, RedisCache};

/// A `redis-server` on a free loopback port, stopped when dropped.
struct Redis {
    child: Child,
    url: String,
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `redis-server`, or returns `None` (outside CI) when it is not installed.
fn redis() -> Option<Redis> {
    let port = free_port();
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let child = match child {
        Ok(child) => child,
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("skipped: redis-server cannot be started ({e}); .ci/run installs it");
            return None;
        }
        Err(e) => panic!("redis-server cannot be started under CI: {e}"),
    };
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "redis-server did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    Some(Redis {
        child,
        url: format!("redis://127.0.0.1:{port}/"),
    })
}

fn client(server: &Server, cache: Arc<dyn Cache>) -> Client {
    Client::builder()
        .base_url(&server.base_url)
        .consumer("key", "secret")
        .cache_with(cache)
        .build()
        .unwrap()
}

/// How many keys the Redis server holds.
async fn keys(url: &str) -> usize {
    let client = redis::Client::open(url).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("*")
        .query_async(&mut connection)
        .await
        .unwrap();
    keys.len()
}

#[tokio::test]
async fn two_clients_share_an_entry_until_it_expires() {
    let Some(redis) = redis() else { return };
    let server = Server::tags_with_cache_control("public, max-age=1").await;
    // Two clients with caches of their own, on one Redis: as two store servers would be.
    let first = client(&server, Arc::new(RedisCache::open(&redis.url).unwrap()));
    let second = client(&server, Arc::new(RedisCache::open(&redis.url).unwrap()));
    let a = first.get_all_tags().send_response().await.unwrap();
    let b = second.get_all_tags().send_response().await.unwrap();
    assert_eq!(
        server.received().len(),
        1,
        "the second client read the first one's entry"
    );
    assert!(!a.from_cache() && b.from_cache());
    assert_eq!(a.into_inner(), b.into_inner());
    assert_eq!(keys(&redis.url).await, 1);
    // max-age=1: Redis lets the entry go after a second.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(keys(&redis.url).await, 0, "expired by its max-age");
    second.get_all_tags().send().await.unwrap();
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn large_answers_and_answers_for_a_user_are_not_stored() {
    let Some(redis) = redis() else { return };
    let server = Server::tags_with_cache_control("public, max-age=60").await;
    let small = client(
        &server,
        Arc::new(
            RedisCache::open(&redis.url)
                .unwrap()
                .max_entry_bytes(TAGS.len() - 1),
        ),
    );
    small.get_all_tags().send().await.unwrap();
    small.get_all_tags().send().await.unwrap();
    assert_eq!(
        server.received().len(),
        2,
        "larger than the bound: not stored"
    );
    assert_eq!(keys(&redis.url).await, 0);

    let cached = client(&server, Arc::new(RedisCache::open(&redis.url).unwrap()));
    let user = cached.with_user_token("token", "token-secret");
    let _ = user.get_user_locker().send().await;
    let _ = user.get_user_locker().send().await;
    assert_eq!(server.received().len(), 4, "user-signed: asked each time");
    assert_eq!(keys(&redis.url).await, 0, "nothing for a user in Redis");
}

#[tokio::test]
async fn redis_down_is_a_miss_and_a_warning() {
    let server = Server::tags_with_cache_control("public, max-age=60").await;
    // Nothing listens there.
    let url = format!("redis://127.0.0.1:{}/", free_port());
    let client = client(&server, Arc::new(RedisCache::open(&url).unwrap()));
    let (captured, _guard) = capture::install();
    let started = Instant::now();
    client.get_all_tags().send().await.unwrap();
    client.get_all_tags().send().await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.received().len(), 2);
    let warnings: Vec<_> = captured
        .lines()
        .into_iter()
        .filter(|l| l.starts_with("event WARN") && l.contains("Redis"))
        .collect();
    assert!(!warnings.is_empty(), "{:#?}", captured.lines());
    assert!(!captured.text().contains("secret"), "{}", captured.text());
}

#[test]
fn a_bad_url_is_refused_without_repeating_it() {
    let err = RedisCache::open("not a url with a p4ssword").unwrap_err();
    assert!(!err.to_string().contains("p4ssword"), "{err}");
}

#[tokio::test]
async fn an_entry_larger_than_the_cache_writes_is_not_read() {
    let Some(redis) = redis() else { return };
    let writer = RedisCache::open(&redis.url).unwrap();
    let answer = sevendigital::client::cache::CachedResponse {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: vec![b'x'; 100_000],
    };
    writer.put("k", answer.clone(), 0, 60).await;
    assert_eq!(
        writer.get("k", 0).await,
        Some(answer),
        "within its bound: read back"
    );
    // A cache bounded at 10 body bytes reads at most that plus room for headers: a miss.
    let small = RedisCache::open(&redis.url).unwrap().max_entry_bytes(10);
    assert_eq!(small.get("k", 0).await, None);
}
