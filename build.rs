//! Generates the client from `spec/7digital-api-openapi.yml`, corrected by the overlay
//! `spec/7digital-overlay.yml`, into `OUT_DIR`.
//!
//! The same output is committed under `generated/` for review; a test checks that the two agree.

use std::path::PathBuf;

const SPEC: &str = "spec/7digital-api-openapi.yml";
const OVERLAY: &str = "spec/7digital-overlay.yml";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed={OVERLAY}");
    println!("cargo:rerun-if-changed=build.rs");
    let spec = read(SPEC);
    let overlay = read(OVERLAY);
    let files = match sevendigital_codegen::generate_with_overlays(
        &spec,
        &[(OVERLAY, &overlay)],
        &sevendigital_codegen::Settings::default(),
    ) {
        Ok(files) => files,
        Err(e) => fail(&format!("{SPEC} {e}")),
    };
    let Some(out) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        fail("OUT_DIR is not set (build scripts run under cargo)");
    };
    if let Err(e) = files.write_to(&out) {
        fail(&format!(
            "cannot write generated code to {}: {e}",
            out.display()
        ));
    }
}

fn read(path: &str) -> String {
    match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => fail(&format!("cannot read {path}: {e}")),
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
