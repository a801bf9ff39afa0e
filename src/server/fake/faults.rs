//! Fault injection: added latency, a rate of 503 answers, and connections closed after a
//! number of body bytes (the answer's body stream ends in an error, so the connection drops).

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

use super::store::Store;
use crate::error::codes;

/// How long a cut answer waits before dropping the connection.
const FLUSH_PAUSE: std::time::Duration = std::time::Duration::from_millis(20);
use crate::server::ServerError;

/// Middleware applying the store's current faults to each answer.
pub async fn layer(State(store): State<Arc<Store>>, request: Request, next: Next) -> Response {
    store.count_request();
    let (latency, fail, cut) = store.roll(request.uri().path());
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if fail {
        return ServerError::new(
            503,
            codes::UNEXPECTED,
            "Service unavailable (injected fault)",
        )
        .into_response();
    }
    let response = next.run(request).await;
    match cut {
        Some(limit) => cut_after(response, limit),
        None => response,
    }
}

/// The same answer, its body cut after `limit` bytes by an error that closes the connection
/// (an answer no longer than `limit` is left whole).
fn cut_after(response: Response, limit: u64) -> Response {
    let (parts, body) = response.into_parts();
    let inner = body.into_data_stream();
    let stream = futures_util::stream::unfold(
        (inner, limit, false),
        |(mut inner, left, done)| async move {
            if done {
                return None;
            }
            let chunk = match inner.next().await? {
                Ok(chunk) => chunk,
                Err(e) => return Some((Err(std::io::Error::other(e)), (inner, left, true))),
            };
            let take = usize::try_from(left).unwrap_or(usize::MAX).min(chunk.len());
            if take == chunk.len() {
                return Some((
                    Ok::<Bytes, std::io::Error>(chunk),
                    (inner, left - take as u64, false),
                ));
            }
            if take == 0 {
                // Give the server time to flush what was sent, so that exactly the allowed
                // bytes reach the client before the connection drops.
                tokio::time::sleep(FLUSH_PAUSE).await;
                let cut = std::io::Error::other("connection cut by fault injection");
                return Some((Err(cut), (inner, 0, true)));
            }
            // Send what fits now; the next poll finds no budget left and fails.
            Some((
                Ok(chunk.slice(..take)),
                (prepend_cut(inner, chunk.slice(take..)), 0, false),
            ))
        },
    );
    Response::from_parts(parts, Body::from_stream(stream))
}

/// `inner` with `rest` put back in front, so that the cut happens on the next poll.
fn prepend_cut(inner: axum::body::BodyDataStream, rest: Bytes) -> axum::body::BodyDataStream {
    let stream =
        futures_util::stream::once(async move { Ok::<Bytes, axum::Error>(rest) }).chain(inner);
    Body::from_stream(stream).into_data_stream()
}
