//! Every kind of error the fake sends has the shape of the captured 7digital error answers
//! (`tests/fixtures/live/e01`-`e05`, provenance in `PROVENANCE.md` there): in XML (asked for
//! with `Accept: application/xml`) the same elements and attributes as the captures; in JSON
//! the captures transcribed into the typed JSON dialect (attributes and text elements become
//! members, integers become numbers, `xsi:noNamespaceSchemaLocation` becomes `schema`, the
//! `xmlns:*` attributes go). Where a capture shows the status, code or wording of an error,
//! the fake's matches it.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use quick_xml::events::Event;
use serde_json::{Value, json};
use sevendigital::oauth::{FixedClock, FixedNonce};
use sevendigital::server::fake::{DEFAULT_CONSUMER_KEY, Fake, Faults};

/// The captured error answers.
const CAPTURES: &[&str] = &[
    "e01-release-not-found.xml",
    "e02-release-missing.xml",
    "e03-userid-invalid.xml",
    "e04-voucher-invalid.xml",
    "e05-card-add-failed.xml",
];

fn capture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/live/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// An element: its name, its attributes (name and value) and its child elements or text.
#[derive(Debug, Clone, PartialEq)]
struct Element {
    name: String,
    attributes: BTreeMap<String, String>,
    children: Vec<Element>,
    text: String,
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> Element {
    Element {
        name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
        attributes: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.unescape_value().unwrap().to_string(),
                )
            })
            .collect(),
        children: Vec::new(),
        text: String::new(),
    }
}

fn parse_xml(body: &[u8]) -> Element {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut stack: Vec<Element> = Vec::new();
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .unwrap_or_else(|e| panic!("not XML ({e}): {}", String::from_utf8_lossy(body)));
        match event {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let done = element(&e);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return done,
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(t.decode().unwrap().trim());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(top) = stack.last_mut() {
                    let name = r.decode().unwrap();
                    top.text
                        .push_str(quick_xml::escape::resolve_xml_entity(&name).unwrap_or("?"));
                }
            }
            Event::End(_) => {
                let done = stack.pop().unwrap();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return done,
                }
            }
            Event::Eof => panic!("unterminated XML"),
            _ => {}
        }
        buf.clear();
    }
}

/// The element's shape: names of elements and attributes, and whether each holds text.
fn shape(element: &Element) -> Value {
    json!({
        "name": element.name,
        "attributes": element.attributes.keys().collect::<Vec<_>>(),
        "text": !element.text.is_empty(),
        "children": element.children.iter().map(shape).collect::<Vec<_>>(),
    })
}

/// The XML transcribed into the typed JSON dialect (see the module's doc).
fn transcribe(element: &Element) -> Value {
    let mut object = serde_json::Map::new();
    for (name, value) in &element.attributes {
        if name.starts_with("xmlns:") {
            continue;
        }
        let key = if name == "xsi:noNamespaceSchemaLocation" {
            "schema".to_string()
        } else {
            name.clone()
        };
        let value = match value.parse::<i64>() {
            Ok(n) if name == "code" => json!(n),
            _ => json!(value),
        };
        object.insert(key, value);
    }
    for child in &element.children {
        let value = if child.children.is_empty() && child.attributes.is_empty() {
            json!(child.text)
        } else {
            transcribe(child)
        };
        object.insert(child.name.clone(), value);
    }
    Value::Object(object)
}

/// The JSON value's shape: member names and value types.
fn json_shape(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), json_shape(v)))
                .collect(),
        ),
        Value::Number(_) => json!("number"),
        Value::String(_) => json!("string"),
        Value::Bool(_) => json!("bool"),
        Value::Null => json!("null"),
        Value::Array(_) => json!("array"),
    }
}

/// The shape every captured envelope has: checked here to be one shape, and returned.
fn captured_shapes() -> (Value, Value, Value) {
    let e01 = parse_xml(&capture(CAPTURES[0]));
    let full = shape(&e01);
    let json = json_shape(&transcribe(&e01));
    let without_namespaces = |mut e: Element| {
        e.attributes.retain(|k, _| !k.contains(':'));
        shape(&e)
    };
    let bare = without_namespaces(e01.clone());
    for name in CAPTURES {
        let element = parse_xml(&capture(name));
        assert_eq!(without_namespaces(element.clone()), bare, "{name}");
        assert_eq!(element.attributes["status"], "error", "{name}");
        assert_eq!(element.attributes["version"], "1.2", "{name}");
        let code = &element.children[0].attributes["code"];
        assert!(code.parse::<i64>().is_ok(), "{name}: code {code}");
    }
    (full, bare, json)
}

