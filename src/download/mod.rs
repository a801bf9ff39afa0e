//! Streaming, resumable downloads (tracks, releases, any URL) that never lose a byte.
//!
//! - The body is streamed chunk by chunk: memory use does not grow with the file.
//! - [`download_to_path`] writes `NAME.part` beside the target, then flushes it to disk and
//!   renames it to the target, so the target never exists half-written. After a failure the
//!   `.part` file stays, with the validator of what it holds (a strong `ETag`, or an old enough
//!   `Last-Modified`) in `NAME.part.meta`; the next call, in this process or another, asks only
//!   for the rest (`Range` with `If-Range`) and starts over if the file changed on the server.
//! - Every length is checked: a body shorter or longer than announced, or a range other than
//!   the one asked for, is an [`Error::Download`], never a truncated or corrupted file.
//! - [`download_with_resume`] retries (resuming) after transport failures, cut or stalled
//!   bodies and 5xx answers; downloads are idempotent.
//! - [`Downloaded::suggested_name`] is the server's `Content-Disposition` file name, made safe
//!   by [`sanitize_file_name`].
//! - Bounded: a size limit ([`DownloadOptions::max_bytes`], checked against the announced
//!   length before anything is written and while the body streams), a deadline for the whole
//!   download retries included ([`DownloadOptions::deadline`]), a minimum transfer rate
//!   ([`DownloadOptions::min_rate`]) and an idle timeout ([`DownloadOptions::idle_timeout`]).
//! - Redirects (at most [`MAX_REDIRECTS`](crate::client::MAX_REDIRECTS)) are followed within the
//!   origin, and to another host only over https, or from a loopback http URL to loopback (for
//!   tests): a download request carries no credentials but its signed URL, so nothing else can
//!   leak. [`Downloaded::final_url`] says where the file came from. Pass an HTTP client built
//!   with `reqwest::redirect::Policy::none()` (as [`crate::Client`]'s own is) so that this crate
//!   sees each redirect; the answer of a redirect the client followed itself is checked the same.
//!
//! The URL is given as a function called once per HTTP request, so that each request can be
//! signed afresh (a new OAuth nonce and timestamp), for example with [`Client::presign_url`].
//!
//! ```no_run
//! use std::path::Path;
//! use std::sync::Arc;
//! use sevendigital::catalogue::AuthLevel;
//! use sevendigital::download::{self, DownloadOptions};
//! use sevendigital::RetryPolicy;
//!
//! # async fn demo(user: sevendigital::Client) -> Result<(), sevendigital::Error> {
//! let http = reqwest::Client::new();
//! let link = "https://media.example/track/123";
//! let options = DownloadOptions::new().on_progress(|p| match p.total {
//!     Some(total) => eprintln!("{} of {total} bytes", p.done),
//!     None => eprintln!("{} bytes", p.done),
//! });
//! let done = download::download_with_resume(
//!     &http,
//!     || user.presign_url(link, AuthLevel::ThreeLegged, None),
//!     Path::new("track-123.flac"),
//!     &options,
//!     RetryPolicy::default(),
//! )
//! .await?;
//! println!("{} bytes (server calls it {:?})", done.bytes, done.suggested_name);
//! # Ok(()) }
//! ```
//!
//! Two downloads to the same path at the same time are not supported: they share the `.part`.
//!
//! [`Client::presign_url`]: crate::Client::presign_url

mod answer;
mod attempt;
mod body;
mod call;
mod disposition;
mod options;
mod part;
mod range;
mod request;
mod validator;

use std::path::{Path, PathBuf};
use std::time::Instant;

use reqwest::header::HeaderMap;
use tokio::io::{AsyncWrite, AsyncWriteExt, BufWriter};

