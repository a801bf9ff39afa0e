//! What a download may do: buffer size, time and size limits, the minimum rate, progress
//! reports and the stop handle ([`DownloadOptions`], [`StopHandle`]).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use std::path::Path;

use super::answer::download_error;
use crate::error::Error;

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
pub(super) const MAX_ERROR_BODY: usize = 64 * 1024;

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
    pub(super) progress: Option<Arc<ProgressFn>>,
    pub(super) buffer_size: usize,
    pub(super) idle_timeout: Option<Duration>,
    pub(super) durable: bool,
    pub(super) max_bytes: Option<u64>,
    pub(super) deadline: Option<Duration>,
    pub(super) min_rate: Option<MinRate>,
    pub(super) stop: Option<tokio::sync::watch::Receiver<bool>>,
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
    pub(super) fn check_not_stopped(&self, place: Option<&Path>) -> Result<(), Error> {
        if self.stop.as_ref().is_some_and(|s| *s.borrow()) {
            let message = "stopped by the caller before the next request".to_string();
            return Err(download_error(place, message, false, None));
        }
        Ok(())
    }

    /// Waits until the download's [`StopHandle`] is stopped; forever without one.
    pub(super) async fn wait_for_stop(&self) {
        if let Some(mut stop) = self.stop.clone()
            && stop.wait_for(|stopped| *stopped).await.is_ok()
        {
            return;
        }
        std::future::pending::<()>().await;
    }

    pub(super) fn report(&self, progress: Progress) {
        if let Some(report) = &self.progress {
            report(progress);
        }
    }
}
