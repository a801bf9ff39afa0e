//! Every paged operation streams its pages: from the call's page on, ending at the total, at a
//! short or empty page, at a page the server did not ask for, or at the first error.

use crate::common;

use common::{Received, Server};
use futures_util::StreamExt;
use sevendigital::prelude::*;

/// `total` releases served `pageSize` at a time, as `getReleasesByDate` answers; with
/// `with_total` false, without `totalItems`.
fn releases(total: u64, with_total: bool) -> impl Fn(&Received) -> common::Answer {
    move |r| {
        let (page, size, numbers, total) = common::page_asked(r, total, with_total);
        let items: Vec<String> = numbers
            .map(|n| format!(r#"{{"id":{n},"title":"Release {n}"}}"#))
            .collect();
        Server::json(
            200,
            &format!(
                r#"{{"status":"ok","releases":{{"page":{page},"pageSize":{size}{total},"release":[{}]}}}}"#,
                items.join(",")
            ),
        )
    }
}

fn pages_asked(server: &Server) -> Vec<String> {
    server
        .received()
        .iter()
        .map(|r| r.query_value("page").unwrap_or("-").to_string())
        .collect()
}

#[tokio::test]
async fn a_paged_operation_walks_every_page_and_stops() {
    let server = Server::start(releases(5, true)).await;
    let client = common::client(&server);
    let all = client
        .get_releases_by_date()
        .page_size(2)
        .collect_all()
        .await
        .unwrap();
    let ids: Vec<i64> = all.iter().map(|r| r.id.unwrap()).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(pages_asked(&server), ["1", "2", "3"]);

    // Exactly full pages: stops at page * pageSize == totalItems.
    let server = Server::start(releases(6, true)).await;
    let pages: Vec<_> = common::client(&server)
        .get_releases_by_date()
        .page_size(2)
        .into_pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 3);
    assert_eq!(pages_asked(&server), ["1", "2", "3"]);

    // From the call's own page.
    let server = Server::start(releases(5, true)).await;
    let items = common::client(&server)
        .get_releases_by_date()
        .page(2)
        .page_size(2)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(pages_asked(&server), ["2", "3"]);

    // An empty answer is one request.
    let server = Server::start(releases(0, true)).await;
    let items = common::client(&server)
        .get_releases_by_date()
        .collect_all()
        .await
        .unwrap();
    assert!(items.is_empty());
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn without_a_total_a_short_page_ends_the_walk() {
    // The partner locker's answer may leave `totalItems` out.
    let server = Server::start(|r| {
        let page: u64 = r.query_value("page").unwrap_or("1").parse().unwrap();
        let items: Vec<String> = ((page - 1) * 2 + 1..=(page * 2).min(5))
            .map(|n| format!(r#"{{"purchaseId":"{n}"}}"#))
            .collect();
        Server::json(
            200,
            &format!(
                r#"{{"status":"ok","page":{page},"pageSize":2,"items":[{}]}}"#,
                items.join(",")
            ),
        )
    })
    .await;
    let items = common::client(&server)
        .get_partner_locker("u1", "GB")
        .page_size(2)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(items.len(), 5);
    assert_eq!(pages_asked(&server), ["1", "2", "3"]);
}

#[tokio::test]
async fn a_server_that_ignores_the_page_does_not_loop() {
    // Always page 1 of a large total.
    let server = Server::start(|_| {
        Server::json(
            200,
            r#"{"status":"ok","releases":{"page":1,"pageSize":1,"totalItems":1000000,"release":[{"id":1}]}}"#,
        )
    })
    .await;
    let items = common::client(&server)
        .get_releases_by_date()
        .page_size(1)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(items.len(), 2, "page 1, then the repeated page 1 ends it");
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn the_first_error_ends_the_stream() {
    let inner = releases(5, true);
    let server = Server::start(move |r| {
        if r.query_value("page") == Some("2") {
            Server::json(
                500,
                r#"{"status":"error","error":{"code":9001,"message":"broken"}}"#,
            )
        } else {
            inner(r)
        }
    })
    .await;
    let results: Vec<_> = common::client(&server)
        .get_releases_by_date()
        .page_size(2)
        .into_stream()
        .collect()
        .await;
    assert_eq!(results.len(), 3, "two items, then the error");
    assert!(results[0].is_ok() && results[1].is_ok());
    assert_eq!(results[2].as_ref().unwrap_err().code(), Some(9001));
    // A bad input is the stream's only item, and nothing is sent.
    let mut stream = common::client(&server)
        .search_releases("x")
        .page_size(1000)
        .into_stream();
    let first = stream.next().await.unwrap();
    assert!(
        matches!(first, Err(Error::InvalidInput { .. })),
        "{first:?}"
    );
    assert!(stream.next().await.is_none());
}
