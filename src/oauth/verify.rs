//! The server side (feature `server`): checking a signed request and reading an
//! `Authorization: OAuth` header.

use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::Mac;
use percent_encoding::percent_decode_str;
use url::Url;

use super::base_string::{Protocol, RequestParams, build_base_string};
use super::secret::Secret;
use super::signer::{OAUTH_VERSION, SIGNATURE_METHOD, keyed_mac, signing_key};

/// Checks an HMAC-SHA1 signed request, as a server would (RFC 5849 §3.2).
///
/// `params` must hold every `oauth_*` parameter received, wherever it was sent
/// (Authorization header, query or form body), `oauth_signature` included; a
/// `realm` entry is allowed and ignored. Because RFC 5849 §3.5 puts all `oauth_*`
/// parameters in exactly one place, `oauth_*` pairs found in the query of `url`
/// or in `form_body` are not counted again: `url` may be the request URL as
/// received. `form_body` follows the rules of [`base_string`](super::base_string()).
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
