//! Drives every operation of the spec through the generated client against a local server,
//! and checks what went over the wire against the spec itself (read here with serde_yaml,
//! independently of the generator, after the live-API overlay is applied to it): method, path,
//! query names and values, body encoding,
//! authorisation level; then decodes the spec's example answer into the typed value and
//! checks that nothing was lost on the way.

use crate::common;

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

use serde_json::Value as Json;
use serde_yaml::Value as Yaml;
use sevendigital::models::{
    CardRegistrationRequest, Period, ReleaseType2, UpdateUserUnlimitedStreamingStatus,
    UserSignupRequest, UserUpdateRequest,
};
use sevendigital::{Client, Error};

use common::{Received, Server};

const SPEC: &str = include_str!("../../spec/7digital-api-openapi.yml");
const OVERLAY: &str = include_str!("../../spec/7digital-overlay.yml");

/// The spec as the client is generated from it: the upstream document with the live-API
/// overlay applied.
fn corrected_spec() -> Yaml {
    let mut doc: Json = serde_yaml::from_str(SPEC).unwrap();
    sevendigital_codegen::overlay::apply(&mut doc, "spec/7digital-overlay.yml", OVERLAY).unwrap();
    serde_yaml::to_value(&doc).unwrap()
}

type Call = Pin<Box<dyn Future<Output = Result<Json, Error>>>>;

fn typed<T: serde::Serialize>(fut: impl Future<Output = Result<T, Error>> + 'static) -> Call {
    Box::pin(async move { fut.await.map(|v| serde_json::to_value(v).unwrap()) })
}

