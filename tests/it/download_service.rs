//! The download-store calls over HTTP against a local recording server: input checks (nothing
//! sent for a bad input), wire parameters and signatures, JSON and XML answers, a sale sent
//! exactly once whatever goes wrong, the locker stream, refunds and their reporting period,
//! signed download URLs on a separate host.

use crate::common;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use common::{Received, Server, verify};
use futures_util::{StreamExt, TryFutureExt, TryStreamExt};
use sevendigital::download_service::Price;
use sevendigital::models::{LockerSort, LoggedSale, PartnerUser, StatusResponse};
use sevendigital::oauth::FixedClock;
use sevendigital::{Client, Error, RetryPolicy};

/// 2026-02-04T00:00:00Z: the close of the reporting period of January 2026's sales.
const FEB_4_2026: u64 = 1_770_163_200;
/// 2026-01-04T00:00:00Z: the close of the reporting period of December 2025's sales.
const JAN_4_2026: u64 = 1_767_484_800;

/// A client against `server` that would retry a lot, if it were allowed to.
fn eager_client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .consumer("test-key", "test-secret")
        .retry(RetryPolicy::new(
            5,
            Duration::from_millis(1),
            Duration::from_millis(2),
        ))
        .build()
        .unwrap()
}

/// A client whose clock says `now` (Unix seconds).
fn client_at(server: &Server, now: u64) -> Client {
    Client::builder()
        .base_url(&server.base_url)
        .consumer("test-key", "test-secret")
        .clock(Arc::new(FixedClock(now)))
        .build()
        .unwrap()
}

