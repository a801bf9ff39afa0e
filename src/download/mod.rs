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
mod body;
mod call;
mod disposition;
mod part;
mod range;
mod validator;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{CONTENT_RANGE, HeaderMap, HeaderValue, IF_RANGE, RANGE};
use tokio::io::{AsyncWrite, AsyncWriteExt, BufWriter};

pub use disposition::{MAX_FILE_NAME_BYTES, parse_content_disposition, sanitize_file_name};

use crate::call::retry::RetryPolicy;
use crate::error::Error;
use answer::{
    Again, Failure, body_failure, checked_url, download_error, header, names, plan, refusal, send,
};
use body::BodyError;
use part::PartFile;
use range::ContentRange;
use validator::Validator;

/// The operation name download errors carry ([`Error::operation`]).
pub use crate::error::DOWNLOAD_OPERATION as OPERATION;

/// The default size of the write buffer, in bytes.
pub const DEFAULT_BUFFER_SIZE: usize = 64 * 1024;

/// The default longest wait for an answer, or for the next chunk of its body.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// The default size limit of a downloaded file: 4 GiB.
pub const DEFAULT_MAX_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// The default deadline of a whole download, retries included: 1 hour.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60 * 60);

/// The default minimum transfer rate: 1 KiB/s averaged over [`DEFAULT_RATE_WINDOW`].
pub const DEFAULT_MIN_RATE: u64 = 1024;

/// The window the default minimum rate is averaged over: 30 s.
pub const DEFAULT_RATE_WINDOW: Duration = Duration::from_secs(30);

/// A minimum transfer rate: at least `bytes_per_second`, averaged over each `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MinRate {
    /// The rate, in bytes per second.
    pub bytes_per_second: u64,
    /// The window it is averaged over.
    pub window: Duration,
}

/// How much of an error answer's body is read to find a 7digital error envelope.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// How far a download has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Bytes of the file received so far, including those resumed from a `.part` file.
    pub done: u64,
    /// The size of the whole file, when the server says.
    pub total: Option<u64>,
}

/// A progress callback.
pub type ProgressFn = dyn Fn(Progress) + Send + Sync;

/// How to download: progress reports, buffer size, idle timeout.
#[derive(Clone)]
pub struct DownloadOptions {
    progress: Option<Arc<ProgressFn>>,
    buffer_size: usize,
    idle_timeout: Option<Duration>,
    durable: bool,
    max_bytes: Option<u64>,
    deadline: Option<Duration>,
    min_rate: Option<MinRate>,
    stop: Option<tokio::sync::watch::Receiver<bool>>,
    /// The client's hooks, for downloads made through a [`Call`](crate::Call).
    pub(crate) hooks: crate::client::hooks::Hooks,
}

/// Stops the downloads given it ([`DownloadOptions::stop_on`]), for a caller that must end
/// early (Ctrl-C, a shutdown): each one flushes what it received into its `.part` file, so
/// that the next attempt resumes, and returns a non-retryable [`Error::Download`].
/// Clones stop the same downloads.
#[derive(Debug, Clone)]
pub struct StopHandle {
    sender: Arc<tokio::sync::watch::Sender<bool>>,
}

impl Default for StopHandle {
    fn default() -> Self {
        StopHandle {
            sender: Arc::new(tokio::sync::watch::channel(false).0),
        }
    }
}

impl StopHandle {
    /// A handle that has not stopped anything yet.
    pub fn new() -> Self {
        StopHandle::default()
    }

    /// Stops every download given this handle, now and from now on.
    pub fn stop(&self) {
        self.sender.send_replace(true);
    }

    /// Whether [`StopHandle::stop`] was called.
    pub fn is_stopped(&self) -> bool {
        *self.sender.borrow()
    }
}

