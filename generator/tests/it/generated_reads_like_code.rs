//! The committed generated files (`generated/*.rs` of the `sevendigital` crate) read like
//! hand-written code: each is what `prettyplease` prints for it (so every line was formatted,
//! none hides in a macro's tokens, which no formatter touches), no macro call carries a long
//! body, and no line is wider than 100 columns.

use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// The widest line allowed.
const MAX_COLUMNS: usize = 100;
/// The longest body of a macro call allowed (its tokens, as text).
const MAX_MACRO_BODY: usize = 200;

fn generated() -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated");
    let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path, text)
        })
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{files:?}");
    files
}

/// The lines that carry code: no blank lines (the generator spaces items out), no plain
/// comments (the banner; `syn` drops them).
fn code_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|line| {
            let trimmed = line.trim_start();
            let doc = trimmed.starts_with("///") || trimmed.starts_with("//!");
            let comment = trimmed.starts_with("//") && !doc;
            !trimmed.is_empty() && !comment
        })
        .collect()
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn each_file_is_what_prettyplease_prints() {
    for (path, text) in generated() {
        let file = syn::parse_file(&text)
            .unwrap_or_else(|e| panic!("{} is not valid Rust: {e}", name(&path)));
        let pretty = prettyplease::unparse(&file);
        let (ours, theirs) = (code_lines(&text), code_lines(&pretty));
        if let Some(i) = (0..ours.len().max(theirs.len())).find(|&i| ours.get(i) != theirs.get(i)) {
            panic!(
                "{} differs from prettyplease's output at code line {}:\n  file:         {:?}\n  prettyplease: {:?}",
                name(&path),
                i + 1,
                ours.get(i),
                theirs.get(i)
            );
        }
    }
}

/// Every macro call whose tokens, as text, are longer than [`MAX_MACRO_BODY`].
#[derive(Default)]
struct LongMacros(Vec<String>);

impl<'ast> Visit<'ast> for LongMacros {
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let body = mac.tokens.to_string();
        if body.len() > MAX_MACRO_BODY {
            let path = mac.path.segments.iter().map(|s| s.ident.to_string());
            let path: Vec<String> = path.collect();
            self.0.push(format!(
                "{}! ({} chars): {}...",
                path.join("::"),
                body.len(),
                body.chars().take(80).collect::<String>()
            ));
        }
        syn::visit::visit_macro(self, mac);
    }
}

#[test]
fn no_macro_call_carries_a_long_body() {
    for (path, text) in generated() {
        let file = syn::parse_file(&text).unwrap();
        let mut long = LongMacros::default();
        long.visit_file(&file);
        assert!(long.0.is_empty(), "{}: {:#?}", name(&path), long.0);
    }
}

/// Whether `line` holds a word nothing can break that alone nearly fills a line (a URL from
/// the document, in an example): the one kind of line allowed to be wider.
fn unbreakable(line: &str) -> bool {
    line.split_whitespace()
        .any(|word| word.chars().count() > 60)
}

#[test]
fn no_line_is_wider_than_100_columns() {
    for (path, text) in generated() {
        let wide: Vec<String> = text
            .lines()
            .enumerate()
            .filter(|(_, line)| line.chars().count() > MAX_COLUMNS && !unbreakable(line))
            .map(|(i, line)| format!("{}: {}", i + 1, line.chars().take(120).collect::<String>()))
            .collect();
        assert!(
            wide.is_empty(),
            "{}: {} lines wider than {MAX_COLUMNS} columns, the first:\n{}",
            name(&path),
            wide.len(),
            wide.iter().take(5).cloned().collect::<Vec<_>>().join("\n")
        );
    }
}
