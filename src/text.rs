//! Server-supplied text made safe to print: control characters escaped, length bounded.

use std::fmt::Write as _;

/// Whether `c` must not reach a terminal as is: C0 and C1 controls, DEL, and the Unicode
/// bidirectional overrides and isolates (which reorder what follows them on screen).
pub(crate) fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with unsafe characters escaped (`\n`, `\r`, `\t`, `\\u{1b}`) and cut after `max`
/// characters of output, ending with `…` when cut. A backslash is left as is.
pub(crate) fn escape_cut(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max.saturating_add(8)));
    let mut count = 0usize;
    for c in text.chars() {
        let piece_len = match c {
            '\n' | '\r' | '\t' => 2,
            c if is_unsafe(c) => 8,
            _ => 1,
        };
        if count.saturating_add(piece_len) > max {
            out.push('…');
            return out;
        }
        count += piece_len;
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// `text` cut after `max` characters, ending with `…` when cut.
pub(crate) fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => {
            let mut out = text[..at].to_string();
            out.push('…');
            out
        }
        None => text.to_string(),
    }
}

/// `text` with unsafe characters escaped, whatever its length (for the command line's error
/// line, already bounded by [`crate::Error`]'s `Display`).
pub fn escape_controls(text: &str) -> String {
    escape_cut(text, usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_cuts() {
        assert_eq!(escape_cut("a\x1b[31mb\r\nc", 100), "a\\u{1b}[31mb\\r\\nc");
        assert_eq!(escape_cut("\u{202e}x", 100), "\\u{202e}x");
        assert_eq!(escape_cut("abcdef", 3), "abc…");
        assert_eq!(escape_cut("abc", 3), "abc");
        assert_eq!(escape_cut("é".repeat(10).as_str(), 4).chars().count(), 5);
        assert_eq!(cut("abcdef", 3), "abc…");
        assert_eq!(cut("abc", 3), "abc");
        assert!(!escape_controls("\u{7f}\u{9b}").chars().any(is_unsafe));
    }
}