impl Default for DownloadOptions {
    /// No progress reports, a [`DEFAULT_BUFFER_SIZE`] buffer, a [`DEFAULT_IDLE_TIMEOUT`],
    /// durable, at most [`DEFAULT_MAX_BYTES`], within [`DEFAULT_DEADLINE`], at least
    /// [`DEFAULT_MIN_RATE`] bytes/s over [`DEFAULT_RATE_WINDOW`].
    fn default() -> Self {
        DownloadOptions {
            progress: None,
            buffer_size: DEFAULT_BUFFER_SIZE,
            idle_timeout: Some(DEFAULT_IDLE_TIMEOUT),
            durable: true,
            max_bytes: Some(DEFAULT_MAX_BYTES),
            deadline: Some(DEFAULT_DEADLINE),
            min_rate: Some(MinRate {
                bytes_per_second: DEFAULT_MIN_RATE,
                window: DEFAULT_RATE_WINDOW,
            }),
            stop: None,
            hooks: crate::client::hooks::Hooks::default(),
        }
    }
}

impl fmt::Debug for DownloadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DownloadOptions")
            .field("progress", &self.progress.as_ref().map(|_| "Fn(Progress)"))
            .field("buffer_size", &self.buffer_size)
            .field("idle_timeout", &self.idle_timeout)
            .field("durable", &self.durable)
            .field("max_bytes", &self.max_bytes)
            .field("deadline", &self.deadline)
            .field("min_rate", &self.min_rate)
            .field("stop", &self.stop.as_ref().map(|s| *s.borrow()))
            .finish()
    }
}

impl DownloadOptions {
    /// The default options.
    pub fn new() -> Self {
        DownloadOptions::default()
    }

    /// Calls `report` when the answer arrives (with the bytes already on disk, when resuming)
    /// and after each chunk of the body is written. Keep it quick: the download waits for it.
    pub fn on_progress(self, report: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress(Arc::new(report))
    }

    /// Like [`DownloadOptions::on_progress`], with a shared callback.
    pub fn progress(mut self, report: Arc<ProgressFn>) -> Self {
        self.progress = Some(report);
        self
    }

    /// The size of the write buffer in bytes (default [`DEFAULT_BUFFER_SIZE`]). Memory use is
    /// this plus one chunk of the body, whatever the size of the file.
    pub fn buffer_size(mut self, bytes: usize) -> Self {
        self.buffer_size = bytes;
        self
    }

    /// The longest wait for the answer to a request, and then for each chunk of its body
    /// (default [`DEFAULT_IDLE_TIMEOUT`]; `None`: wait as long as the HTTP client does).
    /// A download that stalls fails with a retryable [`Error::Download`].
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Whether a completed file is flushed to disk (`fsync`, and its directory) before it is
    /// renamed into place (default `true`): after a crash the target is then whole or absent.
    /// `false` leaves the flush to the operating system, as `curl -o` does: faster on slow
    /// disks, but a crash soon after may leave an empty or partial target.
    pub fn durable(mut self, durable: bool) -> Self {
        self.durable = durable;
        self
    }

    /// The largest file accepted, in bytes (default [`DEFAULT_MAX_BYTES`]; `None`: no limit).
    /// An answer announcing more is refused before anything is written; a body going past it
    /// (with no length announced) is stopped there. Either way a non-retryable
    /// [`Error::Download`] naming the limit, and the `.part` file keeps nothing of that answer.
    pub fn max_bytes(mut self, bytes: Option<u64>) -> Self {
        self.max_bytes = bytes;
        self
    }

    /// How long a whole download may take, retries included (default [`DEFAULT_DEADLINE`];
    /// `None`: no deadline). Past it, a non-retryable [`Error::Download`]; the `.part` file
    /// keeps what was received.
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// The slowest transfer accepted: at least `bytes_per_second`, averaged over each `window`
    /// (default [`DEFAULT_MIN_RATE`] over [`DEFAULT_RATE_WINDOW`]; `None`: no minimum). A body
    /// that trickles in below it fails with a retryable [`Error::Download`], where the idle
    /// timeout alone would wait forever for a byte a second.
    pub fn min_rate(mut self, rate: Option<MinRate>) -> Self {
        self.min_rate = rate;
        self
    }

    /// Stops the download when `handle` is stopped: the bytes received so far are flushed to
    /// the `.part` file (a download to a path) or the writer, and the download returns a
    /// non-retryable [`Error::Download`] saying it was stopped. A download stopped before its
    /// body starts sends no further request.
    pub fn stop_on(mut self, handle: &StopHandle) -> Self {
        self.stop = Some(handle.sender.subscribe());
        self
    }

