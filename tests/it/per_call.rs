//! Per-call control: a call's own timeout and retry policy override the client's, its answer
//! comes with status and headers, hooks see every request (downloads included), and compressed
//! answers are decoded.

use crate::common;

use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Server, TAGS};
use sevendigital::client::hooks::{Exchange, Hook};
use sevendigital::{Client, RetryPolicy};

fn client(server: &Server, timeout: Duration, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(&server.base_url)
        .consumer("key", "secret")
        .timeout(timeout)
        .retry(retry)
        .build()
        .unwrap()
}

fn timed_out(error: &sevendigital::Error) -> bool {
    matches!(error, sevendigital::Error::Transport { source, .. } if source.is_timeout())
}

fn quick_retries(n: u32) -> RetryPolicy {
    RetryPolicy::new(n, Duration::from_millis(1), Duration::from_millis(2))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_calls_timeout_overrides_the_clients() {
    // The answer comes after 2 s: far from both timeouts, so that a loaded machine cannot blur them.
    let server = Server::slow(Duration::from_secs(2), TAGS);
    // The client would wait 10 s; the call gives up after 100 ms.
    let patient = client(&server, Duration::from_secs(10), RetryPolicy::none());
    let started = Instant::now();
    let err = patient
        .get_all_tags()
        .timeout(Duration::from_millis(100))
        .send()
        .await
        .unwrap_err();
    assert!(timed_out(&err), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    // The client would give up after 100 ms; the call waits.
    let hasty = client(&server, Duration::from_millis(100), RetryPolicy::none());
    assert!(timed_out(&hasty.get_all_tags().send().await.unwrap_err()));
    hasty
        .get_all_tags()
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_calls_retry_policy_overrides_the_clients() {
    let hits = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&hits);
    let server = Server::start(move |_| {
        count.fetch_add(1, Ordering::SeqCst);
        Server::json(503, "{}")
    })
    .await;
    let client = client(&server, Duration::from_secs(5), quick_retries(3));
    client.get_all_tags().send().await.unwrap_err();
    assert_eq!(
        hits.swap(0, Ordering::SeqCst),
        4,
        "the client's policy: 1 + 3 retries"
    );
    client
        .get_all_tags()
        .retry(RetryPolicy::none())
        .send()
        .await
        .unwrap_err();
    assert_eq!(hits.swap(0, Ordering::SeqCst), 1, "the call's: none");
    client
        .get_all_tags()
        .retry(quick_retries(5))
        .send()
        .await
        .unwrap_err();
    assert_eq!(hits.swap(0, Ordering::SeqCst), 6, "the call's: 5 retries");
    // An operation that must never be retried is sent once whatever the call asks.
    let err = client
        .create_partner_user("u", "GB")
        .retry(quick_retries(5))
        .send()
        .await
        .unwrap_err();
    assert_eq!(hits.swap(0, Ordering::SeqCst), 1, "{err:?}");
}

#[tokio::test]
async fn a_response_has_its_status_and_headers() {
    let server = Server::start(|_| {
        let (status, mut headers, body) = Server::json(200, TAGS);
        headers.push(("cache-control", "public, max-age=60".into()));
        headers.push(("x-request-id", "abc-123".into()));
        (status, headers, body)
    })
    .await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .consumer("key", "secret")
        .cache(sevendigital::client::cache::CacheLimits::new(10, 1 << 20))
        .build()
        .unwrap();
    let response = client.get_all_tags().send_response().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-request-id"], "abc-123");
    assert_eq!(response.headers()["cache-control"], "public, max-age=60");
    assert!(!response.from_cache());
    assert_eq!(
        response.tags.tag.as_ref().map(Vec::len),
        Some(1),
        "derefs to the answer"
    );
    let again = client.get_all_tags().send_response().await.unwrap();
    assert!(again.from_cache());
    assert_eq!(
        again.headers()["x-request-id"],
        "abc-123",
        "kept with the answer"
    );
    assert_eq!(again.into_inner(), response.into_inner());
    assert_eq!(server.received().len(), 1);
}

#[derive(Debug, Default)]
struct Recorder {
    seen: Mutex<Vec<(String, u32, u16)>>,
}

impl Hook for Recorder {
    fn before_send(&self, _: &Exchange<'_>, request: &mut reqwest::Request) {
        request.headers_mut().insert(
            "x-store",
            reqwest::header::HeaderValue::from_static("shop-1"),
        );
    }

    fn after_response(&self, exchange: &Exchange<'_>, status: u16, _: &reqwest::header::HeaderMap) {
        self.seen
            .lock()
            .unwrap()
            .push((exchange.operation.to_string(), exchange.attempt, status));
    }
}

#[tokio::test]
async fn hooks_see_every_request_downloads_included() {
    let fake = sevendigital::server::fake::Fake::builder()
        .download_bytes(1000)
        .start()
        .await
        .unwrap();
    let recorder = Arc::new(Recorder::default());
    let client = fake
        .client_builder()
        .hook(Arc::clone(&recorder) as Arc<dyn Hook>)
        .build()
        .unwrap();
    client.create_partner_user("u", "GB").send().await.unwrap();
    let sale = client
        .log_sale(
            "u",
            "1192901",
            "GB",
            "tx",
            sevendigital::download_service::Price::parse("1.00").unwrap(),
        )
        .send()
        .await
        .unwrap()
        .purchase;
    let mut sink = Vec::new();
    client
        .download_purchase_zip("u", &sale.id, "GB")
        .download_to_writer(&mut sink, &Default::default())
        .await
        .unwrap();
    assert_eq!(sink.len(), 1000);
    let seen = recorder.seen.lock().unwrap().clone();
    let names: Vec<_> = seen.iter().map(|(op, _, _)| op.as_str()).collect();
    assert_eq!(
        names,
        [
            "createPartnerUser",
            "logSale",
            sevendigital::download::OPERATION
        ]
    );
    assert!(
        seen.iter()
            .all(|(_, attempt, status)| *attempt == 1 && *status == 200)
    );

    // The header a hook adds reaches the server.
    let server = Server::start(|_| Server::json(200, TAGS)).await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .consumer("key", "secret")
        .hook(Arc::new(Recorder::default()))
        .build()
        .unwrap();
    client.get_all_tags().send().await.unwrap();
    assert_eq!(server.received()[0].header("x-store"), Some("shop-1"));
}

#[cfg(feature = "gzip")]
#[tokio::test]
async fn gzip_answers_are_decoded() {
    let server = Server::start(|received| {
        assert!(
            received
                .header("accept-encoding")
                .is_some_and(|v| v.contains("gzip")),
            "gzip is asked for"
        );
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(TAGS.as_bytes()).unwrap();
        (
            200,
            vec![
                ("content-type", "application/json".into()),
                ("content-encoding", "gzip".into()),
            ],
            encoder.finish().unwrap(),
        )
    })
    .await;
    let tags = common::client(&server).get_all_tags().send().await.unwrap();
    assert_eq!(tags.tags.tag.unwrap()[0].id.as_deref(), Some("rock"));
}
