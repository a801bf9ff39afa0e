//! The one error type of the crate.

use reqwest::header::HeaderMap;

pub mod codes;
pub mod envelope;

pub use envelope::Envelope;
pub use transport::TransportError;

mod display;
mod transport;

use std::path::PathBuf;

/// How much of an undecodable body an error keeps, in characters.
const SNIPPET_CHARS: usize = 200;

/// The most characters of server-supplied text (a 7digital error message, the beginning of a
/// body) an error carries, in [`Display`](std::fmt::Display) and [`Debug`] alike; longer text is cut
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

/// The headers of an error response ([`Error::Api`], [`Error::Http`]), read as a
/// [`HeaderMap`]. Its `Debug` lists the header names only: the values are the server's text,
/// neither bounded nor escaped.
#[derive(Clone, Default)]
pub struct ErrorHeaders(Box<HeaderMap>);

impl std::ops::Deref for ErrorHeaders {
    type Target = HeaderMap;
    fn deref(&self) -> &HeaderMap {
        &self.0
    }
}

impl std::fmt::Debug for ErrorHeaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

impl From<HeaderMap> for ErrorHeaders {
    fn from(headers: HeaderMap) -> Self {
        ErrorHeaders(Box::new(headers))
    }
}

/// What a new download to the same path does with the bytes a failed one kept in its `.part`
/// file ([`Error::Download`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Resume {
    /// The server gave a validator (a strong `ETag` or an old enough `Last-Modified`): the
    /// next attempt asks for the rest of the file, `If-Range` that validator.
    FromPart {
        /// The `.part` file holding the bytes.
        part: PathBuf,
    },
    /// The answer had no validator to resume with: the next attempt starts over.
    StartOver,
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
    /// The HTTP stack could not build the request (a header value a hook set that HTTP does not
    /// allow, say), so nothing was sent.
    Build {
        /// The operation called.
        operation: &'static str,
        /// What the HTTP stack refused.
        source: TransportError,
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
        /// The response's headers (`Retry-After` among them; see [`Error::retry_after`]).
        headers: ErrorHeaders,
    },
    /// The API answered with an error status and a body that is not a 7digital error envelope.
    Http {
        /// The operation called.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The beginning of the body.
        snippet: String,
        /// The response's headers.
        headers: ErrorHeaders,
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
        /// again may succeed.
        retryable: bool,
        /// What downloading to the same path again does with the bytes received so far, when
        /// some were kept in the `.part` file.
        resume: Option<Resume>,
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

    /// The error for a request the HTTP stack failed on: [`Error::Build`] when it could not even
    /// be built, [`Error::Transport`] otherwise.
    pub(crate) fn transport(operation: &'static str, error: reqwest::Error) -> Self {
        let source = TransportError::new(error);
        match source.is_builder() {
            true => Error::Build { operation, source },
            false => Error::Transport { operation, source },
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

    /// The headers of the error response, when the API answered with an error status
    /// ([`Error::Api`] and [`Error::Http`]).
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api { headers, .. } | Error::Http { headers, .. } => Some(&headers.0),
            _ => None,
        }
    }

    /// How long the API asked to wait before trying again (its `Retry-After` header, in
    /// seconds or as an HTTP date), when the error response carried one. The client's own
    /// retries wait for it already; this is for the caller once those are spent.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        let value = self
            .headers()?
            .get(reqwest::header::RETRY_AFTER)?
            .to_str()
            .ok()?;
        crate::call::retry::retry_after_duration(value, std::time::SystemTime::now())
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
            Error::Build { .. } => ErrorKind::Construction,
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
            | Error::Build { operation, .. }
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
    pub(crate) fn from_answer(
        operation: &'static str,
        status: u16,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Self {
        match crate::error::envelope::parse(body) {
            Some(envelope) => Error::from_envelope(operation, status, headers, envelope),
            None => Error::Http {
                operation,
                status,
                snippet: snippet(body),
                headers: ErrorHeaders(Box::new(headers.clone())),
            },
        }
    }
}

impl Error {
    /// The error for a 7digital error envelope received with `status`.
    pub(crate) fn from_envelope(
        operation: &'static str,
        status: u16,
        headers: &HeaderMap,
        envelope: crate::error::envelope::Envelope,
    ) -> Self {
        Error::Api {
            operation,
            status,
            code: envelope.code,
            message: bounded(&envelope.message),
            headers: ErrorHeaders(Box::new(headers.clone())),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_the_http_stack_cannot_build_is_a_construction_error() {
        let refused = reqwest::Client::new().get("no scheme").build().unwrap_err();
        let e = Error::transport("getReleaseDetails", refused);
        assert!(matches!(e, Error::Build { .. }), "{e:?}");
        assert_eq!(
            (e.kind(), e.is_retryable()),
            (ErrorKind::Construction, false)
        );
        assert!(e.to_string().contains("nothing was sent"), "{e}");
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn answers_become_typed_errors() {
        let e = Error::from_answer(
            "getReleaseDetails",
            404,
            &HeaderMap::new(),
            br#"{"status":"error","error":{"code":2001,"message":"Release not found"}}"#,
        );
        assert_eq!(e.code(), Some(2001));
        assert_eq!(e.status(), Some(404));
        assert_eq!(
            e.to_string(),
            "getReleaseDetails: HTTP 404, 7digital error 2001: Release not found"
        );

        let mut headers = HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, "120".parse().unwrap());
        let e = Error::from_answer(
            "getReleaseDetails",
            502,
            &headers,
            b"<html>Bad gateway</html>",
        );
        assert_eq!(e.retry_after(), Some(std::time::Duration::from_secs(120)));
        assert_eq!(e.headers().map(HeaderMap::len), Some(1));
        headers.insert("x-echo", "token-secret-echoed".parse().unwrap());
        let echoed = Error::from_answer("getReleaseDetails", 502, &headers, b"");
        let debug = format!("{echoed:?}");
        assert!(
            debug.contains("x-echo") && !debug.contains("token-secret-echoed"),
            "{debug}"
        );
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
