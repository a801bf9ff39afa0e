//! The `sevendigital` command against the fake 7digital: one test per group of operations,
//! downloads resumed on re-run, exit codes and the error line, generated help.

use assert_cmd::Command;
use sevendigital::server::fake::{Fake, FakeHandle, Faults, content};

use crate::common;
use crate::common::process::output;

async fn fake() -> FakeHandle {
    common::signing_fake(300_000).await
}

/// The command, aimed at `fake` with its credentials (and nothing from the caller's environment).
fn cli(fake: &FakeHandle) -> Command {
    let mut cmd = Command::cargo_bin("sevendigital").unwrap();
    cmd.env_clear()
        .env("SEVENDIGITAL_BASE_URL", fake.base_url())
        .env(
            "SEVENDIGITAL_CONSUMER_KEY",
            sevendigital::server::fake::DEFAULT_CONSUMER_KEY,
        )
        .env(
            "SEVENDIGITAL_CONSUMER_SECRET",
            sevendigital::server::fake::DEFAULT_CONSUMER_SECRET,
        );
    cmd
}

async fn ok_json(cmd: Command) -> serde_json::Value {
    let (code, out, err) = output(cmd).await;
    assert_eq!(code, 0, "stderr: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn args(fake: &FakeHandle, list: &[&str]) -> Command {
    let mut cmd = cli(fake);
    cmd.args(list);
    cmd
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalogue_commands() {
    let fake = fake().await;
    let found = ok_json(args(
        &fake,
        &[
            "search-releases",
            "--q",
            "wasting light",
            "--country",
            "GB",
            "--page-size",
            "5",
        ],
    ))
    .await;
    assert_eq!(
        found["searchResults"]["searchResult"][0]["release"]["id"],
        1192901
    );
    let chart = ok_json(args(&fake, &["get-release-chart", "--period", "week"])).await;
    assert_eq!(chart["status"], "ok");
    let details = ok_json(args(
        &fake,
        &["get-track-details", "--track-id", "148", "--auth-header"],
    ))
    .await;
    assert_eq!(details["track"]["id"], 148);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_and_basket_commands() {
    let fake = fake().await;
    let user = ok_json(args(
        &fake,
        &[
            "signup-user",
            "--email",
            "a@example.com",
            "--password",
            "pw",
            "--country",
            "GB",
        ],
    ))
    .await;
    assert_eq!(user["user"]["emailAddress"], "a@example.com");
    // 7digital's signup answer carries no token: use one the fake was started with.
    let (token, secret) = ("a-token", "a-secret");
    let basket = ok_json(args(&fake, &["create-basket"])).await;
    let id = basket["basket"]["id"].as_str().unwrap();
    let basket = ok_json(args(
        &fake,
        &[
            "add-basket-item",
            "--basket-id",
            id,
            "--release-id",
            "1192901",
        ],
    ))
    .await;
    assert_eq!(basket["basket"]["basketItems"].as_array().unwrap().len(), 1);
    let purchase = ok_json(args(
        &fake,
        &[
            "purchase-user-basket",
            "--basket-id",
            id,
            "--user-token",
            token,
            "--user-secret",
            secret,
        ],
    ))
    .await;
    assert_eq!(purchase["status"], "ok");
    assert_eq!(purchase["purchase"]["lockerReleases"]["totalItems"], 1);
    let mut locker = args(&fake, &["get-user-locker"]);
    locker
        .env("SEVENDIGITAL_TOKEN", token)
        .env("SEVENDIGITAL_TOKEN_SECRET", secret);
    let locker = ok_json(locker).await;
    assert_eq!(
        locker["locker"]["lockerReleases"]["totalItems"], 1,
        "{locker}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn download_service_commands_and_resumed_download() {
    let fake = fake().await;
    ok_json(args(
        &fake,
        &[
            "create-partner-user",
            "--user-id",
            "cust",
            "--country",
            "GB",
        ],
    ))
    .await;
    let sale = ok_json(args(
        &fake,
        &[
            "log-sale",
            "--user-id",
            "cust",
            "--release-id",
            "1192901",
            "--country",
            "GB",
            "--transaction-id",
            "tx",
            "--retail-price",
            "7.99",
        ],
    ))
    .await;
    let purchase = sale["purchase"]["id"].as_str().unwrap().to_string();
    let locker = ok_json(args(
        &fake,
        &[
            "get-partner-locker",
            "--user-id",
            "cust",
            "--country",
            "GB",
            "--sort",
            "purchaseDate desc",
        ],
    ))
    .await;
    assert_eq!(locker["items"][0]["purchaseId"], purchase.as_str());

    // Every attempt of the first run is cut after 10 000 bytes: it gives up after its retries,
    // keeping the .part; the re-run resumes it.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("purchase.zip");
    let download = || {
        args(
            &fake,
            &[
                "download-purchase-zip",
                "--user-id",
                "cust",
                "--purchase-id",
                &purchase,
                "--country",
                "GB",
                "-o",
                file.to_str().unwrap(),
            ],
        )
    };
    fake.set_faults(Faults {
        cut_after_bytes: Some(10_000),
        cut_only: Some("/downloads/".into()),
        ..Faults::default()
    });
    let (code, _, err) = output(download()).await;
    assert_eq!(code, 1, "{err}");
    assert!(!file.exists());
    assert!(dir.join("purchase.zip.part").exists());
    fake.set_faults(Faults::default());
    let (code, out, err) = output(download()).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "", "no progress bar when stderr is not a terminal");
    let done: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(done["resumedFrom"].as_u64().unwrap() >= 10_000, "{done}");
    let expected = content::bytes(content::seed(&format!("purchase-{purchase}")), 300_000);
    assert_eq!(std::fs::read(&file).unwrap(), expected);

    ok_json(args(
        &fake,
        &[
            "refund-release",
            "--purchase-id",
            &purchase,
            "--release-id",
            "1192901",
            "--country",
            "GB",
        ],
    ))
    .await;
    let locker = ok_json(args(
        &fake,
        &["get-partner-locker", "--user-id", "cust", "--country", "GB"],
    ))
    .await;
    assert_eq!(locker["items"], serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_codes_and_the_error_line() {
    let fake = fake().await;
    // 1: the API answered with an error; one line with status, code and message.
    // 10000: the fake's not-found rule (multiples of 10000 do not exist).
    let (code, out, err) = output(args(
        &fake,
        &["get-release-details", "--release-id", "10000"],
    ))
    .await;
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(
        err,
        "error: getReleaseDetails: HTTP 404, 7digital error 2001: No releases found with id: 10000\n"
    );
    // 2: bad usage, rejected by the parser.
    let (code, _, err) = output(args(&fake, &["search-releases"])).await;
    assert_eq!(code, 2);
    assert!(err.contains("--q"), "{err}");
    let (code, _, _) = output(args(&fake, &["get-release-chart", "--period", "fortnight"])).await;
    assert_eq!(code, 2);
    // 2: bad input caught before any request.
    let before = fake.fake().requests();
    let (code, _, err) = output(args(
        &fake,
        &[
            "log-sale",
            "--user-id",
            "u",
            "--release-id",
            "1192901",
            "--country",
            "GB",
            "--transaction-id",
            "t",
            "--retail-price",
            "7,99",
        ],
    ))
    .await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--retail-price"), "{err}");
    // The catalogue's one check, with the client's message.
    let (code, _, err) = output(args(
        &fake,
        &["search-releases", "--q", "x", "--country", "GBR"],
    ))
    .await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`GBR` is longer than 2 characters"), "{err}");
    let (code, _, err) = output(args(&fake, &["get-user-locker"])).await;
    assert_eq!(code, 2);
    assert!(err.contains("--user-token"), "{err}");
    assert_eq!(fake.fake().requests(), before, "nothing was sent");
    // Missing credentials.
    let mut bare = Command::cargo_bin("sevendigital").unwrap();
    bare.env_clear().args(["get-all-tags"]);
    let (code, _, err) = output(bare).await;
    assert_eq!(code, 2);
    assert!(err.contains("SEVENDIGITAL_CONSUMER_KEY"), "{err}");
    // --sign-url prints a URL that works as it is.
    let (code, url, _) = output(args(
        &fake,
        &[
            "get-release-details",
            "--release-id",
            "1192901",
            "--sign-url",
        ],
    ))
    .await;
    assert_eq!(code, 0);
    let body = reqwest::get(url.trim())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("Wasting Light"), "{body}");
}

#[test]
fn generated_subcommand_help() {
    let output = Command::cargo_bin("sevendigital")
        .unwrap()
        .args(["get-release-chart", "--help"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "Get the current release chart for a given period and territory.",
        "GET /release/chart (operation getReleaseChart, oauth1)",
        "--period <PERIOD>",
        "[possible values: day, week, month, year]",
        "--page-size <PAGE_SIZE>",
        "--sign-url",
    ] {
        assert!(help.contains(expected), "missing {expected:?} in:\n{help}");
    }
    let output = Command::cargo_bin("sevendigital")
        .unwrap()
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    let generated = sevendigital::cli::SUBCOMMANDS.len();
    // The v1.2 spec's 61 operations and the download service's 8.
    assert_eq!(generated, 69);
    for (name, _) in sevendigital::cli::SUBCOMMANDS {
        assert!(help.contains(name), "{name} is listed");
    }
}

/// Runs `command` (a shell command line) in a pseudo-terminal with `script`, returning all it
/// printed, or `None` where `script` (util-linux) is not installed.
fn in_terminal(command: &str) -> Option<String> {
    let output = std::process::Command::new("script")
        .args(["-qfec", command, "/dev/null"])
        .output()
        .ok()?;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downloads_show_a_progress_bar_on_a_terminal() {
    let fake = Fake::builder()
        .download_bytes(400 * 1024 * 1024)
        .start()
        .await
        .unwrap();
    ok_json(args(
        &fake,
        &["create-partner-user", "--user-id", "tty", "--country", "GB"],
    ))
    .await;
    let sale = ok_json(args(
        &fake,
        &[
            "log-sale",
            "--user-id",
            "tty",
            "--release-id",
            "1192901",
            "--country",
            "GB",
            "--transaction-id",
            "t",
            "--retail-price",
            "1",
        ],
    ))
    .await;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-tty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let command = format!(
        "env SEVENDIGITAL_BASE_URL={} SEVENDIGITAL_CONSUMER_KEY={} SEVENDIGITAL_CONSUMER_SECRET={} {} download-purchase-zip --output json --user-id tty --purchase-id {} --country GB -d {}/new",
        fake.base_url(),
        sevendigital::server::fake::DEFAULT_CONSUMER_KEY,
        sevendigital::server::fake::DEFAULT_CONSUMER_SECRET,
        assert_cmd::cargo::cargo_bin("sevendigital").display(),
        sale["purchase"]["id"].as_str().unwrap(),
        dir.display(),
    );
    let Some(screen) = tokio::task::spawn_blocking(move || in_terminal(&command))
        .await
        .unwrap()
    else {
        eprintln!("`script` is not installed: the terminal case is not checked here");
        return;
    };
    assert!(
        screen.contains("MiB/400.00 MiB"),
        "a progress bar with the total was drawn:\n{screen}"
    );
    assert!(
        screen.contains("purchase-") && screen.contains("ETA"),
        "labelled, with the ETA:\n{screen}"
    );
    assert!(
        screen.contains("\"bytes\": 419430400"),
        "and the answer printed:\n{screen}"
    );
    assert!(dir.join("new").is_dir(), "-d created the directory");
    let _ = std::fs::remove_dir_all(&dir);
}

fn help(args: &[&str]) -> String {
    let output = Command::cargo_bin("sevendigital")
        .unwrap()
        .env_clear()
        .env("COLUMNS", "80")
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every subcommand's name, from the top-level help.
fn subcommands() -> Vec<String> {
    let top = help(&["--help"]);
    let mut names: Vec<String> = top
        .lines()
        .filter_map(|l| l.strip_prefix("  "))
        .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    names.dedup();
    names
}

#[test]
fn every_help_text_fits_80_columns() {
    let names = subcommands();
    assert!(names.len() >= 61 + 9 + 2, "{names:?}");
    let mut texts = vec![
        ("top".to_string(), help(&["--help"])),
        ("top".into(), help(&["-h"])),
    ];
    for name in &names {
        texts.push((name.clone(), help(&[name, "--help"])));
        texts.push((name.clone(), help(&[name, "-h"])));
    }
    for (name, text) in texts {
        for line in text.lines() {
            assert!(
                line.chars().count() <= 80,
                "{name}: a line of {} columns:\n{line}",
                line.chars().count()
            );
        }
    }
}

#[test]
fn help_groups_subcommands_by_tag_and_shows_only_flags_that_apply() {
    let top = help(&["--help"]);
    for heading in [
        "Releases commands:",
        "User commands:",
        "Download service commands:",
        "Tools:",
    ] {
        assert!(top.contains(heading), "{heading} in:\n{top}");
    }
    assert!(!top.contains("7digital Get"), "no repeated prefix:\n{top}");
    assert!(top.contains("search-releases"));
    let serve = help(&["serve", "--help"]);
    for absent in ["--sign-url", "--auth-header", "--user-token", "--base-url"] {
        assert!(
            !serve.contains(absent),
            "{absent} in serve --help:\n{serve}"
        );
    }
    let catalogue = help(&["get-release-details", "--help"]);
    assert!(catalogue.contains("Connection and signing:"), "{catalogue}");
    assert!(catalogue.contains("--sign-url"));
    assert!(
        !catalogue.contains("--user-token"),
        "a catalogue call has no user"
    );
    let locker = help(&["get-user-locker", "--help"]);
    assert!(locker.contains("--user-token") && locker.contains("--user-secret"));
    let body = help(&["signup-user", "--help"]);
    assert!(
        !body.contains("--sign-url"),
        "a call with a body has no URL form"
    );
    let download = help(&["download-purchase-zip", "--help"]);
    assert!(download.contains("--sign-url") && download.contains("--download-url"));
    assert!(!help(&["log-sale", "--help"]).contains("--download-url"));
}

#[test]
fn bash_completions() {
    let script = help(&["completions", "bash"]);
    assert!(script.contains("search-releases"), "{script}");
    assert!(script.contains("download-purchase-zip"));
}

/// The bash script installs: sourced by bash, it registers a completion for `sevendigital` that
/// completes a subcommand's prefix and a subcommand's flags.
#[test]
fn bash_completions_install_and_complete() {
    let script = help(&["completions", "bash"]);
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-completions");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("sevendigital.bash");
    std::fs::write(&file, script).unwrap();
    let complete = |words: &str| {
        let program = format!(
            "source {file:?} || exit 3\n\
             complete -p sevendigital || exit 4\n\
             COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))\n\
             COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}\n\
             _sevendigital sevendigital \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
             printf '%s\\n' \"${{COMPREPLY[@]}}\""
        );
        let output = std::process::Command::new("bash")
            .args(["--norc", "--noprofile", "-c", &program])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let registered = complete("sevendigital search-rel");
    assert!(
        registered.contains("-F _sevendigital sevendigital")
            && registered.contains("search-releases"),
        "{registered}"
    );
    assert!(!registered.contains("get-release-details"), "{registered}");
    let flags = complete("sevendigital search-releases --");
    assert!(flags.contains("--page-size"), "{flags}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_download_url_and_table_output() {
    let fake = fake().await;
    ok_json(args(
        &fake,
        &["create-partner-user", "--user-id", "su", "--country", "GB"],
    ))
    .await;
    let sale = ok_json(args(
        &fake,
        &[
            "log-sale",
            "--user-id",
            "su",
            "--release-id",
            "1192901",
            "--country",
            "GB",
            "--transaction-id",
            "t-su",
            "--retail-price",
            "1",
        ],
    ))
    .await;
    let purchase = sale["purchase"]["id"].as_str().unwrap().to_string();
    let (code, url, err) = output(args(
        &fake,
        &[
            "download-purchase-zip",
            "--user-id",
            "su",
            "--purchase-id",
            &purchase,
            "--country",
            "GB",
            "--sign-url",
        ],
    ))
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(url.contains("oauth_signature="), "{url}");
    let bytes = reqwest::get(url.trim()).await.unwrap();
    assert!(bytes.status().is_success(), "the signed URL downloads");
    assert_eq!(bytes.bytes().await.unwrap().len(), 300_000);
    let (code, table, err) = output(args(
        &fake,
        &[
            "get-release-details",
            "--release-id",
            "1192901",
            "--output",
            "table",
        ],
    ))
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("release.id") && l.ends_with("1192901")),
        "{table}"
    );
}

/// A file's subcommand without `-o` or `-d` writes into the current directory, under a name made
/// from the call (`purchases-{id}.zip`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_without_a_path_is_named_after_the_call() {
    let fake = fake().await;
    ok_json(args(
        &fake,
        &["create-partner-user", "--user-id", "dn", "--country", "GB"],
    ))
    .await;
    let sale = ok_json(args(
        &fake,
        &[
            "log-sale",
            "--user-id",
            "dn",
            "--release-id",
            "1192901",
            "--country",
            "GB",
            "--transaction-id",
            "t-dn",
            "--retail-price",
            "0",
        ],
    ))
    .await;
    let purchase = sale["purchase"]["id"].as_str().unwrap().to_string();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-name-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut cmd = args(
        &fake,
        &[
            "download-purchase-zip",
            "--user-id",
            "dn",
            "--purchase-id",
            &purchase,
            "--country",
            "GB",
        ],
    );
    cmd.current_dir(&dir);
    let done = ok_json(cmd).await;
    let name = format!("purchases-{purchase}.zip");
    assert!(done["path"].as_str().unwrap().ends_with(&name), "{done}");
    assert_eq!(std::fs::read(dir.join(&name)).unwrap().len(), 300_000);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A download server that sends the first `sent` bytes of a `total`-byte file (strong ETag,
/// ranges honoured), then holds the connection open without sending more; each request's head
/// goes to `heads`. A request with `Range: bytes=N-` gets the rest from N at once.
async fn stalling_server(
    total: usize,
    sent: usize,
) -> (
    String,
    tokio::sync::mpsc::UnboundedReceiver<String>,
    tokio::task::JoinHandle<()>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (heads, received) = tokio::sync::mpsc::unbounded_channel();
    let task = tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let heads = heads.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let from = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("range: bytes=")
                            .map(str::to_string)
                    })
                    .and_then(|r| r.trim_end_matches('-').parse::<usize>().ok());
                let _ = heads.send(head);
                let body = vec![b'x'; total];
                let reply = match from {
                    Some(from) => format!(
                        "HTTP/1.1 206 Partial Content\r\nContent-Type: application/zip\r\nETag: \"v1\"\r\nContent-Range: bytes {from}-{}/{total}\r\nContent-Length: {}\r\n\r\n",
                        total - 1,
                        total - from
                    ),
                    None => format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nETag: \"v1\"\r\nAccept-Ranges: bytes\r\nContent-Length: {total}\r\n\r\n"
                    ),
                };
                let _ = socket.write_all(reply.as_bytes()).await;
                match from {
                    Some(from) => {
                        let _ = socket.write_all(&body[from..]).await;
                    }
                    None => {
                        let _ = socket.write_all(&body[..sent]).await;
                        let _ = socket.flush().await;
                        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
                    }
                }
            });
        }
    });
    (url, received, task)
}

