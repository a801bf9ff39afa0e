//! HMAC-SHA1 request signing and verification (RFC 5849 §3.4).

use std::borrow::Cow;
use std::fmt;
use std::io::Write as _;
use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{percent_decode, percent_decode_str};
use sha1::Sha1;
use url::Url;

use super::clock::{Clock, NonceSource, RandomNonce, SystemClock};
use super::encode::{ascii_to_string, push_encoded, push_form_reencoded, push_reencoded};
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

/// Which request parameters (from the query or the form body) take part in
/// the base string.
#[derive(Clone, Copy)]
enum RequestParams {
    /// All but `oauth_signature` (RFC 5849 §3.4.1.3.1).
    AllButSignature,
    /// None whose name starts with `oauth_`: the caller supplies the protocol
    /// parameters separately ([`verify`]).
    NoProtocol,
}

impl RequestParams {
    /// Whether a parameter with this name (decoded, or encoded: the tested
    /// prefixes are unreserved characters, identical in both forms) is kept.
    fn keeps(self, name: &[u8]) -> bool {
        match self {
            RequestParams::AllButSignature => name != b"oauth_signature",
            RequestParams::NoProtocol => !name.starts_with(b"oauth_"),
        }
    }
}

/// Whether a protocol parameter (name decoded, or encoded: both are
/// identical for these unreserved names) is left out of the base string.
fn is_unsigned_protocol_param(name: &[u8]) -> bool {
    name == b"oauth_signature" || name == b"realm"
}

/// Location of one encoded `name=value` pair in a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    start: usize,
    /// Index of the `=` (or the end of the name).
    mid: usize,
    end: usize,
    /// Whether name or value holds a `%XX` escape.
    escaped: bool,
}

impl Span {
    fn name<'b>(&self, buf: &'b [u8]) -> &'b [u8] {
        &buf[self.start..self.mid]
    }

    fn value<'b>(&self, buf: &'b [u8]) -> &'b [u8] {
        buf.get(self.mid + 1..self.end).unwrap_or(&[])
    }
}

/// One normalised parameter, kept in [`Normalizer::buf`] or, for the
/// protocol parameters of [`Signer::sign`], in the [`SignedParams`] buffer.
struct Item {
    /// The first 8 bytes of the encoded name, big-endian, zero-padded: orders
    /// like the name itself whenever two keys differ (an encoded name has no
    /// NUL byte, so padding sorts before any real byte).
    key: u64,
    span: Span,
    external: bool,
}

/// The parameters of a base string, percent-encoded once and sorted by
/// index, so that normalising them costs two allocations whatever their number.
struct Normalizer<'e> {
    buf: Vec<u8>,
    items: Vec<Item>,
    /// Buffer of the items marked `external`.
    external: &'e [u8],
}

impl<'e> Normalizer<'e> {
    fn with_capacity(items: usize, bytes: usize, external: &'e [u8]) -> Self {
        Normalizer {
            buf: Vec::with_capacity(bytes),
            items: Vec::with_capacity(items),
            external,
        }
    }

    fn push_item(&mut self, span: Span, external: bool) {
        let name = if external {
            span.name(self.external)
        } else {
            span.name(&self.buf)
        };
        let mut prefix = [0u8; 8];
        let n = name.len().min(8);
        prefix[..n].copy_from_slice(&name[..n]);
        self.items.push(Item {
            key: u64::from_be_bytes(prefix),
            span,
            external,
        });
    }

    /// Records one decoded parameter, percent-encoded (RFC 5849 §3.4.1.3.2 step 1).
    fn add(&mut self, name: &str, value: &str) {
        let start = self.buf.len();
        push_encoded(&mut self.buf, name.as_bytes());
        let mid = self.buf.len();
        self.buf.push(b'=');
        push_encoded(&mut self.buf, value.as_bytes());
        let end = self.buf.len();
        // Each escape makes the output 2 bytes longer than the input.
        let escaped = end - start != name.len() + value.len() + 1;
        self.push_item(
            Span {
                start,
                mid,
                end,
                escaped,
            },
            false,
        );
    }