    /// A non-retryable [`Error::Download`] (for `place`) when the download's [`StopHandle`]
    /// has been stopped: checked before each request.
    fn check_not_stopped(&self, place: Option<&Path>) -> Result<(), Error> {
        if self.stop.as_ref().is_some_and(|s| *s.borrow()) {
            let message = "stopped by the caller before the next request".to_string();
            return Err(download_error(place, message, false, None));
        }
        Ok(())
    }

    /// Waits until the download's [`StopHandle`] is stopped; forever without one.
    async fn wait_for_stop(&self) {
        if let Some(mut stop) = self.stop.clone()
            && stop.wait_for(|stopped| *stopped).await.is_ok()
        {
            return;
        }
        std::future::pending::<()>().await;
    }

    fn report(&self, progress: Progress) {
        if let Some(report) = &self.progress {
            report(progress);
        }
    }
}

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

/// One attempt of [`download_to_path`].
async fn attempt_to_path<F>(
    http: &reqwest::Client,
    url: &F,
    target: &Path,
    options: &DownloadOptions,
    deadline: Option<Instant>,
) -> Result<Downloaded, Failure>
where
    F: Fn() -> Result<String, Error>,
{
    let files = PartFile::new(target).ok_or_else(|| {
        Error::invalid_input(
            "target",
            format!("`{}` does not end in a file name", target.display()),
        )
    })?;
    let place = Some(target);
    options.check_not_stopped(place)?;
    let io_failure = |what: String, e: io::Error| -> Failure {
        download_error(place, what, false, Some(Box::new(e))).into()
    };
    let part_name = || files.part().display().to_string();

    let leftover = files
        .leftover()
        .await
        .map_err(|e| io_failure(format!("cannot read `{}`", part_name()), e))?;
    let resume = leftover.and_then(|left| match left.validator {
        Some(validator) if left.len > 0 => Some((left.len, validator)),
        _ => None,
    });
    let mut headers = HeaderMap::new();
    if let Some((offset, validator)) = &resume {
        if let Ok(value) = HeaderValue::from_str(&format!("bytes={offset}-")) {
            headers.insert(RANGE, value);
        }
        if let Some(value) = validator.header_value() {
            headers.insert(IF_RANGE, value);
        }
    }
    let asked_from = resume.as_ref().map_or(0, |(offset, _)| *offset);
    let (mut response, final_url) =
        send(http, checked_url(url)?, headers, options, place, deadline).await?;
    let status = response.status();

    if status == StatusCode::RANGE_NOT_SATISFIABLE && asked_from > 0 {
        let complete = header(response.headers(), CONTENT_RANGE)
            .and_then(ContentRange::parse)
            .and_then(|range| match range {
                ContentRange::Unsatisfied { complete } => Some(complete),
                ContentRange::Range { .. } => None,
            });
        if complete == Some(asked_from) {
            files
                .finish_existing(options.durable)
                .await
                .map_err(|e| io_failure(format!("cannot move `{}` into place", part_name()), e))?;
            options.report(Progress {
                done: asked_from,
                total: Some(asked_from),
            });
            return Ok(Downloaded {
                path: Some(target.to_path_buf()),
                bytes: asked_from,
                resumed_from: asked_from,
                suggested_name: None,
                content_type: None,
                final_url: Some(final_url),
            });
        }
        // The `.part` file does not fit the server's file: drop it so the next attempt starts over.
        files
            .discard()
            .await
            .map_err(|e| io_failure(format!("cannot remove `{}`", part_name()), e))?;
        let mut failure = refusal(response, options).await;
        failure.retry = Again::Backoff;
        return Err(failure);
    }
    if !status.is_success() {
        return Err(refusal(response, options).await);
    }

    let plan = plan(&response, asked_from, place, options.max_bytes)?;
    let (suggested_name, content_type) = names(response.headers());
    let validator = if plan.start > 0 {
        let saved = resume.as_ref().map(|(_, saved)| saved);
        if let Some(saved) = saved.filter(|saved| saved.contradicted_by(response.headers())) {
            files
                .discard()
                .await
                .map_err(|e| io_failure(format!("cannot remove `{}`", part_name()), e))?;
            return Err(Failure {
                error: download_error(
                    place,
                    format!(
                        "the server sent part of another version of the file than the {} asked for in If-Range; `{}` was discarded, the next attempt starts over",
                        saved.describe(),
                        part_name()
                    ),
                    true,
                    None,
                ),
                retry: Again::Backoff,
            });
        }
        saved.cloned()
    } else {
        Validator::from_headers(response.headers())
    };
    let opened = if plan.start > 0 {
        files.append_at(plan.start).await
    } else {
        files.start_over(validator.as_ref()).await
    };
    let file = opened.map_err(|e| io_failure(format!("cannot open `{}`", part_name()), e))?;

    options.report(Progress {
        done: plan.start,
        total: plan.total,
    });
    // Durable: write the file back to disk while the body streams, so that the fsync before
    // the rename finds little left to do (one fsync at the end would wait for all of it).
    let write_back = if options.durable {
        file.try_clone()
            .await
            .ok()
            .map(|f| tokio::spawn(write_back(f)))
    } else {
        None
    };
    let mut writer = BufWriter::with_capacity(options.buffer_size, file);
    let copied = body::copy(
        &mut response,
        &mut writer,
        plan.expected(options.max_bytes, deadline),
        options,
    )
    .await;
    if let Some(task) = write_back {
        task.abort();
    }
    let received = match copied {
        Ok(received) => received,
        Err(e @ (BodyError::Oversized { .. } | BodyError::TooLarge { .. })) => {
            PartFile::cut_back(writer, plan.start)
                .await
                .map_err(|e| io_failure(format!("cannot truncate `{}`", part_name()), e))?;
            return Err(body_failure(e, &plan, place));
        }
        Err(e) => {
            let kept = PartFile::keep(writer).await;
            let mut failure = body_failure(e, &plan, place);
            if let (Error::Download { message, .. }, Ok(())) = (&mut failure.error, kept) {
                message.push_str(&resume_note(validator.is_some(), files.part()));
            }
            return Err(failure);
        }
    };
    let done = plan.start.saturating_add(received);
    if let Some(total) = plan.total.filter(|&total| done < total) {
        PartFile::keep(writer)
            .await
            .map_err(|e| io_failure(format!("cannot write `{}`", part_name()), e))?;
        let message = format!(
            "the server sent bytes {}-{} of {total} and stopped there{}",
            plan.start,
            done.saturating_sub(1),
            resume_note(validator.is_some(), files.part())
        );
        return Err(Failure {
            error: download_error(place, message, true, None),
            retry: Again::Backoff,
        });
    }
    files.finish(writer, options.durable).await.map_err(|e| {
        io_failure(
            format!("cannot write `{}` and move it into place", part_name()),
            e,
        )
    })?;
    Ok(Downloaded {
        path: Some(target.to_path_buf()),
        bytes: done,
        resumed_from: plan.start,
        suggested_name,
        content_type,
        final_url: Some(final_url),
    })
}

