//! The REST adapter: one resource per operation under `/v1` (see
//! [`tools::rest_path`](super::tools::rest_path)), answered with the typed answer as JSON or the
//! 7digital error envelope; downloads streamed through (Range passed on) or redirected.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, get};
use futures_util::TryStreamExt;
use serde_json::{Map, Value};

use super::dispatch;
use super::schema::{self, USER_SECRET, USER_TOKEN};
use super::tools::{Source, ToolDef};
use super::{Gateway, error_envelope, log_call};
use crate::catalogue::Method;
use crate::error::Error;

pub use super::openapi::{USER_SECRET_HEADER, USER_TOKEN_HEADER};

/// Response headers of a download passed on to the caller.
const PASSED_ON: &[header::HeaderName] = &[
    header::CONTENT_TYPE,
    header::CONTENT_LENGTH,
    header::CONTENT_RANGE,
    header::ACCEPT_RANGES,
    header::ETAG,
    header::LAST_MODIFIED,
    header::CONTENT_DISPOSITION,
];

fn filter(method: Method) -> MethodFilter {
    match method {
        Method::Get => MethodFilter::GET,
        Method::Put => MethodFilter::PUT,
        Method::Post => MethodFilter::POST,
        Method::Delete => MethodFilter::DELETE,
        Method::Options => MethodFilter::OPTIONS,
        Method::Head => MethodFilter::HEAD,
        Method::Patch => MethodFilter::PATCH,
        Method::Trace => MethodFilter::TRACE,
    }
}

/// The `/v1` router: one route per tool (a write tool without `allow_writes` answers 403 naming
/// `--allow-writes`), and `/v1/openapi.json`.
pub fn router(gateway: Gateway) -> Router {
    let mut paths: BTreeMap<String, MethodRouter> = BTreeMap::new();
    let mut seen = HashSet::new();
    for tool in super::tools::all() {
        if !seen.insert((tool.rest_path.clone(), tool.op.method)) {
            eprintln!(
                "warning: {} {} is served by another operation; {} has no REST resource",
                tool.op.method, tool.rest_path, tool.name
            );
            continue;
        }
        let gw = gateway.clone();
        let route = if tool.rest_path.contains('{') {
            MethodRouter::new().on(
                filter(tool.op.method),
                move |Path(captures): Path<HashMap<String, String>>,
                      headers: HeaderMap,
                      query: axum::extract::RawQuery,
                      body: Bytes| async move {
                    handle(&gw, tool, captures, &headers, query.0, body).await
                },
            )
        } else {
            MethodRouter::new().on(
                filter(tool.op.method),
                move |headers: HeaderMap, query: axum::extract::RawQuery, body: Bytes| async move {
                    handle(&gw, tool, HashMap::new(), &headers, query.0, body).await
                },
            )
        };
        let entry = paths.remove(&tool.rest_path).unwrap_or_default();
        paths.insert(tool.rest_path.clone(), entry.merge(route));
    }
    let mut router = Router::new();
    for (path, route) in paths {
        router = router.route(&path, route);
    }
    let doc = super::openapi::document(&gateway);
    router.route(
        "/v1/openapi.json",
        get(move || {
            let doc = doc.clone();
            async move { axum::Json(doc) }
        }),
    )
}

fn envelope_response(error: &Error) -> Response {
    let (status, body) = error_envelope(error);
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    (status, axum::Json(body)).into_response()
}

/// The arguments of a request: path captures, query, and a form or JSON body.
fn arguments(
    captures: HashMap<String, String>,
    headers: &HeaderMap,
    query: Option<String>,
    body: &[u8],
) -> Result<(Map<String, Value>, bool), Error> {
    let mut args = Map::new();
    let mut redirect = false;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.as_deref().unwrap_or(""))
        .map_err(|e| Error::invalid_input("query", e.to_string()))?;
    for (k, v) in pairs {
        if k == "redirect" {
            redirect = v == "true" || v == "1";
            continue;
        }
        args.insert(k, Value::String(v));
    }
    if !body.is_empty() {
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if json {
            let object: Map<String, Value> = serde_json::from_slice(body)
                .map_err(|e| Error::invalid_input("body", format!("is not a JSON object: {e}")))?;
            args.extend(object);
        } else {
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
                .map_err(|e| Error::invalid_input("body", e.to_string()))?;
            for (k, v) in pairs {
                args.insert(k, Value::String(v));
            }
        }
    }
    for (k, v) in captures {
        args.insert(k, Value::String(v));
    }
    for (name, field) in [
        (USER_TOKEN_HEADER, USER_TOKEN),
        (USER_SECRET_HEADER, USER_SECRET),
    ] {
        if let Some(v) = headers.get(name).and_then(|v| v.to_str().ok()) {
            args.insert(field.to_string(), Value::String(v.to_string()));
        }
    }
    Ok((args, redirect))
}

async fn handle(
    gateway: &Gateway,
    tool: &'static ToolDef,
    captures: HashMap<String, String>,
    headers: &HeaderMap,
    query: Option<String>,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let (args, redirect) = match arguments(captures, headers, query, &body) {
        Ok(parsed) => parsed,
        Err(e) => return envelope_response(&e),
    };
    if tool.source == Source::Download {
        let result = download(gateway, tool, &args, headers, redirect).await;
        log_call(&tool.name, &result, started);
        return result.unwrap_or_else(|e| envelope_response(&e));
    }
    match gateway.call(&tool.name, args).await {
        Ok(value) => axum::Json(value).into_response(),
        Err(e) => envelope_response(&e),
    }
}

/// A download: the signed URL fetched with the caller's Range, the answer streamed through;
/// or a redirect to the signed URL.
async fn download(
    gateway: &Gateway,
    tool: &'static ToolDef,
    args: &Map<String, Value>,
    headers: &HeaderMap,
    redirect: bool,
) -> Result<Response, Error> {
    let tool = gateway.tool(&tool.name)?;
    let checked = schema::check(tool.op, args)?;
    let client = gateway.client_for(&checked);
    let url = dispatch::signed_download_url(&client, tool, &checked).await?;
    if redirect {
        let location =
            HeaderValue::from_str(&url).map_err(|e| Error::invalid_input("url", e.to_string()))?;
        return Ok((StatusCode::FOUND, [(header::LOCATION, location)]).into_response());
    }
    let mut upstream = gateway.http().get(&url);
    for name in [header::RANGE, header::IF_RANGE] {
        if let Some(v) = headers.get(&name) {
            upstream = upstream.header(name.as_str(), v.as_bytes());
        }
    }
    let answer = upstream.send().await.map_err(|e| Error::Download {
        path: None,
        message: format!("download host unreachable: {}", e.without_url()),
        retryable: true,
        source: None,
    })?;
    let status = StatusCode::from_u16(answer.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    let mut response = Response::builder().status(status);
    for name in PASSED_ON {
        if let Some(v) = answer.headers().get(name.as_str())
            && let Ok(v) = HeaderValue::from_bytes(v.as_bytes())
        {
            response = response.header(name, v);
        }
    }
    let stream = answer.bytes_stream().map_err(std::io::Error::other);
    response
        .body(Body::from_stream(stream))
        .map_err(|e| Error::invalid_input("response", e.to_string()))
}
