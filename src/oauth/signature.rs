//! HMAC-SHA1 request signing and verification (RFC 5849 §3.4).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::percent_decode_str;
use sha1::Sha1;
use url::Url;
use url::form_urlencoded;

use super::clock::{Clock, NonceSource, RandomNonce, SystemClock};
use super::encode::push_encoded;
use super::secret::{Consumer, Secret, Token};

type HmacSha1 = Hmac<Sha1>;

/// The value of `oauth_signature_method` produced and accepted by this module.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";

/// The value of `oauth_version` sent by [`Signer::sign`].
pub const OAUTH_VERSION: &str = "1.0";

/// Protocol parameters the [`Signer`] sets itself; `extra` entries with these
/// names are ignored.
const MANAGED: [&str; 7] = [
    "oauth_consumer_key",
    "oauth_nonce",
    "oauth_signature",
    "oauth_signature_method",
    "oauth_timestamp",
    "oauth_token",
    "oauth_version",
];

/// Encoded name/value pairs kept in one buffer and sorted by index, so that
/// normalising parameters costs two allocations whatever their number.
struct Normalizer {
    buf: String,
    items: Vec<(usize, usize, usize)>,
}

impl Normalizer {
    fn with_capacity(items: usize, bytes: usize) -> Self {
        Normalizer {
            buf: String::with_capacity(bytes),
            items: Vec::with_capacity(items),
        }
    }

    /// Records one decoded parameter, percent-encoded (RFC 5849 §3.4.1.3.2 step 1).
    fn add(&mut self, name: &str, value: &str) {
        let start = self.buf.len();
        push_encoded(&mut self.buf, name);
        let mid = self.buf.len();
        push_encoded(&mut self.buf, value);
        self.items.push((start, mid, self.buf.len()));
    }

    /// Sorts (step 2), joins (steps 3 and 4) and appends the result, itself
    /// percent-encoded as RFC 5849 §3.4.1.1 step 5 requires, to `out`.
    fn write_encoded(mut self, out: &mut String) {
        let buf = self.buf.as_bytes();
        self.items.sort_unstable_by(|a, b| {
            buf[a.0..a.1]
                .cmp(&buf[b.0..b.1])
                .then_with(|| buf[a.1..a.2].cmp(&buf[b.1..b.2]))
        });
        // The normalised string, encoded once more: `=` becomes `%3D`, `&`
        // becomes `%26`, and each `%` of the first encoding becomes `%25`.
        out.reserve(self.buf.len() + self.buf.len() / 2 + self.items.len() * 6);
        for (i, &(start, mid, end)) in self.items.iter().enumerate() {
            if i > 0 {
                out.push_str("%26");
            }
            push_encoded(out, &self.buf[start..mid]);
            out.push_str("%3D");
            push_encoded(out, &self.buf[mid..end]);
        }
    }
}

