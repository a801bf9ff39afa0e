//! What a handler knows of the request beyond its typed inputs.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::header::CONTENT_LENGTH;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, Uri};
use futures_util::StreamExt;

use super::ServerError;
use crate::error::codes;

/// Requests larger than this are refused (API calls are small): 4 MiB. A `Content-Length`
/// above it is refused with 413 before any of the body is read.
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// How long reading a whole request body may take unless a [`BodyTimeout`] extension says
/// otherwise: 30 s. A body still incomplete then is answered with 408.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// A request extension setting how long reading the whole body may take (the fake's server
/// adds it; see [`DEFAULT_BODY_TIMEOUT`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyTimeout(pub Duration);

/// Reads a whole request body: 413 when its `Content-Length` or its actual length exceeds
/// [`BODY_LIMIT`] (the former before reading anything), 408 when it takes longer than the
/// [`BodyTimeout`] extension (default [`DEFAULT_BODY_TIMEOUT`]), 400 when it is malformed
/// (a bad chunk size, a connection closed early).
///
/// # Errors
///
/// The [`ServerError`] to answer with.
pub async fn read_body(parts: &Parts, body: Body) -> Result<Bytes, ServerError> {
    let announced = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|len| len > BODY_LIMIT as u64) {
        return Err(too_large());
    }
    let timeout = parts
        .extensions
        .get::<BodyTimeout>()
        .map_or(DEFAULT_BODY_TIMEOUT, |t| t.0);
    let reading = async {
        let mut stream = body.into_data_stream();
        let mut out = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|_| {
                ServerError::new(400, codes::INVALID_PARAMETER, "Malformed request body")
            })?;
            if out.len().saturating_add(chunk.len()) > BODY_LIMIT {
                return Err(too_large());
            }
            out.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(out))
    };
    match tokio::time::timeout(timeout, reading).await {
        Ok(read) => read,
        Err(_) => Err(ServerError::new(
            408,
            codes::INVALID_PARAMETER,
            format!("Request body not received within {timeout:?}"),
        )),
    }
}

fn too_large() -> ServerError {
    ServerError::new(
        413,
        codes::INVALID_PARAMETER,
        format!("Request body larger than {BODY_LIMIT} bytes"),
    )
}

/// The request as received: method, URI, headers, path parameters, query and body.
/// Every generated handler receives it, so an implementation can read parameters the spec
/// does not declare and check signatures.
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// The HTTP method.
    pub method: Method,
    /// The URI (path and query, as sent).
    pub uri: Uri,
    /// The headers.
    pub headers: HeaderMap,
    /// Path parameters, decoded.
    pub path_params: Vec<(String, String)>,
    /// Query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The body.
    pub body: Bytes,
}

impl RequestContext {
    /// A context built by hand (for tests and for calling an `Api` implementation directly).
    pub fn new(
        method: Method,
        uri: Uri,
        headers: HeaderMap,
        path_params: Vec<(String, String)>,
        body: Bytes,
    ) -> Self {
        let query = url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
        RequestContext {
            method,
            uri,
            headers,
            path_params,
            query,
            body,
        }
    }

    /// The first query parameter called `name` (in any ASCII case, as 7digital matches them).
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path parameter called `name`.
    pub fn path_value(&self, name: &str) -> Option<&str> {
        self.path_params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A header's value, when it is valid text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Whether the body is `application/x-www-form-urlencoded`.
    pub fn is_form(&self) -> bool {
        self.header("content-type")
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"))
    }

    /// The fields of a form body (empty for other bodies).
    pub fn form(&self) -> Vec<(String, String)> {
        if self.is_form() {
            url::form_urlencoded::parse(&self.body)
                .into_owned()
                .collect()
        } else {
            Vec::new()
        }
    }

    /// A query parameter, or else a form field, called `name` (in any ASCII case).
    pub fn value(&self, name: &str) -> Option<String> {
        self.query_value(name).map(str::to_string).or_else(|| {
            self.form()
                .into_iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })
    }

    /// The request URL as the client addressed it (`http://host/path?query`), from the `Host`
    /// header, for signature checks.
    pub fn url(&self) -> String {
        let host = self.header("host").unwrap_or("localhost");
        format!("http://{host}{}", self.uri)
    }
}

impl<S: Send + Sync> FromRequest<S> for RequestContext {
    type Rejection = ServerError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let path_params = match RawPathParams::from_request_parts(&mut parts, state).await {
            Ok(raw) => raw
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            Err(_) => Vec::new(),
        };
        let body = read_body(&parts, body).await?;
        Ok(RequestContext::new(
            parts.method,
            parts.uri,
            parts.headers,
            path_params,
            body,
        ))
    }
}
