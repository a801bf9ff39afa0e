//! The REST gateway and MCP server in front of 7digital, in this process: a fake 7digital, the
//! gateway on a free port of 127.0.0.1, then the calls a non-Rust service or an agent makes.
//!
//! ```sh
//! cargo run --example gateway --features gateway
//! ```
//!
//! The same gateway runs as a command: `sevendigital gateway` (see its `--help`).

use serde_json::{Map, Value, json};
use sevendigital::gateway::Gateway;
use sevendigital::server::fake::Fake;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fake = Fake::start().await?;
    // Read-only: calls that change something (baskets, purchases, users) are refused.
    let gateway = Gateway::new(fake.client()?, false);

    // A tool call, as the MCP server makes it for an agent.
    let args: Map<String, Value> = json!({ "q": "wasting light", "pageSize": 2 })
        .as_object()
        .cloned()
        .unwrap_or_default();
    let answer = gateway.call("search-releases", args).await?;
    println!(
        "tool search-releases: {} hit(s) in all",
        answer["searchResults"]["totalItems"]
    );

    // The same operation over REST, and the contract the gateway publishes.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(sevendigital::gateway::http::serve(
        gateway,
        listener,
        std::future::pending(),
    ));
    let http = reqwest::Client::new();
    let rest = http
        .get(format!(
            "{base}/v1/release/search?q=wasting+light&pageSize=2"
        ))
        .send()
        .await?;
    println!("GET /v1/release/search: {}", rest.status());
    let refused = http
        .get(format!("{base}/v1/release/search?q=x&pageSize=0"))
        .send()
        .await?;
    println!(
        "GET /v1/release/search?pageSize=0: {} {}",
        refused.status(),
        refused.text().await?
    );
    let document: Value = serde_json::from_str(
        &http
            .get(format!("{base}/v1/openapi.json"))
            .send()
            .await?
            .text()
            .await?,
    )?;
    println!(
        "GET /v1/openapi.json: {} paths published",
        document["paths"].as_object().map_or(0, Map::len)
    );
    Ok(())
}
