//! The one error type of the crate.

pub mod codes;
pub mod envelope;

pub use envelope::Envelope;

use std::fmt;
use std::path::PathBuf;

/// How much of an undecodable body an error keeps, in characters.
const SNIPPET_CHARS: usize = 200;

/// The most characters of server-supplied text (a 7digital error message, the beginning of a
/// body) an error carries, in [`Display`](fmt::Display) and [`Debug`] alike; longer text is cut
/// and ends with `…`. `Display` escapes control characters (`\n`, `\u{1b}`) and Unicode
/// direction overrides, so that an error prints as one line and cannot drive the terminal
/// (`Debug` escapes them as Rust strings do).
pub const MAX_SERVER_TEXT: usize = 300;

/// The operation name download errors carry ([`Error::operation`]).
pub const DOWNLOAD_OPERATION: &str = "download";

/// The phase of a call an [`Error`] comes from ([`Error::kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Refused before anything was sent: the client's configuration, an input, a missing user
    /// token, a request that cannot be built.
    Construction,
    /// No answer: the connection failed or dropped.
    Connection,
    /// No answer in time.
    Timeout,
    /// An answer that is not a 7digital error but cannot be used: an error status without an
    /// envelope, a body that does not decode, a refused redirect, an answer too large, a
    /// download cut short.
    Response,
    /// 7digital answered with an error of its own (an error envelope with its code).
    Service,
}

