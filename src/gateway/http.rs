//! One HTTP server: MCP over streamable HTTP at `/mcp` and the REST adapter under `/v1`.

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use tower_http::trace::TraceLayer;

use super::Gateway;
use super::mcp::McpServer;

/// The gateway's routes: `/mcp` (MCP, streamable HTTP) and `/v1` (REST, with
/// `/v1/openapi.json`), with one `tracing` span per HTTP request (method and path, never the
/// query or the headers, which may carry a user's token).
pub fn app(gateway: Gateway) -> Router {
    let for_mcp = gateway.clone();
    let mcp = StreamableHttpService::new(
        move || Ok(McpServer::new(for_mcp.clone())),
        Arc::new(LocalSessionManager::default()),
        StreamableHttpServerConfig::default(),
    );
    super::rest::router(gateway)
        .nest_service("/mcp", mcp)
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
}

/// The span of one HTTP request: method and path only.
fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    tracing::info_span!(
        "sevendigital.http",
        method = %request.method(),
        path = %crate::text::escape_controls(request.uri().path()),
    )
}

/// Serves [`app`] on `listener` until `shutdown` completes, then finishes the requests in
/// flight.
///
/// # Errors
///
/// When the server fails.
pub async fn serve(
    gateway: Gateway,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(gateway))
        .with_graceful_shutdown(shutdown)
        .await
}
