//! The layout table (`docs/layout.md`) matches the tree.
//!
//! Every source file of `src/` and
//! `generator/src/` is named (by its path, or by its file name in a row naming its directory),
//! and every path the table names exists.

use std::path::Path;

use crate::common::rust_files;

fn layout() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/layout.md");
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.starts_with("# Layout"), "docs/layout.md is the layout");
    text
}

#[test]
fn every_source_file_is_in_the_layout_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let layout = layout();
    let rows: Vec<&str> = layout.lines().filter(|l| l.starts_with("| `")).collect();
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("generator/src"), &mut files);
    let mut missing = Vec::new();
    for file in files {
        let rel = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let dir = format!("{}/", rel.rsplit_once('/').unwrap().0);
        let named = layout.contains(&format!("`{rel}`"))
            || rows
                .iter()
                .any(|row| row.contains(&format!("`{dir}")) && row.contains(&format!("`{name}`")))
            || rows
                .iter()
                .any(|row| row.contains(&format!("`{dir}`")) && dir.matches('/').count() > 1);
        if !named {
            missing.push(rel);
        }
    }
    assert!(
        missing.is_empty(),
        "not in the layout table (docs/layout.md): {missing:?}"
    );
}

#[test]
fn every_path_in_the_layout_table_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let layout = layout();
    let mut stale = Vec::new();
    for piece in layout.split('`').skip(1).step_by(2) {
        let is_path = [
            "src/",
            "generator/",
            "tests/",
            "benches/",
            "spec/",
            "examples/",
        ]
        .iter()
        .any(|p| piece.starts_with(p))
            && !piece.contains(' ');
        if is_path && !root.join(piece.trim_end_matches('/')).exists() {
            stale.push(piece.to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "named in the layout table but absent: {stale:?}"
    );
}
