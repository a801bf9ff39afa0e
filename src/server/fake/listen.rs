//! Serving the fake on a socket within limits users can rely on in CI: a header read timeout
//! (slowloris connections are closed), a body read timeout, a cap on open connections and on
//! requests in flight (503 past it), bodies refused early (see [`crate::server::read_body`]).

use std::sync::Arc;
use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot};
use tower::ServiceBuilder;

use super::store::Store;
use crate::error::codes;
use crate::server::{BodyTimeout, DEFAULT_BODY_TIMEOUT, ServerError};

/// The default longest time to receive a request's headers: 10 s.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The default most requests handled at once: 512.
pub const DEFAULT_MAX_CONCURRENCY: usize = 512;
/// The default most connections open at once: 1024.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;

/// How long a running server waits for open connections to finish when stopped.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// What [`Fake::serve`](super::Fake::serve) bounds; set with the [`FakeBuilder`](super::FakeBuilder).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServeLimits {
    /// The longest time to receive a request's headers (also how long an idle kept-alive
    /// connection stays open).
    pub header_timeout: Duration,
    /// The longest time to receive a whole request body (408 past it).
    pub body_timeout: Duration,
    /// The most requests handled at once (503 past it).
    pub max_concurrency: usize,
    /// The most connections open at once (503 and close past it).
    pub max_connections: usize,
}

impl Default for ServeLimits {
    fn default() -> Self {
        ServeLimits {
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            max_concurrency: DEFAULT_MAX_CONCURRENCY,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// The answer to a connection past the cap.
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: 80\r\nconnection: close\r\n\r\n{\"status\":\"error\",\"error\":{\"code\":9001,\"message\":\"Too many connections open\"}}";

/// Accepts connections on `listener` and serves `app` on each within `limits`, until `stop`.
pub(super) async fn run(
    listener: TcpListener,
    app: axum::Router,
    limits: ServeLimits,
    mut stop: oneshot::Receiver<()>,
) {
    // Around the whole router (not per route): one limit for every request.
    let app = ServiceBuilder::new()
        .layer(HandleErrorLayer::new(overloaded))
        .load_shed()
        .concurrency_limit(limits.max_concurrency)
        .service(app.layer(axum::Extension(BodyTimeout(limits.body_timeout))));
    let graceful = GracefulShutdown::new();
    let open = Arc::new(Semaphore::new(limits.max_connections));
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stop => break,
        };
        let mut stream = match accepted {
            Ok((stream, _)) => stream,
            // Out of file descriptors or a connection reset before accept: go on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&open).try_acquire_owned() else {
            tokio::spawn(async move {
                let _ = tokio::time::timeout(Duration::from_secs(1), async {
                    let _ = stream.write_all(BUSY).await;
                    let _ = stream.shutdown().await;
                })
                .await;
            });
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .max_buf_size(64 * 1024);
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

/// Middleware: the answer's `Date` is the fake's clock (which tests may skew).
pub(super) async fn date(
    State(store): State<Arc<Store>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let at = std::time::UNIX_EPOCH + Duration::from_secs(store.now());
    if let Ok(value) = axum::http::HeaderValue::from_str(&httpdate::fmt_http_date(at)) {
        response
            .headers_mut()
            .insert(axum::http::header::DATE, value);
    }
    response
}

/// The answer to a request past the concurrency limit.
async fn overloaded(_: tower::BoxError) -> Response {
    ServerError::new(
        503,
        codes::UNEXPECTED,
        "Too many requests at once; try again",
    )
    .into_response()
}
