//! A call's typed answer together with the HTTP status and headers it came with
//! ([`Call::send_response`](crate::Call::send_response)).

use std::ops::Deref;

use reqwest::header::HeaderMap;

/// A decoded answer with its HTTP status and headers (`Cache-Control`, `Date`, …).
///
/// ```no_run
/// # async fn demo(client: sevendigital::Client) -> Result<(), sevendigital::Error> {
/// let response = client.get_release_details(1192901).send_response().await?;
/// println!("{} {:?}", response.status(), response.headers().get("cache-control"));
/// let release = response.into_inner();
/// # let _ = release; Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: u16,
    headers: HeaderMap,
    from_cache: bool,
    value: T,
}

impl<T> Response<T> {
    pub(crate) fn new(status: u16, headers: HeaderMap, from_cache: bool, value: T) -> Self {
        Response {
            status,
            headers,
            from_cache,
            value,
        }
    }

    /// The HTTP status of the answer (a 2xx).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The headers of the answer.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Whether the answer came from the client's cache instead of the API (its status and
    /// headers are then those the API sent when it was stored).
    pub fn from_cache(&self) -> bool {
        self.from_cache
    }

    /// The decoded answer.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The status, the headers and the decoded answer.
    pub fn into_parts(self) -> (u16, HeaderMap, T) {
        (self.status, self.headers, self.value)
    }

    /// The same response with its answer changed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            from_cache: self.from_cache,
            value: f(self.value),
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}
