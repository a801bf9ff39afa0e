//! The MCP server beyond tools: resources, completions and logging.
//!
//! - The MCP conformance suite (`@modelcontextprotocol/conformance@0.1.12` from npm, installed
//!   under `target/tmp/node` by `.ci/run`) runs its server scenarios against `sevendigital
//!   gateway` (in front of `sevendigital serve`, the fake 7digital) at `/mcp`, every one must
//!   pass. Without the suite (or node) that test is skipped with a loud message, unless `CI` is
//!   set: then it fails.
//! - An rmcp client lists the resources and templates, reads a release, completes `country`,
//!   sets the log level and receives the log notification of a call; and no secret given to the
//!   gateway appears in any resource, completion or log notification.

use crate::common;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::process::{Running, start};
use rmcp::model::{
    ArgumentInfo, CallToolRequestParams, ClientConfig, CompleteRequestParams, LoggingLevel,
    LoggingMessageNotificationParam, PaginatedRequestParams, ReadResourceRequestParams,
    ReadResourceResult, Reference, ResourceContents, SetLevelRequestParams,
};
use rmcp::service::{NotificationContext, RunningService};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::{ClientHandler, RoleClient, ServiceExt};
use serde_json::{Map, Value, json};
use sevendigital::server::fake::{DEFAULT_CONSUMER_KEY, DEFAULT_CONSUMER_SECRET};

/// The conformance suite's server scenarios this server passes: all of them must.
const SCENARIOS: &[&str] = &[
    "server-initialize",
    "ping",
    "tools-list",
    "server-sse-polling",
    "server-sse-multiple-streams",
    "dns-rebinding-protection",
    "resources-list",
    "resources-templates-read",
    "completion-complete",
    "logging-set-level",
];

/// The secrets handed to the gateway: none may leave it.
const TOKEN: &str = "server-token-7f3a";
const TOKEN_SECRET: &str = "server-token-secret-91c2";
const CALL_TOKEN: &str = "per-call-token-55d1";
const CALL_SECRET: &str = "per-call-secret-0b7e";

/// The fake 7digital and the gateway in front of it (`extra` added to the gateway's
/// arguments): the processes and the gateway's base URL.
fn fake_and_gateway(extra: &[&str]) -> (Running, Running, String) {
    let (fake, fake_url) = start(&["serve", "--port", "0"], &[]);
    let mut args = vec!["gateway", "--port", "0"];
    args.extend_from_slice(extra);
    let (gateway, base) = start(
        &args,
        &[
            ("SEVENDIGITAL_BASE_URL", &fake_url),
            ("SEVENDIGITAL_CONSUMER_KEY", DEFAULT_CONSUMER_KEY),
            ("SEVENDIGITAL_CONSUMER_SECRET", DEFAULT_CONSUMER_SECRET),
            ("SEVENDIGITAL_TOKEN", TOKEN),
            ("SEVENDIGITAL_TOKEN_SECRET", TOKEN_SECRET),
        ],
    );
    (fake, gateway, base)
}

/// The conformance suite's command (node running the pinned install), or `None` (after saying
/// so loudly) when it is not installed and this is not CI.
fn conformance() -> Option<Command> {
    let script = std::env::var_os("MCP_CONFORMANCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(
                "target/tmp/node/node_modules/@modelcontextprotocol/conformance/dist/index.js",
            )
        });
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if node && script.is_file() {
        let mut command = Command::new("node");
        command.arg(script);
        return Some(command);
    }
    let why = if node {
        format!("{} is not installed", script.display())
    } else {
        "node is not installed".to_string()
    };
    if std::env::var_os("CI").is_some() {
        panic!(
            "{why} (CI installs @modelcontextprotocol/conformance@0.1.12 under target/tmp/node in .ci/run)"
        );
    }
    eprintln!(
        "\n!!!!!!!! SKIPPED mcp_conformance: {why}.\n!!!!!!!! Install it with `npm install --no-save --prefix target/tmp/node @modelcontextprotocol/conformance@0.1.12` (CI does).\n"
    );
    None
}

