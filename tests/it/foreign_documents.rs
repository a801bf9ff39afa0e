//! The generator works on API documents nobody here wrote: each generates, and its code type-checks.
//!
//! The documents: `generator/tests/corpus/` and a seeded sample of APIs.guru's directory in
//! `generator/tests/corpus-apis-guru/` (provenance in their `PROVENANCE.md`), and one written to
//! be hostile (`generator/tests/corpus-hostile/`). The generated client, models, catalogue, route
//! stubs and CLI type-check together, with all features, against this crate's runtime alone
//! (no 7digital layer: each document gets its own client type and modules).
//!
//! The harness is a small crate written under the target directory; `cargo check` runs on it
//! with a target directory of its own, kept between runs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use sevendigital_codegen::{Settings, generate};

/// The generated files, and the module each is mounted as.
const FILES: &[(&str, &str)] = &[
    ("models.rs", "models"),
    ("requests.rs", "requests"),
    ("catalogue.rs", "catalogue"),
    ("server.rs", "stubs"),
    ("cli.rs", "commands"),
];

/// The corpus directories: documents written by others (`corpus/`), a seeded sample of
/// APIs.guru's directory (`corpus-apis-guru/`) and a document written here to carry hostile
/// text into every place that reaches generated code (`corpus-hostile/`).
const DIRS: &[&str] = &[
    "generator/tests/corpus",
    "generator/tests/corpus-apis-guru",
    "generator/tests/corpus-hostile",
];

fn corpus() -> Vec<PathBuf> {
    let mut docs = Vec::new();
    for dir in DIRS {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e == "json" || e == "yml" || e == "yaml")
            })
            .collect();
        found.sort();
        docs.extend(found);
    }
    assert!(docs.len() >= 13, "corpus documents missing: {docs:?}");
    docs
}

/// `nexus.json` → `nexus`, `7digital-playlists-api-openapi.yml` → `d7digital_playlists_api_openapi`.
fn module_name(doc: &Path) -> String {
    let stem = doc.file_stem().unwrap().to_string_lossy();
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    match name.starts_with(|c: char| c.is_ascii_digit()) {
        true => format!("d{name}"),
        false => name,
    }
}

#[test]
fn every_corpus_document_generates_and_type_checks_with_all_features() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let harness = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-harness");
    let src = harness.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let mut lib = String::from(
        "//! Code generated from the corpus documents, one module each.\n#![allow(dead_code)]\n",
    );
    let mut report = String::new();
    for doc in corpus() {
        let name = module_name(&doc);
        let text = std::fs::read_to_string(&doc).unwrap();
        let settings = Settings {
            client: format!("crate::{name}::Client"),
            runtime: "::sevendigital::runtime".into(),
            models: format!("crate::{name}::models"),
            catalogue: format!("crate::{name}::catalogue"),
            server: "::sevendigital::server".into(),
            cli: "::sevendigital::cli".into(),
            runtime_in_another_crate: true,
            ..Settings::default()
        };
        let started = Instant::now();
        let files = generate(&text, &settings).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
        let took = started.elapsed();
        let dir = src.join(&name);
        std::fs::create_dir_all(&dir).unwrap();
        files.write_to(&dir).unwrap();
        let catalogue = files.get("catalogue.rs").unwrap();
        let models = files.get("models.rs").unwrap();
        let operations = catalogue.matches("runtime::Operation = ").count();
        let types = models.matches("\npub struct ").count() + models.matches("\npub enum ").count();
        let values = models.matches("::serde_json::Value").count();
        writeln!(
            report,
            "{name}: {operations} operations, {types} types, {values} serde_json::Value fields, generated in {:.1} ms",
            took.as_secs_f64() * 1e3
        )
        .unwrap();
        write!(
            lib,
            "pub mod {name} {{\n    /// The client of this document's operations.\n    pub struct Client(pub ::sevendigital::Client);\n    impl ::sevendigital::runtime::AsClient for Client {{\n        fn as_client(&self) -> &::sevendigital::Client {{ &self.0 }}\n    }}\n"
        )
        .unwrap();
        for (file, module) in FILES {
            writeln!(
                lib,
                "    pub mod {module} {{ include!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/src/{name}/{file}\")); }}"
            )
            .unwrap();
        }
        lib.push_str("}\n");
    }
    std::fs::write(src.join("lib.rs"), lib).unwrap();
    let manifest = format!(
        r#"[package]
name = "corpus-harness"
version = "0.0.0"
edition = "2024"
publish = false

[lib]
path = "src/lib.rs"

[dependencies]
sevendigital = {{ path = "{}", default-features = false, features = ["server", "cli"] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
axum = {{ version = "0.8", default-features = false, features = ["http1", "tokio", "query", "form", "json"] }}
clap = {{ version = "4", features = ["derive", "env"] }}

[workspace]
"#,
        root.display()
    );
    std::fs::write(harness.join("Cargo.toml"), manifest).unwrap();
    // The workspace's versions, so that nothing new is fetched.
    std::fs::copy(root.join("Cargo.lock"), harness.join("Cargo.lock")).unwrap();
    let started = Instant::now();
    let output = Command::new(env!("CARGO"))
        .args([
            "check",
            "--offline",
            "--quiet",
            "--all-features",
            "--manifest-path",
        ])
        .arg(harness.join("Cargo.toml"))
        .env(
            "CARGO_TARGET_DIR",
            // Shared with `spec_change`: the dependencies both build are built once.
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("nested-target"),
        )
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    eprintln!(
        "{report}cargo check of the harness: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        output.status.success(),
        "the generated code does not compile:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