    /// Records the parameters of an `application/x-www-form-urlencoded`
    /// string (a URL query), decoding and re-encoding them in one pass.
    fn add_form_urlencoded(&mut self, input: &[u8], filter: RequestParams) {
        for piece in input.split(|&b| b == b'&') {
            if piece.is_empty() {
                continue;
            }
            let (name, value) = match piece.iter().position(|&b| b == b'=') {
                Some(eq) => (&piece[..eq], &piece[eq + 1..]),
                None => (piece, &piece[piece.len()..]),
            };
            let start = self.buf.len();
            let name_escaped = push_form_reencoded(&mut self.buf, name);
            let mid = self.buf.len();
            if !filter.keeps(&self.buf[start..mid]) {
                self.buf.truncate(start);
                continue;
            }
            self.buf.push(b'=');
            let value_escaped = push_form_reencoded(&mut self.buf, value);
            let span = Span {
                start,
                mid,
                end: self.buf.len(),
                escaped: name_escaped || value_escaped,
            };
            self.push_item(span, false);
        }
    }

    /// Sorts (step 2), joins (steps 3 and 4) and appends the result, itself
    /// percent-encoded as RFC 5849 §3.4.1.1 step 5 requires, to `out`.
    fn write_encoded(mut self, out: &mut Vec<u8>) {
        let (own, external) = (&self.buf[..], self.external);
        let source = |item: &Item| if item.external { external } else { own };
        self.items.sort_unstable_by(|a, b| {
            a.key.cmp(&b.key).then_with(|| {
                let (sa, sb) = (source(a), source(b));
                a.span
                    .name(sa)
                    .cmp(b.span.name(sb))
                    .then_with(|| a.span.value(sa).cmp(b.span.value(sb)))
            })
        });
        // The normalised string, encoded once more: `=` becomes `%3D`, `&`
        // becomes `%26`, and each `%` of the first encoding becomes `%25`.
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(b"%26");
            }
            let src = source(item);
            if item.span.escaped {
                push_reencoded(out, item.span.name(src));
                out.extend_from_slice(b"%3D");
                push_reencoded(out, item.span.value(src));
            } else {
                out.extend_from_slice(item.span.name(src));
                out.extend_from_slice(b"%3D");
                out.extend_from_slice(item.span.value(src));
            }
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
fn push_encoded_base_uri(out: &mut Vec<u8>, url: &Url) {
    push_encoded(out, ascii_lower(url.scheme()).as_bytes());
    out.extend_from_slice(b"%3A%2F%2F");
    if let Some(host) = url.host_str() {
        push_encoded(out, ascii_lower(host).as_bytes());
    }
    // `Url::port` is `None` when the port is absent or the scheme's default
    // (80 for http, 443 for https), which is exactly when it must be left out.
    if let Some(port) = url.port() {
        // Writing to a Vec cannot fail.
        let _ = write!(out, "%3A{port}");
    }
    push_encoded(out, url.path().as_bytes());
}

/// The protocol parameters going into a base string.
#[derive(Clone, Copy)]
enum Protocol<'a> {
    /// Decoded pairs; `realm` and `oauth_signature` are skipped.
    Pairs(&'a [(String, String)]),
    /// Pairs already encoded in a buffer (from [`Signer::sign`]); `realm` is
    /// skipped.
    Encoded(&'a [u8], &'a [Span]),
}

/// Builds the signature base string (ASCII bytes); see [`base_string`].
fn build_base_string(
    method: &str,
    url: &Url,
    form_body: Option<&[(String, String)]>,
    protocol: Protocol<'_>,
    filter: RequestParams,
) -> Vec<u8> {
    let query = url.query().unwrap_or("").as_bytes();
    let form = form_body.unwrap_or(&[]);
    let (protocol_count, protocol_bytes, external) = match protocol {
        Protocol::Pairs(pairs) => (pairs.len(), pairs.len() * 40, &[][..]),
        Protocol::Encoded(buf, spans) => (spans.len(), 0, buf),
    };
    let query_count = query.iter().filter(|&&b| b == b'&').count() + 1;
    let mut params = Normalizer::with_capacity(
        protocol_count + form.len() + query_count,
        query.len() * 2 + protocol_bytes + form.len() * 32,
        external,
    );
    // RFC 5849 §3.4.1.3.1: the query is parsed as
    // application/x-www-form-urlencoded, so `+` decodes to a space.
    params.add_form_urlencoded(query, filter);
    for (name, value) in form {
        if filter.keeps(name.as_bytes()) {
            params.add(name, value);
        }
    }
    match protocol {
        Protocol::Pairs(pairs) => {
            for (name, value) in pairs {
                if !is_unsigned_protocol_param(name.as_bytes()) {
                    params.add(name, value);
                }
            }
        }
        Protocol::Encoded(buf, spans) => {
            for span in spans {
                if !is_unsigned_protocol_param(span.name(buf)) {
                    params.push_item(*span, true);
                }
            }
        }
    }

    let params_len = params.buf.len() + external.len();
    let mut out = Vec::with_capacity(
        method.len() + 3 * url.as_str().len() + params_len + params_len / 2 + 16,
    );
    push_encoded(&mut out, ascii_upper(method).as_bytes());
    out.push(b'&');
    push_encoded_base_uri(&mut out, url);
    out.push(b'&');
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
///   followed by `form_body` and `oauth_params`. Query bytes that do not
///   decode to UTF-8 are kept byte for byte.
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
    ascii_to_string(build_base_string(
        method,
        url,
        form_body,
        Protocol::Pairs(oauth_params),
        RequestParams::AllButSignature,
    ))
}

/// The HMAC-SHA1 signing key: `enc(consumer_secret) & enc(token_secret)`.
fn signing_key(consumer_secret: &str, token_secret: Option<&str>) -> Vec<u8> {
    let ts = token_secret.unwrap_or("");
    let mut key = Vec::with_capacity((consumer_secret.len() + ts.len()) * 3 + 1);
    push_encoded(&mut key, consumer_secret.as_bytes());
    key.push(b'&');
    push_encoded(&mut key, ts.as_bytes());
    key
}

/// An HMAC-SHA1 instance keyed with `key`.
fn keyed_mac(key: &[u8]) -> Option<HmacSha1> {
    // HMAC accepts keys of any length, so this never fails in practice.
    <HmacSha1 as KeyInit>::new_from_slice(key).ok()
}

/// The base64 HMAC-SHA1 digest of `base_string`, written into `out`.
fn finish_into(mut mac: HmacSha1, base_string: &[u8], out: &mut [u8; 28]) {
    mac.update(base_string);
    // A 20-byte digest is always 28 base64 characters, so this cannot fail.
    let _ = STANDARD.encode_slice(mac.finalize().into_bytes(), out);
}

/// HMAC-SHA1 of `base_string` with an already built key, base64-encoded.
fn sign_with_key(base_string: &[u8], key: &[u8]) -> String {
    let mut sig = [0u8; 28];
    match keyed_mac(key) {
        Some(mac) => finish_into(mac, base_string, &mut sig),
        // Unreachable (see `keyed_mac`); an empty signature never verifies.
        None => return String::new(),
    }
    ascii_to_string(sig.to_vec())
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
    sign_with_key(base_string.as_bytes(), &key)
}

/// Signs requests on behalf of one consumer (client).
///
/// Timestamps and nonces come from the injected [`Clock`] and [`NonceSource`]
/// (by default [`SystemClock`] and [`RandomNonce`]). `Debug` shows the
/// consumer key, the clock and the nonce source, never a secret.
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
#[derive(Clone)]
pub struct Signer {
    consumer: Consumer,
    /// The consumer key, percent-encoded.
    encoded_key: Vec<u8>,
    /// `enc(consumer_secret)&`: the signing key without a token, and the
    /// start of the key with one.
    key_prefix: Secret,
    /// HMAC already keyed with `key_prefix`, reused for token-less requests.
    consumer_mac: Option<HmacSha1>,
    clock: Arc<dyn Clock>,
    nonce: Arc<dyn NonceSource>,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Key material (`key_prefix`, `consumer_mac`) is left out.
        f.debug_struct("Signer")
            .field("consumer", &self.consumer)
            .field("clock", &self.clock)
            .field("nonce", &self.nonce)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// A signer for `consumer` using the system clock and random nonces.
    pub fn new(consumer: Consumer) -> Self {
        let key = signing_key(consumer.secret().expose(), None);
        let consumer_mac = keyed_mac(&key);
        let mut encoded_key = Vec::new();
        push_encoded(&mut encoded_key, consumer.key().as_bytes());
        Signer {
            consumer,
            encoded_key,
            key_prefix: Secret::new(ascii_to_string(key)),
            consumer_mac,
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

    /// The current time in seconds since the Unix epoch, from this signer's clock.
    pub fn now_unix(&self) -> u64 {
        self.clock.now_unix()
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
        let nonce = self.nonce.nonce();
        let mut digits = [0u8; 20];
        let timestamp = decimal(self.clock.now_unix(), &mut digits);

        let mut out = SignedParams::with_capacity(
            8 + extra.len(),
            200 + self.encoded_key.len() + nonce.len() + extra.len() * 48,
        );
        let key_escaped = self.encoded_key.len() != self.consumer.key().len();
        out.push_raw(b"oauth_consumer_key", &self.encoded_key, key_escaped);
        out.push(b"oauth_nonce", nonce.as_bytes());
        out.push_raw(
            b"oauth_signature_method",
            SIGNATURE_METHOD.as_bytes(),
            false,
        );
        out.push_raw(b"oauth_timestamp", timestamp, false);
        if let Some(token) = token {
            out.push(b"oauth_token", token.token().as_bytes());
        }
        out.push_raw(b"oauth_version", OAUTH_VERSION.as_bytes(), false);
        for &(name, value) in extra {
            if !MANAGED.contains(&name) {
                out.push(name.as_bytes(), value.as_bytes());
            }
        }

        let base = build_base_string(
            method,
            url,
            form_body,
            Protocol::Encoded(&out.encoded, &out.spans),
            RequestParams::AllButSignature,
        );
        let mut signature = [0u8; 28];
        let signed = match (token, &self.consumer_mac) {
            (None, Some(mac)) => {
                finish_into(mac.clone(), &base, &mut signature);
                true
            }
            (None, None) => false,
            (Some(token), _) => {
                let prefix = self.key_prefix.expose().as_bytes();
                let ts = token.secret().expose().as_bytes();
                let mut key = Vec::with_capacity(prefix.len() + ts.len() * 3);
                key.extend_from_slice(prefix);
                push_encoded(&mut key, ts);
                match keyed_mac(&key) {
                    Some(mac) => {
                        finish_into(mac, &base, &mut signature);
                        true
                    }
                    None => false,
                }
            }
        };
        // Unreachable `false` cases (see `keyed_mac`) send an empty signature,
        // which never verifies.
        let signature: &[u8] = if signed { &signature } else { &[] };
        out.push(b"oauth_signature", signature);
        out
    }
}

/// `n` in decimal, written at the end of `buf`.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

/// The protocol parameters of a signed request, `oauth_signature` included.
///
/// Holds no secret (the signature is not one), so `Debug` is safe; it shows
/// the decoded pairs.
#[derive(Clone)]
pub struct SignedParams {
    /// The pairs as `name=value`, percent-encoded, joined with `&` (ASCII):
    /// ready for the query or the header, and a slice of the base string.
    encoded: Vec<u8>,
    spans: Vec<Span>,
    /// The decoded pairs, built on first request.
    decoded: OnceLock<Vec<(String, String)>>,
}

impl fmt::Debug for SignedParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedParams")
            .field("pairs", &self.pairs())
            .finish()
    }
}

impl PartialEq for SignedParams {
    fn eq(&self, other: &Self) -> bool {
        self.encoded == other.encoded
    }
}

impl Eq for SignedParams {}

impl SignedParams {
    fn with_capacity(pairs: usize, bytes: usize) -> Self {
        SignedParams {
            encoded: Vec::with_capacity(bytes),
            spans: Vec::with_capacity(pairs),
            decoded: OnceLock::new(),
        }
    }