#[test]
fn conformance_server_scenarios_pass() {
    let Some(_) = conformance() else {
        return;
    };
    // The fixture template is the suite's own (`test://template/{id}/data`).
    let (_fake, _gateway, base) = fake_and_gateway(&["--conformance-fixture"]);
    let url = format!("{base}/mcp");
    let scratch = std::env::temp_dir().join(format!("mcp-conformance-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let mut failed = Vec::new();
    for scenario in SCENARIOS {
        let mut command = conformance().expect("found above");
        command.current_dir(&scratch).env("NO_COLOR", "1").args([
            "server",
            "--url",
            &url,
            "--scenario",
            scenario,
        ]);
        let started = std::time::Instant::now();
        let output = command.output().expect("the conformance suite runs");
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        // `Passed: 2/2, 0 failed, 1 warnings`: every check passed (a warning is a SHOULD).
        let summary = text
            .lines()
            .map(strip_colours)
            .find(|l| l.trim_start().starts_with("Passed: "))
            .unwrap_or_default();
        eprintln!(
            "{scenario}: exit {:?} in {:.1} s: {summary}",
            output.status.code(),
            started.elapsed().as_secs_f64(),
        );
        if !output.status.success() || !all_passed(&summary) {
            failed.push(format!("{scenario}:\n{text}"));
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

/// `line` without terminal colour codes.
fn strip_colours(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // `ESC [ ... m`
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a summary line (`Passed: 2/2, 0 failed, 1 warnings`) says every check passed.
fn all_passed(summary: &str) -> bool {
    let Some(rest) = summary.trim().strip_prefix("Passed: ") else {
        return false;
    };
    let Some((counts, tail)) = rest.split_once(',') else {
        return false;
    };
    let Some((passed, total)) = counts.split_once('/') else {
        return false;
    };
    let passed: u32 = passed.trim().parse().unwrap_or(0);
    let total: u32 = total.trim().parse().unwrap_or(u32::MAX);
    passed > 0 && passed == total && tail.trim_start().starts_with("0 failed")
}

#[test]
fn summaries_are_read() {
    assert!(all_passed("Passed: 2/2, 0 failed, 1 warnings"));
    assert!(!all_passed("Passed: 0/1, 1 failed, 0 warnings"));
    assert!(!all_passed("Passed: 1/2, 1 failed, 0 warnings"));
    assert!(!all_passed(""));
    assert_eq!(
        strip_colours("\u{1b}[32mPassed: 1/1\u{1b}[0m"),
        "Passed: 1/1"
    );
}

/// An MCP client keeping the log notifications it receives.
#[derive(Clone, Default)]
struct Recorder {
    logs: Arc<Mutex<Vec<LoggingMessageNotificationParam>>>,
}

impl ClientHandler for Recorder {
    async fn on_logging_message(
        &self,
        params: LoggingMessageNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) {
        self.logs.lock().unwrap().push(params);
    }

    fn get_info(&self) -> ClientConfig {
        ClientConfig::default()
    }
}

impl Recorder {
    /// The log notifications so far.
    fn logs(&self) -> Vec<LoggingMessageNotificationParam> {
        self.logs.lock().unwrap().clone()
    }

    /// Waits (up to 10 s) until `count` log notifications have arrived; all of them.
    async fn wait_for(&self, count: usize) -> Vec<LoggingMessageNotificationParam> {
        for _ in 0..200 {
            let logs = self.logs();
            if logs.len() >= count {
                return logs;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let logs = self.logs();
        panic!("{} log notifications, not {count}: {logs:?}", logs.len());
    }
}

async fn connect(base: &str, recorder: Recorder) -> RunningService<RoleClient, Recorder> {
    let transport = StreamableHttpClientTransport::from_uri(format!("{base}/mcp"));
    recorder
        .serve(transport)
        .await
        .expect("the MCP session starts")
}

fn text_of(result: ReadResourceResult) -> (String, Option<String>, String) {
    assert_eq!(result.contents.len(), 1, "{result:?}");
    match result.contents.into_iter().next().unwrap() {
        ResourceContents::TextResourceContents {
            uri,
            mime_type,
            text,
            ..
        } => (uri, mime_type, text),
        other => panic!("not text: {other:?}"),
    }
}

async fn read(
    client: &RunningService<RoleClient, Recorder>,
    uri: &str,
) -> Result<(String, Option<String>, String), rmcp::ServiceError> {
    client
        .read_resource(ReadResourceRequestParams::new(uri))
        .await
        .map(text_of)
}

async fn complete(
    client: &RunningService<RoleClient, Recorder>,
    reference: Reference,
    name: &str,
    value: &str,
) -> Vec<String> {
    client
        .complete(CompleteRequestParams::new(
            reference,
            ArgumentInfo::new(name, value),
        ))
        .await
        .expect("completion/complete answers")
        .completion
        .values
}

async fn call(
    client: &RunningService<RoleClient, Recorder>,
    name: &'static str,
    args: Value,
) -> rmcp::model::CallToolResult {
    let args: Map<String, Value> = args.as_object().cloned().unwrap_or_default();
    client
        .call_tool(CallToolRequestParams::new(name).with_arguments(args))
        .await
        .expect("tools/call answers")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resources_completions_and_logs_over_http() {
    let (_fake, _gateway, base) = fake_and_gateway(&[]);
    let recorder = Recorder::default();
    let client = connect(&base, recorder.clone()).await;
    let info = client.peer_info().expect("server info");
    assert!(info.capabilities.resources.is_some());
    assert!(info.capabilities.completions.is_some());
    assert!(info.capabilities.logging.is_some());

    // Listed resources: the vocabularies (country among them) and the parameterless calls.
    let listed = client.list_all_resources().await.unwrap();
    let uris: Vec<&str> = listed.iter().map(|r| r.uri.as_str()).collect();
    for uri in [
        "sevendigital://vocabulary/country",
        "sevendigital://vocabulary/period",
        "sevendigital://countries",
    ] {
        assert!(uris.contains(&uri), "{uris:?}");
    }
    assert!(
        listed
            .iter()
            .all(|r| r.mime_type.as_deref() == Some("application/json"))
    );
    let bogus = client
        .list_resources(Some(
            PaginatedRequestParams::default().with_cursor(Some("bogus".to_string())),
        ))
        .await;
    assert!(bogus.is_err(), "a cursor this server never gave: {bogus:?}");
    let (_, _, countries) = read(&client, "sevendigital://vocabulary/country")
        .await
        .unwrap();
    let countries: Value = serde_json::from_str(&countries).unwrap();
    assert_eq!(countries["values"].as_array().map(Vec::len), Some(249));

    // Templates, derived from the catalogue.
    let templates = client.list_all_resource_templates().await.unwrap();
    let templates: Vec<&str> = templates.iter().map(|t| t.uri_template.as_str()).collect();
    for template in [
        "sevendigital://release/{releaseId}{?country}",
        "sevendigital://release/{releaseId}/tracks",
        "sevendigital://artist/{artistId}",
        "sevendigital://track/{trackId}{?country}",
    ] {
        assert!(templates.contains(&template), "{templates:?}");
    }
    // Not offered without --conformance-fixture.
    assert!(!templates.iter().any(|t| t.starts_with("test://")));

    // A release, read through the gateway's dispatch: the same JSON as the tool's.
    let (uri, mime, text) = read(&client, "sevendigital://release/1192901?country=GB")
        .await
        .unwrap();
    assert_eq!(uri, "sevendigital://release/1192901?country=GB");
    assert_eq!(mime.as_deref(), Some("application/json"));
    let release: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(release["release"]["id"], json!(1192901), "{release}");
    let tool = call(
        &client,
        "get-release-details",
        json!({ "releaseId": "1192901", "country": "GB" }),
    )
    .await;
    assert_eq!(tool.structured_content, Some(release));
    let (_, _, tracks) = read(&client, "sevendigital://release/1192901/tracks")
        .await
        .unwrap();
    assert!(serde_json::from_str::<Value>(&tracks).unwrap()["tracks"].is_object());
    // Unknown URIs and queries are refused.
    let missing = read(&client, "sevendigital://release/1192901/nothing").await;
    assert!(missing.is_err(), "{missing:?}");
    let bad = read(&client, "sevendigital://release/1192901?bogus=1").await;
    assert!(bad.is_err(), "{bad:?}");
    let fixture = read(&client, "test://template/123/data").await;
    assert!(fixture.is_err(), "{fixture:?}");

    // Completions: `country` of a template and of a tool, an enum, prefix-filtered.
    let template = Reference::for_resource("sevendigital://release/{releaseId}{?country}");
    let values = complete(&client, template.clone(), "country", "g").await;
    assert!(values.contains(&"GB".to_string()), "{values:?}");
    assert!(values.iter().all(|v| v.starts_with('G')), "{values:?}");
    let all = complete(&client, template, "country", "").await;
    assert_eq!(all.len(), 100);
    let values = complete(
        &client,
        Reference::for_prompt("get-release-chart"),
        "period",
        "w",
    )
    .await;
    assert_eq!(values, ["week"]);
    let values = complete(
        &client,
        Reference::for_prompt("search-releases"),
        "country",
        "fr",
    )
    .await;
    assert_eq!(values, ["FR"]);
    assert!(
        complete(&client, Reference::for_prompt("no-such-tool"), "x", "")
            .await
            .is_empty()
    );

    // Logging: a notification after each call, filtered by the level set.
    client
        .set_level(SetLevelRequestParams::new(LoggingLevel::Warning))
        .await
        .unwrap();
    let before = recorder.wait_for(3).await.len(); // the three reads and the call above
    let ok = call(&client, "get-artist-details", json!({ "artistId": "8293" })).await;
    assert_eq!(ok.is_error, Some(false));
    let failed = call(
        &client,
        "search-releases",
        json!({ "q": "x", "pageSize": 500 }),
    )
    .await;
    assert_eq!(failed.is_error, Some(true));
    let logs = recorder.wait_for(before + 1).await;
    let warning = logs.last().unwrap();
    assert_eq!(warning.level, LoggingLevel::Warning, "{logs:?}");
    assert_eq!(warning.logger.as_deref(), Some("sevendigital"));
    assert_eq!(warning.data["operation"], "searchReleases");
    assert_eq!(warning.data["outcome"], "error");
    assert_eq!(warning.data["parameter"], "pageSize");
    // The successful call was below the level: not sent.
    assert!(
        !logs[before..]
            .iter()
            .any(|l| l.data["operation"] == "getArtistDetails"),
        "{logs:?}"
    );
    client
        .set_level(SetLevelRequestParams::new(LoggingLevel::Debug))
        .await
        .unwrap();
    call(&client, "get-artist-details", json!({ "artistId": "8293" })).await;
    let logs = recorder.wait_for(before + 2).await;
    let info = logs.last().unwrap();
    assert_eq!(info.level, LoggingLevel::Info, "{logs:?}");
    assert_eq!(info.data["operation"], "getArtistDetails");
    assert_eq!(info.data["outcome"], "ok");
    client.cancel().await.unwrap();
}

/// `sevendigital mcp` (stdio) reads a release and logs its calls the same way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resources_and_logs_over_stdio() {
    let (_fake, fake_url) = start(&["serve", "--port", "0"], &[]);
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_sevendigital"));
    cmd.env_clear()
        .env("SEVENDIGITAL_BASE_URL", &fake_url)
        .env("SEVENDIGITAL_CONSUMER_KEY", DEFAULT_CONSUMER_KEY)
        .env("SEVENDIGITAL_CONSUMER_SECRET", DEFAULT_CONSUMER_SECRET)
        .env("SEVENDIGITAL_TOKEN", TOKEN)
        .env("SEVENDIGITAL_TOKEN_SECRET", TOKEN_SECRET)
        .arg("mcp")
        .stderr(Stdio::null());
    let recorder = Recorder::default();
    let client = recorder
        .clone()
        .serve(rmcp::transport::TokioChildProcess::new(cmd).unwrap())
        .await
        .unwrap();
    let (_, mime, text) = read(&client, "sevendigital://artist/8293/releases?type=album")
        .await
        .unwrap();
    assert_eq!(mime.as_deref(), Some("application/json"));
    assert!(
        serde_json::from_str::<Value>(&text).unwrap()["releases"].is_object(),
        "{text}"
    );
    let values = complete(
        &client,
        Reference::for_resource("sevendigital://artist/{artistId}/releases{?type,page,pageSize}"),
        "type",
        "",
    )
    .await;
    assert_eq!(values, ["album", "single", "ep", "compilation"]);
    client
        .set_level(SetLevelRequestParams::new(LoggingLevel::Error))
        .await
        .unwrap();
    // A refusal is a warning: below `error`, not sent.
    call(&client, "get-release-details", json!({})).await;
    client
        .set_level(SetLevelRequestParams::new(LoggingLevel::Info))
        .await
        .unwrap();
    call(
        &client,
        "get-release-details",
        json!({ "releaseId": "1192901" }),
    )
    .await;
    let logs = recorder.wait_for(2).await;
    assert_eq!(logs[0].data["event"], "resources/read", "{logs:?}");
    assert_eq!(logs[0].data["operation"], "getArtistReleases");
    assert_eq!(logs[1].data["event"], "tools/call", "{logs:?}");
    assert_eq!(logs[1].data["outcome"], "ok", "{logs:?}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(recorder.logs().len(), 2, "{:?}", recorder.logs());
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_resources_completions_or_logs() {
    let (_fake, _gateway, base) = fake_and_gateway(&["--allow-writes"]);
    let recorder = Recorder::default();
    let client = connect(&base, recorder.clone()).await;
    client
        .set_level(SetLevelRequestParams::new(LoggingLevel::Debug))
        .await
        .unwrap();
    let mut seen: Vec<String> = Vec::new();

    // Every listed resource, read; every template, listed, read with a sample id, and each of
    // its variables completed.
    let mut cursor = None;
    loop {
        let page = client
            .list_resources(Some(PaginatedRequestParams::default().with_cursor(cursor)))
            .await
            .unwrap();
        seen.push(serde_json::to_string(&page).unwrap());
        for resource in &page.resources {
            match read(&client, &resource.uri).await {
                Ok((_, _, text)) => seen.push(text),
                Err(e) => seen.push(e.to_string()),
            }
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let templates = client.list_all_resource_templates().await.unwrap();
    seen.push(serde_json::to_string(&templates).unwrap());
    for template in &templates {
        let uri = template.uri_template.split('{').collect::<Vec<_>>();
        // `sevendigital://kind/{id}/rest{?...}` with the id 1192901 (or a bad one, to fail).
        for id in ["1192901", "not-an-id"] {
            let mut filled = uri[0].to_string();
            for part in &uri[1..] {
                if let Some((_, after)) = part.split_once('}')
                    && !part.starts_with('?')
                {
                    filled.push_str(id);
                    filled.push_str(after);
                }
            }
            match read(&client, &format!("{filled}?country=GB")).await {
                Ok((_, _, text)) => seen.push(text),
                Err(e) => seen.push(e.to_string()),
            }
        }
        for variable in uri[1..].iter().flat_map(|p| {
            p.split('}')
                .next()
                .unwrap_or_default()
                .trim_start_matches('?')
                .split(',')
        }) {
            let values = complete(
                &client,
                Reference::for_resource(template.uri_template.clone()),
                variable,
                "",
            )
            .await;
            seen.push(values.join(","));
        }
    }

    // Calls that succeed and fail, with the server's token and with a per-call one; a signed
    // download URL (the tool's answer carries it; its log line must not).
    let before = recorder.logs().len();
    let calls = [
        ("get-user-locker", json!({})),
        (
            "get-user-locker",
            json!({ "userToken": CALL_TOKEN, "userSecret": CALL_SECRET }),
        ),
        ("get-user-locker", json!({ "userToken": CALL_TOKEN })),
        ("get-release-details", json!({ "releaseId": "1192901" })),
        ("get-release-details", json!({ "releaseId": 5.5 })),
        (
            "download-purchased-track",
            json!({
                "userId": "u-1", "trackId": "119290101", "releaseId": "1192901",
                "formatId": "17", "country": "GB"
            }),
        ),
        (
            "purchase-user-item",
            json!({ "releaseId": "1192901", "userToken": CALL_TOKEN, "userSecret": CALL_SECRET }),
        ),
    ];
    for (tool, args) in &calls {
        call(&client, tool, args.clone()).await;
    }
    let logs = recorder.wait_for(before + calls.len()).await;
    assert!(
        logs.iter().any(|l| l.level == LoggingLevel::Warning),
        "{logs:?}"
    );
    assert!(
        logs.iter().any(|l| l.level == LoggingLevel::Info),
        "{logs:?}"
    );
    for log in &logs {
        seen.push(serde_json::to_string(log).unwrap());
    }

    let everything = seen.join("\n");
    for secret in [
        DEFAULT_CONSUMER_SECRET,
        TOKEN,
        TOKEN_SECRET,
        CALL_TOKEN,
        CALL_SECRET,
        "oauth_signature",
        "oauth_token",
        "signature=",
    ] {
        assert!(
            !everything.contains(secret),
            "{secret} leaked:\n{}",
            everything
                .lines()
                .filter(|l| l.contains(secret))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    client.cancel().await.unwrap();
}

/// `POST /mcp` with `body` (and the session id when given): the answer.
async fn post_mcp(
    http: &reqwest::Client,
    url: &str,
    session: Option<&str>,
    body: Value,
) -> reqwest::Response {
    let mut request = http
        .post(url)
        .header("accept", "application/json, text/event-stream")
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(session) = session {
        request = request
            .header("mcp-session-id", session)
            .header("mcp-protocol-version", "2025-06-18");
    }
    request.send().await.expect("POST /mcp")
}

/// `DELETE /mcp` ends a session with 200 OK (what the spec and the Python SDK expect, not
/// rmcp's 202); the session is then gone (404), and so is an unknown one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_ends_the_session_with_200() {
    let (_fake, _gateway, base) = fake_and_gateway(&[]);
    let url = format!("{base}/mcp");
    let http = reqwest::Client::new();
    let init = post_mcp(
        &http,
        &url,
        None,
        json!({
            "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18", "capabilities": {},
                "clientInfo": { "name": "raw", "version": "0" }
            }
        }),
    )
    .await;
    assert_eq!(init.status(), 200);
    let session = init
        .headers()
        .get("mcp-session-id")
        .and_then(|v| v.to_str().ok())
        .expect("a session id")
        .to_string();
    let text = init.text().await.unwrap();
    assert!(text.contains("\"protocolVersion\""), "{text}");
    let initialized = post_mcp(
        &http,
        &url,
        Some(&session),
        json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }),
    )
    .await;
    assert_eq!(initialized.status(), 202);
    let ping = post_mcp(
        &http,
        &url,
        Some(&session),
        json!({ "jsonrpc": "2.0", "id": 2, "method": "ping" }),
    )
    .await;
    assert_eq!(ping.status(), 200);
    ping.text().await.unwrap();

    let delete = |session: String| {
        let http = http.clone();
        let url = url.clone();
        async move {
            http.delete(&url)
                .header("mcp-session-id", session)
                .header("mcp-protocol-version", "2025-06-18")
                .send()
                .await
                .expect("DELETE /mcp")
        }
    };
    let ended = delete(session.clone()).await;
    assert_eq!(ended.status(), 200, "{:?}", ended.headers());
    // Gone: its requests and a second DELETE are 404.
    let after = post_mcp(
        &http,
        &url,
        Some(&session),
        json!({ "jsonrpc": "2.0", "id": 3, "method": "ping" }),
    )
    .await;
    assert_eq!(after.status(), 404);
    assert_eq!(delete(session).await.status(), 404);
    assert_eq!(delete("no-such-session".to_string()).await.status(), 404);
    // Without a session id: refused, not a success.
    let bare = http.delete(&url).send().await.unwrap();
    assert_eq!(bare.status(), 400);
}

/// The venv's Python with the official MCP SDK (`mcp`, installed by `.ci/run` into
/// `target/tmp/py`), or `None` (after saying so loudly) when it is missing and this is not CI.
fn python_sdk() -> Option<PathBuf> {
    let python = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/tmp/py/bin/python");
    let works = Command::new(&python)
        .args(["-c", "import mcp"])
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return Some(python);
    }
    let why = format!(
        "{} with the `mcp` package is not installed",
        python.display()
    );
    if std::env::var_os("CI").is_some() {
        panic!("{why} (CI installs it in .ci/run)");
    }
    eprintln!(
        "\n!!!!!!!! SKIPPED the Python SDK client test: {why}.\n!!!!!!!! Install it with `python3 -m venv target/tmp/py && target/tmp/py/bin/pip install mcp==2.3.0` (CI does).\n"
    );
    None
}

/// Runs tests/mcp_python_client.py with `args` and `envs`; what it printed, checked.
fn python_client(python: &PathBuf, args: &[&str], envs: &[(&str, &str)]) -> Value {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/mcp_python_client.py");
    let output = Command::new(python)
        .arg(script)
        .args(args)
        .envs(envs.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "exit {:?}\n{stdout}\n{stderr}",
        output.status
    );
    let seen: Value =
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    let tools = seen["tools"].as_array().expect("tools");
    assert!(tools.contains(&json!("get-release-details")), "{seen}");
    assert_eq!(seen["release"]["uri"], "sevendigital://release/1192901");
    assert_eq!(seen["release"]["mimeType"], "application/json");
    let release: Value =
        serde_json::from_str(seen["release"]["text"].as_str().unwrap_or_default()).unwrap();
    assert_eq!(release["release"]["id"], json!(1192901), "{release}");
    let values = seen["completion"].as_array().expect("completion values");
    assert!(values.contains(&json!("GB")), "{values:?}");
    assert!(
        values
            .iter()
            .all(|v| v.as_str().is_some_and(|v| v.starts_with('G'))),
        "{values:?}"
    );
    assert_eq!(seen["refusedIsError"], json!(true), "{seen}");
    // At `warning`: the refused call's warning, and nothing about the successful call.
    let logs = seen["logs"].as_array().expect("logs");
    let last = logs.last().expect("a log notification");
    assert_eq!(last["level"], "warning", "{logs:?}");
    assert_eq!(last["data"]["operation"], "searchReleases", "{logs:?}");
    assert!(
        !logs
            .iter()
            .any(|l| l["data"]["operation"] == "getArtistDetails"),
        "{logs:?}"
    );
    // Nothing went wrong on the SDK's side, closing the session included.
    assert_eq!(seen["warnings"], json!([]), "{seen}\n{stderr}");
    assert!(!stderr.contains("Session termination failed"), "{stderr}");
    seen
}

/// The official Python SDK as a client over streamable HTTP and over stdio.
#[test]
fn python_sdk_client_over_http_and_stdio() {
    let Some(python) = python_sdk() else {
        return;
    };
    let (_fake, _gateway, base) = fake_and_gateway(&[]);
    let seen = python_client(&python, &["http", &format!("{base}/mcp")], &[]);
    eprintln!("over HTTP: protocol {}", seen["protocolVersion"]);

    let (_fake, fake_url) = start(&["serve", "--port", "0"], &[]);
    let seen = python_client(
        &python,
        &["stdio", env!("CARGO_BIN_EXE_sevendigital")],
        &[
            ("SEVENDIGITAL_BASE_URL", &fake_url),
            ("SEVENDIGITAL_CONSUMER_KEY", DEFAULT_CONSUMER_KEY),
            ("SEVENDIGITAL_CONSUMER_SECRET", DEFAULT_CONSUMER_SECRET),
        ],
    );
    eprintln!("over stdio: protocol {}", seen["protocolVersion"]);
}
