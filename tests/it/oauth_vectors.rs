//! Public OAuth 1.0a test vectors and edge cases for `sevendigital::oauth`.
//!
//! Every expected base string below is either quoted from its source or was
//! derived by hand from the rules of RFC 5849 §3.4.1 (never by calling
//! `base_string` to produce the expectation).

use std::sync::Arc;

use percent_encoding::percent_decode_str;
use sevendigital::oauth::{
    Consumer, FixedClock, FixedNonce, Secret, SignedParams, Signer, Token, base_string, hmac_sha1,
    parse_authorization_header, percent_encode, verify,
};
use url::{Url, form_urlencoded};

type Pairs = Vec<(String, String)>;

fn pairs(list: &[(&str, &str)]) -> Pairs {
    list.iter()
        .map(|&(n, v)| (n.to_owned(), v.to_owned()))
        .collect()
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn fixed_signer(key: &str, secret: &str, timestamp: u64, nonce: &str) -> Signer {
    Signer::new(Consumer::new(key, secret))
        .with_clock(Arc::new(FixedClock(timestamp)))
        .with_nonce(Arc::new(FixedNonce::new(nonce)))
}

// ---------------------------------------------------------------------------
// RFC 5849 (https://www.rfc-editor.org/rfc/rfc5849)
// ---------------------------------------------------------------------------

/// RFC 5849 §3.4.1.1 worked example (also §3.1 and §3.4.1.3.2).
const RFC_3411_BASE: &str = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q\
%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_\
key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m\
ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk\
9d7dh3k39sjv7";

#[test]
fn rfc5849_3_4_1_1_base_string() {
    let url = url("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b");
    // The entity-body `c2&a3=2+q`, decoded as application/x-www-form-urlencoded.
    let form: Vec<(String, String)> = form_urlencoded::parse(b"c2&a3=2+q").into_owned().collect();
    assert_eq!(form, pairs(&[("c2", ""), ("a3", "2 q")]));
    // The Authorization header of the example, realm and signature included:
    // both must be left out of the base string.
    let oauth = parse_authorization_header(
        "OAuth realm=\"Example\",\n oauth_consumer_key=\"9djdj82h48djs9d2\",\n \
         oauth_token=\"kkk9d7dh3k39sjv7\",\n oauth_signature_method=\"HMAC-SHA1\",\n \
         oauth_timestamp=\"137131201\",\n oauth_nonce=\"7d8f3e4a\",\n \
         oauth_signature=\"djosJKDKJSD8743243%2Fjdk33klY%3D\"",
    )
    .unwrap();
    assert_eq!(oauth.len(), 7);
    assert_eq!(
        base_string("POST", &url, Some(&form), &oauth),
        RFC_3411_BASE
    );

    // The RFC prints `bYT5CMsGcbgUdFHObYMEfcx6bsw=` for this request, which is
    // wrong: verified erratum 2550 corrects it to the value below (also what
    // `openssl dgst -sha1 -hmac 'j49sk3j29djd&dh893hdasih9'` gives).
    let sig = hmac_sha1(
        RFC_3411_BASE,
        &Secret::new("j49sk3j29djd"),
        Some(&Secret::new("dh893hdasih9")),
    );
    assert_eq!(sig, "r6/TJjbCOr97/+UU0NsvSne7s5g=");

    let mut received = oauth.clone();
    for (name, value) in &mut received {
        if name == "oauth_signature" {
            *value = sig.clone();
        }
    }
    assert!(verify(
        "POST",
        &url,
        Some(&form),
        &received,
        &Secret::new("j49sk3j29djd"),
        Some(&Secret::new("dh893hdasih9")),
    ));
}

/// RFC 5849 §1.2: the three signed requests of the photo-printing example
/// (no `oauth_version`; `realm` is in the header but not signed).
#[test]
fn rfc5849_1_2_examples() {
    let cs = Secret::new("kd94hf93k423kf44");

    // Temporary credential request.
    let initiate = url("https://photos.example.net/initiate");
    let oauth = pairs(&[
        ("realm", "Photos"),
        ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", "137131200"),
        ("oauth_nonce", "wIjqoS"),
        ("oauth_callback", "http://printer.example.com/ready"),
    ]);
    let base = base_string("POST", &initiate, None, &oauth);
    assert_eq!(
        base,
        "POST&https%3A%2F%2Fphotos.example.net%2Finitiate&oauth_callback%3Dhttp%253A%252F%252F\
         printer.example.com%252Fready%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D\
         wIjqoS%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131200"
    );
    assert_eq!(hmac_sha1(&base, &cs, None), "74KNZJeDHnMBp0EMJ9ZHt/XKycU=");

    // Token request with the verifier.
    let token_url = url("https://photos.example.net/token");
    let oauth = pairs(&[
        ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
        ("oauth_token", "hh5s93j4hdidpola"),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", "137131201"),
        ("oauth_nonce", "walatlh"),
        ("oauth_verifier", "hfdp7dh39dks9884"),
    ]);
    let base = base_string("POST", &token_url, None, &oauth);
    assert_eq!(
        hmac_sha1(&base, &cs, Some(&Secret::new("hdhd0244k9j7ao03"))),
        "gKgrFCywp7rO0OXSjdot/IHF7IU="
    );

    // Protected resource.
    let photos = url("http://photos.example.net/photos?file=vacation.jpg&size=original");
    let oauth = pairs(&[
        ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
        ("oauth_token", "nnch734d00sl2jdk"),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", "137131202"),
        ("oauth_nonce", "chapoH"),
    ]);
    let base = base_string("GET", &photos, None, &oauth);
    assert_eq!(
        base,
        "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3D\
         dpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26\
         oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal"
    );
    assert_eq!(
        hmac_sha1(&base, &cs, Some(&Secret::new("pfkkdhi9sl3r4s00"))),
        "MdpQcU8iPSUjWoN/UDMsK2sui9I="
    );
}

/// RFC 5849 §3.4.1.2 base string URI examples.
#[test]
fn rfc5849_3_4_1_2_base_string_uri() {
    assert_eq!(
        base_string(
            "GET",
            &url("http://EXAMPLE.COM:80/r%20v/X?id=123"),
            None,
            &[]
        ),
        "GET&http%3A%2F%2Fexample.com%2Fr%2520v%2FX&id%3D123"
    );
    assert_eq!(
        base_string("GET", &url("https://www.example.net:8080/?q=1"), None, &[]),
        "GET&https%3A%2F%2Fwww.example.net%3A8080%2F&q%3D1"
    );
}

// ---------------------------------------------------------------------------
// OAuth Core 1.0 Appendix A.5 (https://oauth.net/core/1.0a/#anchor30, also
// wiki.oauth.net/TestCases): the "photos" example with oauth_version=1.0.
// ---------------------------------------------------------------------------

const CORE_A5_BASE: &str = "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg\
%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh\
%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096\
%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal";

#[test]
fn oauth_core_a5_photos_example() {
    let photos = url("http://photos.example.net/photos?file=vacation.jpg&size=original");
    let signer = fixed_signer(
        "dpf43f3p2l4k3l03",
        "kd94hf93k423kf44",
        1191242096,
        "kllo9940pd9333jh",
    );
    let token = Token::new("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
    let signed = signer.sign("GET", &photos, None, Some(&token), &[]);

    let unsigned: Vec<(String, String)> = signed
        .pairs()
        .iter()
        .filter(|(n, _)| n != "oauth_signature")
        .cloned()
        .collect();
    assert_eq!(base_string("GET", &photos, None, &unsigned), CORE_A5_BASE);
    assert_eq!(
        hmac_sha1(
            CORE_A5_BASE,
            &Secret::new("kd94hf93k423kf44"),
            Some(&Secret::new("pfkkdhi9sl3r4s00"))
        ),
        "tR3+Ty81lMeYAr/Fid0kMTYa/WM="
    );
    assert_eq!(signed.signature(), "tR3+Ty81lMeYAr/Fid0kMTYa/WM=");
}

// ---------------------------------------------------------------------------
// Twitter/X developer docs, "Creating a signature"
// (https://developer.twitter.com/en/docs/authentication/oauth-1-0a/creating-a-signature).
// The signature for the /1.1/ URL is hCtSmYh+iHYCEqBWrE7C7hYmtUk= (the page
// still prints tnnArxj06cWHq44gCs1OSKk/jLY=, computed for the older /1/ URL).
// ---------------------------------------------------------------------------

const TW_KEY: &str = "xvz1evFS4wEEPTGEFPHBog";
const TW_SECRET: &str = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
const TW_TOKEN: &str = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb";
const TW_TOKEN_SECRET: &str = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";
const TW_NONCE: &str = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg";
const TW_TIMESTAMP: u64 = 1318622958;

fn twitter_signer() -> (Signer, Token) {
    (
        fixed_signer(TW_KEY, TW_SECRET, TW_TIMESTAMP, TW_NONCE),
        Token::new(TW_TOKEN, TW_TOKEN_SECRET),
    )
}

#[test]
fn twitter_creating_a_signature() {
    let (signer, token) = twitter_signer();
    let update = url("https://api.twitter.com/1.1/statuses/update.json?include_entities=true");
    // Body: status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21
    let form: Vec<(String, String)> = form_urlencoded::parse(
        b"status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21",
    )
    .into_owned()
    .collect();
    assert_eq!(
        form,
        pairs(&[(
            "status",
            "Hello Ladies + Gentlemen, a signed OAuth request!"
        )])
    );
    let signed = signer.sign("POST", &update, Some(&form), Some(&token), &[]);

    let unsigned: Vec<(String, String)> = signed
        .pairs()
        .iter()
        .filter(|(n, _)| n != "oauth_signature")
        .cloned()
        .collect();
    assert_eq!(
        base_string("POST", &update, Some(&form), &unsigned),
        "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue\
         %26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2p\
         TgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_to\
         ken%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHe\
         llo%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521"
    );
    assert_eq!(signed.signature(), "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
    assert_eq!(
        signed.authorization_header(),
        "OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", \
         oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", \
         oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1318622958\", \
         oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", \
         oauth_version=\"1.0\", oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\""
    );
}

// ---------------------------------------------------------------------------
// Vectors from the `oauth1-request` crate, v0.6.1, src/serializer.rs, test
// `serialize` (https://github.com/tesaguri/oauth1-request-rs); same Twitter
// credentials, nonce and timestamp, oauth_version=1.0.
// ---------------------------------------------------------------------------

#[test]
fn oauth1_request_crate_vectors() {
    let (signer, token) = twitter_signer();
    let cases = [
        (
            "GET",
            "https://stream.twitter.com/1.1/statuses/sample.json?stall_warnings=true",
            "OGQqcy4l5xWBFX7t0DrkP5/D0rM=",
        ),
        (
            "POST",
            "https://example.com/post.json",
            "pN52L1gJ6sOyYOyv23cwfWFsIZc=",
        ),
        (
            "GET",
            "https://example.com/get.json?bar=%E9%85%92%E5%A0%B4&foo=%E3%81%B5%E3%83%BC",
            "Xp35hf3T21yhpEuxez7p6bV62Bw=",
        ),
    ];
    for (method, u, expected) in cases {
        let signed = signer.sign(method, &url(u), None, Some(&token), &[]);
        assert_eq!(signed.signature(), expected, "{method} {u}");
    }
    // The non-ASCII case, by hand: bar=酒場 and foo=ふー, UTF-8 then encoded twice.
    let oauth = pairs(&[("oauth_nonce", "n")]);
    assert_eq!(
        base_string(
            "GET",
            &url("https://example.com/get.json?foo=%E3%81%B5%E3%83%BC&bar=%E9%85%92%E5%A0%B4"),
            None,
            &oauth
        ),
        "GET&https%3A%2F%2Fexample.com%2Fget.json&bar%3D%25E9%2585%2592%25E5%25A0%25B4\
         %26foo%3D%25E3%2581%25B5%25E3%2583%25BC%26oauth_nonce%3Dn"
    );
}

// ---------------------------------------------------------------------------
// Edge cases (expected strings derived by hand from RFC 5849 §3.4.1).
// ---------------------------------------------------------------------------

#[test]
fn repeated_and_empty_parameters() {
    // a=2, a=1, a=10, b=, a=, c (no `=`): sorted by name then value bytes.
    let u = url("http://example.com/p?a=2&a=1&a=10&b=&a=&c");
    let oauth = pairs(&[("oauth_nonce", "n")]);
    assert_eq!(
        base_string("GET", &u, None, &oauth),
        "GET&http%3A%2F%2Fexample.com%2Fp&a%3D%26a%3D1%26a%3D10%26a%3D2%26b%3D%26c%3D%26oauth_nonce%3Dn"
    );
    // Repeated parameter spread over query and body, identical pairs kept.
    let u = url("http://example.com/p?x=b&x=a");
    let form = pairs(&[("x", "a"), ("x", "")]);
    assert_eq!(
        base_string("POST", &u, Some(&form), &[]),
        "POST&http%3A%2F%2Fexample.com%2Fp&x%3D%26x%3Da%26x%3Da%26x%3Db"
    );
}

#[test]
fn sorted_by_encoded_bytes() {
    // Raw `/` (0x2F) sorts after `.` (0x2E), but its encoding `%2F` sorts
    // before `.`; upper case sorts before lower case; a prefix sorts first.
    let u = url("http://example.com/?a.=1&a/=2&B=3&a=4&v=.&v=/");
    assert_eq!(
        base_string("GET", &u, None, &[]),
        "GET&http%3A%2F%2Fexample.com%2F&B%3D3%26a%3D4%26a%252F%3D2%26a.%3D1%26v%3D%252F%26v%3D."
    );
    // Names sharing their first 8 bytes, and names that are prefixes of others.
    let u = url("http://example.com/?abcdefgh2=x&abcdefgh1=b&abcdefgh=z&abcdefg=y&abcdefgh1=a");
    assert_eq!(
        base_string("GET", &u, None, &[]),
        "GET&http%3A%2F%2Fexample.com%2F&abcdefg%3Dy%26abcdefgh%3Dz%26abcdefgh1%3Da\
         %26abcdefgh1%3Db%26abcdefgh2%3Dx"
    );
}

#[test]
fn signer_extra_params_encoded_and_sorted() {
    // An extra protocol parameter with a non-ASCII name sorts before
    // `oauth_consumer_key` (`%` < `c`); `realm` is sent but not signed.
    let signer = fixed_signer("ck", "cs", 1, "n");
    let u = url("http://example.com/?b=1");
    let signed = signer.sign("GET", &u, None, None, &[("oauth_é", "a b"), ("realm", "R")]);
    let base = "GET&http%3A%2F%2Fexample.com%2F&b%3D1%26oauth_%25C3%25A9%3Da%2520b\
                %26oauth_consumer_key%3Dck%26oauth_nonce%3Dn%26oauth_signature_method%3DHMAC-SHA1\
                %26oauth_timestamp%3D1%26oauth_version%3D1.0";
    assert_eq!(base_string("GET", &u, None, signed.pairs()), base);
    // Expected value from `openssl dgst -sha1 -hmac 'cs&'` over `base`.
    assert_eq!(signed.signature(), "AMbjnVx8iBepQVCkwUc4hqtJ5N8=");
    assert_eq!(
        hmac_sha1(base, &Secret::new("cs"), None),
        signed.signature()
    );
    assert_eq!(
        signed.authorization_header(),
        "OAuth oauth_consumer_key=\"ck\", oauth_nonce=\"n\", \
         oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1\", oauth_version=\"1.0\", \
         oauth_%C3%A9=\"a%20b\", realm=\"R\", \
         oauth_signature=\"AMbjnVx8iBepQVCkwUc4hqtJ5N8%3D\""
    );
    let received = parse_authorization_header(&signed.authorization_header()).unwrap();
    assert_eq!(received, signed.pairs());
    assert_eq!(signed.clone().into_pairs(), received);
    assert_eq!(signed.get("oauth_é"), Some("a b"));
    assert!(verify("GET", &u, None, &received, &Secret::new("cs"), None));
}

#[test]
fn reserved_and_non_ascii_characters() {
    // Query value: %2B -> '+', '*', '~', %25 -> '%', %20 -> ' ', 'é', '+' -> ' ', 🎵.
    let u = url("http://example.com/?q=%2B*~%25%20%C3%A9+%F0%9F%8E%B5");
    let form = pairs(&[("k é", "v*"), ("tilde", "~")]);
    assert_eq!(
        base_string("POST", &u, Some(&form), &[]),
        "POST&http%3A%2F%2Fexample.com%2F&k%2520%25C3%25A9%3Dv%252A\
         %26q%3D%252B%252A~%2525%2520%25C3%25A9%2520%25F0%259F%258E%25B5%26tilde%3D~"
    );
    assert_eq!(
        percent_encode("+*~% é🎵"),
        "%2B%2A~%25%20%C3%A9%F0%9F%8E%B5"
    );
}

#[test]
fn plus_in_query_is_a_space() {
    let u = url("http://example.com/?a=b+c&d=e%2Bf");
    assert_eq!(
        base_string("GET", &u, None, &[]),
        "GET&http%3A%2F%2Fexample.com%2F&a%3Db%2520c%26d%3De%252Bf"
    );
}

#[test]
fn form_body_counted_only_when_given() {
    let u = url("https://api.7digital.com/1.2/user/payment/card/select");
    let oauth = pairs(&[("oauth_consumer_key", "ck"), ("oauth_nonce", "n")]);
    let form = pairs(&[("cardId", "123")]);
    assert_eq!(
        base_string("POST", &u, Some(&form), &oauth),
        "POST&https%3A%2F%2Fapi.7digital.com%2F1.2%2Fuser%2Fpayment%2Fcard%2Fselect\
         &cardId%3D123%26oauth_consumer_key%3Dck%26oauth_nonce%3Dn"
    );
    // A JSON or multipart body is passed as None: nothing of it is signed.
    assert_eq!(
        base_string("POST", &u, None, &oauth),
        "POST&https%3A%2F%2Fapi.7digital.com%2F1.2%2Fuser%2Fpayment%2Fcard%2Fselect\
         &oauth_consumer_key%3Dck%26oauth_nonce%3Dn"
    );

    // Signed without a form body, it verifies without one and not with one.
    let signer = fixed_signer("ck", "cs", 1_700_000_000, "n");
    let signed = signer.sign("POST", &u, None, None, &[]);
    let cs = Secret::new("cs");
    assert!(verify("POST", &u, None, signed.pairs(), &cs, None));
    assert!(!verify("POST", &u, Some(&form), signed.pairs(), &cs, None));
    let signed = signer.sign("POST", &u, Some(&form), None, &[]);
    assert!(verify("POST", &u, Some(&form), signed.pairs(), &cs, None));
    assert!(!verify("POST", &u, None, signed.pairs(), &cs, None));
    let tampered = pairs(&[("cardId", "124")]);
    assert!(!verify(
        "POST",
        &u,
        Some(&tampered),
        signed.pairs(),
        &cs,
        None
    ));
}

#[test]
fn ports_and_case() {
    let cases = [
        (
            "get",
            "http://example.com:8080/a",
            "GET&http%3A%2F%2Fexample.com%3A8080%2Fa&",
        ),
        (
            "GET",
            "http://EXAMPLE.com:80/a",
            "GET&http%3A%2F%2Fexample.com%2Fa&",
        ),
        (
            "GET",
            "https://Example.COM:443/",
            "GET&https%3A%2F%2Fexample.com%2F&",
        ),
        (
            "GET",
            "HTTPS://EXAMPLE.COM",
            "GET&https%3A%2F%2Fexample.com%2F&",
        ),
        (
            "Post",
            "HTTP://EXAMPLE.COM/Path/A",
            "POST&http%3A%2F%2Fexample.com%2FPath%2FA&",
        ),
        (
            "GET",
            "https://example.com:80/",
            "GET&https%3A%2F%2Fexample.com%3A80%2F&",
        ),
        (
            "GET",
            "http://example.com:443/",
            "GET&http%3A%2F%2Fexample.com%3A443%2F&",
        ),
        (
            "GET",
            "http://example.com/a?#frag",
            "GET&http%3A%2F%2Fexample.com%2Fa&",
        ),
    ];
    for (method, u, expected) in cases {
        assert_eq!(base_string(method, &url(u), None, &[]), expected, "{u}");
    }
}

/// Splits a query the way a server would, percent-decoding with `decode`;
/// returns (request parameters, `oauth_*` parameters).
fn server_split(query: &str, decode: impl Fn(&str) -> String) -> (Pairs, Pairs) {
    let all: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(n), decode(v))
        })
        .collect();
    let (oauth, request) = all.into_iter().partition(|(n, _)| n.starts_with("oauth_"));
    (request, oauth)
}

