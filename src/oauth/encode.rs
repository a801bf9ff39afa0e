//! RFC 5849 §3.6 percent-encoding.

/// Upper-case hexadecimal digits used for `%XX` escapes.
const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Whether `b` is in the RFC 3986 §2.3 unreserved set (`ALPHA DIGIT - . _ ~`).
#[inline]
const fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

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
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    push_encoded(&mut out, s);
    out
}

/// Appends the RFC 5849 §3.6 encoding of `s` to `out`.
///
/// Runs of unreserved bytes are copied with one `push_str`; they are pure ASCII,
/// so slicing at their boundaries always falls on a character boundary.
#[inline]
pub(crate) fn push_encoded(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut run_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !is_unreserved(b) {
            if run_start < i {
                out.push_str(&s[run_start..i]);
            }
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0F)]));
            run_start = i + 1;
        }
    }
    if run_start < bytes.len() {
        out.push_str(&s[run_start..]);
    }
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
}
