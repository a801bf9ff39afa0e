//! The file name a server suggests in `Content-Disposition` (RFC 6266, with RFC 8187/5987
//! extended values), and making any suggested name safe to create in a directory.

/// The longest file name [`sanitize_file_name`] returns, in bytes (the common file-system limit).
pub const MAX_FILE_NAME_BYTES: usize = 255;

/// The file name in a `Content-Disposition` header value, decoded but **not sanitised**: pass
/// it to [`sanitize_file_name`] before using it as a path (or use
/// [`Downloaded::suggested_name`](super::Downloaded::suggested_name), which is sanitised).
///
/// `filename*` (an RFC 8187 extended value: `UTF-8''na%C3%AFve.zip`, or `ISO-8859-1'...'`) is
/// preferred over `filename` (a token or a quoted string with `\` escapes), as RFC 6266 asks.
/// A `filename*` in a charset other than UTF-8 or ISO-8859-1, or badly encoded, is ignored.
/// `None` when the value has neither parameter or is malformed.
///
/// ```
/// use sevendigital::download::parse_content_disposition;
/// assert_eq!(
///     parse_content_disposition(r#"attachment; filename="naive.zip"; filename*=UTF-8''na%C3%AFve.zip"#),
///     Some("naïve.zip".to_string())
/// );
/// assert_eq!(
///     parse_content_disposition(r#"attachment; filename="say \"hi\".mp3""#),
///     Some(r#"say "hi".mp3"#.to_string())
/// );
/// ```
pub fn parse_content_disposition(value: &str) -> Option<String> {
    let params = parameters(value)?;
    let extended = params
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("filename*"))
        .find_map(|(_, value)| decode_extended(value));
    extended.or_else(|| {
        params
            .into_iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("filename"))
            .map(|(_, value)| value)
    })
}

/// The parameters of a `Content-Disposition` value, names as written, values unquoted.
/// `None` when the value is malformed (no disposition type, a parameter without `=`,
/// an unterminated quoted string).
fn parameters(value: &str) -> Option<Vec<(String, String)>> {
    let mut rest = value.trim_start();
    let kind_end = rest.find(';').unwrap_or(rest.len());
    if rest[..kind_end].trim().is_empty() {
        return None;
    }
    rest = &rest[kind_end..];
    let mut params = Vec::new();
    loop {
        rest = rest.trim_start();
        match rest.strip_prefix(';') {
            Some(after) => rest = after.trim_start(),
            None if rest.is_empty() => return Some(params),
            None => return None,
        }
        if rest.is_empty() {
            // A trailing `;` is tolerated.
            return Some(params);
        }
        let name_end = rest.find(['=', ';']).unwrap_or(rest.len());
        let name = rest[..name_end].trim();
        if name.is_empty() || !rest[name_end..].starts_with('=') {
            return None;
        }
        rest = rest[name_end + 1..].trim_start();
        let (value, after) = match rest.strip_prefix('"') {
            Some(quoted) => quoted_string(quoted)?,
            None => {
                let end = rest.find(';').unwrap_or(rest.len());
                (rest[..end].trim_end().to_string(), &rest[end..])
            }
        };
        params.push((name.to_string(), value));
        rest = after;
    }
}

/// The content of a quoted string whose opening quote has been consumed, and what follows its
/// closing quote. `None` when it is not closed.
fn quoted_string(input: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = input.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &input[i + 1..])),
            '\\' => out.push(chars.next()?.1),
            c => out.push(c),
        }
    }
    None
}

/// Decodes an RFC 8187 extended value: `charset'language'percent-encoded`.
fn decode_extended(value: &str) -> Option<String> {
    let mut parts = value.splitn(3, '\'');
    let charset = parts.next()?.trim();
    let _language = parts.next()?;
    let encoded = parts.next()?;
    let bytes = percent_decode(encoded)?;
    if charset.eq_ignore_ascii_case("UTF-8") {
        String::from_utf8(bytes).ok()
    } else if charset.eq_ignore_ascii_case("ISO-8859-1") {
        Some(bytes.iter().map(|&b| char::from(b)).collect())
    } else {
        None
    }
}

/// Strict percent-decoding: `None` on a `%` not followed by two hex digits.
fn percent_decode(encoded: &str) -> Option<Vec<u8>> {
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    Some(out)
}

/// A file name that is safe to create inside a chosen directory, made from a name suggested by
/// someone else (a server's `Content-Disposition`, a track title, ...); `None` when nothing
/// usable remains.
///
/// - Only the last path component is kept (as `curl -J` does): `../../etc/passwd` gives
///   `passwd`, `C:\x` gives `x`; a name ending in a separator, `.` or `..` gives `None`.
/// - Control characters and the invisible bidirectional-formatting characters (which can
///   disguise an extension) are removed; characters Windows forbids (`<>:"|?*`) become `_`.
/// - Leading dots (which would hide the file) and surrounding white space are removed, and so
///   are trailing dots (which Windows drops).
/// - Windows device names (`CON`, `nul.txt`, `COM1`, ...) get a leading `_`.
/// - The result is at most [`MAX_FILE_NAME_BYTES`] bytes, keeping a short extension.
///
/// ```
/// use sevendigital::download::sanitize_file_name;
/// assert_eq!(sanitize_file_name("../../etc/passwd").as_deref(), Some("passwd"));
/// assert_eq!(sanitize_file_name(".bashrc").as_deref(), Some("bashrc"));
/// assert_eq!(sanitize_file_name("Track 01.flac").as_deref(), Some("Track 01.flac"));
/// assert_eq!(sanitize_file_name(".."), None);
/// ```
pub fn sanitize_file_name(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = last
        .chars()
        .filter(|&c| !c.is_control() && !is_bidi_control(c))
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '|' | '?' | '*' => '_',
            c => c,
        })
        .collect();
    let mut out = trim(&cleaned).to_string();
    if out.is_empty() {
        return None;
    }
    if is_windows_device_name(&out) {
        out.insert(0, '_');
    }
    if out.len() > MAX_FILE_NAME_BYTES {
        out = shorten(&out);
    }
    let out = trim(&out);
    (!out.is_empty()).then(|| out.to_string())
}