use attempt::attempt_to_path;
pub use disposition::{MAX_FILE_NAME_BYTES, parse_content_disposition, sanitize_file_name};
use options::MAX_ERROR_BODY;
pub use options::{
    DEFAULT_BUFFER_SIZE, DEFAULT_DEADLINE, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_BYTES,
    DEFAULT_MIN_RATE, DEFAULT_RATE_WINDOW, DownloadOptions, MinRate, Progress, ProgressFn,
    StopHandle,
};

use crate::call::retry::RetryPolicy;
use crate::error::Error;
use answer::{body_failure, download_error, names, plan, refusal};
use request::{checked_url, send};

/// The operation name download errors carry ([`Error::operation`]).
pub use crate::error::DOWNLOAD_OPERATION as OPERATION;
pub use crate::error::Resume;

/// A finished download.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Downloaded {
    /// Where the file is (the target), or `None` for a download to a writer.
    pub path: Option<PathBuf>,
    /// The size of the file, resumed bytes included.
    pub bytes: u64,
    /// How many bytes were already in the `.part` file and not downloaded again (0 when the
    /// download started over).
    pub resumed_from: u64,
    /// The file name in the answer's `Content-Disposition`, sanitised with
    /// [`sanitize_file_name`] (safe to join to a directory); `None` without a usable one.
    pub suggested_name: Option<String>,
    /// The answer's `Content-Type`.
    pub content_type: Option<String>,
    /// Where the file came from after redirects: scheme, host, port and path (the query is
    /// left out, as it may carry a signature).
    pub final_url: Option<String>,
}

/// Downloads the `GET` answer from `url` to `target`, resuming from `target`'s `.part` file when
/// a previous attempt left one with a validator. One HTTP request; see [`download_with_resume`]
/// to try again after transient failures.
///
/// `url` is called once, for a complete (already signed) URL. The body goes to `NAME.part`
/// beside `target` (`song.flac.part` for `song.flac`), which is synced to disk and renamed to
/// `target` (replacing any file there) once every byte is in. On failure `target` is left as
/// it was, and the `.part` file keeps what was received for the next call.
///
/// Resuming: the request carries `Range: bytes=N-` (N the size of the `.part` file) and
/// `If-Range` with the saved validator. A `206` answer starting at N is appended; a `200`
/// answer (the file changed, or the server ignores ranges) starts over; a `416` whose
/// `Content-Range: bytes */LEN` equals N means the `.part` file was already complete.
///
/// # Errors
///
/// - [`Error::InvalidInput`] when `target` does not end in a file name, or `url` does not give
///   an http(s) URL; whatever error `url` returns.
/// - [`Error::Transport`] when the request cannot be sent.
/// - [`Error::Api`] (with the 7digital code) or [`Error::Http`] for a non-2xx answer.
///   Nothing is written then, except that a `416` answer when resuming discards a `.part`
///   file that does not match the server's file, so the next call starts over.
/// - [`Error::Download`] when the body is cut short, stalls, is longer than announced, or is
///   not the range asked for, or a file cannot be written. Its `retryable` field tells
///   transient failures apart.
pub async fn download_to_path<F>(
    http: &reqwest::Client,
    url: F,
    target: &Path,
    options: &DownloadOptions,
) -> Result<Downloaded, Error>
where
    F: Fn() -> Result<String, Error>,
{
    let deadline = deadline_of(options);
    traced(attempt_to_path(http, &url, target, options, deadline))
        .await
        .map_err(|failure| failure.error)
}

/// `download` inside a `sevendigital.download` span, with an event when it ends: the bytes,
/// those resumed from a `.part` file, and the rate (never the URL, which carries a signature).
async fn traced<E>(
    download: impl std::future::Future<Output = Result<Downloaded, E>>,
) -> Result<Downloaded, E> {
    use tracing::Instrument;
    let span = tracing::info_span!("sevendigital.download");
    let started = std::time::Instant::now();
    let result = download.instrument(span.clone()).await;
    if let Ok(done) = &result {
        let seconds = started.elapsed().as_secs_f64();
        let fetched = done.bytes.saturating_sub(done.resumed_from);
        let _entered = span.enter();
        tracing::info!(
            bytes = done.bytes,
            resumed_from = done.resumed_from,
            bytes_per_second = if seconds > 0.0 {
                (fetched as f64 / seconds) as u64
            } else {
                fetched
            },
            "download finished"
        );
    }
    result
}

