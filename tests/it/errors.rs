//! What callers get when things go wrong: typed errors with status, 7digital code and message,
//! snippets of undecodable bodies, retries only where the catalogue allows them, nothing sent
//! for a call that cannot be authorised, and no secret in any output.
//!
//! Against the fake 7digital where it can produce the situation (error envelopes, 503s, signature
//! checks); against a plain local server for answers the fake never gives (XML envelopes, HTML
//! error pages, undecodable bodies, a server that hangs up).

use crate::common;

use std::sync::Arc;
use std::sync::atomic::Ordering;

use common::{Server, client};
use sevendigital::server::fake::{Fake, FakeHandle, Faults};
use sevendigital::{AuthPlacement, Client, Error};

#[tokio::test]
async fn json_error_envelope_gives_code_and_message() {
    let fake = Fake::start().await.unwrap();
    // 10000: the fake's not-found rule (multiples of 10000 do not exist).
    let err = fake
        .client()
        .unwrap()
        .get_release_details("10000")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(2001));
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.operation(), Some("getReleaseDetails"));
    assert!(
        matches!(&err, Error::Api { message, .. } if message == "No releases found with id: 10000"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "getReleaseDetails: HTTP 404, 7digital error 2001: No releases found with id: 10000"
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
    let fake = Fake::start().await.unwrap();
    let err = fake
        .client()
        .unwrap()
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
    assert_eq!(fake.fake().requests(), 0, "nothing may be sent");
}

/// A fake 7digital answering the next `failures` requests with 503 and code 9001.
async fn flaky(failures: u32) -> FakeHandle {
    let fake = Fake::start().await.unwrap();
    fake.set_faults(Faults {
        error_count: failures,
        ..Faults::default()
    });
    fake
}

/// A client of `fake` with quick retries.
fn quick(fake: &FakeHandle) -> Client {
    let policy = sevendigital::RetryPolicy::new(
        2,
        std::time::Duration::from_millis(1),
        std::time::Duration::from_millis(5),
    );
    fake.client_builder().retry(policy).build().unwrap()
}

#[tokio::test]
async fn safe_calls_are_retried_on_5xx() {
    let fake = flaky(2).await;
    let tags = quick(&fake).get_all_tags().send().await.unwrap();
    assert!(tags.tags.tag.is_some_and(|t| !t.is_empty()));
    assert_eq!(fake.fake().requests(), 3, "two retries");
}

#[tokio::test]
async fn retries_stop_at_the_policy_limit() {
    let fake = flaky(10).await;
    let err = quick(&fake).get_all_tags().send().await.unwrap_err();
    assert_eq!(err.code(), Some(9001));
    assert_eq!(fake.fake().requests(), 3, "one try and two retries");
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
            let r = c.add_basket_item("b", "1");
            Box::pin(async move { r.send().await.map(drop) })
        }),
        ("purchaseUserItem (GET)", |c| {
            let r = c.with_user_token("t", "s").purchase_user_item("1");
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
        let fake = flaky(5).await;
        let err = call(&quick(&fake)).await.unwrap_err();
        assert_eq!(err.status(), Some(503), "{name}");
        assert_eq!(
            fake.fake().requests(),
            1,
            "{name} must be sent exactly once"
        );
    }
}

#[tokio::test]
async fn dropped_connections_are_transport_errors_retried_only_when_safe() {
    let (url, count) = common::hang_up().await;
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
async fn header_placement_is_accepted_by_a_fake_checking_signatures() {
    let fake = Fake::builder()
        .verify_signatures(true)
        .start()
        .await
        .unwrap();
    let client = fake
        .client_builder()
        .auth_placement(AuthPlacement::Header)
        .build()
        .unwrap();
    let release = client.get_releases_by_date().send().await.unwrap();
    let barcode = release.releases.release.unwrap()[0]
        .barcode
        .clone()
        .unwrap();
    client.match_release_by_id(barcode).send().await.unwrap();
    client.get_all_tags().send().await.unwrap();
    let wrong = fake
        .client_builder()
        .consumer(sevendigital::server::fake::DEFAULT_CONSUMER_KEY, "wrong")
        .auth_placement(AuthPlacement::Header)
        .build()
        .unwrap();
    let err = wrong
        .match_release_by_id("00602445912025")
        .send()
        .await
        .unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(401), Some(7003)));
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

