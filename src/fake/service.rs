//! The download-service calls the spec lacks: partner users, the sales log, the partner
//! locker, refunds, downloads, and the OAuth token flow.
//!
//! Wire contract (what `sevendigital`'s download-service methods send and read):
//! - `GET /user/create?userId&country` → `{"status":"ok","user":{"id":..}}`; 2003 if the user exists.
//! - `GET /user/deliveritem?userId&releaseId&trackId?&country&transactionId&emailAddress?&packageId?&retailPrice?&postCode?`
//!   → XML `<response status="ok"><purchase id="9001">...</purchase></response>`.
//! - `GET /user/locker?userId&country&page?&pageSize?&releaseId?&trackId?&purchaseId?&sort?`
//!   → `{"status":"ok","page":..,"pageSize":..,"totalItems":..,"items":[{"purchaseId",..}]}`.
//! - `GET /sales/refund/release?purchaseId&releaseId&country`, `GET /sales/refund/track?purchaseId&trackId`
//!   → `{"status":"ok"}`; 2001 sale not found, 2002 outside the reporting period.
//! - `GET /users/{userId}/downloads/purchases/{purchaseId}?country`,
//!   `.../releases/{releaseId}?formatId&country`, `.../tracks/{trackId}?releaseId&formatId&country`
//!   → the file, with `Content-Length`, `Content-Disposition`, `ETag` and `Range` support;
//!   2002 when the user holds no licence for it.
//!
//! The first three share their paths with spec operations; a request carrying `userId` is a
//! download-service call and is answered here, before the spec's router sees it.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::api::{release, track};
use super::calendar::{refund_deadline, rfc3339};
use super::content;
use super::store::{PartnerUser, Sale, State as Memory, Store};
use crate::codes;
use crate::download_service::{Price, validate};
use crate::server::{RequestContext, ServerError};

/// Formats every release and track is offered in.
const FORMAT_IDS: &[u32] = &[17, 26];
/// Bytes per chunk of a streamed download.
const CHUNK: u64 = 64 * 1024;

type Answer = Result<Response, ServerError>;

/// Routes of paths the spec does not have.
pub fn routes(store: Arc<Store>) -> axum::Router {
    axum::Router::new()
        .route("/sales/refund/release", get(refund_release))
        .route("/sales/refund/track", get(refund_track))
        .route(
            "/users/{id}/downloads/purchases/{item}",
            get(download_purchase),
        )
        .route(
            "/users/{id}/downloads/releases/{item}",
            get(download_release),
        )
        .route("/users/{id}/downloads/tracks/{item}", get(download_track))
        .route("/oauth/requesttoken", get(request_token))
        .route("/oauth/accesstoken", get(access_token))
        .with_state(store)
}

/// Middleware answering the download-service calls that share a path with spec operations.
pub async fn layer(State(store): State<Arc<Store>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let partner = matches!(
        path.as_str(),
        "/user/create" | "/user/deliveritem" | "/user/locker"
    ) && url::form_urlencoded::parse(request.uri().query().unwrap_or("").as_bytes())
        .any(|(k, _)| k == "userId");
    if !partner {
        return next.run(request).await;
    }
    let (parts, _) = request.into_parts();
    let context = RequestContext::new(
        parts.method,
        parts.uri,
        parts.headers,
        Vec::new(),
        Bytes::new(),
    );
    let answer = match path.as_str() {
        "/user/create" => create_user(&store, &context),
        "/user/deliveritem" => deliver_item(&store, &context),
        _ => locker(&store, &context),
    };
    answer.unwrap_or_else(IntoResponse::into_response)
}

fn required<'a>(context: &'a RequestContext, name: &str) -> Result<&'a str, ServerError> {
    match context.query_value(name) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(ServerError::missing_parameter(name)),
    }
}

fn country(context: &RequestContext) -> Result<String, ServerError> {
    checked(validate::country(required(context, "country")?))
}

fn number(context: &RequestContext, name: &str) -> Result<Option<u64>, ServerError> {
    context
        .query_value(name)
        .map(|v| {
            v.parse()
                .map_err(|_| ServerError::invalid_parameter(name, format!("`{v}` is not a number")))
        })
        .transpose()
}

fn json(value: serde_json::Value) -> Response {
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        value.to_string(),
    )
        .into_response()
}

fn partner_user<'a>(state: &'a Memory, id: &str) -> Result<&'a PartnerUser, ServerError> {
    state
        .partner_users
        .get(id)
        .ok_or_else(|| ServerError::not_found(format!("User {id}")))
}

