//! The gateway against the in-process fake: MCP over stdio (the binary, spawned) and over
//! streamable HTTP, the REST adapter (every operation, the three downloads with Range) and its
//! OpenAPI document.

use std::collections::BTreeSet;

use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::RunningService;
use rmcp::transport::{StreamableHttpClientTransport, TokioChildProcess};
use rmcp::{RoleClient, ServiceExt};
use serde_json::{Map, Value, json};
use sevendigital::Client;
use sevendigital::gateway::{Gateway, tools};
use sevendigital::server::fake::{
    DEFAULT_CONSUMER_KEY, DEFAULT_CONSUMER_SECRET, FakeHandle, content,
};

use crate::common;

const BYTES: u64 = 200_000;

async fn fake() -> FakeHandle {
    common::signing_fake(BYTES).await
}

fn client(fake: &FakeHandle) -> Client {
    Client::builder()
        .base_url(fake.base_url())
        .consumer(DEFAULT_CONSUMER_KEY, DEFAULT_CONSUMER_SECRET)
        .build()
        .unwrap()
}

/// `sevendigital mcp` spawned, as an MCP client would.
async fn stdio(fake: &FakeHandle, allow_writes: bool) -> RunningService<RoleClient, ()> {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_sevendigital"));
    cmd.env_clear()
        .env("SEVENDIGITAL_BASE_URL", fake.base_url())
        .env("SEVENDIGITAL_CONSUMER_KEY", DEFAULT_CONSUMER_KEY)
        .env("SEVENDIGITAL_CONSUMER_SECRET", DEFAULT_CONSUMER_SECRET)
        .env("SEVENDIGITAL_TOKEN", "a-token")
        .env("SEVENDIGITAL_TOKEN_SECRET", "a-secret")
        .arg("mcp");
    if allow_writes {
        cmd.arg("--allow-writes");
    }
    let transport = TokioChildProcess::new(cmd).unwrap();
    ().serve(transport).await.unwrap()
}

