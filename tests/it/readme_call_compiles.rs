//! The call shape from the README compiles and builds requests.
//!
//! Nothing is sent: no request is awaited here. The cases that must not compile are in
//! [`compile_fail`](crate::compile_fail); this one is a plain test so that trybuild only has to
//! `cargo check` its cases instead of building and linking them.

use sevendigital::models::{Period, SearchResponse};

#[allow(dead_code)]
async fn search(client: &sevendigital::Client) -> Result<SearchResponse, sevendigital::Error> {
    client
        .search_releases("beatles")
        .country("GB")
        .page_size(20)
        .send()
        .await
}

#[allow(dead_code)]
async fn locker(
    client: &sevendigital::Client,
) -> Result<sevendigital::models::LockerResponse, sevendigital::Error> {
    client
        .with_user_token("TOKEN", "TOKEN_SECRET")
        .get_user_locker()
        .page(2)
        .send()
        .await
}

#[test]
fn typical_calls_build_requests() -> Result<(), sevendigital::Error> {
    let client = sevendigital::Client::builder()
        .base_url("https://api.7digital.com/1.2")
        .consumer("KEY", "SECRET")
        .build()?;
    let request = client
        .get_release_chart()
        .period(Period::Week)
        .period(Period::from_wire("fortnight"));
    let shown = format!("{request:?}");
    assert!(shown.contains("fortnight"), "{shown}");
    let _ = client.remove_basket_item(String::from("basket"), "item");
    Ok(())
}