fn ok_server() -> impl Future<Output = Server> {
    Server::start(|_| Server::json(200, r#"{"status":"ok"}"#))
}

fn xml(status: u16, body: &str) -> common::Answer {
    (
        status,
        vec![("content-type", "text/xml; charset=utf-8".into())],
        body.as_bytes().to_vec(),
    )
}

/// Checks a two-legged signature of a received request.
fn assert_two_legged(r: &Received) {
    verify::check(r, "test-secret", None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.query_value("oauth_consumer_key"), Some("test-key"));
    assert_eq!(r.query_value("oauth_token"), None, "two-legged: no token");
}

fn invalid_field(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(Error::InvalidInput { field, message }) => {
            assert!(!message.is_empty());
            field
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

type Call<'a> = Pin<Box<dyn Future<Output = Result<(), Error>> + 'a>>;

/// A refund of a release sold at `sold`, refused before it is sent when its period has closed.
async fn refund_release(
    client: &Client,
    purchase_id: &str,
    release_id: &str,
    country: &str,
    sold: &str,
) -> Result<StatusResponse, Error> {
    client
        .refund_release(purchase_id, release_id, country)
        .sold_at(sold)?
        .send()
        .await
}

/// A refund of a track sold at `sold`.
async fn refund_track(
    client: &Client,
    purchase_id: &str,
    track_id: &str,
    sold: &str,
) -> Result<StatusResponse, Error> {
    client
        .refund_track(purchase_id, track_id)
        .sold_at(sold)?
        .send()
        .await
}

#[tokio::test]
async fn invalid_inputs_are_refused_before_anything_is_sent() {
    let server = ok_server().await;
    let client = common::client(&server);
    let price = || Price::parse("7.99").unwrap();
    let long_id = "u".repeat(256);
    let sale = |c: &Client| c.log_sale("u1", "11700062", "GB", "tx-1", price());

    // The field named is the one the caller wrote (the Rust name).
    let cases: Vec<(&str, Call<'_>)> = vec![
        // user/create
        (
            "user_id",
            Box::pin(client.create_partner_user("", "GB").send().map_ok(drop)),
        ),
        (
            "user_id",
            Box::pin(client.create_partner_user(" ", "GB").send().map_ok(drop)),
        ),
        (
            "user_id",
            Box::pin(
                client
                    .create_partner_user(long_id.clone(), "GB")
                    .send()
                    .map_ok(drop),
            ),
        ),
        (
            "country",
            Box::pin(client.create_partner_user("u1", "GBR").send().map_ok(drop)),
        ),
        (
            "country",
            Box::pin(client.create_partner_user("u1", "G1").send().map_ok(drop)),
        ),
        (
            "country",
            Box::pin(client.create_partner_user("u1", "").send().map_ok(drop)),
        ),
        // user/deliveritem
        (
            "user_id",
            Box::pin(
                client
                    .log_sale("", "1", "GB", "tx", price())
                    .send()
                    .map_ok(drop),
            ),
        ),
        (
            "release_id",
            Box::pin(
                client
                    .log_sale("u1", "abc", "GB", "tx", price())
                    .send()
                    .map_ok(drop),
            ),
        ),
        (
            "country",
            Box::pin(
                client
                    .log_sale("u1", "1", "UK1", "tx", price())
                    .send()
                    .map_ok(drop),
            ),
        ),
        (
            "transaction_id",
            Box::pin(
                client
                    .log_sale("u1", "1", "GB", "", price())
                    .send()
                    .map_ok(drop),
            ),
        ),
        (
            "retail_price",
            Box::pin(
                client
                    .log_sale("u1", "1", "GB", "tx", "7,99")
                    .send()
                    .map_ok(drop),
            ),
        ),
        (
            "track_id",
            Box::pin(sale(&client).track_id("12x").send().map_ok(drop)),
        ),
        (
            "email_address",
            Box::pin(sale(&client).email_address("jane").send().map_ok(drop)),
        ),
        (
            "post_code",
            Box::pin(sale(&client).post_code("12345").send().map_ok(drop)),
        ),
        (
            "post_code",
            Box::pin(
                client
                    .log_sale("u1", "1", "US", "tx", price())
                    .post_code("1234")
                    .send()
                    .map_ok(drop),
            ),
        ),
        (
            "post_code",
            Box::pin(
                client
                    .log_sale("u1", "1", "us", "tx", price())
                    .post_code("12345-67")
                    .send()
                    .map_ok(drop),
            ),
        ),
        (
            "post_code",
            Box::pin(
                client
                    .log_sale("u1", "1", "US", "tx", price())
                    .post_code("K1A 0B1")
                    .send()
                    .map_ok(drop),
            ),
        ),
        // user/locker
        (
            "page_size",
            Box::pin(
                client
                    .get_partner_locker("u1", "GB")
                    .page_size(0)
                    .send()
                    .map_ok(drop),
            ),
        ),
        (
            "page_size",
            Box::pin(
                client
                    .get_partner_locker("u1", "GB")
                    .page_size(51)
                    .send()
                    .map_ok(drop),
            ),
        ),
        (
            "page",
            Box::pin(
                client
                    .get_partner_locker("u1", "GB")
                    .page(0)
                    .send()
                    .map_ok(drop),
            ),
        ),
        (
            "country",
            Box::pin(client.get_partner_locker("u1", "G").send().map_ok(drop)),
        ),
        (
            "user_id",
            Box::pin(
                client
                    .get_partner_locker(long_id.clone(), "GB")
                    .send()
                    .map_ok(drop),
            ),
        ),
        (
            "track_id",
            Box::pin(
                client
                    .get_partner_locker("u1", "GB")
                    .track_id("1")
                    .send()
                    .map_ok(drop),
            ),
        ),
        (
            "purchase_id",
            Box::pin(
                client
                    .get_partner_locker("u1", "GB")
                    .purchase_id("p-1")
                    .send()
                    .map_ok(drop),
            ),
        ),
        // sales/refund
        (
            "purchase_id",
            Box::pin(refund_release(&client, "", "1", "GB", "2026-01-15").map_ok(drop)),
        ),
        (
            "release_id",
            Box::pin(refund_release(&client, "9001", "x", "GB", "2026-01-15").map_ok(drop)),
        ),
        (
            "country",
            Box::pin(refund_release(&client, "9001", "1", "GBR", "2026-01-15").map_ok(drop)),
        ),
        (
            "purchase_date",
            Box::pin(refund_release(&client, "9001", "1", "GB", "15/01/2026").map_ok(drop)),
        ),
        (
            "purchase_date",
            Box::pin(refund_track(&client, "9001", "1", "2026-02-30").map_ok(drop)),
        ),
        (
            "track_id",
            Box::pin(refund_track(&client, "9001", "", "2026-01-15").map_ok(drop)),
        ),
    ];
    for (i, (field, call)) in cases.into_iter().enumerate() {
        assert_eq!(invalid_field(call.await), field, "case {i}");
    }

    // The stream reports the bad input as its one item.
    let mut stream = client
        .get_partner_locker("u1", "GB")
        .page_size(80)
        .into_stream();
    assert_eq!(invalid_field(stream.next().await.unwrap()), "page_size");
    assert!(stream.next().await.is_none());

    // Prices are checked when they are made.
    for bad in ["7,99", "-1", "1.999", "1e3", "NaN", "", "1.", " 1"] {
        assert_eq!(invalid_field(Price::parse(bad)), "retailPrice", "{bad}");
    }

    // Download URLs.
    let cases = [
        (
            "country",
            client
                .download_purchase_zip("u1", "9001", "GBR")
                .presigned_url(None),
        ),
        (
            "user_id",
            client
                .download_purchase_zip("", "9001", "GB")
                .presigned_url(None),
        ),
        (
            "user_id",
            client
                .download_purchase_zip("..", "9001", "GB")
                .presigned_url(None),
        ),
        (
            "purchase_id",
            client
                .download_purchase_zip("u1", "", "GB")
                .presigned_url(None),
        ),
        (
            "release_id",
            client
                .download_purchased_release_zip("u1", "abc", 17, "GB")
                .presigned_url(None),
        ),
    ];
    for (field, url) in cases {
        assert_eq!(invalid_field(url), field);
    }

    assert!(
        server.received().is_empty(),
        "nothing may reach the server: {:?}",
        server.received()
    );
}

#[tokio::test]
async fn valid_inputs_are_sent_as_given() {
    let server = Server::start(|r| {
        if r.path == "/user/deliveritem" {
            Server::json(200, r#"{"status":"ok","purchase":{"id":"1"}}"#)
        } else {
            Server::json(200, r#"{"status":"ok","page":1,"pageSize":10,"items":[]}"#)
        }
    })
    .await;
    let client = common::client(&server);
    for (country, post_code) in [("us", "12345"), ("US", "12345-6789"), ("ca", "K1A 0B1")] {
        client
            .log_sale("u1", "1", country, "tx", Price::parse("0.5").unwrap())
            .post_code(post_code)
            .send()
            .await
            .unwrap();
        let r = server.received().pop().unwrap();
        assert_eq!(r.query_value("postCode"), Some(post_code));
        assert_eq!(r.query_value("country"), Some(country));
        assert_eq!(r.query_value("retailPrice"), Some("0.5"));
    }
    for price in ["0", "1", "7.99", "0.00"] {
        client
            .log_sale(
                "é".repeat(255),
                1,
                "gb",
                "tx",
                price.parse::<Price>().unwrap(),
            )
            .send()
            .await
            .unwrap();
        let r = server.received().pop().unwrap();
        assert_eq!(r.query_value("retailPrice"), Some(price));
        assert_eq!(r.query_value("postCode"), None);
    }
    for size in [1, 50] {
        client
            .get_partner_locker("u1", "gb")
            .page_size(size)
            .send()
            .await
            .unwrap();
        let r = server.received().pop().unwrap();
        assert_eq!(r.query_value("pageSize"), Some(size.to_string().as_str()));
    }
    assert_eq!(server.received().len(), 9);
}

#[tokio::test]
async fn create_partner_user_signs_and_decodes() {
    let server = Server::start(|r| {
        let id = r.query_value("userId").unwrap_or_default();
        Server::json(200, &format!(r#"{{"status":"ok","user":{{"id":"{id}"}}}}"#))
    })
    .await;
    let user: PartnerUser = common::client(&server)
        .create_partner_user("store-user-42", "GB")
        .send()
        .await
        .unwrap()
        .user;
    assert_eq!(user.id, "store-user-42");
    let received = server.received();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("GET", "/user/create")
    );
    assert_eq!(
        r.plain_query(),
        vec![
            ("userId".to_string(), "store-user-42".to_string()),
            ("country".to_string(), "GB".to_string())
        ]
    );
    assert_two_legged(r);
}

#[tokio::test]
async fn user_already_exists_is_its_own_error() {
    for status in [400, 409, 200] {
        let server = Server::start(move |_| {
            Server::json(
                status,
                r#"{"status":"error","error":{"code":2003,"message":"User already exists"}}"#,
            )
        })
        .await;
        let err = eager_client(&server.base_url)
            .create_partner_user("store-user-42", "GB")
            .send()
            .await
            .unwrap_err();
        let Error::UserAlreadyExists { user_id, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(user_id, "store-user-42");
        assert_eq!(err.code(), Some(2003));
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.operation(), Some("createPartnerUser"));
        assert!(err.to_string().contains("already exists"), "{err}");
        assert_eq!(server.received().len(), 1);
    }
    // Other codes stay generic API errors.
    let server = Server::start(|_| {
        xml(
            400,
            r#"<response status="error"><error code="1002"><errorMessage>Invalid parameter value</errorMessage></error></response>"#,
        )
    })
    .await;
    let err = common::client(&server)
        .create_partner_user("u", "GB")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { code: 1002, .. }), "{err:?}");
}

const SALE_XML: &str = r#"<?xml version="1.0" encoding="utf-8"?><response status="ok" version="1.2"><purchase id="9001"><transactionId>tx-1</transactionId><purchaseDate>2026-11-02T10:00:00Z</purchaseDate></purchase></response>"#;
const SALE_JSON: &str = r#"{"status":"ok","purchase":{"id":"9001","transactionId":"tx-1","purchaseDate":"2026-11-02T10:00:00Z"}}"#;

#[tokio::test]
async fn log_sale_sends_every_parameter_and_decodes_xml_and_json() {
    let expected = LoggedSale {
        id: "9001".into(),
        transaction_id: Some("tx-1".into()),
        purchase_date: Some("2026-11-02T10:00:00Z".into()),
    };
    for answer in [
        xml(200, SALE_XML),
        Server::json(200, SALE_JSON),
        // XML labelled as something else still decodes.
        (
            200,
            vec![("content-type", "text/plain".into())],
            SALE_XML.as_bytes().to_vec(),
        ),
    ] {
        let server = Server::start(move |_| answer.clone()).await;
        let sale = eager_client(&server.base_url)
            .log_sale(
                "store-user-42",
                "11700062",
                "US",
                "tx-1",
                Price::parse("7.99").unwrap(),
            )
            .track_id("123456")
            .email_address("jane@example.com")
            .post_code("10001-1234")
            .send()
            .await
            .unwrap();
        assert_eq!(sale.purchase, expected);
        let received = server.received();
        assert_eq!(received.len(), 1);
        let r = &received[0];
        assert_eq!(r.path, "/user/deliveritem");
        let pairs = |v: &[(&str, &str)]| {
            v.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            r.plain_query(),
            pairs(&[
                ("userId", "store-user-42"),
                ("releaseId", "11700062"),
                ("country", "US"),
                ("transactionId", "tx-1"),
                ("retailPrice", "7.99"),
                ("trackId", "123456"),
                ("emailAddress", "jane@example.com"),
                ("postCode", "10001-1234"),
            ])
        );
        assert_two_legged(r);
    }

    // Optional inputs left out, package set.
    let server = Server::start(|_| Server::json(200, SALE_JSON)).await;
    common::client(&server)
        .log_sale("u1", "11700062", "GB", "tx-2", Price::from_minor_units(0))
        .package_id(3)
        .send()
        .await
        .unwrap();
    let r = &server.received()[0];
    let names: Vec<String> = r.plain_query().into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        names,
        [
            "userId",
            "releaseId",
            "country",
            "transactionId",
            "retailPrice",
            "packageId"
        ]
    );
    assert_eq!(r.query_value("packageId"), Some("3"));
    assert_eq!(r.query_value("retailPrice"), Some("0.00"));
}

fn assert_outcome_unknown(err: &Error, transaction_id: &str) {
    let Error::SaleOutcomeUnknown {
        transaction_id: tx,
        operation,
        ..
    } = err
    else {
        panic!("expected SaleOutcomeUnknown, got {err:?}")
    };
    assert_eq!(tx, transaction_id);
    assert_eq!(*operation, "logSale");
    let text = err.to_string();
    assert!(
        text.contains(&format!("transactionId `{transaction_id}`")),
        "{text}"
    );
    assert!(text.contains("may or may not have been logged"), "{text}");
    assert!(
        text.contains(
            "check the user's locker for this purchase or transactionId before trying again"
        ),
        "{text}"
    );
}

#[tokio::test]
async fn a_sale_is_sent_once_when_the_server_fails() {
    for answer in [
        (503, vec![], b"Service Unavailable".to_vec()),
        Server::json(
            500,
            r#"{"status":"error","error":{"code":9001,"message":"Internal error"}}"#,
        ),
        // Success whose body cannot be read: the sale was probably logged.
        Server::json(200, r#"{"status":"ok","purchase":{}}"#),
        (200, vec![], b"<html>ok</html>".to_vec()),
    ] {
        let status = answer.0;
        let server = Server::start(move |_| answer.clone()).await;
        let err = eager_client(&server.base_url)
            .log_sale("u1", "11700062", "GB", "tx-503", Price::parse("1").unwrap())
            .send()
            .await
            .unwrap_err();
        assert_eq!(server.received().len(), 1, "sent exactly once ({status})");
        assert_outcome_unknown(&err, "tx-503");
        assert_eq!(err.status(), Some(status));
    }
    let server = Server::start(|_| {
        Server::json(
            500,
            r#"{"status":"error","error":{"code":9001,"message":"Internal error"}}"#,
        )
    })
    .await;
    let err = eager_client(&server.base_url)
        .log_sale("u1", "11700062", "GB", "tx", Price::parse("1").unwrap())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(9001));

    // A 4xx answer is a refusal: nothing was logged, the error is the API's.
    let server = Server::start(|_| {
        Server::json(
            400,
            r#"{"status":"error","error":{"code":1001,"message":"Missing parameter"}}"#,
        )
    })
    .await;
    let err = eager_client(&server.base_url)
        .log_sale("u1", "11700062", "GB", "tx", Price::parse("1").unwrap())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { code: 1001, .. }), "{err:?}");
}

#[tokio::test]
async fn a_sale_is_sent_once_when_the_connection_drops() {
    let (url, count) = common::hang_up().await;
    let err = eager_client(&url)
        .log_sale(
            "u1",
            "11700062",
            "GB",
            "tx-drop",
            Price::parse("7.99").unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 1, "sent exactly once");
    assert_outcome_unknown(&err, "tx-drop");
    assert!(
        std::error::Error::source(&err).is_some(),
        "keeps the transport error"
    );
    assert_eq!(err.status(), None);

    // A connection that cannot be opened sent nothing: a plain transport error.
    let url = common::closed_port_url();
    let err = Client::builder()
        .base_url(&url)
        .consumer("k", "s")
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
        .log_sale("u1", "11700062", "GB", "tx", Price::parse("1").unwrap())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                operation: "logSale",
                ..
            }
        ),
        "{err:?}"
    );
}

