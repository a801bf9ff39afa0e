//! What the crate traces: one `sevendigital.call` span per API call with its fields, events for
//! retries, refused redirects and clock corrections, one span and event per download, spans in
//! the gateway; and never a secret, a token, a signature or a signed URL in any of it.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Server, TAGS, capture};
use sevendigital::download::DownloadOptions;
use sevendigital::download_service::Price;
use sevendigital::oauth::FixedClock;
use sevendigital::server::fake::Fake;

/// 2026-11-10T12:00:00Z.
const NOW: u64 = 1_794_312_000;
const CONSUMER_SECRET: &str = "consumer-SECRET-3f9a";
const TOKEN: &str = "user-TOKEN-77c1";
const TOKEN_SECRET: &str = "token-SECRET-b20e";
const PASSWORD: &str = "pass-WORD-5d4e";

/// What a scan of traced text must never find.
fn assert_no_secret(text: &str) {
    for secret in [CONSUMER_SECRET, TOKEN, TOKEN_SECRET, PASSWORD] {
        assert!(!text.contains(secret), "`{secret}` was traced:\n{text}");
    }
    for marker in [
        "oauth_signature",
        "oauth_token",
        "oauth_nonce",
        "Authorization",
    ] {
        assert!(!text.contains(marker), "`{marker}` was traced:\n{text}");
    }
    // A query string: `?` then a name and `=` before the next space.
    for (at, _) in text.match_indices('?') {
        let word = text[at + 1..].split([' ', '\n']).next().unwrap_or("");
        assert!(
            !word.contains('='),
            "a URL with a query was traced: ?{word}\n{text}"
        );
    }
}