/// `s` in ASCII lower case, borrowed when it already is.
fn ascii_lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// `s` in ASCII upper case, borrowed when it already is.
fn ascii_upper(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(s.to_ascii_uppercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Appends the percent-encoded base string URI (RFC 5849 §3.4.1.2) of `url`.
fn push_encoded_base_uri(out: &mut String, url: &Url) {
    push_encoded(out, &ascii_lower(url.scheme()));
    out.push_str("%3A%2F%2F");
    if let Some(host) = url.host_str() {
        push_encoded(out, &ascii_lower(host));
    }
    // `Url::port` is `None` when the port is absent or the scheme's default
    // (80 for http, 443 for https), which is exactly when it must be left out.
    if let Some(port) = url.port() {
        // Writing to a String cannot fail.
        let _ = write!(out, "%3A{port}");
    }
    push_encoded(out, url.path());
}

/// Whether a request parameter from the query or body takes part in the base
/// string. `oauth_signature` never does; with `protocol_elsewhere`, no
/// `oauth_*` parameter does because the caller supplies them separately.
fn keep_request_param(name: &str, protocol_elsewhere: bool) -> bool {
    if protocol_elsewhere {
        !name.starts_with("oauth_")
    } else {
        name != "oauth_signature"
    }
}

/// Builds the signature base string; see [`base_string`].
fn build_base_string<'a>(
    method: &str,
    url: &Url,
    form_body: Option<&'a [(String, String)]>,
    oauth_params: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    protocol_elsewhere: bool,
) -> String {
    let query = url.query().unwrap_or("");
    let form = form_body.unwrap_or(&[]);
    let oauth_count = oauth_params.clone().count();
    let mut params = Normalizer::with_capacity(
        oauth_count + form.len() + query.bytes().filter(|&b| b == b'&').count() + 1,
        query.len() * 2 + oauth_count * 40 + form.len() * 32,
    );
    // RFC 5849 §3.4.1.3.1: the query is parsed as
    // application/x-www-form-urlencoded, so `+` decodes to a space.
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if keep_request_param(&name, protocol_elsewhere) {
            params.add(&name, &value);
        }
    }
    for (name, value) in form {
        if keep_request_param(name, protocol_elsewhere) {
            params.add(name, value);
        }
    }
    for (name, value) in oauth_params {
        if name != "oauth_signature" && name != "realm" {
            params.add(name, value);
        }
    }

    let mut out =
        String::with_capacity(method.len() + 3 * url.as_str().len() + 2 * params.buf.len() + 8);
    push_encoded(&mut out, &ascii_upper(method));
    out.push('&');
    push_encoded_base_uri(&mut out, url);
    out.push('&');
    params.write_encoded(&mut out);
    out
}

/// The RFC 5849 §3.4.1 signature base string of a request.
///
/// * `method` is upper-cased (ASCII) and percent-encoded.
/// * The base string URI keeps the lower-cased scheme and host, the port only
///   when it is not the scheme's default (80 for http, 443 for https), and the
///   path as it appears in `url`; user info, query and fragment are dropped.
/// * The parameters are the query of `url`, decoded as
///   `application/x-www-form-urlencoded` as RFC 5849 §3.4.1.3.1 requires (so a
///   `+` in the query means a space; a literal plus must be sent as `%2B`),
///   followed by `form_body` and `oauth_params`.
/// * `form_body` holds the decoded pairs of an `application/x-www-form-urlencoded`
///   body. Pass `None` for any other body (JSON, multipart, none): such bodies
///   are not signed.
/// * `oauth_params` are the protocol parameters. `realm` is left out of them,
///   and `oauth_signature` is left out wherever it appears.
///
/// Every name and value is percent-encoded ([`percent_encode`](super::percent_encode)),
/// the pairs are sorted by encoded name then encoded value (byte order,
/// duplicates kept), joined as `name=value` with `&`, and the three parts are
/// each percent-encoded and joined with `&`.
pub fn base_string(
    method: &str,
    url: &Url,
    form_body: Option<&[(String, String)]>,
    oauth_params: &[(String, String)],
) -> String {
    build_base_string(
        method,
        url,
        form_body,
        oauth_params.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        false,
    )
}

/// The HMAC-SHA1 signing key: `enc(consumer_secret) & enc(token_secret)`.
fn signing_key(consumer_secret: &str, token_secret: Option<&str>) -> Secret {
    let ts = token_secret.unwrap_or("");
    let mut key = String::with_capacity((consumer_secret.len() + ts.len()) * 3 + 1);
    push_encoded(&mut key, consumer_secret);
    key.push('&');
    push_encoded(&mut key, ts);
    Secret::new(key)
}

/// An HMAC-SHA1 instance keyed with `key`.
fn keyed_mac(key: &Secret) -> Option<HmacSha1> {
    // HMAC accepts keys of any length, so this never fails in practice.
    <HmacSha1 as KeyInit>::new_from_slice(key.expose().as_bytes()).ok()
}

