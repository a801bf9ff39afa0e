//! The `sevendigital` binary as a child process, for tests that run `serve`, `gateway` or `mcp`;
//! a command run off the runtime, for its exit code and output.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A child process killed when dropped.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `sevendigital ARGS` with `envs` (and nothing else of this environment) and reads the
/// base URL it prints first.
pub fn start(args: &[&str], envs: &[(&str, &str)]) -> (Running, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sevendigital"));
    command
        .args(args)
        .env_clear()
        .envs(envs.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = command.spawn().expect("sevendigital starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let running = Running(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the base URL line");
    let url = line.trim().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "printed {line:?}");
    (running, url)
}

/// Runs `cmd` off the runtime's worker; its (exit code, stdout, stderr).
pub async fn output(mut cmd: assert_cmd::Command) -> (i32, String, String) {
    let output = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
