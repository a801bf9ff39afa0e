//! The RFC 5849 §3.4.1 signature base string: the request normalised into the text that is signed.

use std::borrow::Cow;
use std::io::Write as _;

use url::Url;

use super::encode::{ascii_to_string, push_encoded, push_form_reencoded, push_reencoded};

/// Protocol parameters the [`Signer`](super::Signer) sets itself; `extra` entries with these
/// names are ignored.
pub(super) const MANAGED: [&str; 7] = [
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
pub(super) enum RequestParams {
    /// All but `oauth_signature` (RFC 5849 §3.4.1.3.1).
    AllButSignature,
    /// None whose name starts with `oauth_`: the caller supplies the protocol
    /// parameters separately ([`verify`], feature `server`).
    #[cfg_attr(not(feature = "server"), allow(dead_code))]
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
pub(super) struct Span {
    pub(super) start: usize,
    /// Index of the `=` (or the end of the name).
    pub(super) mid: usize,
    pub(super) end: usize,
    /// Whether name or value holds a `%XX` escape.
    pub(super) escaped: bool,
}

impl Span {
    pub(super) fn name<'b>(&self, buf: &'b [u8]) -> &'b [u8] {
        &buf[self.start..self.mid]
    }

    pub(super) fn value<'b>(&self, buf: &'b [u8]) -> &'b [u8] {
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
pub(super) fn push_encoded_base_uri(out: &mut Vec<u8>, url: &Url) {
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
pub(super) enum Protocol<'a> {
    /// Decoded pairs; `realm` and `oauth_signature` are skipped.
    Pairs(&'a [(String, String)]),
    /// Pairs already encoded in a buffer (from [`Signer::sign`]); `realm` is
    /// skipped.
    Encoded(&'a [u8], &'a [Span]),
}

/// Builds the signature base string (ASCII bytes); see [`base_string`].
pub(super) fn build_base_string(
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