/// Ctrl-C during a download: the bytes received so far are flushed into the `.part` file (not
/// lost in the write buffer), the command says how to resume and exits with 130, and running
/// it again resumes from there.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_keeps_what_was_received_and_the_next_run_resumes() {
    let (total, sent) = (1_000_000, 100_000);
    let (url, mut heads, server) = stalling_server(total, sent).await;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-ctrl-c-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("p.zip");
    let part = dir.join("p.zip.part");
    let run = || {
        let mut cmd = tokio::process::Command::new(assert_cmd::cargo::cargo_bin("sevendigital"));
        cmd.env_clear()
            .env("SEVENDIGITAL_CONSUMER_KEY", "key")
            .env("SEVENDIGITAL_CONSUMER_SECRET", "secret")
            .args(["download-purchase-zip", "--download-url", &url])
            .args(["--user-id", "u", "--purchase-id", "1", "--country", "GB"])
            .arg("--file")
            .arg(&file)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        cmd
    };
    let child = run().spawn().unwrap();
    let first = tokio::time::timeout(std::time::Duration::from_secs(20), heads.recv()).await;
    assert!(matches!(first, Ok(Some(_))), "the first request came");
    // Give the client time to take in the bytes sent before the stall.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let pid = child.id().unwrap().to_string();
    let status = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    let output = tokio::time::timeout(std::time::Duration::from_secs(20), child.wait_with_output())
        .await
        .expect("the command ends soon after Ctrl-C")
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("run the same command again to resume"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::metadata(&part).map(|m| m.len()).ok(),
        Some(sent as u64),
        "every byte received is in the .part file"
    );
    assert!(!file.exists());

    let output = run().output().await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let head = heads.try_recv().expect("the second request");
    assert!(
        head.to_ascii_lowercase()
            .contains(&format!("range: bytes={sent}-")),
        "{head}"
    );
    assert!(
        stdout.contains(&format!("\"resumedFrom\": {sent}")),
        "{stdout}"
    );
    assert_eq!(std::fs::metadata(&file).unwrap().len(), total as u64);
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}
