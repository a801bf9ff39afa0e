//! Streaming an answer's body into a writer, chunk by chunk, counting and checking its length.

use std::io;
use std::time::{Duration, Instant};

use futures_util::future::Either;
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
    /// The deadline of the download passed.
    Deadline {
        /// Bytes of the body received and written.
        received: u64,
    },
    /// Fewer bytes than the minimum rate arrived over its window.
    Slow {
        /// Bytes of the body received and written.
        received: u64,
        /// Bytes received in the window.
        in_window: u64,
        /// The minimum rate, in bytes per second.
        rate: u64,
        /// The window.
        window: Duration,
    },
    /// The file went past the size limit; the chunk that did was not written.
    TooLarge {
        /// Bytes of the body received and written.
        written: u64,
        /// The limit, in bytes of the whole file.
        limit: u64,
    },
    /// The caller stopped the download ([`DownloadOptions::stop_on`]).
    Stopped {
        /// Bytes of the body received and written.
        received: u64,
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
    /// The most bytes of the whole file allowed.
    pub max: Option<u64>,
    /// When the download must be over.
    pub deadline: Option<Instant>,
}

/// What bounds the wait for the next chunk.
#[derive(Clone, Copy)]
enum Bound {
    Idle(Duration),
    Deadline,
    Window,
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
    let mut window_start = Instant::now();
    let mut in_window: u64 = 0;
    // One wait for the stop for the whole body, polled before each chunk: a stopped download
    // takes no further chunk.
    let mut stop = std::pin::pin!(options.wait_for_stop());
    loop {
        let now = Instant::now();
        let mut wait = options
            .idle_timeout
            .map(|after| (after, Bound::Idle(after)));
        let mut tighter = |left: Duration, bound: Bound| {
            if wait.is_none_or(|(w, _)| left < w) {
                wait = Some((left, bound));
            }
        };
        if let Some(deadline) = expected.deadline {
            tighter(deadline.saturating_duration_since(now), Bound::Deadline);
        }
        if let Some(rate) = options.min_rate {
            let end = window_start.checked_add(rate.window).unwrap_or(now);
            tighter(end.saturating_duration_since(now), Bound::Window);
        }
        let chunk = async {
            match wait {
                Some((left, _)) => tokio::time::timeout(left, response.chunk()).await.ok(),
                None => Some(response.chunk().await),
            }
        };
        let next = match futures_util::future::select(stop.as_mut(), std::pin::pin!(chunk)).await {
            Either::Left(((), _)) => return Err(BodyError::Stopped { received }),
            Either::Right((next, _)) => next,
        };
        let next = match (next, wait) {
            (Some(next), _) => next,
            (None, Some((_, Bound::Idle(after)))) => {
                return Err(BodyError::Stalled { received, after });
            }
            (None, Some((_, Bound::Deadline))) => return Err(BodyError::Deadline { received }),
            (None, _) => {
                check_rate(options, &mut window_start, &mut in_window, received)?;
                continue;
            }
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
        if let Some(limit) = expected.max
            && expected.offset.saturating_add(after) > limit
        {
            return Err(BodyError::TooLarge {
                written: received,
                limit,
            });
        }
        if let Err(error) = writer.write_all(&chunk).await {
            return Err(BodyError::Write { received, error });
        }
        received = after;
        in_window = in_window.saturating_add(len);
        check_rate(options, &mut window_start, &mut in_window, received)?;
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

/// When the minimum rate's window is over: an error if too few bytes came in it, and a new
/// window otherwise.
fn check_rate(
    options: &DownloadOptions,
    window_start: &mut Instant,
    in_window: &mut u64,
    received: u64,
) -> Result<(), BodyError> {
    let Some(rate) = options.min_rate else {
        return Ok(());
    };
    let now = Instant::now();
    if now.saturating_duration_since(*window_start) < rate.window {
        return Ok(());
    }
    let wanted = u128::from(rate.bytes_per_second).saturating_mul(rate.window.as_millis()) / 1000;
    if u128::from(*in_window) < wanted {
        return Err(BodyError::Slow {
            received,
            in_window: *in_window,
            rate: rate.bytes_per_second,
            window: rate.window,
        });
    }
    *window_start = now;
    *in_window = 0;
    Ok(())
}
