//! Reading JSONPath targets and copy sources, with dashed names in dot notation allowed.

use serde_json_path::JsonPath;

use crate::error::{Error, Result};

/// Parses a JSONPath query. A query RFC 9535 refuses only because a dot-notation name holds a
/// `-` (`$.paths.*.get[?@.x-oai-traits.paged]`, as in the Overlay specification's own
/// examples) is read with those names in brackets (`@['x-oai-traits']`).
pub(super) fn parse_path(text: &str, at: String) -> Result<JsonPath> {
    JsonPath::parse(text).or_else(|e| {
        bracket_dashed_names(text)
            .and_then(|fixed| JsonPath::parse(&fixed).ok())
            .ok_or_else(|| Error::new(at, format!("`{text}` is not valid JSONPath: {e}")))
    })
}

/// `text` with each dot-notation member name holding a `-` written in bracket notation, or
/// `None` when there is none. String literals are left alone.
pub(super) fn bracket_dashed_names(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut changed = false;
    let mut quote: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            out.push(c);
            if c == '\\' && i + 1 < chars.len() {
                out.push(chars[i + 1]);
                i += 1;
            } else if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if c == '\'' || c == '"' {
            quote = Some(c);
            out.push(c);
            i += 1;
            continue;
        }
        let name_start = |ch: char| ch.is_alphabetic() || ch == '_' || !ch.is_ascii();
        if c == '.' && i + 1 < chars.len() && name_start(chars[i + 1]) {
            let start = i + 1;
            let mut end = start;
            while end < chars.len()
                && (chars[end].is_alphanumeric()
                    || matches!(chars[end], '_' | '-')
                    || !chars[end].is_ascii())
            {
                end += 1;
            }
            let name: String = chars[start..end].iter().collect();
            if name.contains('-') {
                // `..name` keeps its descendant dot; `.name` loses it.
                if i > 0 && chars[i - 1] == '.' {
                    out.push('.');
                }
                out.push_str(&format!("['{name}']"));
                changed = true;
            } else {
                out.push('.');
                out.push_str(&name);
            }
            i = end;
            continue;
        }
        out.push(c);
        i += 1;
    }
    changed.then_some(out)
}
