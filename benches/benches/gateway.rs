//! The gateway's added latency per call: the same read operation against the same in-process
//! fake, made directly with the client, through the REST adapter and through MCP over
//! streamable HTTP (rmcp's client), sequentially. Prints the median and p90 of each and the
//! ratio to the direct call. `MCP/Nagle` is the same MCP server served without `TCP_NODELAY`
//! on its connections (how `gateway::http::serve` served it before), for comparison in the same
//! run; `MCP/quiet` a session that set its log level to `warning`, so that no log
//! notification follows each call.
//!
//! `cargo bench -p sevendigital-benches --bench gateway` (`GATEWAY_BENCH_CALLS`, default 500).

#![allow(deprecated)] // MCP logging (SEP-2577), still what clients speak.

use std::time::{Duration, Instant};

use rmcp::ServiceExt;
use rmcp::model::CallToolRequestParams;
use rmcp::transport::StreamableHttpClientTransport;
use sevendigital::Client;
use sevendigital::gateway::Gateway;
use sevendigital::server::fake::{DEFAULT_CONSUMER_KEY, DEFAULT_CONSUMER_SECRET, Fake};

fn summary(name: &str, mut times: Vec<Duration>, base: Option<Duration>) -> Duration {
    times.sort();
    let median = times[times.len() / 2];
    let p90 = times[times.len() * 9 / 10];
    let ratio = base.map_or(String::new(), |b| {
        format!(
            "  x{:.2} of direct (+{:.0} µs)",
            median.as_secs_f64() / b.as_secs_f64(),
            (median.as_secs_f64() - b.as_secs_f64()) * 1e6
        )
    });
    println!(
        "{name:<9} median {:>7.0} µs  p90 {:>7.0} µs{ratio}",
        median.as_secs_f64() * 1e6,
        p90.as_secs_f64() * 1e6
    );
    median
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let calls: usize = std::env::var("GATEWAY_BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500)
        .max(10);
    let fake = Fake::builder().start().await?;
    let client = Client::builder()
        .base_url(fake.base_url())
        .consumer(DEFAULT_CONSUMER_KEY, DEFAULT_CONSUMER_SECRET)
        .build()?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(sevendigital::gateway::http::serve(
        Gateway::new(client.clone(), false),
        listener,
        std::future::pending(),
    ));
    // The same app on a listener left as it is (Nagle's algorithm on).
    let nagle_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let nagle_base = format!("http://{}", nagle_listener.local_addr()?);
    let nagle_app = sevendigital::gateway::http::app(Gateway::new(client.clone(), false));
    tokio::spawn(async move { axum::serve(nagle_listener, nagle_app).await });
    // The gateway logs a line per call on stderr; that is part of its cost.
    let http = reqwest::Client::new();
    let mcp = ()
        .serve(StreamableHttpClientTransport::from_uri(format!(
            "{base}/mcp"
        )))
        .await?;
    let mcp_nagle = ()
        .serve(StreamableHttpClientTransport::from_uri(format!(
            "{nagle_base}/mcp"
        )))
        .await?;
    // A third session at log level `warning`: no log notification per call.
    let mcp_quiet = ()
        .serve(StreamableHttpClientTransport::from_uri(format!(
            "{base}/mcp"
        )))
        .await?;
    mcp_quiet
        .set_level(rmcp::model::SetLevelRequestParams::new(
            rmcp::model::LoggingLevel::Warning,
        ))
        .await?;
    let args = serde_json::json!({ "releaseId": "1192901", "country": "GB" });
    let args = args.as_object().cloned().unwrap_or_default();

    let mut direct = Vec::with_capacity(calls);
    let mut rest = Vec::with_capacity(calls);
    let mut tool = Vec::with_capacity(calls);
    let mut tool_nagle = Vec::with_capacity(calls);
    let mut tool_quiet = Vec::with_capacity(calls);
    // Interleaved, after a warm-up, so that drift affects all three alike.
    for i in 0..calls + 20 {
        let t = Instant::now();
        client
            .get_release_details("1192901")
            .country("GB")
            .send()
            .await?;
        let d = t.elapsed();
        let t = Instant::now();
        let answer = http
            .get(format!(
                "{base}/v1/release/details?releaseId=1192901&country=GB"
            ))
            .send()
            .await?;
        answer.bytes().await?;
        let r = t.elapsed();
        let t = Instant::now();
        mcp.call_tool(
            CallToolRequestParams::new("get-release-details").with_arguments(args.clone()),
        )
        .await?;
        let m = t.elapsed();
        let t = Instant::now();
        mcp_nagle
            .call_tool(
                CallToolRequestParams::new("get-release-details").with_arguments(args.clone()),
            )
            .await?;
        let n = t.elapsed();
        let t = Instant::now();
        mcp_quiet
            .call_tool(
                CallToolRequestParams::new("get-release-details").with_arguments(args.clone()),
            )
            .await?;
        let q = t.elapsed();
        if i >= 20 {
            tool_quiet.push(q);
            direct.push(d);
            rest.push(r);
            tool.push(m);
            tool_nagle.push(n);
        }
    }
    println!(
        "get-release-details, {calls} sequential calls each, interleaved, same in-process fake, \
         one tokio runtime with 2 worker threads:"
    );
    let base_median = summary("direct", direct, None);
    summary("REST", rest, Some(base_median));
    summary("MCP", tool, Some(base_median));
    summary("MCP/Nagle", tool_nagle, Some(base_median));
    summary("MCP/quiet", tool_quiet, Some(base_median));
    mcp.cancel().await?;
    mcp_nagle.cancel().await?;
    mcp_quiet.cancel().await?;
    Ok(())
}
