//! Every operation is described by a document under `spec/` and generated into the catalogue:
//! no `Operation { .. }` value is written by hand anywhere in `src/` (the OAuth token flow, the
//! last one that was, is `spec/7digital-oauth.yml`).

use std::path::Path;

use crate::common::rust_files;

/// The places in `text` where an `Operation` value is built (`Operation {`, possibly behind a
/// path such as `catalogue::Operation {`), as `(line number, line)`; declarations (`struct`,
/// `impl`, `enum`, `trait`) and signatures (`fn`, `->`) are not values.
fn literals(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        let mut hit = false;
        while let Some(at) = rest.find("Operation") {
            let before = rest[..at].chars().last();
            let after = rest[at + "Operation".len()..].trim_start();
            let word_start = !before.is_some_and(|c| c.is_alphanumeric() || c == '_');
            if word_start && after.starts_with('{') {
                hit = true;
            }
            rest = &rest[at + "Operation".len()..];
        }
        let declaration = ["struct ", "impl ", "impl<", "enum ", "trait ", "fn ", "->"]
            .iter()
            .any(|word| code.contains(word));
        if hit && !declaration {
            found.push((i + 1, line.trim().to_string()));
        }
    }
    found
}

#[test]
fn no_operation_is_written_by_hand_in_src() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 20, "src/ has its modules: {}", files.len());
    let mut written = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (line, code) in literals(&text) {
            let name = file.strip_prefix(root).unwrap().display().to_string();
            written.push(format!("{name}:{line}: {code}"));
        }
    }
    assert!(
        written.is_empty(),
        "operations written by hand (describe them in a document under spec/ instead):\n{}",
        written.join("\n")
    );
}

#[test]
fn a_hand_written_operation_would_be_found() {
    let text = "use crate::catalogue::Operation;\n\
                pub struct Operation {\n\
                impl Operation {\n\
                fn operation(&self) -> &'static Operation {\n\
                // Operation { in a comment\n\
                pub static REQUEST_TOKEN: Operation = Operation {\n\
                let op = crate::catalogue::Operation{ id: \"x\", ..OTHER };\n\
                let other = MyOperation { id: 1 };\n";
    let found: Vec<usize> = literals(text).into_iter().map(|(line, _)| line).collect();
    assert_eq!(found, vec![6, 7]);
}

#[test]
fn declared_inputs_are_every_input_of_every_operation_sorted() {
    use sevendigital::catalogue::{DECLARED_INPUTS, OPERATIONS};
    let mut names: Vec<&str> = OPERATIONS
        .iter()
        .flat_map(|op| op.params.iter().map(|p| p.name))
        .collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(DECLARED_INPUTS, names.as_slice());
    assert!(DECLARED_INPUTS.contains(&"country"));
}

#[test]
fn every_generated_pattern_is_compiled_once_in_a_static_of_its_own() {
    use sevendigital::catalogue::{CATALOGUE_ONLY, OPERATIONS, Param, Pattern};
    let params: Vec<&Param> = OPERATIONS
        .iter()
        .chain(CATALOGUE_ONLY)
        .flat_map(|op| op.params)
        .collect();
    let mut statics: Vec<(&str, &Pattern)> = Vec::new();
    for p in &params {
        assert_eq!(p.pattern.is_some(), p.compiled.is_some(), "{}", p.name);
        if let (Some(text), Some(compiled)) = (p.pattern, p.compiled) {
            // Compiled on first use, then the same expression every time.
            let first = compiled
                .regex()
                .expect("the catalogue's patterns are readable");
            assert!(std::ptr::eq(first, compiled.regex().unwrap()), "{text}");
            match statics.iter().find(|(t, _)| *t == text) {
                Some((_, shared)) => assert!(std::ptr::eq(*shared, compiled), "{text}: one static"),
                None => statics.push((text, compiled)),
            }
        }
    }
    assert!(statics.len() >= 5, "{} distinct patterns", statics.len());
    // The check uses it: `country` refuses what its pattern does not match.
    let country = sevendigital::catalogue::find("refundRelease")
        .and_then(|op| op.param("country"))
        .unwrap();
    assert!(country.compiled.is_some());
    assert!(country.check("GB").is_ok());
    assert!(country.check("G1").unwrap_err().contains("expected form"));
}