/// One error answer: its status, content type and body.
struct Answer {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

async fn send(request: reqwest::RequestBuilder, xml: bool) -> Answer {
    let request = if xml {
        request.header("accept", "application/xml")
    } else {
        request
    };
    let response = request.send().await.unwrap();
    Answer {
        status: response.status().as_u16(),
        content_type: response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string(),
        body: response.bytes().await.unwrap().to_vec(),
    }
}

/// Checks one error in both forms: status and code as expected, both envelopes of the
/// captured shape, the same message in both; returns the message.
async fn check(
    what: &str,
    request: impl Fn() -> reqwest::RequestBuilder,
    (status, code): (u16, i64),
) -> String {
    let (full, _, json) = captured_shapes();
    let answer = send(request(), true).await;
    let body = String::from_utf8_lossy(&answer.body).to_string();
    assert_eq!(answer.status, status, "{what} (XML): {body}");
    assert!(
        answer.content_type.starts_with("application/xml"),
        "{what}: {}",
        answer.content_type
    );
    let xml = parse_xml(&answer.body);
    assert_eq!(
        shape(&xml),
        full,
        "{what}: the XML envelope's shape: {body}"
    );
    assert_eq!(xml.attributes["status"], "error");
    assert_eq!(xml.attributes["version"], "1.2");
    assert_eq!(
        xml.children[0].attributes["code"],
        code.to_string(),
        "{what}"
    );
    let xml_message = xml.children[0].children[0].text.clone();
    assert!(!xml_message.is_empty(), "{what}: empty message");

    let answer = send(request(), false).await;
    let text = String::from_utf8_lossy(&answer.body).to_string();
    assert_eq!(answer.status, status, "{what} (JSON): {text}");
    assert!(
        answer.content_type.starts_with("application/json"),
        "{what}"
    );
    let value: Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(
        json_shape(&value),
        json,
        "{what}: the JSON envelope's shape: {text}"
    );
    assert_eq!(value["status"], "error");
    assert_eq!(value["error"]["code"], code, "{what}");
    // The client's own parser reads both forms alike.
    let parsed = sevendigital::Envelope::parse(&answer.body).unwrap();
    assert_eq!(
        (parsed.code, parsed.message.as_str()),
        (code, xml_message.as_str())
    );
    xml_message
}

#[test]
fn the_captures_share_one_envelope() {
    let (full, bare, json) = captured_shapes();
    assert_eq!(
        bare,
        json!({"name": "response", "attributes": ["status", "version"], "text": false,
            "children": [{"name": "error", "attributes": ["code"], "text": false,
                "children": [{"name": "errorMessage", "attributes": [], "text": true, "children": []}]}]})
    );
    assert_eq!(
        full["attributes"],
        json!([
            "status",
            "version",
            "xmlns:xsd",
            "xmlns:xsi",
            "xsi:noNamespaceSchemaLocation"
        ])
    );
    assert_eq!(
        json,
        json!({"schema": "string", "status": "string", "version": "string",
            "error": {"code": "number", "errorMessage": "string"}})
    );
}

#[tokio::test]
async fn every_error_the_fake_sends_has_the_captured_shape() {
    let fake = Fake::start().await.unwrap();
    let base = fake.base_url();
    let http = reqwest::Client::new();
    let key = format!("oauth_consumer_key={DEFAULT_CONSUMER_KEY}");
    let get = |path: &str| {
        let url = format!("{base}{path}");
        let http = http.clone();
        move || http.get(&url)
    };
    let post = |path: &str, body: &'static str| {
        let url = format!("{base}{path}");
        let http = http.clone();
        move || {
            http.post(&url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
        }
    };

    // Validation.
    let m = check("missing parameter", get("/release/details"), (400, 1001)).await;
    assert!(m.contains("releaseId"), "{m}");
    let m = check(
        "invalid value",
        get("/release/byDate?page=abc"),
        (400, 1002),
    )
    .await;
    assert!(m.starts_with("Value of parameter page is not valid"), "{m}");
    // e03: userId=invalid, 400, 1002, this wording.
    let m = check(
        "invalid user id",
        get(&format!("/user/details?userId=invalid&{key}")),
        (400, 1002),
    )
    .await;
    assert_eq!(m, "Value of parameter userId is not valid: invalid");
    // e02: releaseId=missing, 404, 2001, this wording.
    let m = check(
        "unknown release",
        get("/release/details?releaseId=missing"),
        (404, 2001),
    )
    .await;
    assert_eq!(m, "No releases found with id: missing");
    check(
        "unknown track",
        get("/track/details?trackId=0"),
        (404, 2001),
    )
    .await;
    check(
        "unknown artist",
        get("/artist/details?artistId=20000"),
        (404, 2001),
    )
    .await;
    check(
        "unknown basket",
        get("/basket?basketId=no-such-basket"),
        (404, 2001),
    )
    .await;
    check(
        "no licence",
        get("/user/deliveritem?releaseId=5&oauth_token=someone"),
        (404, 2002),
    )
    .await;
    // e04: an invalid voucher, 400, 3012.
    let created = http
        .get(format!("{base}/basket/create"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let basket = serde_json::from_slice::<Value>(&created).unwrap()["basket"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let voucher = format!("{base}/basket/applyVoucher?basketId={basket}");
    let m = check(
        "invalid voucher",
        || {
            http.post(&voucher)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("voucherCode=P_INVALID")
        },
        (400, 3012),
    )
    .await;
    assert!(m.ends_with("is not valid: P_INVALID"), "{m}");
    // e05: a card that cannot be added, 400, 1002, this wording.
    let m = check(
        "refused card",
        post(
            "/user/payment/cardregistration?oauth_token=someone",
            "cardNumber=4111111111111112&expiryMonth=1&expiryYear=2030&cvv=123",
        ),
        (400, 1002),
    )
    .await;
    assert_eq!(m, "Adding card failed");
    check(
        "wrong password",
        post("/user/authenticate", "email=nobody@example.com&password=x"),
        (401, 3001),
    )
    .await;
    let signup = post(
        "/user/signup",
        "email=twice@example.com&password=pw123456&country=GB",
    );
    signup().send().await.unwrap();
    check("user exists", signup, (409, 2003)).await;
    // e09: a call on a user's behalf without a user token.
    let m = check("no user token", get("/user/locker"), (401, 7002)).await;
    assert!(m.starts_with("OAuth authentication error: "), "{m}");

    // Injected faults.
    fake.set_faults(Faults {
        error_count: 2,
        ..Faults::default()
    });
    check("unavailable", get("/tag"), (503, 9001)).await;
}

#[tokio::test]
async fn signature_refusals_have_the_captured_shape() {
    let fake = Fake::builder()
        .verify_signatures(true)
        .clock(Arc::new(FixedClock(2_000_000_000)))
        .start()
        .await
        .unwrap();
    let base = fake.base_url();
    let http = reqwest::Client::new();
    let get = |url: String| {
        let http = http.clone();
        move || http.get(&url)
    };
    let m = check(
        "unknown consumer",
        get(format!("{base}/tag?oauth_consumer_key=nope")),
        (401, 7001),
    )
    .await;
    assert!(m.starts_with("OAuth authentication error: "), "{m}");
    check(
        "no user token",
        get(format!(
            "{base}/user/locker?oauth_consumer_key={DEFAULT_CONSUMER_KEY}"
        )),
        (401, 7002),
    )
    .await;
    check(
        "bad signature",
        get(format!(
            "{base}/user/details?userId=1&oauth_consumer_key={DEFAULT_CONSUMER_KEY}&oauth_signature=bad&oauth_timestamp=2000000000&oauth_nonce=n&oauth_signature_method=HMAC-SHA1"
        )),
        (401, 7003),
    )
    .await;
    // A signed URL used again: its nonce is spent (the first use is refused for the user id).
    let replayed = fake
        .client_builder()
        .clock(Arc::new(FixedClock(1_999_999_999)))
        .nonce_source(Arc::new(FixedNonce::new("once")))
        .build()
        .unwrap()
        .get_user_details("1")
        .presigned_url(Some(Duration::from_secs(3600)))
        .unwrap();
    let first = http.get(&replayed).send().await.unwrap().status().as_u16();
    assert_eq!(first, 404, "the signature is accepted the first time");
    check("replayed nonce", get(replayed), (401, 7004)).await;
    let expired = fake
        .client_builder()
        .clock(Arc::new(FixedClock(1_700_000_000)))
        .build()
        .unwrap()
        .get_user_details("1")
        .presigned_url(Some(Duration::from_secs(60)))
        .unwrap();
    check("expired URL", get(expired), (401, 7005)).await;
}

#[test]
fn the_generated_catalogue_lists_the_error_responses() {
    // From the overlay's error-response actions (spec/7digital-overlay.yml), through the
    // generator into `catalogue::Operation::error_statuses` and each entry's rustdoc.
    let v12: Vec<_> = sevendigital::catalogue::OPERATIONS
        .iter()
        .filter(|op| !op.tags.contains(&"Download service"))
        .collect();
    assert_eq!(v12.len(), 61);
    for op in &v12 {
        for status in [400, 401, 503] {
            assert!(op.error_statuses.contains(&status), "{}: {status}", op.id);
        }
    }
    let details = &sevendigital::catalogue::GET_RELEASE_DETAILS;
    assert_eq!(details.error_statuses, &[400, 401, 404, 503]);
    assert!(
        sevendigital::catalogue::SIGNUP_USER
            .error_statuses
            .contains(&409)
    );
}