#[tokio::test]
async fn the_store_flow_is_traced_without_a_secret() {
    let fake = Fake::builder()
        .consumer("store-key", CONSUMER_SECRET)
        .verify_signatures(true)
        .download_bytes(50_000)
        .clock(Arc::new(FixedClock(NOW)))
        .start()
        .await
        .unwrap();
    let client = fake
        .client_builder()
        .clock(Arc::new(FixedClock(NOW)))
        .build()
        .unwrap();
    let (captured, _guard) = capture::install();

    client
        .create_partner_user("customer-1", "GB")
        .send()
        .await
        .unwrap();
    let sale = client
        .log_sale(
            "customer-1",
            "1192901",
            "GB",
            "order-1",
            Price::parse("7.99").unwrap(),
        )
        .send()
        .await
        .unwrap()
        .purchase;
    let dir = std::env::temp_dir().join(format!("sevendigital-tracing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let done = client
        .download_purchase_zip("customer-1", &sale.id, "GB")
        .download_to(&dir.join("sale.zip"), &DownloadOptions::new())
        .await
        .unwrap();
    assert_eq!(done.bytes, 50_000);
    // Calls that carry a password and a user's token (the answers do not matter).
    let _ = client
        .authenticate_user("jane@example.com", PASSWORD)
        .send()
        .await;
    let _ = client
        .with_user_token(TOKEN, TOKEN_SECRET)
        .get_user_locker()
        .send()
        .await;
    std::fs::remove_dir_all(&dir).ok();

    let calls = captured.spans("sevendigital.call");
    let sale_span = calls
        .iter()
        .find(|l| l.contains("operation=\"logSale\""))
        .unwrap_or_else(|| panic!("no logSale span in {calls:#?}"));
    for field in [
        "method=\"GET\"",
        "path=\"/user/deliveritem\"",
        "attempt=1",
        "status=200",
        "duration_ms=",
    ] {
        assert!(
            sale_span.contains(field),
            "{field} missing from {sale_span}"
        );
    }
    assert!(
        calls
            .iter()
            .any(|l| l.contains("operation=\"createPartnerUser\"")),
        "{calls:#?}"
    );
    let downloads = captured.events("download finished");
    assert_eq!(downloads.len(), 1, "{:#?}", captured.lines());
    for field in ["bytes=50000", "resumed_from=0", "bytes_per_second="] {
        assert!(
            downloads[0].contains(field),
            "{field} missing from {}",
            downloads[0]
        );
    }
    assert_eq!(captured.spans("sevendigital.download").len(), 1);
    assert_no_secret(&captured.text());
}

#[tokio::test]
async fn retries_refused_redirects_and_clock_corrections_are_events() {
    let (captured, _guard) = capture::install();

    // Two 503s, then an answer: two retries, the span records the last attempt.
    let hits = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&hits);
    let server = Server::start(move |_| match count.fetch_add(1, Ordering::SeqCst) {
        0 | 1 => Server::json(503, "{}"),
        _ => Server::json(200, TAGS),
    })
    .await;
    common::client(&server).get_all_tags().send().await.unwrap();
    let retries = captured.events("retrying");
    assert_eq!(retries.len(), 2, "{:#?}", captured.lines());
    assert!(retries[1].contains("attempt=3"), "{}", retries[1]);
    let span = &captured.spans("sevendigital.call")[0];
    assert!(
        span.contains("attempt=3") && span.contains("status=200"),
        "{span}"
    );

    // A redirect to another origin: refused, with both origins and no path or query.
    let server = Server::start(|_| {
        (
            302,
            vec![(
                "location",
                "http://elsewhere.invalid/x?oauth_signature=s".into(),
            )],
            Vec::new(),
        )
    })
    .await;
    common::client(&server)
        .get_all_tags()
        .send()
        .await
        .unwrap_err();
    let refused = captured.events("redirect refused");
    assert_eq!(refused.len(), 1, "{:#?}", captured.lines());
    assert!(
        refused[0].contains("to=http://elsewhere.invalid"),
        "{}",
        refused[0]
    );

    // A refused timestamp with the server's Date an hour ahead: corrected once, as an event.
    let hits = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&hits);
    let server = Server::start(move |_| match count.fetch_add(1, Ordering::SeqCst) {
        0 => {
            let ahead = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
            let (status, mut headers, body) = Server::json(
                401,
                r#"{"status":"error","error":{"code":1002,"errorMessage":"OAuth timestamp refused"}}"#,
            );
            headers.push(("date", httpdate::fmt_http_date(ahead)));
            (status, headers, body)
        }
        _ => Server::json(200, r#"{"status":"ok","release":{"id":1}}"#),
    })
    .await;
    let _ = common::client(&server).get_release_details(1).send().await;
    let corrected =
        captured.events("the server refused the OAuth timestamp: signing again with its clock");
    assert_eq!(corrected.len(), 1, "{:#?}", captured.lines());
    assert!(
        corrected[0].contains("offset_seconds=3"),
        "{}",
        corrected[0]
    );
    assert_no_secret(&captured.text());
}

#[cfg(feature = "gateway")]
#[tokio::test]
async fn gateway_calls_are_spans_with_one_event_each() {
    let fake = Fake::builder()
        .consumer("store-key", CONSUMER_SECRET)
        .start()
        .await
        .unwrap();
    let gateway = sevendigital::gateway::Gateway::new(fake.client().unwrap(), false);
    let (captured, _guard) = capture::install();
    let mut args = serde_json::Map::new();
    args.insert("releaseId".into(), "1192901".into());
    gateway.call("get-release-details", args).await.unwrap();
    let mut args = serde_json::Map::new();
    args.insert("releaseId".into(), "not-a-number".into());
    gateway.call("get-release-details", args).await.unwrap_err();
    let tools = captured.spans("sevendigital.tool");
    assert_eq!(tools.len(), 2, "{:#?}", captured.lines());
    let events = captured.events("tool call");
    assert_eq!(events.len(), 2, "{:#?}", captured.lines());
    assert!(events[0].contains("in=sevendigital.tool") && events[0].contains("status=\"ok\""));
    assert!(events[1].contains("status=\"error("), "{}", events[1]);
    assert!(events[1].starts_with("event WARN"), "{}", events[1]);
    assert_no_secret(&captured.text());
}