#[tokio::test]
async fn no_server_answer_makes_the_client_panic() {
    // Seeded random statuses, content types and bodies (random bytes, truncated JSON and XML,
    // envelopes with wrong types), against operations with every kind of typed answer.
    let seed = Arc::new(std::sync::Mutex::new(0x2545_F491_4F6C_DD1Du64));
    let server = Server::start(move |_| {
        let mut rng = seed.lock().unwrap();
        let mut next = |below: u64| {
            *rng ^= *rng << 13;
            *rng ^= *rng >> 7;
            *rng ^= *rng << 17;
            *rng % below
        };
        let status = [200, 201, 204, 400, 401, 404, 409, 500, 502, 503][next(10) as usize];
        let shapes: [&[u8]; 8] = [
            br#"{"status":"error","error":{"code":"abc","message":12}}"#,
            br#"{"status":"error","error":{"code":99999999999999999999}}"#,
            br#"<response status="error"><error code="1001"><errorMessage>x"#,
            br#"{"releases":[{"id":1,"price":{"amount":"free"}}]}"#,
            br#"{"tags":[null,{"parentId":{}}],"page":-1.5}"#,
            b"\xef\xbb\xbf{\"status\":\"ok\"}",
            b"<<<<>>>>&&&;;",
            b"",
        ];
        let mut body = shapes[next(8) as usize].to_vec();
        if next(3) == 0 {
            body = (0..next(300)).map(|_| next(256) as u8).collect();
        }
        let content_type = [
            "application/json",
            "text/xml",
            "text/html",
            "application/octet-stream",
        ][next(4) as usize];
        (
            status,
            vec![("content-type", content_type.to_string())],
            body,
        )
    })
    .await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .consumer("k", "s")
        .retry(sevendigital::RetryPolicy::none())
        .build()
        .unwrap();
    let user = client.with_user_token("t", "s");
    for _ in 0..60 {
        let _ = client.search_releases("q").send().await;
        let _ = client.get_all_tags().send().await;
        let _ = user.get_user_locker().send().await;
        let _ = client.get_translations("en").send().await;
        let _ = client.request_token(None).await;
        let _ = client.create_partner_user("u", "GB").send().await;
        let _ = client
            .log_sale(
                "u",
                "1",
                "GB",
                "t",
                sevendigital::download_service::Price::parse("1").unwrap(),
            )
            .send()
            .await;
        let _ = client.get_partner_locker("u", "GB").send().await;
    }
    assert_eq!(server.received().len(), 480);
}

#[tokio::test]
async fn errors_read_as_a_chain_down_to_the_os_error() {
    // A port nothing listens on.
    let url = common::closed_port_url();
    let client = Client::builder()
        .base_url(&url)
        .consumer("k", "s")
        .retry(sevendigital::RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.get_release_details(1).send().await.unwrap_err();
    // `{}` says this level only.
    assert_eq!(err.to_string(), "getReleaseDetails: request failed");
    // `{:#}` prints the whole chain, with the host, down to the OS error.
    let chain = format!("{err:#}");
    assert!(
        chain.starts_with("getReleaseDetails: request failed: "),
        "{chain}"
    );
    let host_and_port = url.trim_start_matches("http://");
    assert!(chain.contains(host_and_port), "{chain}");
    assert!(
        chain.to_lowercase().contains("connection refused"),
        "{chain}"
    );
    let source = std::error::Error::source(&err).unwrap();
    let transport = source
        .downcast_ref::<sevendigital::TransportError>()
        .unwrap();
    assert!(transport.is_connect());
    assert!(!chain.contains("oauth_signature"), "{chain}");
}

/// Each phase of a call gives its own kind, and only what may mend itself is retryable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_tell_their_phase_and_whether_to_try_again() {
    use sevendigital::ErrorKind;
    // Construction: nothing sent.
    let err = sevendigital::Client::builder().build().unwrap_err();
    assert_eq!(
        (err.kind(), err.is_retryable()),
        (ErrorKind::Construction, false)
    );
    let server = Server::start(|_| Server::json(200, "{}")).await;
    let err = client(&server).get_user_locker().send().await.unwrap_err();
    assert_eq!(
        (err.kind(), err.is_retryable()),
        (ErrorKind::Construction, false),
        "{err}"
    );
    let err = client(&server)
        .search_releases("x")
        .country("not a country")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Construction, "{err}");
    assert!(server.received().is_empty());

    // Service: a 7digital envelope; 5xx is worth another try, 4xx is not. Response: an error
    // status without an envelope, an answer that does not decode.
    const NOT_FOUND: &str =
        r#"{"status":"error","error":{"code":2001,"errorMessage":"Release not found"}}"#;
    let answers: [(common::Answer, ErrorKind, bool); 4] = [
        (Server::json(404, NOT_FOUND), ErrorKind::Service, false),
        (Server::json(503, NOT_FOUND), ErrorKind::Service, true),
        (
            (502, vec![], b"<html>bad gateway</html>".to_vec()),
            ErrorKind::Response,
            true,
        ),
        (
            Server::json(200, "not json at all"),
            ErrorKind::Response,
            false,
        ),
    ];
    for (answer, kind, retryable) in answers {
        let server = Server::start(move |_| answer.clone()).await;
        let err = client(&server)
            .get_release_details(1)
            .send()
            .await
            .unwrap_err();
        assert_eq!((err.kind(), err.is_retryable()), (kind, retryable), "{err}");
    }

    // Connection: nothing listens; `{:#}` still walks the chain.
    let closed = sevendigital::Client::builder()
        .base_url(common::closed_port_url())
        .consumer("k", "s")
        .retry(sevendigital::RetryPolicy::none())
        .build()
        .unwrap();
    let err = closed.get_release_details(1).send().await.unwrap_err();
    assert_eq!(
        (err.kind(), err.is_retryable()),
        (ErrorKind::Connection, true),
        "{err}"
    );
    assert!(
        format!("{err:#}").to_lowercase().contains("refused"),
        "{err:#}"
    );

    // Timeout.
    let server = Server::slow(std::time::Duration::from_secs(2), "{}");
    let err = client(&server)
        .get_release_details(1)
        .timeout(std::time::Duration::from_millis(50))
        .retry(sevendigital::RetryPolicy::none())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.is_retryable()),
        (ErrorKind::Timeout, true),
        "{err}"
    );
}