fn form_decode(s: &str) -> String {
    form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .unwrap()
        .1
        .into_owned()
}

fn plain_decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8().unwrap().into_owned()
}

/// A nonce making the signature contain `+` (and so exercise its encoding).
fn sign_with_plus(
    method: &str,
    u: &Url,
    form: Option<&[(String, String)]>,
    token: &Token,
    extra: &[(&str, &str)],
) -> SignedParams {
    for i in 0..10_000 {
        let signer = fixed_signer("ck ü", "c&s+é", 1_700_000_000, &format!("nonce {i}+"));
        let signed = signer.sign(method, u, form, Some(token), extra);
        if signed.signature().contains('+') {
            return signed;
        }
    }
    panic!("no signature with '+' found");
}

#[test]
fn append_to_url_round_trip() {
    let original =
        url("https://api.7digital.com/1.2/release/search?q=deadmau5+%26+friends&country=GB");
    let token = Token::new("tok en", "t/s*e c");
    let extra = [("oauth_callback", "http://cb.example/x?y=1 2+3")];
    let signed = sign_with_plus("GET", &original, None, &token, &extra);

    let mut sent = original.clone();
    signed.append_to_url(&mut sent);
    let query = sent.query().unwrap();
    assert!(query.starts_with("q=deadmau5+%26+friends&country=GB&oauth_consumer_key=ck%20%C3%BC&"));
    assert!(
        !query["q=deadmau5+%26+friends".len()..].contains('+'),
        "{query}"
    );

    // Server decoding the query as application/x-www-form-urlencoded.
    let (request, oauth) = server_split(query, form_decode);
    assert_eq!(oauth, signed.pairs());
    assert_eq!(
        request,
        pairs(&[("q", "deadmau5 & friends"), ("country", "GB")])
    );
    let (cs, ts) = (Secret::new("c&s+é"), Secret::new("t/s*e c"));
    assert!(verify("GET", &sent, None, &oauth, &cs, Some(&ts)));
    // Url's own form-urlencoded parser sees the same parameters.
    let via_url: Vec<(String, String)> = sent
        .query_pairs()
        .into_owned()
        .filter(|(n, _)| n.starts_with("oauth_"))
        .collect();
    assert_eq!(via_url, signed.pairs());

    // Server using plain percent-decoding (no `+` to space): the protocol
    // parameters still come back exactly, since no `+` was emitted for them.
    let (_, oauth_plain) = server_split(query, plain_decode);
    assert_eq!(oauth_plain, signed.pairs());

    // Tampering with a request parameter breaks the signature.
    let mut tampered = sent.clone();
    tampered.set_query(Some(&query.replace("country=GB", "country=US")));
    assert!(!verify("GET", &tampered, None, &oauth, &cs, Some(&ts)));
}

