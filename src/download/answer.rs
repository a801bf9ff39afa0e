//! Sending a download request and reading its answer: the checks on the URL, status and
//! headers, and the errors for each way an answer can fail.

use std::path::Path;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{
    CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, HeaderMap,
};

use super::body::{BodyError, Expected};
use super::range::ContentRange;
use super::{
    DownloadOptions, MAX_ERROR_BODY, OPERATION, parse_content_disposition, sanitize_file_name,
};
use crate::call::retry::RetryAction;
use crate::error::Error;

/// A failed attempt: the error, and whether another attempt may succeed.
pub(super) struct Failure {
    pub error: Error,
    /// Whether (and when) another attempt may mend it.
    pub retry: Again,
}

/// Whether another attempt may mend a failure: a [`RetryAction`] kept small, since failures
/// travel in `Result`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Again {
    /// Final.
    No,
    /// After the policy's backoff.
    Backoff,
    /// After this many seconds, which the server asked for.
    After(u16),
}

impl Again {
    /// The retry loop's reading of it.
    pub(super) fn action(self) -> RetryAction {
        match self {
            Again::No => RetryAction::NoRetry,
            Again::Backoff => RetryAction::Retry,
            Again::After(secs) => {
                RetryAction::RetryAfter(std::time::Duration::from_secs(u64::from(secs)))
            }
        }
    }
}

impl From<RetryAction> for Again {
    fn from(action: RetryAction) -> Self {
        match action {
            RetryAction::NoRetry => Again::No,
            RetryAction::Retry => Again::Backoff,
            RetryAction::RetryAfter(wait) => {
                u16::try_from(wait.as_secs()).map_or(Again::No, Again::After)
            }
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            error,
            retry: Again::No,
        }
    }
}

/// How to take an answer's body.
#[derive(Debug, Clone, Copy)]
pub(super) struct Plan {
    /// Where in the file the body starts.
    pub start: u64,
    /// The body's length, when announced.
    pub body: Option<u64>,
    /// The file's length, when announced.
    pub total: Option<u64>,
}

impl Plan {
    pub(super) fn expected(&self, max: Option<u64>, deadline: Option<Instant>) -> Expected {
        Expected {
            offset: self.start,
            body: self.body,
            total: self.total,
            max,
            deadline,
        }
    }

    /// "N of M bytes" (or "N bytes" with no length known).
    pub(super) fn describe(&self, done: u64) -> String {
        match self
            .total
            .or(self.body.map(|b| self.start.saturating_add(b)))
        {
            Some(total) => format!("{done} of {total} bytes"),
            None => format!("{done} bytes"),
        }
    }
}

/// The error for a non-2xx answer, from (the beginning of) its body; retryable for 5xx and 429,
/// after the `Retry-After` of a 429 or 503 when it has one.
pub(super) async fn refusal(mut response: reqwest::Response, options: &DownloadOptions) -> Failure {
    let status = response.status();
    let headers = response.headers().clone();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| crate::call::retry::retry_after(v, std::time::SystemTime::now()));
    let retry = match status.as_u16() {
        429 | 503 => retry_after.map_or(Again::Backoff, Again::from),
        500..=599 => Again::Backoff,
        _ => Again::No,
    };
    let mut body = Vec::new();
    // However slowly it comes, an error body is read for at most this long.
    let give_up = Instant::now() + Duration::from_secs(10);
    while body.len() < MAX_ERROR_BODY && Instant::now() < give_up {
        let next = match options.idle_timeout {
            Some(after) => match tokio::time::timeout(
                after.min(give_up.saturating_duration_since(Instant::now())),
                response.chunk(),
            )
            .await
            {
                Ok(next) => next,
                Err(_) => break,
            },
            None => match tokio::time::timeout_at(give_up.into(), response.chunk()).await {
                Ok(next) => next,
                Err(_) => break,
            },
        };
        match next {
            Ok(Some(chunk)) => {
                let room = MAX_ERROR_BODY - body.len();
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            Ok(None) | Err(_) => break,
        }
    }
    Failure {
        error: Error::from_answer(OPERATION, status.as_u16(), &headers, &body),
        retry,
    }
}

/// How to take the body of a 2xx answer to a request for the file from byte `asked_from`.
pub(super) fn plan(
    response: &reqwest::Response,
    asked_from: u64,
    place: Option<&Path>,
    max: Option<u64>,
) -> Result<Plan, Failure> {
    let plan = plan_of(response, asked_from, place)?;
    let end = plan
        .total
        .or(plan.body.map(|body| plan.start.saturating_add(body)));
    if let (Some(end), Some(max)) = (end, max)
        && end > max
    {
        return Err(download_error(
            place,
            format!(
                "the file is {end} bytes, more than the limit of {max} bytes (DownloadOptions::max_bytes); nothing was written"
            ),
            false,
            None,
        )
        .into());
    }
    Ok(plan)
}