/// Everything that can go wrong with a call.
///
/// Every variant names the operation (its `operationId`) where there is one.
/// [`Error::code`] gives the 7digital error code and [`Error::status`] the
/// HTTP status when the API answered. No variant ever contains a consumer
/// secret or token secret.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client is misconfigured (missing consumer key, bad base URL, ...).
    Config {
        /// What is wrong and how to fix it.
        message: String,
    },
    /// An input was rejected before anything was sent.
    InvalidInput {
        /// The name of the input: as the caller wrote it for generated calls (`page_size`),
        /// the wire name for hand-built requests and the download service.
        field: String,
        /// Why it was rejected.
        message: String,
    },
    /// The operation acts on a user's behalf and the client has no user access token.
    UserTokenRequired {
        /// The operation called.
        operation: &'static str,
    },
    /// The request could not be sent or its answer not received.
    Transport {
        /// The operation called.
        operation: &'static str,
        /// What failed, with its chain of causes down to the OS error.
        source: TransportError,
    },
    /// The API answered with a 7digital error envelope.
    Api {
        /// The operation called.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The 7digital error code.
        code: i64,
        /// The 7digital error message.
        message: String,
    },
    /// The API answered with an error status and a body that is not a 7digital error envelope.
    Http {
        /// The operation called.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The beginning of the body.
        snippet: String,
    },
    /// The API answered with success, but the body could not be decoded into the expected type.
    Decode {
        /// The operation called.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// Why decoding failed.
        message: String,
        /// The beginning of the body.
        snippet: String,
    },
    /// Creating a partner user failed because a user with this id already exists
    /// (7digital error 2003 from `user/create`). User ids are permanent: use the existing user.
    UserAlreadyExists {
        /// The operation called.
        operation: &'static str,
        /// The `userId` that is taken.
        user_id: String,
        /// The HTTP status.
        status: u16,
        /// The 7digital error message.
        message: String,
    },
    /// A sale was sent to `user/deliveritem` but its answer was lost (the connection failed
    /// after the request went out, the API answered 5xx, or a success answer could not be read),
    /// so whether the sale was logged is unknown. It is never retried automatically: logging it
    /// again could record a second sale. Look for it in the user's locker (by purchase id or
    /// `transactionId`) before trying again.
    SaleOutcomeUnknown {
        /// The operation called.
        operation: &'static str,
        /// The `transactionId` of the sale, to look for in the locker.
        transaction_id: String,
        /// The HTTP status, when the API answered.
        status: Option<u16>,
        /// The 7digital error code, when the answer was an error envelope.
        code: Option<i64>,
        /// What happened to the answer.
        reason: String,
        /// The transport error, when the answer never arrived.
        source: Option<TransportError>,
    },
    /// A refund names a sale the sales log does not have (7digital error 2001 from
    /// `sales/refund/...`).
    SaleNotFound {
        /// The operation called.
        operation: &'static str,
        /// The `purchaseId` of the refund.
        purchase_id: String,
        /// The HTTP status.
        status: u16,
        /// The 7digital error message.
        message: String,
    },
    /// A refund falls outside the reporting period: refunds must be logged before 00:00 UTC on
    /// the 4th day of the month after the sale's month. Either refused before anything was sent
    /// (`status` is `None`) or answered by the API with 7digital error 2002.
    ReportingPeriodClosed {
        /// The operation called.
        operation: &'static str,
        /// The `purchaseId` of the refund.
        purchase_id: String,
        /// The HTTP status, when the API refused the refund.
        status: Option<u16>,
        /// Details: the deadline that passed, or the API's message.
        message: String,
    },
    /// A redirect was refused: API calls follow redirects only within their origin (scheme,
    /// host and port), re-signed for the new URL and at most
    /// [`MAX_REDIRECTS`](crate::client::MAX_REDIRECTS) times; downloads follow them to another
    /// host only over https (or from loopback http to loopback). Nothing was sent to `to`.
    Redirect {
        /// The operation called.
        operation: &'static str,
        /// The origin that answered with the redirect (`scheme://host:port`).
        from: String,
        /// The origin it pointed at (`scheme://host:port`), or what was wrong with it.
        to: String,
        /// Why it was refused.
        reason: String,
    },
    /// An answer was longer than allowed ([`ClientBuilder::max_response_bytes`] for API answers);
    /// reading stopped at the limit.
    ///
    /// [`ClientBuilder::max_response_bytes`]: crate::ClientBuilder::max_response_bytes
    TooLarge {
        /// The operation called.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The limit, in bytes.
        limit: u64,
    },
    /// A download (see [`crate::download`]) failed after the server answered with success: the
    /// body was cut short, longer than announced or not the range asked for, or a file could not
    /// be written.
    Download {
        /// The file being downloaded to (its `.part` file is beside it), or `None` when
        /// downloading to a writer.
        path: Option<PathBuf>,
        /// What went wrong, with the byte counts.
        message: String,
        /// Whether the failure is transient (the body was cut short or stalled), so that trying
        /// again may succeed. Downloading to the same path again then resumes from the bytes
        /// kept in the `.part` file when the server gave a validator, and starts over otherwise;
        /// the message says which.
        retryable: bool,
        /// The underlying I/O or transport error, if any.
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl Error {
    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    /// An input error naming `field`.
    pub fn invalid_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The 7digital error code, when the API answered with an error envelope.
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Api { code, .. } => Some(*code),
            Error::UserAlreadyExists { .. } => Some(codes::USER_ALREADY_EXISTS),
            Error::SaleNotFound { .. } => Some(codes::NOT_FOUND),
            Error::ReportingPeriodClosed { status, .. } => {
                status.map(|_| codes::REPORTING_PERIOD_CLOSED)
            }
            Error::SaleOutcomeUnknown { code, .. } => *code,
            _ => None,
        }
    }

    /// The HTTP status, when the API answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::Http { status, .. }
            | Error::Decode { status, .. }
            | Error::UserAlreadyExists { status, .. }
            | Error::SaleNotFound { status, .. }
            | Error::TooLarge { status, .. } => Some(*status),
            Error::ReportingPeriodClosed { status, .. }
            | Error::SaleOutcomeUnknown { status, .. } => *status,
            Error::Transport { source, .. } => source.status(),
            _ => None,
        }
    }

    /// The phase of the call the error comes from (see [`ErrorKind`]).
    pub fn kind(&self) -> ErrorKind {
        let transport = |source: &TransportError| match source.is_timeout() {
            true => ErrorKind::Timeout,
            false => ErrorKind::Connection,
        };
        match self {
            Error::Config { .. } | Error::InvalidInput { .. } | Error::UserTokenRequired { .. } => {
                ErrorKind::Construction
            }
            Error::Transport { source, .. } if source.is_builder() => ErrorKind::Construction,
            Error::Transport { source, .. } => transport(source),
            Error::Api { .. } | Error::UserAlreadyExists { .. } | Error::SaleNotFound { .. } => {
                ErrorKind::Service
            }
            Error::ReportingPeriodClosed { status, .. } => match status {
                Some(_) => ErrorKind::Service,
                None => ErrorKind::Construction,
            },
            Error::SaleOutcomeUnknown {
                source: Some(source),
                ..
            } => transport(source),
            Error::SaleOutcomeUnknown { code: Some(_), .. } => ErrorKind::Service,
            Error::SaleOutcomeUnknown { .. }
            | Error::Http { .. }
            | Error::Decode { .. }
            | Error::Redirect { .. }
            | Error::TooLarge { .. }
            | Error::Download { .. } => ErrorKind::Response,
        }
    }

    /// Whether trying the same call again later may succeed: no answer came (connection,
    /// timeout), the API answered 5xx or 429, or a download was cut short or stalled. Never for
    /// a sale whose outcome is unknown (look in the locker first), nor for anything refused
    /// before it was sent. The client's own retries, where the operation allows them, have
    /// already been spent when a call returns this.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::SaleOutcomeUnknown { .. } => false,
            Error::Download { retryable, .. } => *retryable,
            _ => match self.kind() {
                ErrorKind::Connection | ErrorKind::Timeout => true,
                ErrorKind::Service | ErrorKind::Response => {
                    self.status().is_some_and(|s| s == 429 || s >= 500)
                }
                ErrorKind::Construction => false,
            },
        }
    }

    /// The operation the error comes from, if any.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::UserTokenRequired { operation }
            | Error::Transport { operation, .. }
            | Error::Api { operation, .. }
            | Error::Http { operation, .. }
            | Error::Decode { operation, .. }
            | Error::UserAlreadyExists { operation, .. }
            | Error::SaleOutcomeUnknown { operation, .. }
            | Error::SaleNotFound { operation, .. }
            | Error::ReportingPeriodClosed { operation, .. }
            | Error::Redirect { operation, .. }
            | Error::TooLarge { operation, .. } => Some(operation),
            Error::Download { .. } => Some(DOWNLOAD_OPERATION),
            Error::Config { .. } | Error::InvalidInput { .. } => None,
        }
    }

    /// The error for a non-2xx answer: an envelope's code and message when the body is one,
    /// the status and a snippet otherwise.
    pub(crate) fn from_answer(operation: &'static str, status: u16, body: &[u8]) -> Self {
        match crate::error::envelope::parse(body) {
            Some(envelope) => Error::from_envelope(operation, status, envelope),
            None => Error::Http {
                operation,
                status,
                snippet: snippet(body),
            },
        }
    }
}