    /// Adds a pair given already encoded.
    fn push_raw(&mut self, name: &[u8], encoded_value: &[u8], escaped: bool) {
        if !self.encoded.is_empty() {
            self.encoded.push(b'&');
        }
        let start = self.encoded.len();
        self.encoded.extend_from_slice(name);
        let mid = self.encoded.len();
        self.encoded.push(b'=');
        self.encoded.extend_from_slice(encoded_value);
        self.spans.push(Span {
            start,
            mid,
            end: self.encoded.len(),
            escaped,
        });
    }

    /// Adds a pair, encoding name and value.
    fn push(&mut self, name: &[u8], value: &[u8]) {
        if !self.encoded.is_empty() {
            self.encoded.push(b'&');
        }
        let start = self.encoded.len();
        push_encoded(&mut self.encoded, name);
        let mid = self.encoded.len();
        self.encoded.push(b'=');
        push_encoded(&mut self.encoded, value);
        let end = self.encoded.len();
        // Each escape makes the output 2 bytes longer than the input.
        let escaped = end - start != name.len() + value.len() + 1;
        self.spans.push(Span {
            start,
            mid,
            end,
            escaped,
        });
    }

    /// The `(name, value)` pairs, decoded, `oauth_signature` last.
    pub fn pairs(&self) -> &[(String, String)] {
        self.decoded.get_or_init(|| {
            let decode = |bytes: &[u8]| percent_decode(bytes).decode_utf8_lossy().into_owned();
            self.spans
                .iter()
                .map(|span| {
                    (
                        decode(span.name(&self.encoded)),
                        decode(span.value(&self.encoded)),
                    )
                })
                .collect()
        })
    }

