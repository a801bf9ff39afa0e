//! Running `sevendigital serve` and the independent tools the fake is checked with (7digital's
//! Node SDK, Schemathesis), which `.ci/run` installs, pinned, under `target/tmp/`.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A tool a test needs is absent: under CI (env `CI` set) the test fails; elsewhere it is
/// skipped with a loud message. Returns `true` when the caller should return (skip).
pub fn absent(tool: &str, how: &str) -> bool {
    let message = format!("{tool} is not installed ({how}; `.ci/run` installs it)");
    if std::env::var_os("CI").is_some() {
        panic!("{message}");
    }
    eprintln!("\n!!!!!!!! SKIPPED: {message} !!!!!!!!\n");
    true
}

/// `sevendigital serve` on a free port of 127.0.0.1, stopped when dropped.
pub struct Serve {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// The port.
    pub port: u16,
}

impl Serve {
    /// Starts it with extra arguments.
    pub fn start(args: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sevendigital"))
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("sevendigital serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("serve prints its URL");
        let base_url = line.trim().to_string();
        let port = base_url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {base_url:?}"));
        Serve {
            child,
            base_url,
            port,
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Ids no earlier run used: from the clock, avoiding the not-found rule (multiples of 10000)
/// and track numbers of 0.
pub fn fresh_ids() -> (u64, u64, u64) {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(42);
    let fix = |id: u64| {
        if id.is_multiple_of(10_000) {
            id + 1
        } else {
            id
        }
    };
    let release = fix(1_000_000 + nanos % 8_000_000);
    let artist = fix(20_000 + (nanos / 7) % 900_000);
    let mut track = fix(10_000_000 + (nanos / 13) % 80_000_000);
    // Neither the track nor its release (track / 100) may fall under the not-found rule.
    while track.is_multiple_of(100) || (track / 100).is_multiple_of(10_000) {
        track += 101;
    }
    (release, artist, track)
}