impl Error {
    /// The error for a 7digital error envelope received with `status`.
    pub(crate) fn from_envelope(
        operation: &'static str,
        status: u16,
        envelope: crate::error::envelope::Envelope,
    ) -> Self {
        Error::Api {
            operation,
            status,
            code: envelope.code,
            message: bounded(&envelope.message),
        }
    }
}

/// The beginning of a body, as text, for error messages: at most [`SNIPPET_CHARS`]
/// characters (control characters are escaped when displayed).
pub(crate) fn snippet(body: &[u8]) -> String {
    // Never decode more than the kept characters can take up.
    let head = &body[..body
        .len()
        .min(SNIPPET_CHARS.saturating_mul(4).saturating_add(4))];
    crate::text::cut(&String::from_utf8_lossy(head), SNIPPET_CHARS)
}

/// Server-supplied text as an error keeps it: at most [`MAX_SERVER_TEXT`] characters (control
/// characters are escaped when displayed).
pub(crate) fn bounded(text: &str) -> String {
    crate::text::cut(text, MAX_SERVER_TEXT)
}

/// Text as Display writes it: escaped and bounded (a no-op for text already bounded).
struct Clean<'a>(&'a str);

impl fmt::Display for Clean<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::text::escape_cut(
            self.0,
            MAX_SERVER_TEXT.saturating_mul(4),
        ))
    }
}