fn plan_of(
    response: &reqwest::Response,
    asked_from: u64,
    place: Option<&Path>,
) -> Result<Plan, Failure> {
    let headers = response.headers();
    let fail = |message: String| -> Failure { download_error(place, message, false, None).into() };
    let length = match header(headers, CONTENT_LENGTH) {
        None => None,
        Some(text) => Some(
            text.trim()
                .parse::<u64>()
                .map_err(|_| fail(format!("the answer has an invalid Content-Length `{text}`")))?,
        ),
    };
    if response.status() != StatusCode::PARTIAL_CONTENT {
        return Ok(Plan {
            start: 0,
            body: length,
            total: length,
        });
    }
    let text = header(headers, CONTENT_RANGE).unwrap_or_default();
    let Some(ContentRange::Range {
        first,
        last,
        complete,
    }) = ContentRange::parse(text)
    else {
        return Err(fail(format!(
            "a 206 Partial Content answer needs a single Content-Range; it has `{text}`"
        )));
    };
    if first != asked_from {
        return Err(fail(format!(
            "the server sent bytes {first}-{last} when bytes from {asked_from} on were asked for"
        )));
    }
    let span = last - first + 1;
    if let Some(length) = length.filter(|&length| length != span) {
        return Err(fail(format!(
            "the answer's Content-Length ({length}) does not match its Content-Range `{text}` ({span} bytes)"
        )));
    }
    Ok(Plan {
        start: first,
        body: Some(span),
        total: complete,
    })
}

/// The error for a body that did not arrive whole.
pub(super) fn body_failure(error: BodyError, plan: &Plan, place: Option<&Path>) -> Failure {
    let (message, retry, source): (
        String,
        bool,
        Option<Box<dyn std::error::Error + Send + Sync>>,
    ) = match error {
        BodyError::Short { received, cause } => {
            let done = plan.start.saturating_add(received);
            (
                format!("received {}: the answer was cut short", plan.describe(done)),
                true,
                cause.map(|e| Box::new(e) as _),
            )
        }
        BodyError::Stalled { received, after } => {
            let done = plan.start.saturating_add(received);
            (
                format!(
                    "received {}, then nothing for {after:?}",
                    plan.describe(done)
                ),
                true,
                None,
            )
        }
        BodyError::Oversized { written } => (
            format!(
                "the answer went on past the {} bytes it announced{}",
                plan.body.unwrap_or_default(),
                match place {
                    Some(_) => "; nothing of it was kept".to_string(),
                    None => format!(" ({written} of them were written)"),
                }
            ),
            false,
            None,
        ),
        BodyError::Deadline { received } => (
            format!(
                "received {}, then the download's deadline passed",
                plan.describe(plan.start.saturating_add(received))
            ),
            false,
            None,
        ),
        BodyError::Slow {
            received,
            in_window,
            rate,
            window,
        } => (
            format!(
                "received {}, only {in_window} bytes in the last {window:?}, below the minimum rate of {rate} bytes/s (DownloadOptions::min_rate)",
                plan.describe(plan.start.saturating_add(received))
            ),
            true,
            None,
        ),
        BodyError::TooLarge { written, limit } => (
            format!(
                "the file went past the limit of {limit} bytes (DownloadOptions::max_bytes){}",
                match place {
                    Some(_) => "; nothing of this answer was kept".to_string(),
                    None => format!(" ({written} bytes were written)"),
                }
            ),
            false,
            None,
        ),
        BodyError::Stopped { received } => (
            format!(
                "stopped by the caller after receiving {}",
                plan.describe(plan.start.saturating_add(received))
            ),
            false,
            None,
        ),
        BodyError::Write { received, error } => (
            format!(
                "cannot write after receiving {}",
                plan.describe(plan.start.saturating_add(received))
            ),
            false,
            Some(Box::new(error)),
        ),
    };
    Failure {
        error: download_error(place, message, retry, source),
        retry: match retry {
            true => Again::Backoff,
            false => Again::No,
        },
    }
}

pub(super) fn download_error(
    path: Option<&Path>,
    message: String,
    retryable: bool,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
) -> Error {
    Error::Download {
        path: path.map(Path::to_path_buf),
        message,
        retryable,
        resume: None,
        source,
    }
}

/// A header as text, when present and visible ASCII.
pub(super) fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// The sanitised `Content-Disposition` file name and the `Content-Type` of an answer.
pub(super) fn names(headers: &HeaderMap) -> (Option<String>, Option<String>) {
    let suggested = headers.get(CONTENT_DISPOSITION).and_then(|value| {
        // Some servers send raw UTF-8 (or Latin-1) in `filename="..."`.
        let bytes = value.as_bytes();
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
        };
        parse_content_disposition(&text).and_then(|name| sanitize_file_name(&name))
    });
    (suggested, header(headers, CONTENT_TYPE).map(str::to_string))
}