fn locker_item(n: u64) -> String {
    format!(
        r#"{{"purchaseId":"{}","purchaseDate":"2026-11-02T10:00:00Z","transactionId":"tx-{n}","releaseId":"11700062","trackId":null,"formatIds":[17,33],"release":{{"id":"11700062","title":"Abbey Road {n}","type":"album","artist":{{"id":"12345","name":"The Beatles"}}}},"track":null}}"#,
        9000 + n
    )
}

#[tokio::test]
async fn locker_sends_filters_and_typed_sort() {
    let server = Server::start(|_| {
        Server::json(
            200,
            &format!(
                r#"{{"status":"ok","page":2,"pageSize":10,"totalItems":11,"items":[{}]}}"#,
                locker_item(1)
            ),
        )
    })
    .await;
    let page = common::client(&server)
        .get_partner_locker("store-user-42", "GB")
        .page(2)
        .page_size(10)
        .release_id("11700062")
        .track_id("123456")
        .purchase_id("9001")
        .sort(LockerSort::PurchaseDateDesc)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (page.page, page.page_size, page.total_items),
        (2, 10, Some(11))
    );
    let item = &page.items.as_ref().unwrap()[0];
    assert_eq!(item.purchase_id.as_deref(), Some("9001"));
    assert_eq!(item.transaction_id.as_deref(), Some("tx-1"));
    assert_eq!(item.release_id.as_deref(), Some("11700062"));
    assert_eq!(item.track_id, None);
    assert_eq!(item.format_ids, Some(vec![17, 33]));
    let release = item.release.as_ref().unwrap();
    assert_eq!(release.title.as_deref(), Some("Abbey Road 1"));

    let r = &server.received()[0];
    assert_eq!(r.path, "/user/locker");
    let query: Vec<(String, String)> = r.plain_query();
    let expected: Vec<(String, String)> = [
        ("userId", "store-user-42"),
        ("country", "GB"),
        ("page", "2"),
        ("pageSize", "10"),
        ("releaseId", "11700062"),
        ("trackId", "123456"),
        ("purchaseId", "9001"),
        ("sort", "purchaseDate desc"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(query, expected);
    assert_two_legged(r);

    for (sort, wire) in [
        (LockerSort::ReleaseTitleAsc, "releaseTitle asc"),
        (LockerSort::ArtistNameDesc, "artistName desc"),
        (LockerSort::PurchaseDateAsc, "purchaseDate asc"),
    ] {
        common::client(&server)
            .get_partner_locker("u1", "GB")
            .sort(sort)
            .send()
            .await
            .unwrap();
        assert_eq!(
            server.received().pop().unwrap().query_value("sort"),
            Some(wire)
        );
    }
}

/// A locker of `total` items served `pageSize` at a time.
fn paged_locker(total: u64, with_total: bool) -> impl Fn(&Received) -> common::Answer {
    move |r| {
        let (page, size, numbers, total) = common::page_asked(r, total, with_total);
        let items: Vec<String> = numbers.map(locker_item).collect();
        Server::json(
            200,
            &format!(
                r#"{{"status":"ok","page":{page},"pageSize":{size}{total},"items":[{}]}}"#,
                items.join(",")
            ),
        )
    }
}

#[tokio::test]
async fn locker_stream_walks_every_page_and_stops() {
    // 5 items, 2 a page: pages 1, 2 and 3 (one item), then stop.
    let server = Server::start(paged_locker(5, true)).await;
    let client = common::client(&server);
    let items: Vec<_> = client
        .get_partner_locker("u1", "GB")
        .page_size(2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = items
        .iter()
        .map(|i| i.purchase_id.clone().unwrap())
        .collect();
    assert_eq!(ids, ["9001", "9002", "9003", "9004", "9005"]);
    let pages: Vec<_> = server
        .received()
        .iter()
        .map(|r| r.query_value("page").unwrap().to_string())
        .collect();
    assert_eq!(pages, ["1", "2", "3"]);

    // Exactly full pages: stops at page * pageSize == totalItems, without asking for page 4.
    let server = Server::start(paged_locker(6, true)).await;
    let pages: Vec<_> = common::client(&server)
        .get_partner_locker("u1", "GB")
        .page_size(2)
        .into_pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(server.received().len(), 3);

    // Without totalItems: stops at an empty page.
    let server = Server::start(paged_locker(6, false)).await;
    let items: Vec<_> = common::client(&server)
        .get_partner_locker("u1", "GB")
        .page_size(2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 6);
    assert_eq!(
        server.received().len(),
        4,
        "pages 1-3, then the empty page 4"
    );

    // Starting further on.
    let server = Server::start(paged_locker(5, true)).await;
    let items: Vec<_> = common::client(&server)
        .get_partner_locker("u1", "GB")
        .page(2)
        .page_size(2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 3);

    // An empty locker is one request.
    let server = Server::start(paged_locker(0, true)).await;
    let items: Vec<_> = common::client(&server)
        .get_partner_locker("u1", "GB")
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert!(items.is_empty());
    assert_eq!(server.received().len(), 1);

    // Finding a sale by its transaction.
    let server = Server::start(paged_locker(5, true)).await;
    let found = common::client(&server)
        .get_partner_locker("u1", "GB")
        .page_size(2)
        .find_transaction("tx-4")
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].purchase_id.as_deref(), Some("9004"));
}