/// [`download_to_path`], tried again while it fails transiently, resuming each time from the
/// bytes received so far: after transport failures, bodies cut short or stalled, 5xx answers,
/// and `.part` files the server showed to be stale (which are discarded first). `retry` gives
/// the number of retries and the waits between them. `url` is called once per attempt, so each
/// request is signed afresh.
///
/// The [`Downloaded`] returned is that of the last attempt: its `resumed_from` counts the
/// bytes that earlier attempts (and calls) received.
///
/// # Errors
///
/// Those of [`download_to_path`], from the last attempt.
pub async fn download_with_resume<F>(
    http: &reqwest::Client,
    url: F,
    target: &Path,
    options: &DownloadOptions,
    retry: RetryPolicy,
) -> Result<Downloaded, Error>
where
    F: Fn() -> Result<String, Error>,
{
    let deadline = deadline_of(options);
    traced(retry.run(
        |_| attempt_to_path(http, &url, target, options, deadline),
        |failure| failure.retry.action(),
        deadline,
    ))
    .await
    .map_err(|failure| failure.error)
}

/// Downloads the `GET` answer from `url` into `writer`, chunk by chunk, and flushes it.
/// `url` is called once. There is no resuming: on failure, `writer` has received part of the
/// body (never more than announced).
///
/// # Errors
///
/// As for [`download_to_path`], without the file errors; an [`Error::Download`] (with no path)
/// when the body is cut short, stalls or is longer than announced, or `writer` fails.
pub async fn download_to_writer<F, W>(
    http: &reqwest::Client,
    url: F,
    writer: &mut W,
    options: &DownloadOptions,
) -> Result<Downloaded, Error>
where
    F: Fn() -> Result<String, Error>,
    W: AsyncWrite + Unpin,
{
    traced(to_writer(http, url, writer, options)).await
}

async fn to_writer<F, W>(
    http: &reqwest::Client,
    url: F,
    writer: &mut W,
    options: &DownloadOptions,
) -> Result<Downloaded, Error>
where
    F: Fn() -> Result<String, Error>,
    W: AsyncWrite + Unpin,
{
    options.check_not_stopped(None)?;
    let deadline = deadline_of(options);
    let (mut response, final_url) = send(
        http,
        checked_url(&url)?,
        HeaderMap::new(),
        options,
        None,
        deadline,
    )
    .await
    .map_err(|failure| failure.error)?;
    if !response.status().is_success() {
        return Err(refusal(response, options).await.error);
    }
    let plan = plan(&response, 0, None, options.max_bytes).map_err(|failure| failure.error)?;
    let (suggested_name, content_type) = names(response.headers());
    options.report(Progress {
        done: 0,
        total: plan.total,
    });
    let mut buffered = BufWriter::with_capacity(options.buffer_size, writer);
    let copied = body::copy(
        &mut response,
        &mut buffered,
        plan.expected(options.max_bytes, deadline),
        options,
    )
    .await;
    let flushed = buffered.flush().await;
    let received = match copied {
        Ok(received) => received,
        Err(e) => return Err(body_failure(e, &plan, None).error),
    };
    flushed.map_err(|e| {
        download_error(
            None,
            format!("cannot write to the writer after {received} bytes"),
            false,
            Some(Box::new(e)),
        )
    })?;
    Ok(Downloaded {
        path: None,
        bytes: received,
        resumed_from: 0,
        suggested_name,
        content_type,
        final_url: Some(final_url),
    })
}

/// When a download started now must be over.
fn deadline_of(options: &DownloadOptions) -> Option<Instant> {
    options
        .deadline
        .and_then(|after| Instant::now().checked_add(after))
}
