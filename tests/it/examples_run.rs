//! Every example in `examples/` runs to completion: `cargo test` builds them (with the features
//! the test command turns on), and this runs each built binary against its in-process fake,
//! as `cargo run --example NAME` would.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// Where cargo put the examples of this test build: `target/<profile>/examples/`, beside the
/// `deps/` directory that holds this test binary.
fn examples_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps/<test binary>");
    profile.join("examples")
}

/// The example names, from the files in `examples/`.
fn names() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("examples/")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            if path.extension()? != "rs" {
                return None;
            }
            Some(path.file_stem()?.to_string_lossy().into_owned())
        })
        .collect();
    names.sort();
    names
}

/// The newest build of example `name`: `NAME` (as `cargo build --examples` leaves it) or
/// `NAME-<hash>` (as `cargo test` does), whichever was written last.
fn binary(dir: &std::path::Path, name: &str) -> Option<PathBuf> {
    let plain = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    let hashed = format!("{name}-");
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let file = entry.file_name().to_string_lossy().into_owned();
            let stem = file
                .strip_suffix(std::env::consts::EXE_SUFFIX)
                .unwrap_or(&file);
            let ours = file == plain
                || stem.strip_prefix(&hashed).is_some_and(|hash| {
                    !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_hexdigit())
                });
            let meta = entry.metadata().ok()?;
            (ours && meta.is_file() && !file.ends_with(".d"))
                .then(|| (meta.modified().ok(), entry.path()))
        })
        .max_by_key(|(modified, _)| *modified)
        .map(|(_, path)| path)
}

#[test]
fn every_example_runs_and_exits_zero() {
    let names = names();
    assert!(names.len() >= 6, "examples: {names:?}");
    let dir = examples_dir();
    for name in names {
        if name == "gateway" && !cfg!(feature = "gateway") {
            continue;
        }
        let Some(binary) = binary(&dir, &name) else {
            // `cargo test --test NAME` builds no examples; the README's test command does.
            assert!(
                std::env::var_os("CI").is_none(),
                "example `{name}` was not built in {}: run the README's test command",
                dir.display()
            );
            eprintln!("skipped: example `{name}` is not built (run the whole test command)");
            return;
        };
        let mut child = Command::new(&binary)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        // None of them should take long; a hung example fails instead of blocking the suite.
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if started.elapsed() > Duration::from_secs(120) {
                let _ = child.kill();
                panic!("example `{name}` still running after 120 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let output = child.wait_with_output().expect("output");
        assert!(
            status.success(),
            "example `{name}` failed ({status}):\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            !output.stdout.is_empty(),
            "example `{name}` printed nothing"
        );
    }
}
