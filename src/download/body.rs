//! Streaming an answer's body into a writer, chunk by chunk, counting and checking its length.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::{DownloadOptions, Progress};

/// Why a body was not received whole.
#[derive(Debug)]
pub(super) enum BodyError {
    /// The body ended, or the connection failed, before the expected length.
    Short {
        /// Bytes of the body received and written.
        received: u64,
        /// The transport error, when the connection failed (rather than the body ending).
        cause: Option<reqwest::Error>,
    },
    /// No data arrived for the idle timeout.
    Stalled {
        /// Bytes of the body received and written.
        received: u64,
        /// The idle timeout.
        after: Duration,
    },
    /// The body went on past the expected length; the chunk that did was not written.
    Oversized {
        /// Bytes of the body received and written (all within the expected length).
        written: u64,
    },
    /// The writer failed.
    Write {
        /// Bytes of the body received (not all necessarily written).
        received: u64,
        /// The error.
        error: io::Error,
    },
}

/// What to expect of a body.
#[derive(Debug, Clone, Copy)]
pub(super) struct Expected {
    /// Bytes of the whole representation before this body (the resume offset).
    pub offset: u64,
    /// The body's length, when announced.
    pub body: Option<u64>,
    /// The complete length of the representation, when known (for progress reports).
    pub total: Option<u64>,
}

/// Copies the body of `response` into `writer` (without flushing it), reporting progress after
/// each chunk; returns the number of bytes received. Memory use is one chunk at a time.
pub(super) async fn copy<W: AsyncWrite + Unpin>(
    response: &mut reqwest::Response,
    writer: &mut W,
    expected: Expected,
    options: &DownloadOptions,
) -> Result<u64, BodyError> {
    let mut received: u64 = 0;
    loop {
        let next = match options.idle_timeout {
            Some(after) => match tokio::time::timeout(after, response.chunk()).await {
                Ok(next) => next,
                Err(_) => return Err(BodyError::Stalled { received, after }),
            },
            None => response.chunk().await,
        };
        let chunk = match next {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => {
                return Err(BodyError::Short {
                    received,
                    cause: Some(e.without_url()),
                });
            }
        };
        let len = u64::try_from(chunk.len()).unwrap_or(u64::MAX);
        let after = received.saturating_add(len);
        if expected.body.is_some_and(|body| after > body) {
            return Err(BodyError::Oversized { written: received });
        }
        if let Err(error) = writer.write_all(&chunk).await {
            return Err(BodyError::Write { received, error });
        }
        received = after;
        options.report(Progress {
            done: expected.offset.saturating_add(received),
            total: expected.total,
        });
    }
    match expected.body {
        Some(body) if received < body => Err(BodyError::Short {
            received,
            cause: None,
        }),
        _ => Ok(received),
    }
}
