//! `sevendigital-codegen [--check] [--crate NAME] [--runtime-crate PATH] [--mount PATH] [--overlay FILE]... SPEC [MORE_SPEC]... OUT_DIR`: generates the
//! client sources from one or more OpenAPI documents, after applying the given OpenAPI Overlay
//! documents, in order, to the first.
//!
//! With `--check`, writes nothing and exits 1 when `OUT_DIR` differs from what would be generated.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: sevendigital-codegen [--check] [--crate NAME] [--runtime-crate PATH] [--mount PATH] [--overlay FILE]... SPEC [MORE_SPEC]... OUT_DIR\n\nGenerates models.rs, requests.rs, catalogue.rs, server.rs and cli.rs from the OpenAPI document\nSPEC, and the operations and types of each MORE_SPEC, into OUT_DIR, after applying each\nOpenAPI Overlay FILE in order to SPEC. With --crate, every client method's documentation\nhas an example naming the crate NAME.\nWith --runtime-crate (`::sevendigital`), the code uses that crate's\nruntime, server and cli modules from another crate; with --mount (`crate::api`), the files are\nmounted as PATH::models, PATH::requests, PATH::catalogue, beside a client type PATH::Client.\nWith --check, writes nothing and exits 1 if OUT_DIR is out of date.";

fn main() -> ExitCode {
    let mut check = false;
    let mut positional = Vec::new();
    let mut overlay_paths = Vec::new();
    let mut examples_crate = None;
    let mut runtime_crate: Option<String> = None;
    let mut mount: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--overlay" => match args.next() {
                Some(path) => overlay_paths.push(path),
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--runtime-crate" => match args.next() {
                Some(path) => runtime_crate = Some(path),
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--mount" => match args.next() {
                Some(path) => mount = Some(path),
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--crate" => match args.next() {
                Some(name) => examples_crate = Some(name),
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ => positional.push(arg),
        }
    }
    let Some((out, specs)) = positional
        .split_last()
        .filter(|(_, specs)| !specs.is_empty())
    else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let mut texts = Vec::new();
    for spec in specs {
        match std::fs::read_to_string(spec) {
            Ok(text) => texts.push(text),
            Err(e) => {
                eprintln!("error: cannot read {spec}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let mut overlays = Vec::new();
    for path in &overlay_paths {
        match std::fs::read_to_string(path) {
            Ok(text) => overlays.push((path.as_str(), text)),
            Err(e) => {
                eprintln!("error: cannot read {path}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let overlays: Vec<(&str, &str)> = overlays.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let mut settings = sevendigital_codegen::Settings {
        examples_crate,
        ..sevendigital_codegen::Settings::default()
    };
    if let Some(krate) = runtime_crate {
        settings.runtime = format!("{krate}::runtime");
        settings.server = format!("{krate}::server");
        settings.cli = format!("{krate}::cli");
        settings.runtime_in_another_crate = true;
    }
    if let Some(at) = mount {
        settings.client = format!("{at}::Client");
        settings.models = format!("{at}::models");
        settings.catalogue = format!("{at}::catalogue");
    }
    let documents: Vec<sevendigital_codegen::Document<'_>> = specs
        .iter()
        .zip(&texts)
        .enumerate()
        .map(|(i, (name, text))| sevendigital_codegen::Document {
            name,
            text,
            overlays: if i == 0 { &overlays } else { &[] },
        })
        .collect();
    let files = match sevendigital_codegen::generate_documents(&documents, &settings) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    for warning in &files.warnings {
        eprintln!("warning: {warning}");
    }
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
