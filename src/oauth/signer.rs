//! The client side: the HMAC-SHA1 signature (RFC 5849 §3.4.2) and [`Signer`], which produces
//! the protocol parameters of a request.

use std::fmt;
use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::percent_decode;
use sha1::Sha1;
use url::Url;

use super::base_string::{MANAGED, Protocol, RequestParams, Span, build_base_string};
use super::clock::{Clock, NonceSource, RandomNonce, SystemClock};
use super::encode::{ascii_to_string, push_encoded};
use super::secret::{Consumer, Secret, Token};

pub(super) type HmacSha1 = Hmac<Sha1>;

/// The value of `oauth_signature_method` produced and accepted here.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";

/// The value of `oauth_version` sent by [`Signer::sign`].
pub const OAUTH_VERSION: &str = "1.0";

/// The HMAC-SHA1 signing key: `enc(consumer_secret) & enc(token_secret)`.
pub(super) fn signing_key(consumer_secret: &str, token_secret: Option<&str>) -> Vec<u8> {
    let ts = token_secret.unwrap_or("");
    let mut key = Vec::with_capacity((consumer_secret.len() + ts.len()) * 3 + 1);
    push_encoded(&mut key, consumer_secret.as_bytes());
    key.push(b'&');
    push_encoded(&mut key, ts.as_bytes());
    key
}

/// An HMAC-SHA1 instance keyed with `key`.
pub(super) fn keyed_mac(key: &[u8]) -> Option<HmacSha1> {
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
pub(super) fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
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
