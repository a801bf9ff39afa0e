//! Tests of the base string, the signer and the verification together.

use std::sync::Arc;

use url::Url;

use super::base_string::*;
use super::encode::ascii_to_string;
use super::signer::*;
use super::verify::*;
use super::*;
use crate::oauth::{FixedClock, FixedNonce};

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|&(n, v)| (n.to_owned(), v.to_owned()))
        .collect()
}

#[test]
fn base_uri_rules() {
    let cases = [
        (
            "http://EXAMPLE.COM:80/r%20v/X?id=123",
            "http%3A%2F%2Fexample.com%2Fr%2520v%2FX",
        ),
        (
            "https://www.example.net:8080/?q=1",
            "https%3A%2F%2Fwww.example.net%3A8080%2F",
        ),
        ("HTTPS://Example.com:443", "https%3A%2F%2Fexample.com%2F"),
        (
            "http://example.com:443/a#frag",
            "http%3A%2F%2Fexample.com%3A443%2Fa",
        ),
        ("http://user:pw@example.com/", "http%3A%2F%2Fexample.com%2F"),
        (
            "http://[::1]:8080/x",
            "http%3A%2F%2F%5B%3A%3A1%5D%3A8080%2Fx",
        ),
    ];
    for (input, expected) in cases {
        let url = Url::parse(input).unwrap();
        let mut out = Vec::new();
        push_encoded_base_uri(&mut out, &url);
        assert_eq!(ascii_to_string(out), expected, "{input}");
    }
}

#[test]
fn method_is_uppercased_and_encoded() {
    let url = Url::parse("http://example.com/").unwrap();
    assert_eq!(
        base_string("get", &url, None, &[]),
        "GET&http%3A%2F%2Fexample.com%2F&"
    );
    assert_eq!(
        base_string("m-search!", &url, None, &[]),
        "M-SEARCH%21&http%3A%2F%2Fexample.com%2F&"
    );
}

#[test]
fn signature_and_realm_excluded() {
    let url = Url::parse("http://example.com/?oauth_signature=x&realm=r").unwrap();
    let oauth = pairs(&[
        ("oauth_signature", "y"),
        ("realm", "R"),
        ("oauth_nonce", "n"),
    ]);
    assert_eq!(
        base_string("GET", &url, None, &oauth),
        "GET&http%3A%2F%2Fexample.com%2F&oauth_nonce%3Dn%26realm%3Dr"
    );
}

#[test]
fn extra_cannot_override_managed_params() {
    let signer = Signer::new(Consumer::new("ck", "cs"))
        .with_clock(Arc::new(FixedClock(1)))
        .with_nonce(Arc::new(FixedNonce::new("n")));
    let url = Url::parse("http://example.com/").unwrap();
    let signed = signer.sign(
        "POST",
        &url,
        None,
        None,
        &[
            ("oauth_nonce", "evil"),
            ("oauth_signature", "x"),
            ("oauth_callback", "oob"),
        ],
    );
    let names: Vec<&str> = signed.pairs().iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "oauth_consumer_key",
            "oauth_nonce",
            "oauth_signature_method",
            "oauth_timestamp",
            "oauth_version",
            "oauth_callback",
            "oauth_signature"
        ]
    );
    assert_eq!(signed.get("oauth_nonce"), Some("n"));
    assert!(verify(
        "POST",
        &url,
        None,
        signed.pairs(),
        &Secret::new("cs"),
        None
    ));
}

#[test]
fn decimal_formatting() {
    for n in [0, 1, 9, 10, 1_318_622_958, u64::MAX] {
        let mut buf = [0u8; 20];
        assert_eq!(decimal(n, &mut buf), n.to_string().as_bytes());
    }
}

#[test]
fn parse_header_variants() {
    assert_eq!(parse_authorization_header("OAuth"), Some(vec![]));
    assert_eq!(
        parse_authorization_header("oauth  a=\"1%2B2\",b=tok ,, c=\"\"\t"),
        Some(pairs(&[("a", "1+2"), ("b", "tok"), ("c", "")]))
    );
    assert_eq!(
        parse_authorization_header(r#"OAuth realm="a \"q\" b", x="y""#),
        Some(pairs(&[("realm", "a \"q\" b"), ("x", "y")]))
    );
    for bad in [
        "",
        "Basic abc",
        "OAuthx a=\"b\"",
        "OAuth a=\"b",
        "OAuth a",
        "OAuth =\"b\"",
        "OAuth a=\"b\" c=\"d\"",
        "OAuth a=b\"c",
        "OAuth a=\"%FF\"",
        "OAuth a=\"b\\",
    ] {
        assert_eq!(parse_authorization_header(bad), None, "{bad:?}");
    }
}

#[test]
fn verify_rejects_malformed_params() {
    let url = Url::parse("http://example.com/").unwrap();
    let cs = Secret::new("cs");
    let signer = Signer::new(Consumer::new("ck", "cs"));
    let good = signer.sign("GET", &url, None, None, &[]).into_pairs();
    assert!(verify("GET", &url, None, &good, &cs, None));
    assert!(!verify(
        "GET",
        &url,
        None,
        &good,
        &Secret::new("other"),
        None
    ));
    assert!(!verify(
        "GET",
        &url,
        None,
        &good,
        &cs,
        Some(&Secret::new("t"))
    ));
    assert!(!verify("POST", &url, None, &good, &cs, None));

    let without = |name: &str| -> Vec<(String, String)> {
        good.iter().filter(|(n, _)| n != name).cloned().collect()
    };
    assert!(!verify(
        "GET",
        &url,
        None,
        &without("oauth_signature"),
        &cs,
        None
    ));
    assert!(!verify(
        "GET",
        &url,
        None,
        &without("oauth_signature_method"),
        &cs,
        None
    ));

    let mut dup = good.clone();
    dup.push(good[0].clone());
    assert!(!verify("GET", &url, None, &dup, &cs, None));

    let mut bad_b64 = without("oauth_signature");
    bad_b64.push(("oauth_signature".into(), "not base64!".into()));
    assert!(!verify("GET", &url, None, &bad_b64, &cs, None));

    let mut plaintext = without("oauth_signature_method");
    plaintext.push(("oauth_signature_method".into(), "PLAINTEXT".into()));
    assert!(!verify("GET", &url, None, &plaintext, &cs, None));

    let mut version = without("oauth_version");
    assert!(!verify("GET", &url, None, &version, &cs, None));
    version.push(("oauth_version".into(), "2.0".into()));
    assert!(!verify("GET", &url, None, &version, &cs, None));
}