impl fmt::Display for Error {
    /// One line: control characters escaped, server text bounded ([`MAX_SERVER_TEXT`]).
    /// `{}` says this level only; `{:#}` adds every cause, down to the OS error
    /// (`getReleaseDetails: request failed: error sending request to http://127.0.0.1:9: ...:
    /// Connection refused (os error 111)`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = Unescaped(self).to_string();
        f.write_str(&crate::text::escape_controls(&text))?;
        if f.alternate() {
            write_chain(f, std::error::Error::source(self))?;
        }
        Ok(())
    }
}

/// `: cause` for every cause in the chain from `source`, each on the same line (control
/// characters escaped, a cause that repeats the one before left out).
fn write_chain(
    f: &mut fmt::Formatter<'_>,
    mut source: Option<&(dyn std::error::Error + 'static)>,
) -> fmt::Result {
    let mut last = String::new();
    while let Some(cause) = source {
        let text = crate::text::escape_cut(&cause.to_string(), MAX_SERVER_TEXT);
        if !text.is_empty() && !last.contains(&text) {
            write!(f, ": {text}")?;
        }
        last = text;
        source = cause.source();
    }
    Ok(())
}

/// A request that could not be sent, or whose answer did not arrive: the HTTP stack's error
/// without the URL (which may carry a signature), with the origin it was for. Its
/// [`source`](std::error::Error::source) chain goes down to the OS error.
#[derive(Debug)]
pub struct TransportError {
    // Boxed with the error so that `Error` stays small.
    origin: Option<Box<str>>,
    inner: reqwest::Error,
}

impl TransportError {
    pub(crate) fn new(error: reqwest::Error) -> Self {
        TransportError {
            origin: error
                .url()
                .map(|url| crate::call::origin::origin(url).into()),
            inner: error.without_url(),
        }
    }

    /// `scheme://host:port` the request was for, when known.
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }

    /// Whether no connection could be made (so nothing was sent).
    pub fn is_connect(&self) -> bool {
        self.inner.is_connect()
    }

    /// Whether it timed out.
    pub fn is_timeout(&self) -> bool {
        self.inner.is_timeout()
    }

    /// Whether the request could not even be built (so nothing was sent).
    pub(crate) fn is_builder(&self) -> bool {
        self.inner.is_builder()
    }

    /// The HTTP status, when an answer was received.
    pub fn status(&self) -> Option<u16> {
        self.inner.status().map(|s| s.as_u16())
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.origin {
            Some(origin) => write!(f, "{} to {origin}", self.inner),
            None => write!(f, "{}", self.inner),
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.inner)
    }
}

/// The message before control characters are escaped.
struct Unescaped<'a>(&'a Error);

