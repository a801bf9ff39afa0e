//! The fake 7digital keeps the corrected 7digital document: Schemathesis finds no failure in it.
//!
//! Schemathesis (PyPI `schemathesis==4.32.5`, a property-based API tester independent of this
//! crate) runs over `sevendigital serve` (signature checks off) with the corrected 7digital
//! document: the v1.2 document with `spec/7digital-overlay.yml` applied, written to
//! `target/tmp/schemathesis/7digital-api.json`. Seeded, a few examples per operation, bounded
//! time; the run must report no failure. `tests/schemathesis/schemathesis.toml` says where
//! 7digital differs from what a generic tester assumes, with the evidence for each. Needs Schemathesis installed by `.ci/run` (into
//! `target/tmp/py`; `SCHEMATHESIS` may name another executable).

use crate::common::tools;

use std::process::Command;

/// The v1.2 document as the overlay corrects it, as JSON.
fn corrected_document() -> String {
    let root = tools::root();
    let spec = std::fs::read_to_string(root.join("spec/7digital-api-openapi.yml")).unwrap();
    let overlay = std::fs::read_to_string(root.join("spec/7digital-overlay.yml")).unwrap();
    let mut doc: serde_json::Value = serde_yaml::from_str(&spec).unwrap();
    sevendigital_codegen::overlay::apply(&mut doc, "spec/7digital-overlay.yml", &overlay).unwrap();
    serde_json::to_string_pretty(&doc).unwrap()
}

#[test]
fn schemathesis_finds_no_failure_in_the_fake() {
    let exe = std::env::var_os("SCHEMATHESIS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tools::root().join("target/tmp/py/bin/schemathesis"));
    if Command::new(&exe).arg("--version").output().is_err() {
        tools::absent(
            "schemathesis 4.32.5",
            &format!("looked for {}", exe.display()),
        );
        return;
    }
    let dir = tools::root().join("target/tmp/schemathesis");
    std::fs::create_dir_all(&dir).unwrap();
    let doc = dir.join("7digital-api.json");
    std::fs::write(&doc, corrected_document()).unwrap();
    let serve = tools::Serve::start(&[]);
    let config = tools::root().join("tests/schemathesis/schemathesis.toml");
    let output = Command::new(&exe)
        .current_dir(&dir)
        .env("SCHEMATHESIS_HOOKS", "")
        .arg("--config-file")
        .arg(&config)
        .arg("run")
        .arg(&doc)
        .args(["--url", &serve.base_url])
        .args(["--seed", "20"])
        .args(["--max-examples", "5"])
        .args(["--phases", "examples,coverage,fuzzing"])
        .args(["--workers", "2"])
        .args(["--max-time", "60"])
        .args(["--generation-database", "none"])
        .args(["--request-timeout", "10"])
        // A user token, so that the calls on a user's behalf reach the fake's logic (with
        // signature checks off any token acts for a user).
        .args([
            "--header",
            "Authorization: OAuth oauth_token=\"schemathesis-user\"",
        ])
        // Signature checks are off in this run: a request without credentials is accepted,
        // which is what `ignored_auth` reports; every other check runs.
        .args(["--checks", "all", "--exclude-checks", "ignored_auth"])
        .args(["--no-color", "--report-dir", dir.to_str().unwrap()])
        .output()
        .expect("schemathesis runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    eprintln!("{stdout}");
    assert!(
        output.status.success(),
        "Schemathesis reported failures:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("passed") && !stdout.contains("No operations"),
        "Schemathesis ran nothing: {stdout}"
    );
}