/// HMAC-SHA1 of `base_string` with an already built key, base64-encoded.
fn sign_with_key(base_string: &str, key: &Secret) -> String {
    let Some(mut mac) = keyed_mac(key) else {
        // Unreachable (see `keyed_mac`); an empty signature never verifies.
        return String::new();
    };
    mac.update(base_string.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// The RFC 5849 §3.4.2 HMAC-SHA1 signature of `base_string`.
///
/// The key is the percent-encoded consumer secret, `&`, and the percent-encoded
/// token secret (empty when there is no token). The result is the standard,
/// padded base64 encoding of the 20-byte digest, ready to be sent as
/// `oauth_signature`.
pub fn hmac_sha1(
    base_string: &str,
    consumer_secret: &Secret,
    token_secret: Option<&Secret>,
) -> String {
    let key = signing_key(consumer_secret.expose(), token_secret.map(Secret::expose));
    sign_with_key(base_string, &key)
}

/// Signs requests on behalf of one consumer (client).
///
/// Timestamps and nonces come from the injected [`Clock`] and [`NonceSource`]
/// (by default [`SystemClock`] and [`RandomNonce`]). The derived `Debug`
/// redacts every secret.
///
/// ```
/// use std::sync::Arc;
/// use sevendigital::oauth::{Consumer, FixedClock, FixedNonce, Signer};
///
/// let signer = Signer::new(Consumer::new("key", "secret"))
///     .with_clock(Arc::new(FixedClock(1_700_000_000)))
///     .with_nonce(Arc::new(FixedNonce::new("abc")));
/// let url = url::Url::parse("https://api.7digital.com/1.2/release/details?releaseId=1").unwrap();
/// let signed = signer.sign("GET", &url, None, None, &[]);
/// assert!(signed.authorization_header().starts_with("OAuth oauth_consumer_key=\"key\""));
/// ```
#[derive(Clone, Debug)]
pub struct Signer {
    consumer: Consumer,
    /// `enc(consumer_secret) & `, the token-independent start of the key.
    key_prefix: Secret,
    clock: Arc<dyn Clock>,
    nonce: Arc<dyn NonceSource>,
}

impl Signer {
    /// A signer for `consumer` using the system clock and random nonces.
    pub fn new(consumer: Consumer) -> Self {
        let key_prefix = signing_key(consumer.secret().expose(), None);
        Signer {
            consumer,
            key_prefix,
            clock: Arc::new(SystemClock),
            nonce: Arc::new(RandomNonce),
        }
    }

    /// Replaces the source of `oauth_timestamp`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Replaces the source of `oauth_nonce`.
    pub fn with_nonce(mut self, nonce: Arc<dyn NonceSource>) -> Self {
        self.nonce = nonce;
        self
    }

    /// The client credentials this signer uses.
    pub fn consumer(&self) -> &Consumer {
        &self.consumer
    }

    /// Signs a request and returns its protocol parameters.
    ///
    /// `url` is the full request URL including its query parameters, which are
    /// signed. `form_body` is the decoded body when (and only when) it is sent as
    /// `application/x-www-form-urlencoded`; pass `None` for JSON, multipart or
    /// empty bodies. `token` adds `oauth_token` and its secret to the key.
    /// `extra` holds further protocol parameters such as `oauth_callback` or
    /// `oauth_verifier`; entries naming a parameter the signer sets itself
    /// (`oauth_consumer_key`, `oauth_nonce`, `oauth_signature`,
    /// `oauth_signature_method`, `oauth_timestamp`, `oauth_token`,
    /// `oauth_version`) are ignored.
    ///
    /// The query of `url` must not already carry `oauth_*` parameters: send the
    /// returned ones in exactly one place (header or query), as RFC 5849 §3.5 requires.
    pub fn sign(
        &self,
        method: &str,
        url: &Url,
        form_body: Option<&[(String, String)]>,
        token: Option<&Token>,
        extra: &[(&str, &str)],
    ) -> SignedParams {
        let mut pairs: Vec<(String, String)> = Vec::with_capacity(8 + extra.len());
        pairs.push((
            "oauth_consumer_key".to_owned(),
            self.consumer.key().to_owned(),
        ));
        pairs.push(("oauth_nonce".to_owned(), self.nonce.nonce()));
        pairs.push((
            "oauth_signature_method".to_owned(),
            SIGNATURE_METHOD.to_owned(),
        ));
        pairs.push((
            "oauth_timestamp".to_owned(),
            self.clock.now_unix().to_string(),
        ));
        if let Some(token) = token {
            pairs.push(("oauth_token".to_owned(), token.token().to_owned()));
        }
        pairs.push(("oauth_version".to_owned(), OAUTH_VERSION.to_owned()));
        for &(name, value) in extra {
            if !MANAGED.contains(&name) {
                pairs.push((name.to_owned(), value.to_owned()));
            }
        }

        let base = build_base_string(
            method,
            url,
            form_body,
            pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            false,
        );
        let signature = match token {
            None => sign_with_key(&base, &self.key_prefix),
            Some(token) => {
                let prefix = self.key_prefix.expose();
                let ts = token.secret().expose();
                let mut key = String::with_capacity(prefix.len() + ts.len() * 3);
                key.push_str(prefix);
                push_encoded(&mut key, ts);
                sign_with_key(&base, &Secret::new(key))
            }
        };
        pairs.push(("oauth_signature".to_owned(), signature));
        SignedParams { pairs }
    }
}

/// The protocol parameters of a signed request, `oauth_signature` included.
///
/// Holds no secret (the signature is not one), so the derived `Debug` is safe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedParams {
    pairs: Vec<(String, String)>,
}

impl SignedParams {
    /// The `(name, value)` pairs, decoded, `oauth_signature` last.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The value of parameter `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The base64 `oauth_signature` value (not percent-encoded).
    pub fn signature(&self) -> &str {
        self.get("oauth_signature").unwrap_or("")
    }

    /// Consumes `self`, returning the pairs.
    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.pairs
    }

    /// Appends the parameters to the query of `url` (RFC 5849 §3.5.3).
    ///
    /// Names and values are percent-encoded with the RFC 3986 unreserved set, so
    /// a space is sent as `%20` and a plus as `%2B`: a server decoding the query
    /// as `application/x-www-form-urlencoded` (where `+` means space) and one
    /// using plain percent-decoding both get the exact values back. Existing
    /// query parameters are kept as they are.
    pub fn append_to_url(&self, url: &mut Url) {
        let existing = url.query().unwrap_or("");
        let mut query = String::with_capacity(existing.len() + 1 + self.encoded_len());
        query.push_str(existing);
        for (name, value) in &self.pairs {
            if !query.is_empty() && !query.ends_with('&') {
                query.push('&');
            }
            push_encoded(&mut query, name);
            query.push('=');
            push_encoded(&mut query, value);
        }
        url.set_query(Some(&query));
    }

    /// The value of an HTTP `Authorization` header (RFC 5849 §3.5.1):
    /// `OAuth name="value", ...`, with names and values percent-encoded and no
    /// `realm`.
    pub fn authorization_header(&self) -> String {
        let mut out = String::with_capacity(6 + self.encoded_len() + self.pairs.len() * 4);
        out.push_str("OAuth ");
        for (i, (name, value)) in self.pairs.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            push_encoded(&mut out, name);
            out.push_str("=\"");
            push_encoded(&mut out, value);
            out.push('"');
        }
        out
    }

    /// A capacity estimate for the encoded pairs.
    fn encoded_len(&self) -> usize {
        self.pairs
            .iter()
            .map(|(n, v)| n.len() + v.len() + v.len() / 2 + 2)
            .sum()
    }
}

