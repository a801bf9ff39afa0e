//! What callers get when things go wrong: typed errors with status, 7digital code and message,
//! snippets of undecodable bodies, retries only where the catalogue allows them, nothing sent
//! for a call that cannot be authorised, and no secret in any output.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Server, client};
use sevendigital::{AuthPlacement, Client, Error};

#[tokio::test]
async fn json_error_envelope_gives_code_and_message() {
    let server = Server::start(|_| {
        Server::json(
            404,
            r#"{"status":"error","error":{"code":2001,"message":"Release not found"}}"#,
        )
    })
    .await;
    let err = client(&server)
        .get_release_details("1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(2001));
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.operation(), Some("getReleaseDetails"));
    assert!(
        matches!(&err, Error::Api { message, .. } if message == "Release not found"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "getReleaseDetails: HTTP 404, 7digital error 2001: Release not found"
    );
}

#[tokio::test]
async fn xml_error_envelope_gives_code_and_message() {
    let server = Server::start(|_| {
        (
            400,
            vec![("content-type", "text/xml".into())],
            br#"<?xml version="1.0" encoding="utf-8"?><response status="error" version="1.2"><error code="1001"><errorMessage>Missing parameter releaseId</errorMessage></error></response>"#.to_vec(),
        )
    })
    .await;
    let err = client(&server)
        .get_release_details("1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(1001));
    assert_eq!(err.status(), Some(400));
    assert!(
        err.to_string()
            .ends_with("7digital error 1001: Missing parameter releaseId"),
        "{err}"
    );
}

#[tokio::test]
async fn error_status_without_envelope_keeps_a_snippet() {
    let page = format!(
        "<html><body>Bad gateway{}</body></html>",
        " padding".repeat(100)
    );
    let server = Server::start(move |_| {
        (
            404,
            vec![("content-type", "text/html".into())],
            page.clone().into_bytes(),
        )
    })
    .await;
    let err = client(&server)
        .get_release_editorial("1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), None);
    assert_eq!(err.status(), Some(404));
    let Error::Http { snippet, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(snippet.starts_with("<html><body>Bad gateway"), "{snippet}");
    assert!(
        snippet.chars().count() <= 201,
        "short snippet, got {}",
        snippet.len()
    );
}

#[tokio::test]
async fn undecodable_success_is_a_decode_error_not_a_panic() {
    let bodies: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"not json at all".to_vec(),
        b"{\"releases\": 12}".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x80],
        b"<response status=\"ok\"><release/></response>".to_vec(),
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[".to_vec(),
    ];
    for body in bodies {
        let answer = body.clone();
        let server = Server::start(move |_| (200, vec![], answer.clone())).await;
        let err = client(&server)
            .search_releases("q")
            .send()
            .await
            .unwrap_err();
        let Error::Decode {
            status, snippet, ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(*status, 200);
        assert_eq!(
            snippet,
            &String::from_utf8_lossy(&body)
                .chars()
                .take(200)
                .collect::<String>()
        );
    }
}

#[tokio::test]
async fn three_legged_call_without_user_token_fails_before_sending() {
    let server = Server::start(|_| Server::json(200, "{}")).await;
    let err = client(&server)
        .get_user_locker()
        .page(2)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::UserTokenRequired {
                operation: "getUserLocker"
            }
        ),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("getUserLocker") && text.contains("user access token"),
        "{text}"
    );
    assert!(server.received().is_empty(), "nothing may be sent");
}

/// A server answering 503 `failures` times, then 200 with `body`.
async fn flaky(failures: usize, body: &'static str) -> (Server, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    let server = Server::start(move |_| {
        if seen.fetch_add(1, Ordering::SeqCst) < failures {
            Server::json(
                503,
                r#"{"status":"error","error":{"code":9001,"message":"Unavailable"}}"#,
            )
        } else {
            Server::json(200, body)
        }
    })
    .await;
    (server, count)
}

#[tokio::test]
async fn safe_calls_are_retried_on_5xx() {
    let (server, count) = flaky(2, r#"{"tags":[]}"#).await;
    let tags = client(&server).get_all_tags().send().await.unwrap();
    assert_eq!(tags.tags, Some(vec![]));
    assert_eq!(count.load(Ordering::SeqCst), 3, "two retries");
}

#[tokio::test]
async fn retries_stop_at_the_policy_limit() {
    let (server, count) = flaky(10, "{}").await;
    let err = client(&server).get_all_tags().send().await.unwrap_err();
    assert_eq!(err.code(), Some(9001));
    assert_eq!(count.load(Ordering::SeqCst), 3, "one try and two retries");
}

type OnceCall =
    fn(&Client) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), Error>>>>;

