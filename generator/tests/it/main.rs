//! The generator's tests, as one test binary: one module per subject, and the helpers they share.

use sevendigital_codegen::{Files, Settings, generate};

mod extensions;
mod generated_reads_like_code;
mod hard_documents;
mod malformed;
mod other_documents;
mod overlay_conformance;
mod overlays;
mod paging;
mod schema_constructs;
mod servers_and_bodies;
mod seven_digital;
mod several_documents;

/// Panics unless every generated file parses as Rust, naming the file.
pub fn assert_parses(files: &Files) {
    for (name, code) in &files.files {
        syn::parse_file(code).unwrap_or_else(|e| panic!("{name} is not valid Rust: {e}\n{code}"));
    }
}

/// The files generated from `doc` with the default settings, each checked to parse as Rust.
pub fn generates(doc: &str) -> Files {
    let files = generate(doc, &Settings::default())
        .unwrap_or_else(|e| panic!("{e} at {}\n{doc}", e.location()));
    assert_parses(&files);
    files
}
