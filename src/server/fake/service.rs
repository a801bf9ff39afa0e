//! The download-service calls (`spec/7digital-download-service.yml`: partner users, the sales
//! log, the partner locker, refunds, downloads) and the OAuth token flow, over the fake's
//! store. The generated route stubs validate every input against the document (and
//! [`crate::catalogue::rules`]) before these run; the ones sharing a path with a v1.2 operation are told
//! apart by [`crate::server::choose`].

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::Catalogue;
use super::calendar::{refund_deadline, rfc3339};
use super::content;
use super::store::{PartnerUser, Sale, State as Memory, Store};
use crate::error::codes;
use crate::models::{
    LockerSort, LoggedSale, LoggedSaleResponse, PartnerLockerItem, PartnerLockerRelease,
    PartnerLockerResponse, PartnerLockerTrack, PartnerUser as User, PartnerUserResponse,
    StatusResponse,
};
use crate::server::{
    CreatePartnerUserInput, DownloadPurchaseZipInput, DownloadPurchasedReleaseZipInput,
    DownloadPurchasedTrackInput, GetPartnerLockerInput, LogSaleInput, RefundReleaseInput,
    RefundTrackInput, RequestContext, ServerError,
};

/// Formats every release and track is offered in.
const FORMAT_IDS: &[i64] = &[17, 26];
/// Bytes per chunk of a streamed download.
const CHUNK: u64 = 64 * 1024;

type ApiResult<T> = Result<T, ServerError>;

/// The token flow's routes (not in any document).
pub fn routes(store: Arc<Store>) -> axum::Router {
    axum::Router::new()
        .route("/oauth/requesttoken", get(request_token))
        .route("/oauth/accesstoken", get(access_token))
        .with_state(store)
}

fn json(value: serde_json::Value) -> Response {
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        value.to_string(),
    )
        .into_response()
}

fn ok() -> StatusResponse {
    StatusResponse {
        status: "ok".into(),
        version: Some("1.2".into()),
        schema: None,
    }
}

fn partner_user<'a>(state: &'a Memory, id: &str) -> Result<&'a PartnerUser, ServerError> {
    state
        .partner_users
        .get(id)
        .ok_or_else(|| ServerError::not_found(format!("User {id}")))
}

/// A number the document already checked (`pattern: ^[0-9]+$`).
fn number(name: &str, value: &str) -> Result<u64, ServerError> {
    value
        .parse()
        .map_err(|_| ServerError::invalid_parameter(name, format!("`{value}` is too large")))
}

pub(super) fn create_user(
    store: &Store,
    i: CreatePartnerUserInput,
) -> ApiResult<PartnerUserResponse> {
    let mut state = store.state();
    if state.partner_users.contains_key(&i.user_id) {
        return Err(ServerError::new(
            409,
            codes::USER_ALREADY_EXISTS,
            format!("User already exists: {}", i.user_id),
        ));
    }
    state.partner_users.insert(
        i.user_id.clone(),
        PartnerUser {
            user_id: i.user_id.clone(),
            country: i.country.to_ascii_uppercase(),
        },
    );
    Ok(PartnerUserResponse {
        status: "ok".into(),
        user: User { id: i.user_id },
    })
}

/// Logs a sale of a release of the catalogue (or of one of its tracks).
pub(super) fn log_sale(
    store: &Store,
    i: LogSaleInput,
    catalogue: &Catalogue,
) -> ApiResult<LoggedSaleResponse> {
    catalogue.release(&i.release_id)?;
    if let Some(track_id) = &i.track_id {
        catalogue.track(track_id)?;
    }
    let now = store.now();
    let mut state = store.state();
    partner_user(&state, &i.user_id)?;
    let purchase_id = 9001 + state.sales.len() as u64;
    state.sales.push(Sale {
        purchase_id,
        user_id: i.user_id,
        release_id: i.release_id,
        track_id: i.track_id,
        country: i.country.to_ascii_uppercase(),
        transaction_id: i.transaction_id.clone(),
        retail_price: Some(i.retail_price),
        package_id: i
            .package_id
            .and_then(|p| u32::try_from(p).ok())
            .unwrap_or(2),
        at: now,
        refunded: false,
    });
    Ok(LoggedSaleResponse {
        status: "ok".into(),
        purchase: LoggedSale {
            id: purchase_id.to_string(),
            transaction_id: Some(i.transaction_id),
            purchase_date: Some(rfc3339(now)),
        },
    })
}