#[tokio::test]
async fn locker_stream_ends_with_the_first_error() {
    let server = Server::start(|r| {
        if r.query_value("page") == Some("2") {
            Server::json(
                404,
                r#"{"status":"error","error":{"code":2001,"message":"gone"}}"#,
            )
        } else {
            paged_locker(5, true)(r)
        }
    })
    .await;
    let results: Vec<_> = common::client(&server)
        .get_partner_locker("u1", "GB")
        .page_size(2)
        .into_stream()
        .collect()
        .await;
    assert_eq!(results.len(), 3, "two items, then the error");
    assert!(results[0].is_ok() && results[1].is_ok());
    assert_eq!(results[2].as_ref().unwrap_err().code(), Some(2001));
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn refunds_send_their_parameters_signed() {
    let server = ok_server().await;
    let client = client_at(&server, FEB_4_2026 - 1);
    refund_release(&client, "9001", "11700062", "GB", "2026-01-15")
        .await
        .unwrap();
    refund_track(&client, "9002", "123456", "2026-01-15T10:00:00Z")
        .await
        .unwrap();
    let received = server.received();
    assert_eq!(received.len(), 2);
    let pairs = |v: &[(&str, &str)]| {
        v.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(received[0].path, "/sales/refund/release");
    assert_eq!(
        received[0].plain_query(),
        pairs(&[
            ("purchaseId", "9001"),
            ("releaseId", "11700062"),
            ("country", "GB")
        ])
    );
    assert_eq!(received[1].path, "/sales/refund/track");
    assert_eq!(
        received[1].plain_query(),
        pairs(&[("purchaseId", "9002"), ("trackId", "123456")])
    );
    for r in &received {
        assert_two_legged(r);
        assert_eq!(r.query_value("oauth_timestamp"), Some("1770163199"));
    }
}

#[tokio::test]
async fn refund_errors_have_their_own_variants_and_are_never_retried() {
    let answer = |code: i64| {
        move |r: &Received| {
            let message = format!(
                "Cannot find sale with purchaseID {}",
                r.query_value("purchaseId").unwrap_or_default()
            );
            Server::json(
                400,
                &format!(r#"{{"status":"error","error":{{"code":{code},"message":"{message}"}}}}"#),
            )
        }
    };
    let server = Server::start(answer(2001)).await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .consumer("test-key", "test-secret")
        .clock(Arc::new(FixedClock(FEB_4_2026 - 3600)))
        .retry(RetryPolicy::new(
            5,
            Duration::from_millis(1),
            Duration::from_millis(2),
        ))
        .build()
        .unwrap();
    let err = refund_release(&client, "9001", "11700062", "GB", "2026-01-15")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::SaleNotFound { purchase_id, status: 400, .. } if purchase_id == "9001"),
        "{err:?}"
    );
    assert_eq!((err.code(), err.status()), (Some(2001), Some(400)));
    assert_eq!(err.operation(), Some("refundRelease"));
    assert!(
        err.to_string().contains("no sale with purchaseId `9001`"),
        "{err}"
    );

    let server = Server::start(answer(2002)).await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .consumer("test-key", "test-secret")
        .clock(Arc::new(FixedClock(FEB_4_2026 - 3600)))
        .build()
        .unwrap();
    let err = refund_track(&client, "9001", "123456", "2026-01-15")
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::ReportingPeriodClosed {
                status: Some(400),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!((err.code(), err.status()), (Some(2002), Some(400)));
    assert!(err.to_string().contains("reporting period"), "{err}");

    // 5xx: sent once, whatever the retry policy.
    let server = Server::start(|_| (503, vec![], b"busy".to_vec())).await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .consumer("test-key", "test-secret")
        .clock(Arc::new(FixedClock(FEB_4_2026 - 3600)))
        .retry(RetryPolicy::new(
            5,
            Duration::from_millis(1),
            Duration::from_millis(2),
        ))
        .build()
        .unwrap();
    let err = refund_release(&client, "9001", "11700062", "GB", "2026-01-15")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    let err = refund_track(&client, "9001", "1", "2026-01-15")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.received().len(), 2, "one request per refund");
}

#[tokio::test]
async fn refunds_close_at_midnight_utc_on_the_fourth_of_the_next_month() {
    // (sale date, now, allowed)
    let cases = [
        ("2026-01-15", FEB_4_2026 - 1, true),
        ("2026-01-15", FEB_4_2026, false),
        ("2026-01-31T23:59:59Z", FEB_4_2026 - 1, true),
        ("2026-01-01T00:00:00+00:00", FEB_4_2026 + 86_400 * 30, false),
        // December sale: January's rule.
        ("2025-12-20", JAN_4_2026 - 1, true),
        ("2025-12-20T08:00:00Z", JAN_4_2026, false),
        // The sale's month is counted in UTC: 1 February 00:30 UTC is a February sale.
        ("2026-01-31T23:30:00-01:00", FEB_4_2026 + 86_400, true),
    ];
    for (i, (sold, now, allowed)) in cases.into_iter().enumerate() {
        let server = ok_server().await;
        let client = client_at(&server, now);
        let release = refund_release(&client, "9001", "11700062", "GB", sold).await;
        let track = refund_track(&client, "9001", "123456", sold).await;
        for result in [release, track] {
            if allowed {
                result.unwrap_or_else(|e| panic!("case {i}: {e}"));
            } else {
                let err = result.unwrap_err();
                assert!(
                    matches!(err, Error::ReportingPeriodClosed { status: None, .. }),
                    "case {i}: {err:?}"
                );
                assert_eq!(err.code(), None);
                let text = err.to_string();
                assert!(text.contains("the reporting period"), "{text}");
                assert!(text.contains("has closed"), "{text}");
                assert!(text.contains("refund was not sent"), "{text}");
            }
        }
        let sent = server.received().len();
        assert_eq!(sent, if allowed { 2 } else { 0 }, "case {i}");
    }
}

#[tokio::test]
async fn download_urls_are_signed_for_the_download_host() {
    let api = ok_server().await;
    let downloads = Server::start(|_| {
        (
            200,
            vec![("content-type", "application/zip".into())],
            b"PK".to_vec(),
        )
    })
    .await;
    let client = Client::builder()
        .base_url(&api.base_url)
        .download_url(format!("{}/media/1.2/", downloads.base_url))
        .consumer("test-key", "test-secret")
        .build()
        .unwrap();
    assert_eq!(
        client.download_base_url().as_str(),
        format!("{}/media/1.2/", downloads.base_url)
    );
    let http = reqwest::Client::new();

    type Sign<'a> = Box<dyn Fn() -> Result<String, Error> + 'a>;
    type Case<'a> = (Sign<'a>, &'a str, Vec<(&'a str, &'a str)>);
    let cases: Vec<Case<'_>> = vec![
        (
            Box::new(|| {
                client
                    .download_purchase_zip("store user/42", "9001", "GB")
                    .presigned_url(None)
            }),
            "/media/1.2/users/store%20user%2F42/downloads/purchases/9001",
            vec![("country", "GB")],
        ),
        (
            Box::new(|| {
                client
                    .download_purchased_release_zip("u1", 11700062, 17, "GB")
                    .presigned_url(None)
            }),
            "/media/1.2/users/u1/downloads/releases/11700062",
            vec![("formatId", "17"), ("country", "GB")],
        ),
        (
            Box::new(|| {
                client
                    .download_purchased_track("u1", "123456", "11700062", 33, "US")
                    .presigned_url(None)
            }),
            "/media/1.2/users/u1/downloads/tracks/123456",
            vec![
                ("releaseId", "11700062"),
                ("formatId", "33"),
                ("country", "US"),
            ],
        ),
        (
            Box::new(|| {
                client
                    .download_purchased_track("u1", "123456", "11700062", 17, "GB")
                    .error_url("https://store.example/failed?item=1&why=x y")
                    .presigned_url(None)
            }),
            "/media/1.2/users/u1/downloads/tracks/123456",
            vec![
                ("releaseId", "11700062"),
                ("formatId", "17"),
                ("country", "GB"),
                ("errorUrl", "https://store.example/failed?item=1&why=x y"),
            ],
        ),
    ];
    for (i, (sign, path, query)) in cases.into_iter().enumerate() {
        let url = sign().unwrap();
        assert!(
            url.starts_with(&format!("{}{path}?", downloads.base_url)),
            "case {i}: {url}"
        );
        let again = sign().unwrap();
        assert_ne!(url, again, "signed afresh each time (new nonce)");
        let response = http.get(&url).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let r = downloads.received().pop().unwrap();
        assert_eq!(r.path, path, "case {i}");
        let expected: Vec<(String, String)> = query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(r.plain_query(), expected, "case {i}");
        assert_two_legged(&r);
    }
    assert!(api.received().is_empty(), "no call is made to the API");

    // Unless set, downloads go to the API's host.
    let client = common::client(&api);
    assert_eq!(client.download_base_url(), client.base_url());
    let url = client
        .download_purchase_zip("u1", "9001", "GB")
        .presigned_url(None)
        .unwrap();
    assert!(
        url.starts_with(&format!(
            "{}/users/u1/downloads/purchases/9001?country=GB&",
            api.base_url
        )),
        "{url}"
    );
    assert!(api.received().is_empty());

    // A bad download host is a configuration error.
    let err = Client::builder()
        .consumer("k", "s")
        .download_url("ftp://downloads.example")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("download URL"), "{err}");
    // The default is 7digital's API.
    let client = Client::builder().consumer("k", "s").build().unwrap();
    assert_eq!(
        client.download_base_url().as_str(),
        "https://api.7digital.com/1.2"
    );
}
