//! RFC 5849 §3.6 percent-encoding.

/// Upper-case hexadecimal digits used for `%XX` escapes.
const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// `UNRESERVED[b]` tells whether byte `b` is in the RFC 3986 §2.3 unreserved
/// set (`ALPHA DIGIT - . _ ~`).
static UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~');
        b += 1;
    }
    table
};

/// Percent-encodes `s` as required by RFC 5849 §3.6.
///
/// The UTF-8 bytes of `s` in the RFC 3986 unreserved set (`A-Z a-z 0-9 - . _ ~`)
/// are kept as they are; every other byte becomes `%XX` with upper-case hex
/// digits. Unlike `application/x-www-form-urlencoded`, a space becomes `%20`
/// (never `+`) and `*` is encoded as `%2A`.
///
/// ```
/// use sevendigital::oauth::percent_encode;
/// assert_eq!(percent_encode("a b+c*~é"), "a%20b%2Bc%2A~%C3%A9");
/// ```
pub fn percent_encode(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len() + s.len() / 2);
    push_encoded(&mut out, s.as_bytes());
    ascii_to_string(out)
}

/// Turns a buffer written by the helpers of this module (pure ASCII) into a
/// `String`. The fallback is never taken; it only avoids a panic path.
pub(crate) fn ascii_to_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Appends `%XX` for byte `b`.
#[inline]
fn push_escape(out: &mut Vec<u8>, b: u8) {
    out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0x0F)]]);
}

/// Appends the RFC 5849 §3.6 encoding of the bytes `s` to `out`.
#[inline]
pub(crate) fn push_encoded(out: &mut Vec<u8>, s: &[u8]) {
    out.reserve(s.len());
    let mut run_start = 0;
    for (i, &b) in s.iter().enumerate() {
        if !UNRESERVED[usize::from(b)] {
            out.extend_from_slice(&s[run_start..i]);
            push_escape(out, b);
            run_start = i + 1;
        }
    }
    out.extend_from_slice(&s[run_start..]);
}

/// Appends the encoding of an output of [`push_encoded`] (or
/// [`push_form_reencoded`]) to `out`, i.e. encodes `s` a second time.
///
/// Such input holds only unreserved bytes and `%XX` escapes whose hex digits
/// are themselves unreserved, so only `%` needs escaping (as `%25`).
#[inline]
pub(crate) fn push_reencoded(out: &mut Vec<u8>, s: &[u8]) {
    out.reserve(s.len());
    let mut run_start = 0;
    for (i, &b) in s.iter().enumerate() {
        if b == b'%' {
            out.extend_from_slice(&s[run_start..i]);
            out.extend_from_slice(b"%25");
            run_start = i + 1;
        }
    }
    out.extend_from_slice(&s[run_start..]);
}

/// Value of an ASCII hex digit.
#[inline]
fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

/// Decodes one `application/x-www-form-urlencoded` name or value (`+` is a
/// space, `%XX` a byte, a `%` not followed by two hex digits stays literal)
/// and appends its RFC 5849 §3.6 encoding to `out`, in a single pass.
///
/// Works on bytes: a decoded sequence that is not valid UTF-8 is re-encoded
/// byte for byte rather than replaced. Returns whether any `%XX` escape was
/// written.
pub(crate) fn push_form_reencoded(out: &mut Vec<u8>, s: &[u8]) -> bool {
    out.reserve(s.len());
    let mut escaped = false;
    let mut run_start = 0;
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        if UNRESERVED[usize::from(b)] {
            i += 1;
            continue;
        }
        out.extend_from_slice(&s[run_start..i]);
        i += 1;
        let decoded = match b {
            b'+' => b' ',
            b'%' => match (
                s.get(i).copied().and_then(hex_value),
                s.get(i + 1).copied().and_then(hex_value),
            ) {
                (Some(h), Some(l)) => {
                    i += 2;
                    (h << 4) | l
                }
                _ => b'%',
            },
            _ => b,
        };
        if UNRESERVED[usize::from(decoded)] {
            out.push(decoded);
        } else {
            push_escape(out, decoded);
            escaped = true;
        }
        run_start = i;
    }
    out.extend_from_slice(&s[run_start..]);
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

    const RFC3986_RESERVED_AND_OTHERS: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');

    #[test]
    fn unreserved_untouched() {
        let s = "ABCXYZabcxyz0189-._~";
        assert_eq!(percent_encode(s), s);
    }

    #[test]
    fn reserved_and_non_ascii() {
        assert_eq!(percent_encode(""), "");
        assert_eq!(percent_encode(" "), "%20");
        assert_eq!(percent_encode("+"), "%2B");
        assert_eq!(percent_encode("*"), "%2A");
        assert_eq!(percent_encode("%"), "%25");
        assert_eq!(percent_encode("%3D"), "%253D");
        assert_eq!(percent_encode("é"), "%C3%A9");
        assert_eq!(percent_encode("🎵"), "%F0%9F%8E%B5");
        assert_eq!(
            percent_encode("!#$&'()*+,/:;=?@[]"),
            "%21%23%24%26%27%28%29%2A%2B%2C%2F%3A%3B%3D%3F%40%5B%5D"
        );
        assert_eq!(percent_encode("\0\x7f"), "%00%7F");
    }

    #[test]
    fn matches_percent_encoding_crate_on_every_byte() {
        let mut all = String::new();
        for c in (0u32..0x250).filter_map(char::from_u32) {
            all.push(c);
        }
        all.push_str("🎵日本語");
        let reference: String = utf8_percent_encode(&all, RFC3986_RESERVED_AND_OTHERS).collect();
        assert_eq!(percent_encode(&all), reference);
    }

    fn form(s: &str) -> String {
        let mut out = Vec::new();
        let escaped = push_form_reencoded(&mut out, s.as_bytes());
        let out = ascii_to_string(out);
        assert_eq!(escaped, out.contains('%'), "{s}");
        out
    }

    #[test]
    fn form_reencoding() {
        assert_eq!(form("a+b%20c%2b%2Bd"), "a%20b%20c%2B%2Bd");
        assert_eq!(form("%3D%253D"), "%3D%253D");
        assert_eq!(form("%c3%a9*~"), "%C3%A9%2A~");
        assert_eq!(form("%"), "%25");
        assert_eq!(form("%4"), "%254");
        assert_eq!(form("%zz%4g"), "%25zz%254g");
        assert_eq!(form("%FF"), "%FF");
        assert_eq!(form(""), "");
    }

    #[test]
    fn reencoding_is_double_encoding() {
        for s in ["", "a b", "%3D", "é🎵+*~", "100%"] {
            let mut out = Vec::new();
            push_reencoded(&mut out, percent_encode(s).as_bytes());
            assert_eq!(ascii_to_string(out), percent_encode(&percent_encode(s)));
        }
    }
}