    /// The value of parameter `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs()
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The base64 `oauth_signature` value (not percent-encoded).
    pub fn signature(&self) -> &str {
        self.get("oauth_signature").unwrap_or("")
    }

    /// Consumes `self`, returning the decoded pairs.
    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.pairs();
        self.decoded.into_inner().unwrap_or_default()
    }

    /// Appends the parameters to the query of `url` (RFC 5849 §3.5.3).
    ///
    /// Names and values are percent-encoded with the RFC 3986 unreserved set, so
    /// a space is sent as `%20` and a plus as `%2B`: a server decoding the query
    /// as `application/x-www-form-urlencoded` (where `+` means space) and one
    /// using plain percent-decoding both get the exact values back. Existing
    /// query parameters are kept as they are.
    pub fn append_to_url(&self, url: &mut Url) {
        let existing = url.query().unwrap_or("").as_bytes();
        let mut query = Vec::with_capacity(existing.len() + 1 + self.encoded.len());
        query.extend_from_slice(existing);
        if !query.is_empty() && !query.ends_with(b"&") && !self.encoded.is_empty() {
            query.push(b'&');
        }
        query.extend_from_slice(&self.encoded);
        url.set_query(Some(&ascii_to_string(query)));
    }

    /// The value of an HTTP `Authorization` header (RFC 5849 §3.5.1):
    /// `OAuth name="value", ...`, names and values percent-encoded, separated
    /// by `, `, in the order of [`pairs`](Self::pairs). No `realm` is added
    /// (unless one was passed as an extra parameter).
    pub fn authorization_header(&self) -> String {
        let mut out = Vec::with_capacity(6 + self.encoded.len() + self.spans.len() * 3);
        out.extend_from_slice(b"OAuth ");
        for (i, span) in self.spans.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(b", ");
            }
            out.extend_from_slice(span.name(&self.encoded));
            out.extend_from_slice(b"=\"");
            out.extend_from_slice(span.value(&self.encoded));
            out.push(b'"');
        }
        ascii_to_string(out)
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
/// Returns `false` when `oauth_signature` is missing or not valid base64, when
/// `oauth_signature_method` is not `HMAC-SHA1`, when `oauth_version` is
/// present but not `1.0`, when a parameter of `params` appears twice, or when
/// the signature does not match. The
/// comparison is constant-time. Timestamps and nonces are not checked.
pub fn verify(
    method: &str,
    url: &Url,
    form_body: Option<&[(String, String)]>,
    params: &[(String, String)],
    consumer_secret: &Secret,
    token_secret: Option<&Secret>,
) -> bool {
    let mut names: Vec<&str> = params.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return false;
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
    if find("oauth_version").is_some_and(|v| v != OAUTH_VERSION) {
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
        Protocol::Pairs(params),
        RequestParams::NoProtocol,
    );
    let key = signing_key(consumer_secret.expose(), token_secret.map(Secret::expose));
    let Some(mut mac) = keyed_mac(&key) else {
        return false;
    };
    mac.update(&base);
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
        out.push((
            decode_header_component(name)?,
            decode_header_component(&raw)?,
        ));
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

/// Percent-decodes a name or value of the header; `None` if not UTF-8.
fn decode_header_component(s: &str) -> Option<String> {
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
}