/// A page of the locker, whose items are described by the catalogue.
pub(super) fn locker(
    store: &Store,
    i: GetPartnerLockerInput,
    catalogue: &Catalogue,
) -> ApiResult<PartnerLockerResponse> {
    let page = i.page.unwrap_or(1).max(1);
    let page_size = i.page_size.unwrap_or(10);
    let purchase_filter = match &i.purchase_id {
        Some(p) => Some(number("purchaseId", p)?),
        None => None,
    };
    let state = store.state();
    partner_user(&state, &i.user_id)?;
    let mut sales: Vec<&Sale> = state
        .sales
        .iter()
        .filter(|s| s.user_id == i.user_id && !s.refunded)
        .filter(|s| i.release_id.as_ref().is_none_or(|r| &s.release_id == r))
        .filter(|s| i.track_id.is_none() || s.track_id == i.track_id)
        .filter(|s| purchase_filter.is_none_or(|p| s.purchase_id == p))
        .collect();
    if let Some(p) = purchase_filter
        && sales.is_empty()
    {
        return Err(ServerError::not_found(format!("Purchase {p}")));
    }
    let title = |value: Result<serde_json::Value, ServerError>| {
        value
            .ok()
            .and_then(|v| v["title"].as_str().map(str::to_string))
    };
    let release_title = |id: &str| title(catalogue.release(id));
    let track_title = |id: &str| title(catalogue.track(id));
    // By release title, then the purchase order.
    sales.sort_by_key(|s| (release_title(&s.release_id), s.at, s.purchase_id));
    let sort = i.sort.unwrap_or(LockerSort::ReleaseTitleAsc);
    if sort.as_str().ends_with(" desc") {
        sales.reverse();
    }
    let total = sales.len() as i64;
    let skip = usize::try_from((page - 1).saturating_mul(page_size)).unwrap_or(usize::MAX);
    let items = sales
        .iter()
        .skip(skip)
        .take(usize::try_from(page_size).unwrap_or(0))
        .map(|s| PartnerLockerItem {
            purchase_id: Some(s.purchase_id.to_string()),
            purchase_date: Some(rfc3339(s.at)),
            transaction_id: Some(s.transaction_id.clone()),
            release_id: Some(s.release_id.clone()),
            track_id: s.track_id.clone(),
            format_ids: Some(FORMAT_IDS.to_vec()),
            release: Some(PartnerLockerRelease {
                id: Some(s.release_id.clone()),
                title: release_title(&s.release_id),
            }),
            track: s.track_id.as_ref().map(|t| PartnerLockerTrack {
                id: Some(t.clone()),
                title: track_title(t),
            }),
        })
        .collect();
    Ok(PartnerLockerResponse {
        status: "ok".into(),
        page,
        page_size,
        total_items: Some(total),
        items: Some(items),
    })
}

/// Takes the sale of `purchase_id` (`item` is `releaseId` or `trackId`, `wanted` its value) out
/// of the report.
fn refund(store: &Store, purchase_id: &str, item: &str, wanted: &str) -> ApiResult<StatusResponse> {
    let purchase_id = number("purchaseId", purchase_id)?;
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
    Ok(ok())
}

pub(super) fn refund_release(store: &Store, i: RefundReleaseInput) -> ApiResult<StatusResponse> {
    refund(store, &i.purchase_id, "releaseId", &i.release_id)
}

pub(super) fn refund_track(store: &Store, i: RefundTrackInput) -> ApiResult<StatusResponse> {
    refund(store, &i.purchase_id, "trackId", &i.track_id)
}

fn no_licence() -> ServerError {
    ServerError::new(
        404,
        codes::NO_LICENCE,
        "No license found for the download request",
    )
}

fn format_id(id: i64) -> Result<i64, ServerError> {
    if !FORMAT_IDS.contains(&id) {
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

pub(super) fn download_purchase(
    store: &Store,
    i: DownloadPurchaseZipInput,
    context: &RequestContext,
) -> ApiResult<Response> {
    let id = number("purchaseId", &i.purchase_id)?;
    owns(&store.state(), &i.user_id, |s| s.purchase_id == id)?;
    let item = i.purchase_id;
    Ok(file(
        store,
        &context.headers,
        &format!("purchase-{item}"),
        "application/zip",
        &format!("purchase-{item}.zip"),
    ))
}

pub(super) fn download_release(
    store: &Store,
    i: DownloadPurchasedReleaseZipInput,
    context: &RequestContext,
) -> ApiResult<Response> {
    // The licence first (404 for an item not bought), then the format it is wanted in.
    let item = i.release_id;
    owns(&store.state(), &i.user_id, |s| {
        s.release_id == item && s.track_id.is_none()
    })?;
    let format = format_id(i.format_id)?;
    Ok(file(
        store,
        &context.headers,
        &format!("release-{item}-{format}"),
        "application/zip",
        &format!("release-{item}.zip"),
    ))
}

pub(super) fn download_track(
    store: &Store,
    i: DownloadPurchasedTrackInput,
    context: &RequestContext,
) -> ApiResult<Response> {
    // The licence first (404 for an item not bought), then the format it is wanted in.
    let item = i.track_id;
    owns(&store.state(), &i.user_id, |s| {
        s.release_id == i.release_id
            && (s.track_id.is_none() || s.track_id.as_deref() == Some(item.as_str()))
    })?;
    let format = format_id(i.format_id)?;
    Ok(file(
        store,
        &context.headers,
        &format!("track-{item}-{format}"),
        "audio/mpeg",
        &format!("track-{item}.mp3"),
    ))
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
        return ServerError::new(401, 7002, super::auth::oauth_message("Missing oauth_token"))
            .into_response();
    };
    let mut state = store.state();
    if state.tokens.remove(&request_token).is_none() {
        return ServerError::new(
            401,
            7002,
            super::auth::oauth_message("Unknown or already exchanged request token"),
        )
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
