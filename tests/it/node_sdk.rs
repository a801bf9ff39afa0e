//! 7digital's own Node SDK (npm `7digital-api@1.0.0`) against `sevendigital serve`: catalogue,
//! basket and user calls with ids the fake has never seen, through the SDK's own request
//! building, response parsing and `status` checks (tests/node_sdk/run.js). Needs `node` and the
//! SDK installed by `.ci/run` (`npm install --no-save --prefix target/tmp/node 7digital-api@1.0.0`);
//! `SEVENDIGITAL_NODE_SDK` may name another install of the package.

use crate::common::tools;

use std::process::Command;

#[test]
fn the_node_sdk_works_against_the_fake_with_ids_it_never_saw() {
    let sdk = std::env::var_os("SEVENDIGITAL_NODE_SDK")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tools::root().join("target/tmp/node/node_modules/7digital-api"));
    if Command::new("node").arg("--version").output().is_err() {
        tools::absent("node", "the machine's node");
        return;
    }
    if !sdk.join("package.json").exists() {
        tools::absent(
            "npm 7digital-api@1.0.0",
            &format!("looked in {}", sdk.display()),
        );
        return;
    }
    let serve = tools::Serve::start(&[]);
    let (release, artist, track) = tools::fresh_ids();
    let output = Command::new("node")
        .arg(tools::root().join("tests/node_sdk/run.js"))
        .env("SDK_DIR", &sdk)
        .env("_7D_API_CLIENT_HOST", "127.0.0.1")
        .env("_7D_API_CLIENT_SSL_HOST", "127.0.0.1")
        .env("_7D_API_CLIENT_PORT", serve.port.to_string())
        .env("_7D_API_CLIENT_PREFIX", "empty")
        .env(
            "_7D_API_CLIENT_CONSUMER_KEY",
            sevendigital::server::fake::DEFAULT_CONSUMER_KEY,
        )
        .env(
            "_7D_API_CLIENT_CONSUMER_SECRET",
            sevendigital::server::fake::DEFAULT_CONSUMER_SECRET,
        )
        .env("RELEASE_ID", release.to_string())
        .env("ARTIST_ID", artist.to_string())
        .env("TRACK_ID", track.to_string())
        .env("ABSENT_ID", "10000")
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let failed: Vec<&serde_json::Value> = lines.iter().filter(|l| l["ok"] != true).collect();
    let passed = lines.len() - failed.len();
    eprintln!("release {release}, artist {artist}, track {track}:\n{stdout}");
    assert!(
        failed.is_empty() && output.status.success(),
        "calls failed through the Node SDK: {failed:#?}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(passed >= 15, "only {passed} calls ran: {stdout}");
    for wanted in ["basket.", "user.", "releases.", "artists.", "tracks."] {
        assert!(
            lines
                .iter()
                .any(|l| l["call"].as_str().is_some_and(|c| c.starts_with(wanted))),
            "no {wanted} call"
        );
    }
}
