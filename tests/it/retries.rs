//! One retry loop for API calls and downloads, fed by a classifier: 5xx retried after the
//! backoff, 429 and 503 after their `Retry-After` (a wait longer than the cap is not waited:
//! the error comes back at once), other answers never.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::Server;
use sevendigital::download::{DownloadOptions, download_with_resume};
use sevendigital::{Client, RetryPolicy};

const TAGS: &str = r#"{"status":"ok","tags":{"page":1,"pageSize":10,"totalItems":0,"tag":[]}}"#;

/// A server that fails the first `failures` requests with `status` and `retry_after`, then
/// answers `ok`.
async fn flaky(
    failures: usize,
    status: u16,
    retry_after: Option<&'static str>,
    ok: common::Answer,
) -> (Server, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    let server = Server::start(move |_| {
        if seen.fetch_add(1, Ordering::SeqCst) < failures {
            let mut headers = vec![("content-type", "text/plain".to_string())];
            if let Some(after) = retry_after {
                headers.push(("retry-after", after.to_string()));
            }
            (status, headers, b"busy".to_vec())
        } else {
            ok.clone()
        }
    })
    .await;
    (server, count)
}

fn client(server: &Server) -> Client {
    Client::builder()
        .base_url(&server.base_url)
        .consumer("key", "secret")
        .retry(RetryPolicy::new(
            3,
            Duration::from_millis(1),
            Duration::from_millis(2),
        ))
        .build()
        .unwrap()
}

#[tokio::test]
async fn api_calls_follow_the_classifier() {
    // 429 with a short Retry-After: waited, then retried.
    let (server, count) = flaky(2, 429, Some("0"), Server::json(200, TAGS)).await;
    client(&server).get_all_tags().await.unwrap();
    assert_eq!(count.load(Ordering::SeqCst), 3);
    // 429 without Retry-After: retried after the backoff.
    let (server, count) = flaky(1, 429, None, Server::json(200, TAGS)).await;
    client(&server).get_all_tags().await.unwrap();
    assert_eq!(count.load(Ordering::SeqCst), 2);
    // 503 asking for an hour: not waited, the error comes back after one request.
    let (server, count) = flaky(1, 503, Some("3600"), Server::json(200, TAGS)).await;
    let err = client(&server).get_all_tags().await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(count.load(Ordering::SeqCst), 1);
    // 500: retried; 404: never.
    let (server, count) = flaky(2, 500, None, Server::json(200, TAGS)).await;
    client(&server).get_all_tags().await.unwrap();
    assert_eq!(count.load(Ordering::SeqCst), 3);
    let (server, count) = flaky(1, 404, None, Server::json(200, TAGS)).await;
    client(&server).get_all_tags().await.unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 1);
    // A call that is not safe to retry is sent once, whatever the answer.
    let (server, count) = flaky(1, 429, Some("0"), Server::json(200, TAGS)).await;
    client(&server).create_basket().await.unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn downloads_follow_the_same_classifier() {
    let file = (
        200,
        vec![("content-type", "application/zip".to_string())],
        vec![7u8; 1000],
    );
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("retries-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let http = reqwest::Client::new();
    let policy = RetryPolicy::new(3, Duration::from_millis(1), Duration::from_millis(2));
    let options = DownloadOptions::new();

    let (server, count) = flaky(2, 429, Some("0"), file.clone()).await;
    let url = format!("{}/file.zip", server.base_url);
    let done = download_with_resume(
        &http,
        || Ok(url.clone()),
        &dir.join("a.zip"),
        &options,
        policy,
    )
    .await
    .unwrap();
    assert_eq!(done.bytes, 1000);
    assert_eq!(count.load(Ordering::SeqCst), 3);

    let (server, count) = flaky(1, 503, Some("3600"), file.clone()).await;
    let url = format!("{}/file.zip", server.base_url);
    let err = download_with_resume(
        &http,
        || Ok(url.clone()),
        &dir.join("b.zip"),
        &options,
        policy,
    )
    .await
    .unwrap_err();
    assert_eq!(err.status(), Some(503), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 1);

    let (server, count) = flaky(1, 403, None, file).await;
    let url = format!("{}/file.zip", server.base_url);
    download_with_resume(
        &http,
        || Ok(url.clone()),
        &dir.join("c.zip"),
        &options,
        policy,
    )
    .await
    .unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The operation ids every document marks `x-sevendigital-never-retry: true`, read here with
/// serde_yaml: the download-service and OAuth documents directly, the v1.2 spec through the
/// overlay's actions (`$.paths['/p'].get` targets), so the generator's reading is checked
/// against the text.
fn marked_never_retry() -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let read = |name: &str| -> serde_yaml::Value {
        serde_yaml::from_str(&std::fs::read_to_string(format!("{root}/{name}")).unwrap()).unwrap()
    };
    let mut marked = Vec::new();
    let spec = read("spec/7digital-api-openapi.yml");
    let overlay = read("spec/7digital-overlay.yml");
    for action in overlay["actions"].as_sequence().unwrap() {
        if action["update"]["x-sevendigital-never-retry"].as_bool() != Some(true) {
            continue;
        }
        let target = action["target"].as_str().unwrap();
        let path = target
            .strip_prefix("$.paths['")
            .and_then(|t| t.strip_suffix("'].get"))
            .unwrap_or_else(|| panic!("a target this test reads: {target}"));
        let id = spec["paths"][path]["get"]["operationId"].as_str().unwrap();
        marked.push(id.to_string());
    }
    for name in [
        "spec/7digital-download-service.yml",
        "spec/7digital-oauth.yml",
    ] {
        let doc = read(name);
        for (_, item) in doc["paths"].as_mapping().unwrap() {
            for (_, op) in item.as_mapping().unwrap() {
                if op["x-sevendigital-never-retry"].as_bool() == Some(true) {
                    marked.push(op["operationId"].as_str().unwrap().to_string());
                }
            }
        }
    }
    marked
}

#[tokio::test]
async fn operations_their_document_marks_are_never_retried() {
    let marked = marked_never_retry();
    assert!(marked.len() >= 15, "{marked:?}");
    let every = sevendigital::catalogue::OPERATIONS
        .iter()
        .chain(sevendigital::catalogue::CATALOGUE_ONLY);
    for op in every {
        assert_eq!(
            op.safe_to_retry(),
            op.method.is_idempotent() && !marked.iter().any(|id| id == op.id),
            "{}: safe_to_retry",
            op.id
        );
    }
    // On the wire: a GET the download-service document marks is sent once after a 500, like the
    // basket GET the overlay marks (above); an unmarked GET is retried.
    let (server, count) = flaky(1, 500, None, Server::json(200, TAGS)).await;
    let err = client(&server)
        .create_partner_user("store-user-1", "GB")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(count.load(Ordering::SeqCst), 1);
    let (server, count) = flaky(1, 500, None, Server::json(200, TAGS)).await;
    client(&server).get_all_tags().await.unwrap();
    assert_eq!(count.load(Ordering::SeqCst), 2);
}