/// How much of a durable download may wait in the page cache before it is written back.
const WRITE_BACK_EVERY: u64 = 8 * 1024 * 1024;
/// How often the write-back task looks at the file's length.
const WRITE_BACK_POLL: Duration = Duration::from_millis(10);

/// Syncs `file` (a second handle on the `.part` file being written) each time it has grown by
/// [`WRITE_BACK_EVERY`]; runs until aborted or until a sync fails (the final sync reports it).
async fn write_back(file: tokio::fs::File) {
    let mut synced = 0u64;
    loop {
        tokio::time::sleep(WRITE_BACK_POLL).await;
        let Ok(len) = file.metadata().await.map(|m| m.len()) else {
            return;
        };
        if len >= synced.saturating_add(WRITE_BACK_EVERY) {
            if file.sync_data().await.is_err() {
                return;
            }
            synced = len;
        }
    }
}

/// What the next attempt will do with the `.part` file (named by its file name: the message
/// already has the target's path).
fn resume_note(has_validator: bool, part: &Path) -> String {
    if has_validator {
        let name = part.file_name().unwrap_or(part.as_os_str());
        format!(
            "; `{}` keeps them and the next attempt resumes",
            Path::new(name).display()
        )
    } else {
        "; the answer had no validator to resume with (a strong ETag or an old enough Last-Modified), so the next attempt starts over"
            .to_string()
    }
}
