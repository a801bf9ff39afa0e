//! `sevendigital-codegen SPEC OUT_DIR`: generates the client sources from an OpenAPI document.
//!
//! With `--check`, writes nothing and exits 1 when `OUT_DIR` differs from what would be generated.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: sevendigital-codegen [--check] SPEC OUT_DIR\n\nGenerates models.rs, requests.rs and catalogue.rs from the OpenAPI document SPEC into OUT_DIR.\nWith --check, writes nothing and exits 1 if OUT_DIR is out of date.";

fn main() -> ExitCode {
    let mut check = false;
    let mut positional = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--check" => check = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ => positional.push(arg),
        }
    }
    let [spec, out] = positional.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(spec) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {spec}: {e}");
            return ExitCode::from(2);
        }
    };
    let files =
        match sevendigital_codegen::generate(&text, &sevendigital_codegen::Settings::default()) {
            Ok(files) => files,
            Err(e) => {
                eprintln!("error: {spec} {e}");
                return ExitCode::FAILURE;
            }
        };
    let out = PathBuf::from(out);
    if check {
        let stale: Vec<&str> = files
            .files
            .iter()
            .filter(|(name, contents)| {
                std::fs::read_to_string(out.join(name)).ok().as_deref() != Some(contents.as_str())
            })
            .map(|(name, _)| *name)
            .collect();
        if stale.is_empty() {
            return ExitCode::SUCCESS;
        }
        eprintln!("out of date in {}: {}", out.display(), stale.join(", "));
        return ExitCode::FAILURE;
    }
    if let Err(e) = files.write_to(&out) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
