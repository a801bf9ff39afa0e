//! Turning names from the document into valid, idiomatic Rust identifiers.

use std::collections::HashSet;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keeps ASCII letters, digits and `_`, so that the result is always a valid identifier body.
fn ascii_only(mut s: String) -> String {
    s.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    s
}

/// `snake_case` identifier for a function, field or setter (`pageSize` -> `page_size`,
/// `type` -> `type_`).
pub fn snake(name: &str) -> String {
    let mut s = ascii_only(name.to_snake_case());
    if s.is_empty() {
        s.push_str("value");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// `UpperCamelCase` identifier for a type or variant (`release_list` -> `ReleaseList`).
pub fn pascal(name: &str) -> String {
    let mut s = ascii_only(name.to_upper_camel_case());
    if s.is_empty() {
        s.push_str("Value");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if s == "Self" {
        s.push('_');
    }
    s
}

/// `SHOUTY_SNAKE_CASE` identifier for a static.
pub fn shouty(name: &str) -> String {
    let mut s = ascii_only(name.to_shouty_snake_case());
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'X');
    }
    s
}

/// Returns `candidate`, or `candidate` with a numeric suffix, whichever is not taken yet,
/// and marks it taken.
pub fn unique(candidate: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(candidate.clone()) {
        return candidate;
    }
    let mut n = 2;
    loop {
        let next = format!("{candidate}{n}");
        if taken.insert(next.clone()) {
            return next;
        }
        n += 1;
    }
}

/// A `proc_macro2::Ident` from a name produced by [`snake`], [`pascal`] or [`shouty`].
pub fn ident(name: &str) -> proc_macro2::Ident {
    proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(snake("pageSize"), "page_size");
        assert_eq!(snake("getBasketPayPalUrl"), "get_basket_pay_pal_url");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake("é🎵"), "value");
        assert_eq!(pascal("release-byurl"), "ReleaseByurl");
        assert_eq!(pascal("200"), "V200");
        assert_eq!(shouty("searchReleases"), "SEARCH_RELEASES");
        let mut taken = HashSet::new();
        assert_eq!(unique("a".into(), &mut taken), "a");
        assert_eq!(unique("a".into(), &mut taken), "a2");
    }
}