#[tokio::test]
async fn state_changing_calls_are_never_retried() {
    let calls: Vec<(&str, OnceCall)> = vec![
        ("createBasket (GET)", |c| {
            let r = c.create_basket();
            Box::pin(async move { r.send().await.map(drop) })
        }),
        ("addBasketItem (GET)", |c| {
            let r = c.add_basket_item("b").release_id("1");
            Box::pin(async move { r.send().await.map(drop) })
        }),
        ("purchaseUserItem (GET)", |c| {
            let r = c
                .with_user_token("t", "s")
                .purchase_user_item()
                .release_id("1");
            Box::pin(async move { r.send().await.map(drop) })
        }),
        ("deliverUserItem (GET)", |c| {
            let r = c
                .with_user_token("t", "s")
                .deliver_user_item()
                .release_id("1");
            Box::pin(async move { r.send().await.map(drop) })
        }),
        ("createUser (GET)", |c| {
            let r = c.create_user("a@example.com");
            Box::pin(async move { r.send().await.map(drop) })
        }),
        ("applyBasketVoucher (POST)", |c| {
            let r = c.apply_basket_voucher("b", "V");
            Box::pin(async move { r.send().await.map(drop) })
        }),
    ];
    for (name, call) in calls {
        let (server, count) = flaky(5, "{}").await;
        let err = call(&client(&server)).await.unwrap_err();
        assert_eq!(err.status(), Some(503), "{name}");
        assert_eq!(
            count.load(Ordering::SeqCst),
            1,
            "{name} must be sent exactly once"
        );
    }
}

/// A TCP server that accepts connections and closes them without answering.
async fn hang_up() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            seen.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = tokio::io::AsyncReadExt::read(&mut socket, &mut buf).await;
            drop(socket);
        }
    });
    (format!("http://{addr}"), count)
}

#[tokio::test]
async fn dropped_connections_are_transport_errors_retried_only_when_safe() {
    let (url, count) = hang_up().await;
    let client = Client::builder()
        .base_url(&url)
        .consumer("k", "s")
        .retry(sevendigital::RetryPolicy::new(
            2,
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(2),
        ))
        .build()
        .unwrap();
    let err = client.get_all_tags().send().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                operation: "getAllTags",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(count.load(Ordering::SeqCst), 3);

    count.store(0, Ordering::SeqCst);
    let err = client.create_basket().send().await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 1, "createBasket is sent once");
}

#[tokio::test]
async fn header_placement_moves_oauth_out_of_the_query() {
    let server = Server::start(|_| Server::json(200, "{}")).await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .consumer("test-key", "test-secret")
        .auth_placement(AuthPlacement::Header)
        .build()
        .unwrap();
    client.get_user_details("500123").send().await.unwrap();
    client.get_all_tags().send().await.unwrap();
    let received = server.received();
    for r in &received {
        assert!(
            r.query.iter().all(|(k, _)| !k.starts_with("oauth_")),
            "{:?}",
            r.query
        );
    }
    let signed = received[0].header("authorization").unwrap();
    assert!(
        signed.starts_with("OAuth ") && signed.contains("oauth_signature=\""),
        "{signed}"
    );
    assert_eq!(
        received[1].header("authorization"),
        Some("OAuth oauth_consumer_key=\"test-key\"")
    );
}

#[test]
fn configuration_errors_say_what_to_do() {
    let err = Client::builder().build().unwrap_err();
    assert!(err.to_string().contains(".consumer(key, secret)"), "{err}");
    let err = Client::builder()
        .consumer("k", "s")
        .base_url("not a url")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("`not a url`"), "{err}");
    let err = Client::builder()
        .consumer("k", "s")
        .base_url("ftp://example.com")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("http"), "{err}");
    let err = Client::builder().consumer(" ", "s").build().unwrap_err();
    assert!(matches!(err, Error::Config { .. }));
    let client = Client::builder().consumer("k", "s").build().unwrap();
    assert_eq!(client.base_url().as_str(), "https://api.7digital.com/1.2");
}

#[tokio::test]
async fn secrets_never_show() {
    let server =
        Server::start(|_| Server::json(500, r#"{"error":{"code":9001,"message":"boom"}}"#)).await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .consumer("visible-key", "CONSUMER-SECRET-XYZ")
        .user_token("visible-token", "TOKEN-SECRET-XYZ")
        .retry(sevendigital::RetryPolicy::none())
        .build()
        .unwrap();
    let builder = client.authenticate_user("a@example.com", "PASSWORD-XYZ");
    let err = builder.clone().send().await.unwrap_err();
    let user = client.with_user_token("t2", "TOKEN-SECRET-XYZ");
    let locker_err = user.get_user_locker().send().await.unwrap_err();
    let texts = [
        format!("{client:?}"),
        format!("{user:?}"),
        format!(
            "{:?}",
            Client::builder().consumer("k", "CONSUMER-SECRET-XYZ")
        ),
        format!("{builder:?}"),
        format!("{err:?}"),
        format!("{err}"),
        format!("{locker_err:?} {locker_err}"),
    ];
    for text in texts {
        for secret in ["CONSUMER-SECRET-XYZ", "TOKEN-SECRET-XYZ", "PASSWORD-XYZ"] {
            assert!(!text.contains(secret), "{secret} shows in {text}");
        }
    }
    // The secrets were used: the request was signed (the signature is present, never the secret).
    assert!(
        server
            .received()
            .iter()
            .all(|r| r.raw_query.contains("oauth_signature=") && !r.raw_query.contains("SECRET"))
    );
}
