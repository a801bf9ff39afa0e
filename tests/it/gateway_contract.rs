//! The gateway keeps its own contract: Schemathesis (an independent property-based API tester,
//! `schemathesis==4.32.5` from PyPI, installed by `.ci/run`) runs every check over the REST
//! adapter of `sevendigital gateway` (in front of `sevendigital serve`, the fake 7digital) with
//! the gateway's own `/v1/openapi.json`, for two fixed seeds, and finds no failure: what the
//! document publishes is what the gateway enforces and answers.
//!
//! Without Schemathesis the test is skipped with a loud message, unless `CI` is set: then it
//! fails.

use crate::common;

use common::process::start;
use std::process::Command;
use std::time::Duration;

/// The seeds: each one is a different sample of generated requests.
const SEEDS: &[u64] = &[1, 20261202];
/// Generated requests per operation and phase; small enough for about a minute a seed.
const MAX_EXAMPLES: &str = "6";

/// The Schemathesis command, or `None` (after saying so loudly) when it is not installed and
/// this is not CI.
fn schemathesis() -> Option<Command> {
    // `$SCHEMATHESIS`, the virtual environment `.ci/run` makes (shared with `fake_contract`),
    // then whatever `schemathesis` is on the PATH.
    let candidates = std::env::var_os("SCHEMATHESIS")
        .map(std::path::PathBuf::from)
        .into_iter()
        .chain([
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tmp/py/bin/schemathesis"),
            std::path::PathBuf::from("schemathesis"),
        ]);
    for exe in candidates {
        let found = Command::new(&exe)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if found {
            return Some(Command::new(exe));
        }
    }
    if std::env::var_os("CI").is_some() {
        panic!("schemathesis is not installed (CI installs schemathesis==4.32.5 in .ci/run)");
    }
    eprintln!(
        "\n!!!!!!!! SKIPPED gateway_contract: schemathesis is not installed.\n!!!!!!!! Install it with `python3 -m pip install schemathesis==4.32.5` (CI does).\n"
    );
    None
}

/// The number of operations the document publishes.
fn published_operations(base: &str) -> usize {
    let url = format!("{base}/v1/openapi.json");
    let text = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(async { reqwest::get(url).await?.text().await })
        .expect("the gateway serves /v1/openapi.json");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("the document is JSON");
    doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|item| item.as_object().map_or(0, |m| m.len()))
        .sum()
}

#[test]
fn schemathesis_finds_no_failure_for_two_seeds() {
    let Some(_) = schemathesis() else {
        return;
    };
    let (_fake, fake_url) = start(&["serve", "--port", "0"], &[]);
    let (_gateway, base) = start(
        &["gateway", "--port", "0", "--allow-writes"],
        &[
            ("SEVENDIGITAL_BASE_URL", &fake_url),
            ("SEVENDIGITAL_CONSUMER_KEY", "fake-consumer-key"),
            ("SEVENDIGITAL_CONSUMER_SECRET", "fake-consumer-secret"),
            ("SEVENDIGITAL_TOKEN", "a-token"),
            ("SEVENDIGITAL_TOKEN_SECRET", "a-secret"),
        ],
    );
    let operations = published_operations(&base);
    assert!(operations >= 60, "the document has {operations} operations");
    // Schemathesis' example database and reports stay out of the repository.
    let scratch = std::env::temp_dir().join(format!("gateway-contract-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let mut failed = Vec::new();
    for seed in SEEDS {
        let mut command = schemathesis().expect("found above");
        command
            .current_dir(&scratch)
            .env("NO_COLOR", "1")
            .arg("--config-file")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/gateway_contract/schemathesis.toml"
            ))
            .args(["run", &format!("{base}/v1/openapi.json"), "--url", &base])
            .args(["--checks", "all", "--seed", &seed.to_string()])
            .args(["--max-examples", MAX_EXAMPLES, "--workers", "1"])
            .args(["--generation-database", "none", "--no-color"])
            .args(["--request-timeout", "10"]);
        let started = std::time::Instant::now();
        let output = command.output().expect("schemathesis runs");
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        eprintln!(
            "seed {seed}: {:.1} s, exit {:?}",
            started.elapsed().as_secs_f64(),
            output.status.code()
        );
        // Every published operation was exercised: a run that tests nothing proves nothing.
        let tested = format!("Tested: {operations}");
        if !output.status.success() || !text.contains(&tested) || text.contains("unique failures") {
            failed.push(format!("seed {seed}:\n{text}"));
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "seed {seed} took too long"
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}
