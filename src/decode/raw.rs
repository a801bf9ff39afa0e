//! A successful answer as read from the wire, before it is decoded.

use reqwest::header::HeaderMap;

/// A successful answer, as [`Decode`](crate::call::Decode) reads it.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The HTTP status (2xx).
    pub(crate) status: u16,
    /// The `Content-Type` header, if any.
    pub(crate) content_type: Option<String>,
    /// All the headers.
    pub(crate) headers: HeaderMap,
    /// Whether it came from the client's cache.
    pub(crate) from_cache: bool,
    /// The body.
    pub(crate) body: Vec<u8>,
}
