//! [`TransportError`]: a request that could not be sent, or whose answer did not arrive.

use std::fmt;

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