/// One call per operation, every optional input set to the spec's example for it.
fn calls(c: &Client, u: &Client) -> Vec<(&'static str, Call)> {
    let basket = "a1b2c3d4-e5f6-7890-abcd-ef1234567890";
    vec![
        (
            "getReleasesByDate",
            typed(
                c.get_releases_by_date()
                    .country("GB")
                    .page(1)
                    .page_size(20)
                    .send(),
            ),
        ),
        (
            "getReleaseDetails",
            typed(c.get_release_details("11700062").country("GB").send()),
        ),
        (
            "getReleaseEditorial",
            typed(c.get_release_editorial("11700062").send()),
        ),
        (
            "getReleaseChart",
            typed(
                c.get_release_chart()
                    .country("GB")
                    .period(Period::Week)
                    .page(1)
                    .page_size(20)
                    .send(),
            ),
        ),
        (
            "getReleaseRecommendations",
            typed(
                c.get_release_recommendations("11700062")
                    .page(1)
                    .page_size(20)
                    .send(),
            ),
        ),
        (
            "searchReleases",
            typed(
                c.search_releases("beatles")
                    .country("GB")
                    .page(1)
                    .page_size(20)
                    .send(),
            ),
        ),
        (
            "getReleaseTracks",
            typed(c.get_release_tracks("11700062").send()),
        ),
        (
            "getReleaseTags",
            typed(c.get_release_tags("11700062").send()),
        ),
        (
            "matchReleaseById",
            typed(c.match_release_by_id("00602445912025").send()),
        ),
        (
            "getNewReleasesByTags",
            typed(
                c.get_new_releases_by_tags("rock,indie")
                    .country("GB")
                    .page(1)
                    .page_size(20)
                    .send(),
            ),
        ),
        (
            "getTopReleasesByTags",
            typed(
                c.get_top_releases_by_tags("rock,indie")
                    .country("GB")
                    .page(1)
                    .page_size(20)
                    .send(),
            ),
        ),
        (
            "browseArtists",
            typed(c.browse_artists("B").page(1).page_size(20).send()),
        ),
        (
            "getArtistChart",
            typed(
                c.get_artist_chart()
                    .country("GB")
                    .period(Period::Week)
                    .page(1)
                    .page_size(20)
                    .send(),
            ),
        ),
        (
            "getArtistDetails",
            typed(c.get_artist_details("12345").send()),
        ),
        (
            "getArtistReleases",
            typed(
                c.get_artist_releases("12345")
                    .type_(ReleaseType2::Album)
                    .page(1)
                    .page_size(20)
                    .send(),
            ),
        ),
        (
            "getSimilarArtists",
            typed(c.get_similar_artists("12345").page(1).page_size(20).send()),
        ),
        (
            "searchArtists",
            typed(c.search_artists("beatles").page(1).page_size(20).send()),
        ),
        (
            "getArtistTopTracks",
            typed(
                c.get_artist_top_tracks("12345")
                    .page(1)
                    .page_size(20)
                    .send(),
            ),
        ),
        ("getArtistTags", typed(c.get_artist_tags("12345").send())),
        (
            "matchArtistById",
            typed(
                c.match_artist_by_id("mbid:5b11f4ce-a62d-471e-81fc-a69a8278c7da")
                    .send(),
            ),
        ),
        (
            "getTopArtistsByTags",
            typed(
                c.get_top_artists_by_tags("rock,indie")
                    .country("GB")
                    .page(1)
                    .page_size(20)
                    .send(),
            ),
        ),
        (
            "getTrackChart",
            typed(
                c.get_track_chart()
                    .country("GB")
                    .period(Period::Week)
                    .page(1)
                    .page_size(20)
                    .send(),
            ),
        ),
        (
            "getTrackDetails",
            typed(c.get_track_details("123456").country("GB").send()),
        ),
        (
            "searchTracks",
            typed(c.search_tracks("beatles").page(1).page_size(20).send()),
        ),
        (
            "matchTrackById",
            typed(c.match_track_by_id("isrc:USRC17607839").send()),
        ),
        ("getAllTags", typed(c.get_all_tags().send())),
        ("getBasket", typed(c.get_basket(basket).send())),
        ("createBasket", typed(c.create_basket().send())),
        (
            "addBasketItem",
            typed(
                c.add_basket_item(basket, "11700062")
                    .track_id("123456")
                    .send(),
            ),
        ),
        (
            "removeBasketItem",
            typed(c.remove_basket_item(basket, "item-789012").send()),
        ),
        (
            "applyBasketVoucher",
            typed(c.apply_basket_voucher(basket, "SUMMER25").send()),
        ),
        (
            "addPricedBasketItem",
            typed(
                c.add_priced_basket_item(basket, 999.0)
                    .release_id("11700062")
                    .send(),
            ),
        ),
        (
            "getBasketPayPalUrl",
            typed(c.get_basket_pay_pal_url(basket).send()),
        ),
        (
            "completeBasketPayPalPurchase",
            typed(
                u.complete_basket_pay_pal_purchase(basket, "AB12CD34EF", "EC-1234")
                    .send(),
            ),
        ),
        (
            "getUserUnlimitedStreaming",
            typed(u.get_user_unlimited_streaming().send()),
        ),
        (
            "updateUserUnlimitedStreaming",
            typed(
                c.update_user_unlimited_streaming(
                    "500123",
                    UpdateUserUnlimitedStreamingStatus::Active,
                )
                .send(),
            ),
        ),
        (
            "getUserLocker",
            typed(u.get_user_locker().page(1).page_size(20).send()),
        ),
        (
            "purchaseUserItem",
            typed(u.purchase_user_item("11700062").track_id("123456").send()),
        ),
        (
            "purchaseUserRrpItem",
            typed(u.purchase_user_rrp_item().release_id("11700062").send()),
        ),
        (
            "purchaseUserBasket",
            typed(u.purchase_user_basket(basket).send()),
        ),
        (
            "purchaseUserPricedItem",
            typed(
                u.purchase_user_priced_item(999.0)
                    .release_id("11700062")
                    .send(),
            ),
        ),
        (
            "listUserPaymentCards",
            typed(u.list_user_payment_cards().send()),
        ),
        (
            "selectUserPaymentCard",
            typed(u.select_user_payment_card("card-789012").send()),
        ),
        (
            "deleteUserPaymentCard",
            typed(u.delete_user_payment_card("card-789012").send()),
        ),
        (
            "registerUserPaymentCard",
            typed(
                u.register_user_payment_card(CardRegistrationRequest {
                    card_number: "4242424242424242".into(),
                    expiry_month: 12,
                    expiry_year: 2028,
                    cvv: "123".into(),
                    cardholder_name: Some("Jane Smith".into()),
                })
                .send(),
            ),
        ),
        (
            "getUserCardRegistration",
            typed(u.get_user_card_registration("cardreg-789012").send()),
        ),
        (
            "deliverUserItem",
            typed(
                u.deliver_user_item()
                    .release_id("11700062")
                    .track_id("123456")
                    .send(),
            ),
        ),
        (
            "signupUser",
            typed(
                c.signup_user(UserSignupRequest {
                    email: "jane.smith@example.com".into(),
                    password: "P@ssw0rd123!".into(),
                    first_name: Some("Jane".into()),
                    last_name: Some("Smith".into()),
                    country: "GB".into(),
                })
                .send(),
            ),
        ),
        (
            "createUser",
            typed(c.create_user("jane.smith@example.com").send()),
        ),
        ("getUserDetails", typed(c.get_user_details("500123").send())),
        (
            "authenticateUser",
            typed(
                c.authenticate_user("jane.smith@example.com", "P@ssw0rd123!")
                    .send(),
            ),
        ),
        (
            "findUsers",
            typed(c.find_users().email("jane.smith@example.com").send()),
        ),
        (
            "updateUser",
            typed(
                u.update_user(
                    "500123",
                    UserUpdateRequest {
                        email: Some("jane.smith@example.com".into()),
                        first_name: Some("Jane".into()),
                        last_name: Some("Smith".into()),
                        country: Some("GB".into()),
                    },
                )
                .send(),
            ),
        ),
        ("getCountries", typed(c.get_countries().send())),
        ("getTranslations", typed(c.get_translations("en-GB").send())),
        (
            "resolveCountryForIp",
            typed(c.resolve_country_for_ip("10.0.0.1").send()),
        ),
        (
            "getEditorialList",
            typed(
                c.get_editorial_list()
                    .country("GB")
                    .page(1)
                    .page_size(20)
                    .send(),
            ),
        ),
        (
            "getArtistIdByUrl",
            typed(
                c.get_artist_id_by_url("https://uk.7digital.com/artist/the-beatles")
                    .send(),
            ),
        ),
        (
            "getReleaseIdByUrl",
            typed(
                c.get_release_id_by_url(
                    "https://uk.7digital.com/artist/the-beatles/release/abbey-road-11700062",
                )
                .send(),
            ),
        ),
        (
            "getPaymentCardTypes",
            typed(c.get_payment_card_types().send()),
        ),
        (
            "getPaymentVoucherDetails",
            typed(c.get_payment_voucher_details("SUMMER25").send()),
        ),
    ]
}

