//! One HTTP server: MCP over streamable HTTP at `/mcp` and the REST adapter under `/v1`.

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::serve::ListenerExt;
use rmcp::transport::streamable_http_server::session::SessionManager;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use tower_http::trace::TraceLayer;

use super::Gateway;
use super::mcp::McpServer;

/// The header naming an MCP session.
const SESSION_ID: &str = "mcp-session-id";

/// The gateway's routes: `/mcp` (MCP, streamable HTTP) and `/v1` (REST, with
/// `/v1/openapi.json`), with one `tracing` span per HTTP request (method and path, never the
/// query or the headers, which may carry a user's token).
pub fn app(gateway: Gateway) -> Router {
    let for_mcp = gateway.clone();
    let sessions = Arc::new(LocalSessionManager::default());
    let mcp = StreamableHttpService::new(
        move || Ok(McpServer::new(for_mcp.clone())),
        sessions.clone(),
        StreamableHttpServerConfig::default(),
    );
    let mcp = Router::new()
        .fallback_service(mcp)
        .layer(axum::middleware::from_fn(
            move |request: Request, next: Next| session_end(sessions.clone(), request, next),
        ));
    super::rest::router(gateway)
        .nest_service("/mcp", mcp)
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
}

/// `DELETE /mcp` (the client ends its session): 200 OK once the session is closed, as the
/// streamable HTTP transport's clients expect (the Python SDK warns "Session termination
/// failed: 202" at rmcp's 202 Accepted), and 404 Not Found for a session this server does
/// not have (ended already, or never begun), like any other request naming one.
async fn session_end(sessions: Arc<LocalSessionManager>, request: Request, next: Next) -> Response {
    if request.method() != Method::DELETE {
        return next.run(request).await;
    }
    if let Some(id) = request
        .headers()
        .get(SESSION_ID)
        .and_then(|v| v.to_str().ok())
    {
        let known = sessions.has_session(&id.to_owned().into()).await;
        if !matches!(known, Ok(true)) {
            return (StatusCode::NOT_FOUND, "Not Found: Session not found").into_response();
        }
    }
    let mut response = next.run(request).await;
    if response.status() == StatusCode::ACCEPTED {
        *response.status_mut() = StatusCode::OK;
    }
    response
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
/// Every accepted connection has `TCP_NODELAY` set: an MCP answer is an SSE stream written
/// in several small pieces (headers and priming event, the message, the end of the stream),
/// which Nagle's algorithm would otherwise hold back until the client acknowledges the
/// previous piece.
///
/// # Errors
///
/// When the server fails.
pub async fn serve(
    gateway: Gateway,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = listener.tap_io(|tcp| {
        // Only latency is at stake: serve anyway.
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app(gateway))
        .with_graceful_shutdown(shutdown)
        .await
}