/// Checks an HMAC-SHA1 signed request, as a server would (RFC 5849 §3.2).
///
/// `params` must hold every `oauth_*` parameter received, wherever it was sent
/// (Authorization header, query or form body), `oauth_signature` included; a
/// `realm` entry is allowed and ignored. Because RFC 5849 §3.5 puts all `oauth_*`
/// parameters in exactly one place, `oauth_*` pairs found in the query of `url`
/// or in `form_body` are not counted again: `url` may be the request URL as
/// received. `form_body` follows the rules of [`base_string`].
///
/// Returns `false` when `oauth_signature` is missing, repeated or not valid
/// base64, when `oauth_signature_method` is not `HMAC-SHA1`, when a protocol
/// parameter appears twice, or when the signature does not match. The
/// comparison is constant-time. Timestamps and nonces are not checked.
pub fn verify(
    method: &str,
    url: &Url,
    form_body: Option<&[(String, String)]>,
    params: &[(String, String)],
    consumer_secret: &Secret,
    token_secret: Option<&Secret>,
) -> bool {
    for (i, (name, _)) in params.iter().enumerate() {
        if params[..i].iter().any(|(other, _)| other == name) {
            return false;
        }
    }
    let find = |wanted: &str| {
        params
            .iter()
            .find(|(n, _)| n == wanted)
            .map(|(_, v)| v.as_str())
    };
    if find("oauth_signature_method") != Some(SIGNATURE_METHOD) {
        return false;
    }
    let Some(signature) = find("oauth_signature") else {
        return false;
    };
    let Ok(received) = STANDARD.decode(signature) else {
        return false;
    };
    let base = build_base_string(
        method,
        url,
        form_body,
        params.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        true,
    );
    let key = signing_key(consumer_secret.expose(), token_secret.map(Secret::expose));
    let Some(mut mac) = keyed_mac(&key) else {
        return false;
    };
    mac.update(base.as_bytes());
    mac.verify_slice(&received).is_ok()
}