/// An operation as the spec describes it, read straight from the YAML.
struct SpecOp {
    method: String,
    path: String,
    /// `(name, location, example text)` of every parameter, in order.
    params: Vec<(String, String, String)>,
    /// Media type and `(name, example text)` fields of the body.
    body: Option<(String, Vec<(String, String)>)>,
    security: String,
    example: Json,
}

impl SpecOp {
    /// Method and path only, for routing answers.
    fn route(&self) -> SpecOp {
        SpecOp {
            method: self.method.clone(),
            path: self.path.clone(),
            params: vec![],
            body: None,
            security: String::new(),
            example: Json::Null,
        }
    }
}

fn get<'a>(node: &'a Yaml, key: &str) -> Option<&'a Yaml> {
    node.as_mapping()?.get(Yaml::String(key.into()))
}

fn resolve<'a>(spec: &'a Yaml, node: &'a Yaml) -> &'a Yaml {
    match get(node, "$ref").and_then(Yaml::as_str) {
        Some(reference) => reference
            .trim_start_matches("#/")
            .split('/')
            .fold(spec, |n, key| {
                get(n, key).unwrap_or_else(|| panic!("unresolved {reference}"))
            }),
        None => node,
    }
}

fn yaml_to_json(value: &Yaml) -> Json {
    serde_json::to_value(value).unwrap()
}

