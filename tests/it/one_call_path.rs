//! One call path for every operation: inputs checked once, by the catalogue's rules, before
//! anything is sent; `.await` as well as `.send().await`; ids as integers or text.

use sevendigital::Error;
use sevendigital::catalogue;
use sevendigital::server::fake::Fake;

fn field(err: &Error) -> Option<&str> {
    match err {
        Error::InvalidInput { field, .. } => Some(field),
        _ => None,
    }
}

#[tokio::test]
async fn a_bad_input_never_leaves_the_machine() {
    let fake = Fake::start().await.unwrap();
    let client = fake.client().unwrap();
    let err = client
        .search_releases("x")
        .country("GBR")
        .send()
        .await
        .unwrap_err();
    assert_eq!(field(&err), Some("country"), "{err:?}");
    let err = client
        .search_releases("x")
        .page_size(101)
        .await
        .unwrap_err();
    assert_eq!(field(&err), Some("page_size"), "{err:?}");
    assert!(err.to_string().contains("101 is more than 100"), "{err}");
    let err = client
        .get_release_details(1192901)
        .country("GBR")
        .presigned_url(None)
        .unwrap_err();
    assert_eq!(field(&err), Some("country"), "{err:?}");
    assert_eq!(fake.fake().requests(), 0, "nothing was sent");
}

#[tokio::test]
async fn calls_can_be_awaited_and_take_integer_ids() {
    let fake = Fake::start().await.unwrap();
    let client = fake.client().unwrap();
    let by_send = client
        .search_releases("x")
        .country("GB")
        .send()
        .await
        .unwrap();
    let by_await = client.search_releases("x").country("GB").await.unwrap();
    assert_eq!(format!("{by_send:?}"), format!("{by_await:?}"));
    client.get_release_details(1192901).await.unwrap();
    client.get_release_details("1192901").await.unwrap();
    let id = String::from("1192901");
    client.get_release_details(&id).await.unwrap();
}

#[test]
fn the_same_rule_gives_the_same_message_everywhere() {
    let op = catalogue::find("searchReleases").unwrap();
    let country = op.param("country").unwrap();
    let why = country.check("GBR").unwrap_err();
    assert_eq!(why, "`GBR` is longer than 2 characters");
    assert!(country.check("GB").is_ok());
    let page_size = op.param("pageSize").unwrap();
    assert_eq!(page_size.caller_name(), "page_size");
    assert_eq!(page_size.check("0").unwrap_err(), "0 is less than 1");
    assert_eq!(page_size.check("x").unwrap_err(), "`x` is not an integer");
}

/// A rule between two inputs (a post code only with US or CA) is checked once, in
/// `sevendigital::catalogue::rules`, by the client before sending and by the route stubs of the fake, with
/// the same reason.
#[tokio::test]
async fn a_rule_between_inputs_is_checked_on_both_sides_with_one_message() {
    let fake = Fake::start().await.unwrap();
    let client = fake.client().unwrap();
    let err = client
        .log_sale("u1", 1192901, "GB", "tx", "7.99")
        .post_code("10001")
        .await
        .unwrap_err();
    assert_eq!(field(&err), Some("post_code"), "{err:?}");
    let Error::InvalidInput { message, .. } = &err else {
        unreachable!()
    };
    assert_eq!(fake.fake().requests(), 0, "nothing was sent");

    // The same request sent by hand: the fake refuses it with the same reason, naming the
    // wire parameter, as 7digital's error 1002.
    let url = format!(
        "{}/user/deliveritem?userId=u1&releaseId=1192901&country=GB&transactionId=tx&retailPrice=7.99&postCode=10001&oauth_consumer_key={}",
        fake.base_url(),
        sevendigital::server::fake::DEFAULT_CONSUMER_KEY
    );
    let answer = reqwest::get(url).await.unwrap();
    assert_eq!(answer.status(), 400);
    let body: serde_json::Value = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert_eq!(body["error"]["code"], 1002, "{body}");
    let text = body["error"]["errorMessage"]
        .as_str()
        .unwrap_or_default()
        .to_string()
        + body["error"]["message"].as_str().unwrap_or_default();
    assert!(text.contains("postCode"), "{body}");
    assert!(text.contains(message.as_str()), "{body} / {message}");
}