#[test]
fn append_to_url_without_query() {
    let signer = fixed_signer("ck", "cs", 1, "n");
    let mut u = url("http://example.com/a#frag");
    let signed = signer.sign("GET", &u, None, None, &[]);
    signed.append_to_url(&mut u);
    // Expected signature from `openssl dgst -sha1 -hmac 'cs&'` over the base string.
    assert_eq!(signed.signature(), "cOeF1UvtfRZPvmDVx5frH9XHu4A=");
    assert_eq!(
        u.as_str(),
        "http://example.com/a?oauth_consumer_key=ck&oauth_nonce=n&oauth_signature_method=HMAC-SHA1\
         &oauth_timestamp=1&oauth_version=1.0&oauth_signature=cOeF1UvtfRZPvmDVx5frH9XHu4A%3D#frag"
    );
    assert!(verify(
        "GET",
        &u,
        None,
        signed.pairs(),
        &Secret::new("cs"),
        None
    ));
}

#[test]
fn authorization_header_round_trip() {
    let u = url("https://api.7digital.com/1.2/user/payment/card/select?shopId=34");
    let form = pairs(&[("cardId", "12 34+5"), ("note", "é🎵*")]);
    let token = Token::new("access", "tok/secret");
    let extra = [("oauth_verifier", "v=1&2"), ("oauth_callback", "oob")];
    let signed = sign_with_plus("POST", &u, Some(&form), &token, &extra);

    let header = signed.authorization_header();
    assert!(header.starts_with("OAuth oauth_consumer_key=\"ck%20%C3%BC\", oauth_nonce=\"nonce%20"));
    assert!(header.contains("oauth_verifier=\"v%3D1%262\", oauth_callback=\"oob\""));
    let received = parse_authorization_header(&header).unwrap();
    assert_eq!(received, signed.pairs());
    let (cs, ts) = (Secret::new("c&s+é"), Secret::new("tok/secret"));
    assert!(verify("POST", &u, Some(&form), &received, &cs, Some(&ts)));
    assert!(!verify("POST", &u, Some(&form), &received, &cs, None));
    assert!(!verify("PUT", &u, Some(&form), &received, &cs, Some(&ts)));
    let other = url("https://api.7digital.com/1.2/user/payment/card/select?shopId=35");
    assert!(!verify(
        "POST",
        &other,
        Some(&form),
        &received,
        &cs,
        Some(&ts)
    ));

    // A realm added by the client is parsed and ignored by verification.
    let with_realm = header.replacen("OAuth ", "OAuth realm=\"7digital\", ", 1);
    let received = parse_authorization_header(&with_realm).unwrap();
    assert_eq!(received[0], ("realm".to_owned(), "7digital".to_owned()));
    assert!(verify("POST", &u, Some(&form), &received, &cs, Some(&ts)));
}