/// The gateway in-process on a free port; its base URL.
async fn http_gateway(fake: &FakeHandle, allow_writes: bool) -> String {
    let gateway = Gateway::new(
        client(fake).with_user_token("a-token", "a-secret"),
        allow_writes,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(sevendigital::gateway::http::serve(
        gateway,
        listener,
        std::future::pending(),
    ));
    url
}

async fn call(
    client: &RunningService<RoleClient, ()>,
    name: &'static str,
    args: Value,
) -> CallToolResult {
    let args: Map<String, Value> = args.as_object().cloned().unwrap_or_default();
    client
        .call_tool(CallToolRequestParams::new(name).with_arguments(args))
        .await
        .unwrap()
}

fn text(result: &CallToolResult) -> String {
    result
        .content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect()
}

/// The tools every client must see: the catalogue's, less the write tools unless allowed.
fn expected_tools(allow_writes: bool) -> BTreeSet<String> {
    sevendigital::catalogue::OPERATIONS
        .iter()
        .filter(|op| allow_writes || !tools::gated(op))
        .map(|op| tools::kebab(op.id))
        .collect()
}

/// Lists the tools and checks names and hints against the catalogue.
async fn check_tool_list(client: &RunningService<RoleClient, ()>, allow_writes: bool) {
    let listed = client.list_all_tools().await.unwrap();
    let names: BTreeSet<String> = listed.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(names, expected_tools(allow_writes));
    assert_eq!(names.len(), listed.len(), "duplicate tool names");
    let hint = |name: &str| {
        listed
            .iter()
            .find(|t| t.name == name)
            .and_then(|t| t.annotations.clone())
            .unwrap_or_else(|| panic!("{name} has no annotations"))
    };
    let search = hint("search-releases");
    assert_eq!(search.read_only_hint, Some(true));
    assert_eq!(search.open_world_hint, Some(true));
    let basket = hint("create-basket");
    assert_eq!(basket.read_only_hint, Some(false));
    assert_eq!(basket.idempotent_hint, Some(false));
    let user = hint("create-partner-user");
    assert_eq!(user.read_only_hint, Some(false));
    assert_eq!(user.idempotent_hint, Some(false));
    assert_eq!(hint("download-purchase-zip").read_only_hint, Some(true));
    if allow_writes {
        for name in ["purchase-user-item", "log-sale", "deliver-user-item"] {
            let h = hint(name);
            assert_eq!(h.read_only_hint, Some(false), "{name}");
            assert_eq!(h.idempotent_hint, Some(false), "{name}");
        }
        for name in ["refund-release", "refund-track", "delete-user-payment-card"] {
            assert_eq!(hint(name).destructive_hint, Some(true), "{name}");
        }
    }
    let schema = &listed
        .iter()
        .find(|t| t.name == "search-releases")
        .unwrap()
        .input_schema;
    assert_eq!(schema["required"], json!(["q"]));
    assert_eq!(schema["properties"]["pageSize"]["maximum"], json!(100));
}

async fn read_call_and_refusals(client: &RunningService<RoleClient, ()>, fake: &FakeHandle) {
    let direct = client_json(fake).await;
    let result = call(
        client,
        "search-releases",
        json!({ "q": "wasting", "pageSize": 2 }),
    )
    .await;
    assert_eq!(result.is_error, Some(false), "{}", text(&result));
    assert_eq!(result.structured_content, Some(direct.clone()));
    assert_eq!(
        serde_json::from_str::<Value>(&text(&result)).unwrap(),
        direct
    );

    let bad = call(
        client,
        "search-releases",
        json!({ "q": "x", "pageSize": 500 }),
    )
    .await;
    assert_eq!(bad.is_error, Some(true));
    assert!(text(&bad).contains("pageSize"), "{}", text(&bad));
    assert!(!text(&bad).contains(DEFAULT_CONSUMER_SECRET));

    // Refusals name parameters as MCP callers write them, never as command-line flags.
    for (tool, args, name) in [
        (
            "search-releases",
            json!({ "q": "x", "pageSize": "abc" }),
            "pageSize",
        ),
        (
            "get-release-details",
            json!({ "releaseId": 5.5 }),
            "releaseId",
        ),
        ("get-releases-by-date", json!({ "country": "" }), "country"),
        ("search-releases", json!({ "q": "x", "page": null }), "page"),
    ] {
        let bad = call(client, tool, args).await;
        let said = text(&bad);
        assert_eq!(bad.is_error, Some(true), "{tool}: {said}");
        assert!(said.contains(&format!("`{name}`")), "{tool}: {said}");
        assert!(!said.contains("--"), "{tool} names a flag: {said}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_refusals_name_parameters_as_written() {
    let fake = fake().await;
    let base = http_gateway(&fake, true).await;
    for (path, name) in [
        ("/v1/release/search?q=x&pageSize=abc", "pageSize"),
        ("/v1/release/search?q=x&page=99999999999999999999", "page"),
        ("/v1/release/by-date?country=", "country"),
        ("/v1/release/search?q=a&q=b", "q"),
        ("/v1/release/details", "releaseId"),
    ] {
        let answer = reqwest::get(format!("{base}{path}")).await.unwrap();
        assert_eq!(answer.status(), 400, "{path}");
        let body: Value = serde_json::from_str(&answer.text().await.unwrap()).unwrap();
        let said = body["error"]["errorMessage"].as_str().unwrap_or_default();
        assert_eq!(body["status"], "error", "{path}: {body}");
        assert!(said.contains(&format!("`{name}`")), "{path}: {said}");
        assert!(!said.contains("--"), "{path} names a flag: {said}");
    }
}

async fn client_json(fake: &FakeHandle) -> Value {
    let answer = client(fake)
        .search_releases("wasting")
        .page_size(2)
        .send()
        .await
        .unwrap();
    serde_json::to_value(answer).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mcp_over_stdio_lists_calls_and_refuses_writes() {
    let fake = fake().await;
    let client = stdio(&fake, false).await;
    check_tool_list(&client, false).await;
    read_call_and_refusals(&client, &fake).await;
    let refused = call(
        &client,
        "purchase-user-item",
        json!({ "releaseId": "1192901", "country": "GB" }),
    )
    .await;
    assert_eq!(refused.is_error, Some(true));
    assert!(
        text(&refused).contains("--allow-writes"),
        "{}",
        text(&refused)
    );
    // 3-legged, with the token from the server's environment.
    let locker = call(&client, "get-user-locker", json!({})).await;
    assert_eq!(locker.is_error, Some(false), "{}", text(&locker));
    client.cancel().await.unwrap();
}

/// The download-service flow: user, sale, locker, signed URL, bytes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mcp_over_stdio_download_service_flow() {
    let fake = fake().await;
    let client = stdio(&fake, true).await;
    check_tool_list(&client, true).await;
    let user = call(
        &client,
        "create-partner-user",
        json!({ "userId": "u-1", "country": "GB" }),
    )
    .await;
    assert_eq!(user.is_error, Some(false), "{}", text(&user));
    let sale = call(
        &client,
        "log-sale",
        json!({ "userId": "u-1", "releaseId": 1192901, "country": "GB", "transactionId": "tx-1", "retailPrice": "7.99" }),
    )
    .await;
    assert_eq!(sale.is_error, Some(false), "{}", text(&sale));
    let purchase = sale.structured_content.unwrap()["purchase"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let locker = call(
        &client,
        "get-partner-locker",
        json!({ "userId": "u-1", "country": "GB" }),
    )
    .await;
    assert!(text(&locker).contains(&purchase), "{}", text(&locker));
    let link = call(
        &client,
        "download-purchase-zip",
        json!({ "userId": "u-1", "purchaseId": purchase, "country": "GB" }),
    )
    .await;
    assert_eq!(link.is_error, Some(false), "{}", text(&link));
    let link = link.structured_content.unwrap();
    assert!(link["expires"].as_u64().unwrap() > 0);
    let url = link["url"].as_str().unwrap();
    assert!(!url.contains(DEFAULT_CONSUMER_SECRET));
    let bytes = reqwest::get(url).await.unwrap().bytes().await.unwrap();
    assert_eq!(
        bytes.as_ref(),
        content::bytes(content::seed(&format!("purchase-{purchase}")), BYTES).as_slice()
    );
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mcp_over_http_lists_calls_and_refuses_writes() {
    let fake = fake().await;
    let base = http_gateway(&fake, false).await;
    let transport = StreamableHttpClientTransport::from_uri(format!("{base}/mcp"));
    let client = ().serve(transport).await.unwrap();
    check_tool_list(&client, false).await;
    read_call_and_refusals(&client, &fake).await;
    let refused = call(
        &client,
        "refund-release",
        json!({ "purchaseId": 1, "releaseId": 1, "country": "GB", "purchaseDate": "2026-11-01" }),
    )
    .await;
    assert_eq!(refused.is_error, Some(true));
    assert!(text(&refused).contains("--allow-writes"));
    client.cancel().await.unwrap();
}

/// A value for a required parameter: its example, its default, or something of its type.
fn sample(p: &sevendigital::catalogue::Param) -> String {
    if let Some(v) = p.enum_values.first() {
        return (*v).to_string();
    }
    p.example
        .or(p.default)
        .map(str::to_string)
        .unwrap_or_else(|| match p.kind {
            sevendigital::catalogue::ParamKind::Integer
            | sevendigital::catalogue::ParamKind::Number => "1".into(),
            sevendigital::catalogue::ParamKind::Boolean => "true".into(),
            _ => "GB".into(),
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_serves_every_operation() {
    let fake = fake().await;
    let base = http_gateway(&fake, true).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for tool in tools::all() {
        let mut path = tool.rest_path.clone();
        let mut query = Vec::new();
        let mut body = Vec::new();
        for p in tool.op.params.iter().filter(|p| p.required) {
            let value = sample(p);
            match p.location {
                sevendigital::catalogue::ParamLocation::Path => {
                    path = path.replace(&format!("{{{}}}", p.name), &value)
                }
                sevendigital::catalogue::ParamLocation::Body => body.push((p.name, value)),
                _ => query.push((p.name, value)),
            }
        }
        let method = reqwest::Method::from_bytes(tool.op.method.as_str().as_bytes()).unwrap();
        let mut request = http.request(method, format!("{base}{path}")).query(&query);
        if !body.is_empty() {
            request = request.form(&body);
        }
        let answer = request.send().await.unwrap();
        let status = answer.status();
        let text = answer.text().await.unwrap();
        // A missing route would be an empty 404/405; every answer here is JSON (the typed
        // answer or the upstream error envelope), or the file for a download.
        assert_ne!(status.as_u16(), 405, "{} {path}: {text}", tool.name);
        if tool.source != tools::Source::Download || !status.is_success() {
            let value: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{} {path}: {e}: {text}", tool.name));
            if !status.is_success() {
                assert_eq!(value["status"], "error", "{}: {text}", tool.name);
                assert!(value["error"]["code"].is_i64(), "{}: {text}", tool.name);
            }
        }
    }
    // A typed answer, the same as the client's.
    let answer: Value = serde_json::from_str(
        &http
            .get(format!("{base}/v1/release/search?q=wasting&pageSize=2"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(answer, client_json(&fake).await);
    // Refused before sending, naming the parameter.
    let bad = http
        .get(format!("{base}/v1/release/search?q=x&pageSize=0"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("pageSize"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_downloads_stream_byte_identical_with_range() {
    let fake = fake().await;
    let direct = client(&fake);
    direct
        .create_partner_user("u-2", "GB")
        .send()
        .await
        .unwrap();
    let sale = direct
        .log_sale(
            "u-2",
            "1192901",
            "GB",
            "tx-2",
            sevendigital::download_service::Price::parse("7.99").unwrap(),
        )
        .send()
        .await
        .unwrap()
        .purchase;
    let base = http_gateway(&fake, false).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let routes = [
        (
            format!("/v1/users/u-2/downloads/purchases/{}?country=GB", sale.id),
            format!("purchase-{}", sale.id),
        ),
        (
            "/v1/users/u-2/downloads/releases/1192901?formatId=17&country=GB".to_string(),
            "release-1192901-17".to_string(),
        ),
        (
            "/v1/users/u-2/downloads/tracks/555?releaseId=1192901&formatId=17&country=GB"
                .to_string(),
            "track-555-17".to_string(),
        ),
    ];
    // A write resource without --allow-writes: refused, naming the flag.
    let refused = http
        .get(format!(
            "{base}/v1/download-service/user/deliveritem?userId=u-2&releaseId=1192901&country=GB&transactionId=tx-3&retailPrice=7.99"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("--allow-writes"));
    for (route, key) in routes {
        let expected = content::bytes(content::seed(&key), BYTES);
        let whole = http.get(format!("{base}{route}")).send().await.unwrap();
        assert_eq!(whole.status(), 200, "{route}");
        assert_eq!(
            whole.bytes().await.unwrap().as_ref(),
            expected.as_slice(),
            "{route}"
        );
        let part = http
            .get(format!("{base}{route}"))
            .header("Range", "bytes=1000-1999")
            .send()
            .await
            .unwrap();
        assert_eq!(part.status(), 206, "{route}");
        assert_eq!(
            part.headers()["content-range"].to_str().unwrap(),
            format!("bytes 1000-1999/{BYTES}")
        );
        assert_eq!(part.bytes().await.unwrap().as_ref(), &expected[1000..2000]);
        let redirect = http
            .get(format!("{base}{route}&redirect=true"))
            .send()
            .await
            .unwrap();
        assert_eq!(redirect.status(), 302);
        let location = redirect.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with(&fake.base_url()), "{location}");
        let bytes = http
            .get(&location)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(bytes.as_ref(), expected.as_slice());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_openapi_document_parses() {
    let fake = fake().await;
    let base = http_gateway(&fake, true).await;
    let doc: Value = serde_json::from_str(
        &reqwest::get(format!("{base}/v1/openapi.json"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let parsed: openapiv3::OpenAPI = serde_json::from_value(doc).unwrap();
    let count: usize = parsed
        .paths
        .paths
        .values()
        .filter_map(|p| p.as_item())
        .map(|item| item.iter().count())
        .sum();
    assert_eq!(count, tools::all().len());
    for tool in tools::all() {
        assert!(
            parsed.paths.paths.contains_key(&tool.rest_path),
            "{}",
            tool.rest_path
        );
    }
}