fn text(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The spec's example for a schema: its own example, else assembled from its parts.
fn example(spec: &Yaml, schema: &Yaml) -> Option<Json> {
    let schema = resolve(spec, schema);
    if let Some(e) = get(schema, "example") {
        return Some(yaml_to_json(e));
    }
    if let Some(first) = get(schema, "enum")
        .and_then(|e| e.as_sequence())
        .and_then(|s| s.first())
    {
        return Some(yaml_to_json(first));
    }
    match get(schema, "type").and_then(Yaml::as_str) {
        Some("object") => {
            let mut map = serde_json::Map::new();
            if let Some(props) = get(schema, "properties").and_then(Yaml::as_mapping) {
                for (name, prop) in props {
                    if let Some(value) = example(spec, prop) {
                        map.insert(name.as_str().unwrap().to_string(), value);
                    }
                }
            }
            Some(Json::Object(map))
        }
        Some("array") => Some(Json::Array(
            get(schema, "items")
                .and_then(|i| example(spec, i))
                .into_iter()
                .collect(),
        )),
        _ => None,
    }
}

fn spec_operations(spec: &Yaml) -> BTreeMap<String, SpecOp> {
    let default_security = security_of(get(spec, "security").unwrap());
    let mut ops = BTreeMap::new();
    for (path, item) in get(spec, "paths").unwrap().as_mapping().unwrap() {
        for (method, op) in item.as_mapping().unwrap() {
            let id = get(op, "operationId")
                .unwrap()
                .as_str()
                .unwrap()
                .to_string();
            let params = get(op, "parameters")
                .and_then(Yaml::as_sequence)
                .map(|ps| {
                    ps.iter()
                        .map(|p| {
                            let p = resolve(spec, p);
                            let name = get(p, "name").unwrap().as_str().unwrap().to_string();
                            let location = get(p, "in").unwrap().as_str().unwrap().to_string();
                            let ex = text(&yaml_to_json(get(p, "example").unwrap()));
                            (name, location, ex)
                        })
                        .collect()
                })
                .unwrap_or_default();
            let body = get(op, "requestBody").map(|b| {
                let (media, content) = get(b, "content")
                    .unwrap()
                    .as_mapping()
                    .unwrap()
                    .iter()
                    .next()
                    .unwrap();
                let schema = resolve(spec, get(content, "schema").unwrap());
                let fields = get(schema, "properties")
                    .unwrap()
                    .as_mapping()
                    .unwrap()
                    .iter()
                    .map(|(n, p)| {
                        (
                            n.as_str().unwrap().to_string(),
                            text(&example(spec, p).unwrap()),
                        )
                    })
                    .collect();
                (media.as_str().unwrap().to_string(), fields)
            });
            let response = resolve(spec, get(get(op, "responses").unwrap(), "200").unwrap());
            let schema = get(
                get(get(response, "content").unwrap(), "application/json").unwrap(),
                "schema",
            )
            .unwrap();
            ops.insert(
                id,
                SpecOp {
                    method: method.as_str().unwrap().to_uppercase(),
                    path: path.as_str().unwrap().to_string(),
                    params,
                    body,
                    security: get(op, "security")
                        .map(security_of)
                        .unwrap_or_else(|| default_security.clone()),
                    example: example(spec, schema).unwrap(),
                },
            );
        }
    }
    ops
}

fn security_of(node: &Yaml) -> String {
    let first = &node.as_sequence().unwrap()[0];
    first
        .as_mapping()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

/// Drops `null` members, which an `Option` field decodes to `None` and does not write back.
fn without_nulls(value: Json) -> Json {
    match value {
        Json::Object(map) => Json::Object(
            map.into_iter()
                // `null` and `""` are absent values: the typed answer leaves them out.
                .filter(|(_, v)| !v.is_null() && v.as_str() != Some(""))
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Json::Array(items) => Json::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// Which operation of the spec a received request is for.
fn matches(op: &SpecOp, req: &Received) -> bool {
    if op.method != req.method {
        return false;
    }
    let want: Vec<&str> = op.path.split('/').collect();
    let got: Vec<&str> = req.path.split('/').collect();
    want.len() == got.len()
        && want
            .iter()
            .zip(&got)
            .all(|(w, g)| w.starts_with('{') || w == g)
}

#[tokio::test]
async fn every_operation_goes_out_as_the_spec_says_and_decodes_its_example() {
    let spec = corrected_spec();
    let ops = spec_operations(&spec);
    assert_eq!(ops.len(), 61, "the spec has 61 operations");

    let answers: Vec<(SpecOp, String)> = ops
        .values()
        .map(|op| (op.route(), op.example.to_string()))
        .collect();
    let server = Server::start(move |req| {
        let (_, body) = answers
            .iter()
            .find(|(op, _)| matches(op, req))
            .expect("a request for an operation of the spec");
        Server::json(200, body)
    })
    .await;
    let client = common::client(&server);
    let user = client.with_user_token("user-token", "user-secret");

    let calls = calls(&client, &user);
    let mut called: Vec<&str> = calls.iter().map(|(id, _)| *id).collect();
    called.sort_unstable();
    called.dedup();
    assert_eq!(
        called,
        ops.keys().map(String::as_str).collect::<Vec<_>>(),
        "one call per operation of the spec"
    );

    for (id, call) in calls {
        let op = &ops[id];
        let decoded = call.await.unwrap_or_else(|e| panic!("{id}: {e}"));
        let received = server.received().pop().unwrap();

        // Method and path, with path parameters filled from the spec's examples.
        let mut path = op.path.clone();
        for (name, _, ex) in op.params.iter().filter(|(_, loc, _)| loc == "path") {
            path = path.replace(&format!("{{{name}}}"), ex);
        }
        assert_eq!(
            (received.method.as_str(), received.path.as_str()),
            (op.method.as_str(), path.as_str()),
            "{id}"
        );

        // Query: every query parameter of the spec, in order, with the example value given.
        let want_query: Vec<(String, String)> = op
            .params
            .iter()
            .filter(|(_, loc, _)| loc == "query")
            .map(|(n, _, ex)| (n.clone(), ex.clone()))
            .collect();
        assert_eq!(received.plain_query(), want_query, "{id}: query");

        // Body: the declared media type, every field with its example.
        match &op.body {
            Some((media, fields)) => {
                assert_eq!(
                    received.header("content-type"),
                    Some(media.as_str()),
                    "{id}: content type"
                );
                assert_eq!(
                    media, "application/x-www-form-urlencoded",
                    "{id}: the spec's bodies are forms"
                );
                assert_eq!(&received.form(), fields, "{id}: form body");
            }
            None => assert!(received.body.is_empty(), "{id}: no body"),
        }
        assert_eq!(received.header("accept"), Some("application/json"), "{id}");

        // Authorisation at the spec's level.
        assert_eq!(
            received.query_value("oauth_consumer_key"),
            Some("test-key"),
            "{id}: consumer key"
        );
        let signed = received.query_value("oauth_signature").is_some();
        let token = received.query_value("oauth_token");
        match op.security.as_str() {
            "oauth1" => assert!(!signed && token.is_none(), "{id}: consumer key only"),
            "oauth1_two_legged" => assert!(signed && token.is_none(), "{id}: two-legged"),
            "oauth1_three_legged" => {
                assert!(signed && token == Some("user-token"), "{id}: three-legged")
            }
            other => panic!("{id}: unexpected security scheme {other}"),
        }

        // The typed value holds everything the example had.
        assert_eq!(
            decoded,
            without_nulls(op.example.clone()),
            "{id}: decoded example"
        );
    }
    assert_eq!(server.received().len(), 61);
}