impl fmt::Display for Unescaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Error::Config { message } => write!(f, "client configuration: {message}"),
            Error::InvalidInput { field, message } => write!(f, "invalid `{field}`: {message}"),
            Error::UserTokenRequired { operation } => write!(
                f,
                "{operation} acts on a user's behalf and needs a user access token: call it on `client.with_user_token(token, token_secret)`"
            ),
            Error::Transport { operation, .. } => write!(f, "{operation}: request failed"),
            Error::Redirect {
                operation,
                from,
                to,
                reason,
            } => write!(
                f,
                "{operation}: refused a redirect from {} to {}: {}",
                Clean(from),
                Clean(to),
                Clean(reason)
            ),
            Error::TooLarge {
                operation,
                status,
                limit,
            } => write!(
                f,
                "{operation}: the HTTP {status} answer is larger than the limit of {limit} bytes; reading stopped there (raise it with ClientBuilder::max_response_bytes)"
            ),
            Error::Api {
                operation,
                status,
                code,
                message,
            } => write!(
                f,
                "{operation}: HTTP {status}, 7digital error {code}: {}",
                Clean(message)
            ),
            Error::Http {
                operation,
                status,
                snippet,
            } => write!(f, "{operation}: HTTP {status}: {}", Clean(snippet)),
            Error::Decode {
                operation,
                status,
                message,
                snippet,
            } => write!(
                f,
                "{operation}: HTTP {status} answer could not be decoded ({}): {}",
                Clean(message),
                Clean(snippet)
            ),
            Error::UserAlreadyExists {
                operation,
                user_id,
                status,
                message,
            } => write!(
                f,
                "{operation}: a user with userId `{user_id}` already exists (HTTP {status}, 7digital error 2003: {message}); user ids are permanent, use the existing user"
            ),
            Error::SaleOutcomeUnknown {
                operation,
                transaction_id,
                reason,
                ..
            } => write!(
                f,
                "{operation}: the sale with transactionId `{transaction_id}` may or may not have been logged ({reason}); it was not retried, since a second attempt could log a second sale: check the user's locker for this purchase or transactionId before trying again"
            ),
            Error::SaleNotFound {
                operation,
                purchase_id,
                status,
                message,
            } => write!(
                f,
                "{operation}: no sale with purchaseId `{purchase_id}` for this item in the sales log (HTTP {status}, 7digital error 2001: {message})"
            ),
            Error::ReportingPeriodClosed {
                operation,
                purchase_id,
                status,
                message,
            } => match status {
                Some(status) => write!(
                    f,
                    "{operation}: the reporting period of purchaseId `{purchase_id}` has closed, the refund cannot be logged (HTTP {status}, 7digital error 2002: {message})"
                ),
                None => write!(
                    f,
                    "{operation}: the reporting period of purchaseId `{purchase_id}` has closed, the refund was not sent: {message}"
                ),
            },
            Error::Download { path, message, .. } => match path {
                Some(path) => write!(
                    f,
                    "download to `{}`: {}",
                    Clean(&path.display().to_string()),
                    Clean(message)
                ),
                None => write!(f, "download: {}", Clean(message)),
            },
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::SaleOutcomeUnknown {
                source: Some(source),
                ..
            } => Some(source),
            Error::Download {
                source: Some(source),
                ..
            } => Some(source.as_ref()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_become_typed_errors() {
        let e = Error::from_answer(
            "getReleaseDetails",
            404,
            br#"{"status":"error","error":{"code":2001,"message":"Release not found"}}"#,
        );
        assert_eq!(e.code(), Some(2001));
        assert_eq!(e.status(), Some(404));
        assert_eq!(
            e.to_string(),
            "getReleaseDetails: HTTP 404, 7digital error 2001: Release not found"
        );

        let e = Error::from_answer("getReleaseDetails", 502, b"<html>Bad gateway</html>");
        assert_eq!(e.code(), None);
        assert_eq!(e.status(), Some(502));
        assert_eq!(
            e.to_string(),
            "getReleaseDetails: HTTP 502: <html>Bad gateway</html>"
        );
    }

    #[test]
    fn snippet_is_short_and_char_safe() {
        let body = "é".repeat(500);
        let s = snippet(body.as_bytes());
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
        assert!(s.ends_with('…'));
        assert_eq!(snippet(&[0xff, 0xfe, b'a']), "\u{fffd}\u{fffd}a");
    }
}