/// Parses an `Authorization: OAuth ...` header value (RFC 5849 §3.5.1).
///
/// The auth-scheme `OAuth` is matched case-insensitively. Parameters are
/// `name="value"` (or `name=token`) separated by commas and optional
/// whitespace; names and values are percent-decoded (a `+` stays a `+`).
/// `realm` is returned like any other parameter. Returns `None` for another
/// scheme, malformed syntax, or values that do not decode to UTF-8.
pub fn parse_authorization_header(value: &str) -> Option<Vec<(String, String)>> {
    let value = value.trim_matches(is_lws);
    let scheme_end = value.find(is_lws).unwrap_or(value.len());
    if !value[..scheme_end].eq_ignore_ascii_case("OAuth") {
        return None;
    }
    let mut rest = &value[scheme_end..];
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c| is_lws(c) || c == ',');
        if rest.is_empty() {
            return Some(out);
        }
        let eq = rest.find('=')?;
        let name = rest[..eq].trim_end_matches(is_lws);
        if name.is_empty() || name.contains(|c| is_lws(c) || c == ',' || c == '"') {
            return None;
        }
        rest = rest[eq + 1..].trim_start_matches(is_lws);
        let raw: Cow<'_, str> = if let Some(quoted) = rest.strip_prefix('"') {
            let (unquoted, after) = split_quoted(quoted)?;
            rest = after;
            unquoted
        } else {
            let end = rest.find(|c| is_lws(c) || c == ',').unwrap_or(rest.len());
            let token = &rest[..end];
            if token.contains('"') {
                return None;
            }
            rest = &rest[end..];
            Cow::Borrowed(token)
        };
        rest = rest.trim_start_matches(is_lws);
        if !(rest.is_empty() || rest.starts_with(',')) {
            return None;
        }
        out.push((percent_decode(name)?, percent_decode(&raw)?));
    }
}

/// Linear whitespace inside a header value.
fn is_lws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Splits the contents of a quoted-string (opening quote already removed) from
/// what follows its closing quote, undoing backslash escapes.
fn split_quoted(s: &str) -> Option<(Cow<'_, str>, &str)> {
    let close = s.find(['"', '\\'])?;
    if s.as_bytes()[close] == b'"' {
        return Some((Cow::Borrowed(&s[..close]), &s[close + 1..]));
    }
    let mut unescaped = String::with_capacity(s.len());
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((Cow::Owned(unescaped), &s[i + 1..])),
            '\\' => unescaped.push(chars.next()?.1),
            _ => unescaped.push(c),
        }
    }
    None
}

fn percent_decode(s: &str) -> Option<String> {
    percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(Cow::into_owned)
}

#[cfg(test)]
mod tests {
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
            let mut out = String::new();
            push_encoded_base_uri(&mut out, &url);
            assert_eq!(out, expected, "{input}");
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
    }
}
