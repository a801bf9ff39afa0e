//! Puts the generated client into `OUT_DIR`.
//!
//! With the feature `codegen` (off by default; on in this repository's tests), it is
//! generated from `spec/7digital-api-openapi.yml`, corrected by the overlay
//! `spec/7digital-overlay.yml`, from `spec/7digital-download-service.yml` and from
//! `spec/7digital-oauth.yml`, so a spec change shows on the next `cargo build`. Without it
//! (the default, what a consumer wants: no generator, YAML parser, `syn` or formatter to
//! build), the committed copy under `generated/` is used as it is; a test
//! checks that it agrees with the spec.

use std::path::PathBuf;

#[cfg(feature = "codegen")]
const SPEC: &str = "spec/7digital-api-openapi.yml";
#[cfg(feature = "codegen")]
const OVERLAY: &str = "spec/7digital-overlay.yml";
/// The download-service calls, described by this project (their operations join the spec's).
#[cfg(feature = "codegen")]
const DOWNLOAD_SERVICE: &str = "spec/7digital-download-service.yml";
/// The OAuth token flow, described by this project (catalogue entries for `token_flow`).
#[cfg(feature = "codegen")]
const OAUTH: &str = "spec/7digital-oauth.yml";
/// The committed output, used without `codegen`.
#[cfg(not(feature = "codegen"))]
const GENERATED: &str = "generated";
#[cfg(not(feature = "codegen"))]
const FILES: &[&str] = &[
    "catalogue.rs",
    "cli.rs",
    "models.rs",
    "requests.rs",
    "server.rs",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let Some(out) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        fail("OUT_DIR is not set (build scripts run under cargo)");
    };
    generate(&out);
}

#[cfg(feature = "codegen")]
fn generate(out: &std::path::Path) {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed={OVERLAY}");
    println!("cargo:rerun-if-changed={DOWNLOAD_SERVICE}");
    println!("cargo:rerun-if-changed={OAUTH}");
    let spec = read(SPEC);
    let overlay = read(OVERLAY);
    let service = read(DOWNLOAD_SERVICE);
    let oauth = read(OAUTH);
    let overlays = [(OVERLAY, overlay.as_str())];
    let documents = [
        sevendigital_codegen::Document {
            name: SPEC,
            text: &spec,
            overlays: &overlays,
        },
        sevendigital_codegen::Document {
            name: DOWNLOAD_SERVICE,
            text: &service,
            overlays: &[],
        },
        sevendigital_codegen::Document {
            name: OAUTH,
            text: &oauth,
            overlays: &[],
        },
    ];
    let settings = sevendigital_codegen::Settings {
        examples_crate: Some("sevendigital".into()),
        ..sevendigital_codegen::Settings::default()
    };
    let files = match sevendigital_codegen::generate_documents(&documents, &settings) {
        Ok(files) => files,
        Err(e) => fail(&e.to_string()),
    };
    if let Err(e) = files.write_to(out) {
        fail(&format!(
            "cannot write generated code to {}: {e}",
            out.display()
        ));
    }
}

#[cfg(not(feature = "codegen"))]
fn generate(out: &std::path::Path) {
    println!("cargo:rerun-if-changed={GENERATED}");
    for name in FILES {
        let from = std::path::Path::new(GENERATED).join(name);
        let text = read(&from.to_string_lossy());
        let to = out.join(name);
        if std::fs::read_to_string(&to).ok().as_deref() != Some(text.as_str())
            && let Err(e) = std::fs::write(&to, text)
        {
            fail(&format!("cannot write {}: {e}", to.display()));
        }
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
