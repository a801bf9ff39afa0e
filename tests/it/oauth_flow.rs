//! The token flow and pre-signed URLs against a local server, every request checked by the
//! independent verification in `common::verify` on what the server received.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use common::{Received, Server, verify};
use sevendigital::catalogue::AuthLevel;
use sevendigital::oauth::FixedClock;
use sevendigital::{AuthPlacement, Client, Error};

const REQUEST_TOKEN_XML: &str = r#"<?xml version="1.0" encoding="utf-8"?><response status="ok" version="1.2"><oauth_request_token><oauth_token>req-token</oauth_token><oauth_token_secret>req-secret</oauth_token_secret></oauth_request_token></response>"#;
const ACCESS_TOKEN_JSON: &str = r#"{"status":"ok","oauth_access_token":{"oauth_token":"acc-token","oauth_token_secret":"acc-secret"}}"#;

fn flow_server_answer(r: &Received) -> common::Answer {
    match r.path.as_str() {
        "/oauth/requesttoken" => (
            200,
            vec![("content-type", "text/xml".into())],
            REQUEST_TOKEN_XML.into(),
        ),
        "/oauth/accesstoken" => Server::json(200, ACCESS_TOKEN_JSON),
        _ => Server::json(
            200,
            r#"{"status":"ok","locker":{"lockerReleases":{"page":1,"pageSize":10,"totalItems":0}}}"#,
        ),
    }
}

#[tokio::test]
async fn token_flow_end_to_end() {
    let server = Server::start(flow_server_answer).await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .consumer("test-key", "test-secret")
        .account_url("https://account.example/")
        .build()
        .unwrap();

    let request_token = client
        .request_token(Some("https://store.example/cb?x=1"))
        .await
        .unwrap();
    assert_eq!(request_token.token, "req-token");
    assert_eq!(request_token.secret.expose(), "req-secret");

    let url = client.authorise_url(&request_token, Some("https://store.example/cb?x=1"));
    assert_eq!(
        url.as_str(),
        "https://account.example/test-key/oauth/authorise?oauth_token=req-token&oauth_callback=https%3A%2F%2Fstore.example%2Fcb%3Fx%3D1"
    );

    let access = client
        .access_token(&request_token, Some("verifier-123"))
        .await
        .unwrap();
    assert_eq!(
        (access.token.as_str(), access.secret.expose()),
        ("acc-token", "acc-secret")
    );
    let shown = format!("{access:?} {request_token:?}");
    assert!(
        !shown.contains("acc-secret") && !shown.contains("req-secret"),
        "token secrets are redacted: {shown}"
    );

    client
        .with_access_token(&access)
        .get_user_locker()
        .send()
        .await
        .unwrap();

    let received = server.received();
    assert_eq!(received.len(), 3);
    // 1. request token: two-legged, with the callback signed.
    assert_eq!(received[0].path, "/oauth/requesttoken");
    assert_eq!(
        received[0].query_value("oauth_callback"),
        Some("https://store.example/cb?x=1")
    );
    assert_eq!(received[0].query_value("oauth_token"), None);
    verify::check(&received[0], "test-secret", None).unwrap();
    // 2. access token: signed with the request token's secret, verifier included.
    assert_eq!(received[1].query_value("oauth_token"), Some("req-token"));
    assert_eq!(
        received[1].query_value("oauth_verifier"),
        Some("verifier-123")
    );
    verify::check(&received[1], "test-secret", Some("req-secret")).unwrap();
    assert!(verify::check(&received[1], "test-secret", None).is_err());
    // 3. a call as the user, with the access token.
    assert_eq!(received[2].query_value("oauth_token"), Some("acc-token"));
    verify::check(&received[2], "test-secret", Some("acc-secret")).unwrap();
}

#[tokio::test]
async fn token_answers_without_tokens_are_decode_errors() {
    let server = Server::start(|_| Server::json(200, r#"{"status":"ok"}"#)).await;
    let client = common::client(&server);
    let err = client.request_token(None).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Decode {
                operation: "oauthRequestToken",
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn header_placement_verifies_from_the_raw_request() {
    let server = Server::start(|_| Server::json(200, r#"{"status":"ok","user":{"id":1}}"#)).await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .consumer("test-key", "test-secret")
        .auth_placement(AuthPlacement::Header)
        .build()
        .unwrap();
    let user = client.with_user_token("tok en+/", "sec ret&");
    user.select_user_payment_card("card 1+2=3")
        .send()
        .await
        .unwrap();
    client.get_user_details("ü ser").send().await.unwrap();
    let received = server.received();
    assert!(
        received[0]
            .header("authorization")
            .unwrap()
            .contains("oauth_token=\"tok%20en%2B%2F\"")
    );
    verify::check(&received[0], "test-secret", Some("sec ret&")).unwrap();
    verify::check(&received[1], "test-secret", None).unwrap();
}

#[tokio::test]
async fn presigned_urls_work_without_the_crate() {
    let server = Server::start(|_| Server::json(200, r#"{"status":"ok"}"#)).await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .consumer("test-key", "test-secret")
        .clock(Arc::new(FixedClock(1_700_000_000)))
        .build()
        .unwrap();
    let user = client.with_user_token("user-token", "user-secret");

    let locker = user
        .get_user_locker()
        .page(2)
        .presigned_url(Some(Duration::from_secs(600)))
        .unwrap();
    let details = client
        .get_release_details("11700062")
        .country("GB")
        .presigned_url(None)
        .unwrap();
    let download = user
        .presign_url(
            &format!("{}/media/track/123?formatId=17", server.base_url),
            AuthLevel::ThreeLegged,
            None,
        )
        .unwrap();
    assert!(locker.contains("expires=1700000600"), "{locker}");
    assert!(
        details.contains("oauth_consumer_key=test-key") && !details.contains("oauth_signature"),
        "{details}"
    );

    // Fetched by a plain HTTP client, as a browser would.
    let plain = reqwest::Client::new();
    for url in [&locker, &details, &download] {
        let status = plain.get(url.as_str()).send().await.unwrap().status();
        assert_eq!(status, 200);
    }
    let received = server.received();
    assert_eq!(received[0].query_value("expires"), Some("1700000600"));
    verify::check(&received[0], "test-secret", Some("user-secret")).unwrap();
    assert_eq!(
        received[1].query_value("oauth_consumer_key"),
        Some("test-key")
    );
    assert_eq!(received[2].path, "/media/track/123");
    verify::check(&received[2], "test-secret", Some("user-secret")).unwrap();

    // Changing a signed parameter (here the expiry) breaks the signature.
    let mut tampered = received[0].clone();
    tampered.raw_query = tampered
        .raw_query
        .replace("expires=1700000600", "expires=1800000000");
    assert!(verify::check(&tampered, "test-secret", Some("user-secret")).is_err());
}

#[test]
fn presigning_refuses_what_a_url_cannot_carry() {
    let client = Client::builder().consumer("k", "s").build().unwrap();
    let mut request =
        sevendigital::call::Request::new(&sevendigital::catalogue::APPLY_BASKET_VOUCHER);
    request.query("basketId", "b".into());
    request.form("voucherCode", "V".into());
    let err = client.presign(&request, None).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "body"),
        "{err:?}"
    );

    let err = client.get_user_locker().presigned_url(None).unwrap_err();
    assert!(matches!(err, Error::UserTokenRequired { .. }));

    let err = client
        .presign_url("ftp://x/y", AuthLevel::TwoLegged, None)
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidInput { field, .. } if field == "url"));
}