#[test]
fn request_token_step_without_token() {
    // No token: key is `enc(consumer_secret)&`, no oauth_token sent.
    let signer = fixed_signer("ck", "c s", 1_700_000_000, "n");
    let u = url("https://api.7digital.com/1.2/oauth/requesttoken");
    let signed = signer.sign("GET", &u, None, None, &[("oauth_callback", "oob")]);
    assert_eq!(signed.get("oauth_token"), None);
    let unsigned: Vec<(String, String)> = signed
        .pairs()
        .iter()
        .filter(|(n, _)| n != "oauth_signature")
        .cloned()
        .collect();
    let base = base_string("GET", &u, None, &unsigned);
    assert_eq!(
        base,
        "GET&https%3A%2F%2Fapi.7digital.com%2F1.2%2Foauth%2Frequesttoken&oauth_callback%3Doob\
         %26oauth_consumer_key%3Dck%26oauth_nonce%3Dn%26oauth_signature_method%3DHMAC-SHA1\
         %26oauth_timestamp%3D1700000000%26oauth_version%3D1.0"
    );
    assert_eq!(
        signed.signature(),
        hmac_sha1(&base, &Secret::new("c s"), None)
    );
    // hmac_sha1 with an empty token secret equals no token secret.
    assert_eq!(
        hmac_sha1(&base, &Secret::new("c s"), Some(&Secret::new(""))),
        signed.signature()
    );
    assert!(verify(
        "GET",
        &u,
        None,
        signed.pairs(),
        &Secret::new("c s"),
        None
    ));
}

#[test]
fn secrets_never_printed() {
    let consumer = Consumer::new("consumer-key", "CONSUMER-SECRET-1");
    let token = Token::new("token-key", "TOKEN-SECRET-2");
    let signer = Signer::new(consumer.clone());
    let signed = signer.sign("GET", &url("https://example.com/"), None, Some(&token), &[]);
    let secret = Secret::new("PLAIN-SECRET-3");
    let outputs = [
        format!("{consumer:?}"),
        format!("{consumer:#?}"),
        format!("{token:?}"),
        format!("{token:#?}"),
        format!("{signer:?}"),
        format!("{signer:#?}"),
        format!("{signed:?}"),
        format!("{secret:?}"),
        format!("{secret}"),
    ];
    for out in &outputs {
        for s in ["CONSUMER-SECRET", "TOKEN-SECRET", "PLAIN-SECRET"] {
            assert!(!out.contains(s), "{out}");
        }
    }
    assert_eq!(format!("{secret}"), "[redacted]");
    assert_eq!(format!("{secret:?}"), "[redacted]");
    assert!(outputs[0].contains("consumer-key"));
}