fn create_user(store: &Store, context: &RequestContext) -> Answer {
    let user_id = checked(validate::user_id(required(context, "userId")?))?;
    let country = country(context)?;
    let mut state = store.state();
    if state.partner_users.contains_key(user_id) {
        return Err(ServerError::new(
            409,
            codes::USER_ALREADY_EXISTS,
            format!("User already exists: {user_id}"),
        ));
    }
    state.partner_users.insert(
        user_id.to_string(),
        PartnerUser {
            user_id: user_id.to_string(),
            country,
        },
    );
    Ok(json(
        serde_json::json!({ "status": "ok", "user": { "id": user_id } }),
    ))
}

/// The live service's rules for a field are the ones the client checks before sending:
/// the fake applies the same checks, answering 1002 naming the field.
fn checked<T>(result: Result<T, crate::Error>) -> Result<T, ServerError> {
    result.map_err(|e| match e {
        crate::Error::InvalidInput { field, message } => {
            ServerError::invalid_parameter(&field, message)
        }
        other => ServerError::invalid_parameter("request", other),
    })
}

fn deliver_item(store: &Store, context: &RequestContext) -> Answer {
    let user_id = required(context, "userId")?;
    let release_id = required(context, "releaseId")?;
    let country = country(context)?;
    let transaction_id = required(context, "transactionId")?;
    let track_id = context.query_value("trackId").filter(|t| !t.is_empty());
    let package_id = number(context, "packageId")?.unwrap_or(2);
    let retail_price = context.query_value("retailPrice");
    if let Some(price) = retail_price {
        checked(Price::parse(price))?;
    }
    if let Some(code) = context.query_value("postCode") {
        checked(validate::post_code(code, &country))?;
    }
    if release().id.map(|id| id.to_string()).as_deref() != Some(release_id) {
        return Err(ServerError::not_found(format!("Release {release_id}")));
    }
    if let Some(track_id) = track_id
        && track().id.map(|id| id.to_string()).as_deref() != Some(track_id)
    {
        return Err(ServerError::not_found(format!("Track {track_id}")));
    }
    let now = store.now();
    let mut state = store.state();
    partner_user(&state, user_id)?;
    let purchase_id = 9001 + state.sales.len() as u64;
    state.sales.push(Sale {
        purchase_id,
        user_id: user_id.to_string(),
        release_id: release_id.to_string(),
        track_id: track_id.map(str::to_string),
        country,
        transaction_id: transaction_id.to_string(),
        retail_price: retail_price.map(str::to_string),
        package_id: u32::try_from(package_id).unwrap_or(2),
        at: now,
        refunded: false,
    });
    let escape = |s: &str| quick_xml::escape::escape(s).into_owned();
    let xml = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><response status="ok" version="1.2"><purchase id="{purchase_id}"><transactionId>{}</transactionId><purchaseDate>{}</purchaseDate><releaseId>{}</releaseId>{}</purchase></response>"#,
        escape(transaction_id),
        rfc3339(now),
        escape(release_id),
        track_id
            .map(|t| format!("<trackId>{}</trackId>", escape(t)))
            .unwrap_or_default(),
    );
    Ok((
        StatusCode::OK,
        [("content-type", "text/xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

fn locker(store: &Store, context: &RequestContext) -> Answer {
    let user_id = required(context, "userId")?;
    country(context)?;
    let page = number(context, "page")?.unwrap_or(1).max(1);
    let page_size = number(context, "pageSize")?.unwrap_or(10);
    if !(1..=50).contains(&page_size) {
        return Err(ServerError::invalid_parameter(
            "pageSize",
            "must be from 1 to 50",
        ));
    }
    let release_filter = context.query_value("releaseId");
    let track_filter = context.query_value("trackId");
    let purchase_filter = number(context, "purchaseId")?;
    let state = store.state();
    partner_user(&state, user_id)?;
    let mut sales: Vec<&Sale> = state
        .sales
        .iter()
        .filter(|s| s.user_id == user_id && !s.refunded)
        .filter(|s| release_filter.is_none_or(|r| s.release_id == r))
        .filter(|s| track_filter.is_none_or(|t| s.track_id.as_deref() == Some(t)))
        .filter(|s| purchase_filter.is_none_or(|p| s.purchase_id == p))
        .collect();
    if purchase_filter.is_some() && sales.is_empty() {
        return Err(ServerError::not_found(format!(
            "Purchase {}",
            purchase_filter.unwrap_or_default()
        )));
    }
    let sort = context.query_value("sort").unwrap_or("releaseTitle asc");
    let (column, order) = sort.split_once(' ').unwrap_or((sort, "asc"));
    if !matches!(column, "releaseTitle" | "purchaseDate" | "artistName")
        || !matches!(order, "asc" | "desc")
    {
        return Err(ServerError::invalid_parameter(
            "sort",
            format!("`{sort}` is not a sort order"),
        ));
    }
    // One release in the catalogue: titles and artists tie, so the purchase order decides.
    sales.sort_by_key(|s| (s.at, s.purchase_id));
    if order == "desc" {
        sales.reverse();
    }
    let total = sales.len() as u64;
    let (release, track) = (release(), track());
    let items: Vec<serde_json::Value> = sales
        .iter()
        .skip(((page - 1) * page_size) as usize)
        .take(page_size as usize)
        .map(|s| {
            serde_json::json!({
                "purchaseId": s.purchase_id.to_string(),
                "purchaseDate": rfc3339(s.at),
                "transactionId": s.transaction_id,
                "releaseId": s.release_id,
                "trackId": s.track_id,
                "formatIds": FORMAT_IDS,
                "release": release,
                "track": s.track_id.as_ref().map(|_| &track),
            })
        })
        .collect();
    Ok(json(serde_json::json!({
        "status": "ok", "page": page, "pageSize": page_size, "totalItems": total, "items": items,
    })))
}

fn refund(store: &Store, context: &RequestContext, item: &str) -> Answer {
    let purchase_id = number(context, "purchaseId")?
        .ok_or_else(|| ServerError::missing_parameter("purchaseId"))?;
    let wanted = required(context, item)?;
    if item == "releaseId" {
        country(context)?;
    }
    let now = store.now();
    let mut state = store.state();
    let sale = state
        .sales
        .iter_mut()
        .find(|s| {
            s.purchase_id == purchase_id
                && !s.refunded
                && match item {
                    "releaseId" => s.release_id == wanted && s.track_id.is_none(),
                    _ => s.track_id.as_deref() == Some(wanted),
                }
        })
        .ok_or_else(|| {
            ServerError::new(
                404,
                codes::NOT_FOUND,
                format!("Cannot find sale with purchaseId {purchase_id} and {item} {wanted}"),
            )
        })?;
    if now >= refund_deadline(sale.at) {
        return Err(ServerError::new(
            400,
            codes::REPORTING_PERIOD_CLOSED,
            format!(
                "Cannot exclude sale with purchaseId {purchase_id} and {item} {wanted}: outside the current reporting period"
            ),
        ));
    }
    sale.refunded = true;
    Ok(json(serde_json::json!({ "status": "ok" })))
}

async fn refund_release(State(store): State<Arc<Store>>, context: RequestContext) -> Response {
    refund(&store, &context, "releaseId").unwrap_or_else(IntoResponse::into_response)
}

async fn refund_track(State(store): State<Arc<Store>>, context: RequestContext) -> Response {
    refund(&store, &context, "trackId").unwrap_or_else(IntoResponse::into_response)
}

fn no_licence() -> ServerError {
    ServerError::new(
        404,
        codes::NO_LICENCE,
        "No license found for the download request",
    )
}

fn format_id(context: &RequestContext) -> Result<u64, ServerError> {
    let id =
        number(context, "formatId")?.ok_or_else(|| ServerError::missing_parameter("formatId"))?;
    if !FORMAT_IDS.contains(&(id as u32)) {
        return Err(ServerError::invalid_parameter(
            "formatId",
            format!("{id} is not offered"),
        ));
    }
    Ok(id)
}

fn owns(state: &Memory, user: &str, keep: impl Fn(&Sale) -> bool) -> Result<(), ServerError> {
    state.partner_users.get(user).ok_or_else(no_licence)?;
    state
        .sales
        .iter()
        .any(|s| s.user_id == user && !s.refunded && keep(s))
        .then_some(())
        .ok_or_else(no_licence)
}

/// A file the user may download: its content key, media type and file name.
struct Licensed {
    key: String,
    content_type: &'static str,
    name: String,
}

/// The file when the checks passed, the error otherwise.
fn serve(
    store: &Store,
    context: &RequestContext,
    licensed: Result<Licensed, ServerError>,
) -> Response {
    match licensed {
        Ok(f) => file(store, &context.headers, &f.key, f.content_type, &f.name),
        Err(e) => e.into_response(),
    }
}

async fn download_purchase(
    State(store): State<Arc<Store>>,
    Path((user, item)): Path<(String, String)>,
    context: RequestContext,
) -> Response {
    let licensed = (|| {
        country(&context)?;
        let id: u64 = item
            .parse()
            .map_err(|_| ServerError::invalid_parameter("purchaseId", "not a number"))?;
        owns(&store.state(), &user, |s| s.purchase_id == id)?;
        Ok(Licensed {
            key: format!("purchase-{item}"),
            content_type: "application/zip",
            name: format!("purchase-{item}.zip"),
        })
    })();
    serve(&store, &context, licensed)
}

async fn download_release(
    State(store): State<Arc<Store>>,
    Path((user, item)): Path<(String, String)>,
    context: RequestContext,
) -> Response {
    let licensed = (|| {
        country(&context)?;
        let format = format_id(&context)?;
        owns(&store.state(), &user, |s| {
            s.release_id == item && s.track_id.is_none()
        })?;
        Ok(Licensed {
            key: format!("release-{item}-{format}"),
            content_type: "application/zip",
            name: format!("release-{item}.zip"),
        })
    })();
    serve(&store, &context, licensed)
}

async fn download_track(
    State(store): State<Arc<Store>>,
    Path((user, item)): Path<(String, String)>,
    context: RequestContext,
) -> Response {
    let licensed = (|| {
        country(&context)?;
        let release_id = required(&context, "releaseId")?.to_string();
        let format = format_id(&context)?;
        owns(&store.state(), &user, |s| {
            s.release_id == release_id
                && (s.track_id.is_none() || s.track_id.as_deref() == Some(item.as_str()))
        })?;
        Ok(Licensed {
            key: format!("track-{item}-{format}"),
            content_type: "audio/mpeg",
            name: format!("track-{item}.mp3"),
        })
    })();
    serve(&store, &context, licensed)
}

/// Serves the deterministic file `key`, whole or the range asked for.
fn file(store: &Store, headers: &HeaderMap, key: &str, content_type: &str, name: &str) -> Response {
    let size = store.download_bytes;
    let seed = content::seed(key);
    let etag = format!("\"{seed:016x}-{size}\"");
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let if_range_ok = header("if-range").is_none_or(|v| v == etag);
    let range = header("range")
        .filter(|_| if_range_ok)
        .and_then(parse_range);
    let (status, start, end) = match range {
        Some((start, _)) if start >= size => {
            let headers = [("content-range", format!("bytes */{size}"))];
            return (StatusCode::RANGE_NOT_SATISFIABLE, headers).into_response();
        }
        Some((start, end)) => (
            StatusCode::PARTIAL_CONTENT,
            start,
            end.map_or(size, |e| e.min(size - 1) + 1),
        ),
        None => (StatusCode::OK, 0, size),
    };
    let body = futures_util::stream::unfold(start, move |at| async move {
        if at >= end {
            return None;
        }
        let len = (end - at).min(CHUNK);
        let mut chunk = vec![0; len as usize];
        content::fill(seed, at, &mut chunk);
        Some((Ok::<Bytes, std::io::Error>(Bytes::from(chunk)), at + len))
    });
    let mut response = Response::new(Body::from_stream(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = value.parse() {
            headers.insert(name, value);
        }
    };
    set("content-type", content_type.to_string());
    set("content-length", (end - start).to_string());
    set(
        "content-disposition",
        format!("attachment; filename=\"{name}\""),
    );
    set("etag", etag);
    set("accept-ranges", "bytes".to_string());
    if status == StatusCode::PARTIAL_CONTENT {
        set("content-range", format!("bytes {start}-{}/{size}", end - 1));
    }
    response
}

/// `bytes=N-` or `bytes=N-M` (one range; anything else is ignored, and the whole file sent).
fn parse_range(value: &str) -> Option<(u64, Option<u64>)> {
    let spec = value.strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (start, end) = spec.split_once('-')?;
    let start = start.trim().parse().ok()?;
    let end = match end.trim() {
        "" => None,
        e => Some(e.parse().ok().filter(|e| *e >= start)?),
    };
    Some((start, end))
}

async fn request_token(State(store): State<Arc<Store>>) -> Response {
    let mut state = store.state();
    let n = state.next_number();
    let (token, secret) = (format!("req-{n}"), format!("req-secret-{n}"));
    state
        .tokens
        .insert(token.clone(), (secret.clone(), format!("pending-{n}")));
    json(
        serde_json::json!({ "status": "ok", "oauth_request_token": { "oauth_token": token, "oauth_token_secret": secret } }),
    )
}

async fn access_token(State(store): State<Arc<Store>>, context: RequestContext) -> Response {
    let Some(request_token) = super::auth::user_token(&context) else {
        return ServerError::new(401, 7002, "Missing oauth_token").into_response();
    };
    let mut state = store.state();
    if state.tokens.remove(&request_token).is_none() {
        return ServerError::new(401, 7002, "Unknown or already exchanged request token")
            .into_response();
    }
    let n = state.next_number();
    let (token, secret, user) = (
        format!("acc-{n}"),
        format!("acc-secret-{n}"),
        format!("{}", 600_000 + n),
    );
    state.tokens.insert(token.clone(), (secret.clone(), user));
    json(
        serde_json::json!({ "status": "ok", "oauth_access_token": { "oauth_token": token, "oauth_token_secret": secret } }),
    )
}
