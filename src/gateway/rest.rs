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
use crate::catalogue::{Method, Operation, ParamKind};
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
            tracing::warn!(
                method = %tool.op.method,
                path = %tool.rest_path,
                tool = %tool.name,
                "served by another operation: this tool has no REST resource"
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

/// Adds `(name, value)` from the query or a form body to `args`: a parameter given twice is
/// refused, naming it (an array parameter collects its values).
fn add_pair(
    op: &Operation,
    args: &mut Map<String, Value>,
    name: String,
    value: String,
) -> Result<(), Error> {
    let array = op.param(&name).is_some_and(|p| p.kind == ParamKind::Array);
    match args.get_mut(&name) {
        None if array => {
            args.insert(name, Value::Array(vec![Value::String(value)]));
        }
        None => {
            args.insert(name, Value::String(value));
        }
        Some(Value::Array(items)) if array => items.push(Value::String(value)),
        Some(_) => {
            return Err(Error::invalid_input(
                crate::text::escape_cut(&name, 40),
                "is given more than once",
            ));
        }
    }
    Ok(())
}

/// The arguments of a request: path captures, query, and a form or JSON body.
fn arguments(
    op: &Operation,
    captures: HashMap<String, String>,
    headers: &HeaderMap,
    query: Option<String>,
    body: &[u8],
) -> Result<(Map<String, Value>, bool), Error> {
    let mut args = Map::new();
    let mut redirect = None;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.as_deref().unwrap_or(""))
        .map_err(|e| Error::invalid_input("query", e.to_string()))?;
    for (k, v) in pairs {
        if k == "redirect" && op.file_answer().is_some() {
            if redirect.is_some() {
                return Err(Error::invalid_input("redirect", "is given more than once"));
            }
            redirect = Some(match v.as_str() {
                "true" => true,
                "false" => false,
                _ => return Err(Error::invalid_input("redirect", "must be true or false")),
            });
            continue;
        }
        add_pair(op, &mut args, k, v)?;
    }
    if !body.is_empty() {
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if json {
            let object: Map<String, Value> = serde_json::from_slice(body)
                .map_err(|e| Error::invalid_input("body", format!("is not a JSON object: {e}")))?;
            for (k, v) in object {
                if args.contains_key(&k) {
                    return Err(Error::invalid_input(
                        crate::text::escape_cut(&k, 40),
                        "is given more than once",
                    ));
                }
                args.insert(k, v);
            }
        } else {
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
                .map_err(|e| Error::invalid_input("body", e.to_string()))?;
            for (k, v) in pairs {
                add_pair(op, &mut args, k, v)?;
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
    Ok((args, redirect.unwrap_or(false)))
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
    let (args, redirect) = match arguments(tool.op, captures, headers, query, &body) {
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
    let url = dispatch::signed_download_url(&client, tool, &checked)
        .await
        .map_err(|e| super::in_wire_words(tool.op, e))?;
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
        resume: None,
        source: None,
    })?;
    let status = StatusCode::from_u16(answer.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    if status.is_client_error() || status.is_server_error() {
        return Ok(download_error(status, answer).await);
    }
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

/// The longest error body of the download host that is read to re-wrap it.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// A download host's error answer re-wrapped in the 7digital error envelope, with its status:
/// its code and message when it sent an envelope (`errorMessage`, or the `message` some hosts
/// send), else code 9001 and the status.
async fn download_error(status: StatusCode, answer: reqwest::Response) -> Response {
    let mut body = Vec::new();
    let mut stream = answer.bytes_stream();
    while let Ok(Some(chunk)) = stream.try_next().await {
        body.extend_from_slice(&chunk);
        if body.len() > ERROR_BODY_LIMIT {
            break;
        }
    }
    let sent: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let error = &sent["error"];
    let code = error["code"]
        .as_i64()
        .unwrap_or(crate::error::codes::UNEXPECTED);
    let message = error["errorMessage"]
        .as_str()
        .or_else(|| error["message"].as_str())
        .map(str::to_string)
        .unwrap_or_else(|| format!("the download host answered HTTP {}", status.as_u16()));
    let envelope = serde_json::json!({
        "status": "error",
        "error": { "code": code, "errorMessage": crate::text::escape_controls(&message) }
    });
    (status, axum::Json(envelope)).into_response()
}