/// Without surrounding white space, leading dots and trailing dots.
fn trim(name: &str) -> &str {
    let mut name = name.trim();
    loop {
        let next = name.trim_start_matches('.').trim_end_matches('.').trim();
        if next.len() == name.len() {
            return name;
        }
        name = next;
    }
}

/// The invisible characters that change the display order of text (U+202E can make
/// `gpj.exe` display as `exe.jpg`) or are zero-width marks.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// `CON`, `PRN`, `AUX`, `NUL`, `COM1`-`COM9`, `LPT1`-`LPT9`, with or without an extension.
fn is_windows_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    let upper = stem.to_ascii_uppercase();
    match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" => true,
        _ => {
            let bytes = upper.as_bytes();
            bytes.len() == 4
                && (upper.starts_with("COM") || upper.starts_with("LPT"))
                && matches!(bytes[3], b'1'..=b'9')
        }
    }
}

/// `name` cut to at most [`MAX_FILE_NAME_BYTES`] bytes on a character boundary, keeping its
/// extension when that is short.
fn shorten(name: &str) -> String {
    const MAX_KEPT_EXTENSION: usize = 16;
    let extension = match name.rfind('.') {
        Some(dot) if dot > 0 && name.len() - dot <= MAX_KEPT_EXTENSION => &name[dot..],
        _ => "",
    };
    let stem = &name[..name.len() - extension.len()];
    let mut end = MAX_FILE_NAME_BYTES - extension.len();
    while !stem.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{extension}", &stem[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_split_and_unquoted() {
        assert_eq!(
            parameters(r#"attachment; filename="a;b.zip" ; size=12;"#),
            Some(vec![
                ("filename".to_string(), "a;b.zip".to_string()),
                ("size".to_string(), "12".to_string())
            ])
        );
        assert_eq!(parameters(""), None);
        assert_eq!(parameters("; filename=a"), None);
        assert_eq!(parameters(r#"attachment; filename="open"#), None);
        assert_eq!(parameters("attachment; filename"), None);
        assert_eq!(parameters("attachment"), Some(vec![]));
    }

    #[test]
    fn extended_values_decode_strictly() {
        assert_eq!(
            decode_extended("utf-8'en'%E2%82%AC%20rates.txt").as_deref(),
            Some("€ rates.txt")
        );
        assert_eq!(
            decode_extended("iso-8859-1''%A3.txt").as_deref(),
            Some("£.txt")
        );
        assert_eq!(decode_extended("UTF-8''%C3"), None, "invalid UTF-8");
        assert_eq!(decode_extended("UTF-8''%G1"), None, "bad escape");
        assert_eq!(decode_extended("UTF-8''%4"), None, "short escape");
        assert_eq!(decode_extended("KOI8-R''abc"), None, "unknown charset");
        assert_eq!(decode_extended("abc"), None, "no charset");
    }

    #[test]
    fn arbitrary_input_never_panics_and_sanitised_names_are_safe() {
        const ALPHABET: &[char] = &[
            'a', 'Z', '.', '/', '\\', '"', ';', '=', '*', '\'', '%', 'C', '3', ' ', '\t', '\n',
            '\u{0}', '\u{7f}', '\u{202e}', 'é', '€', ':', '<',
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = next() % 40;
            let input: String = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            let _ = parse_content_disposition(&input);
            let _ = parse_content_disposition(&format!("attachment; filename*={input}"));
            if let Some(name) = sanitize_file_name(&input) {
                assert!(!name.is_empty() && name.len() <= MAX_FILE_NAME_BYTES);
                assert!(
                    !name.contains(['/', '\\']) && !name.starts_with('.'),
                    "{name:?}"
                );
                assert!(!name.chars().any(|c| c.is_control()), "{name:?}");
                assert!(name != ".." && name.trim() == name, "{name:?}");
            }
        }
    }

    #[test]
    fn long_names_are_shortened_on_char_boundaries() {
        let name = format!("{}.flac", "é".repeat(300));
        let short = sanitize_file_name(&name).unwrap_or_default();
        assert!(short.len() <= MAX_FILE_NAME_BYTES);
        assert!(short.ends_with("é.flac"), "{short}");
        let no_extension = "x".repeat(400);
        assert_eq!(
            sanitize_file_name(&no_extension).map(|s| s.len()),
            Some(MAX_FILE_NAME_BYTES)
        );
    }
}
