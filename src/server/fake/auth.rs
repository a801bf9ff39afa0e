//! Optional OAuth checks: the consumer key, HMAC-SHA1 signatures at each call's level,
//! replayed nonces and expired pre-signed URLs, answered with 401 and a 7digital code:
//! 7001 unknown consumer key, 7002 unknown or missing user token, 7003 invalid signature,
//! 7004 nonce already used, 7005 pre-signed URL expired, 7006 `oauth_timestamp` out of the
//! window set with [`FakeBuilder::timestamp_window`](super::FakeBuilder::timestamp_window).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::store::Store;
use crate::catalogue::{AuthLevel, OPERATIONS, Operation};
use crate::client::EXPIRES_PARAM;
use crate::error::codes;
use crate::oauth::{Secret, parse_authorization_header, verify};
use crate::server::{RequestContext, ServerError};

/// Every `oauth_*` parameter of a request, from its query and its `Authorization` header.
pub fn oauth_params(context: &RequestContext) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = context
        .query
        .iter()
        .filter(|(k, _)| k.starts_with("oauth_"))
        .cloned()
        .collect();
    if let Some(header) = context.header("authorization")
        && let Some(pairs) = parse_authorization_header(header)
    {
        params.extend(pairs.into_iter().filter(|(k, _)| k.starts_with("oauth_")));
    }
    params
}

/// The user access token a request carries, if any.
pub fn user_token(context: &RequestContext) -> Option<String> {
    oauth_params(context)
        .into_iter()
        .find(|(k, _)| k == "oauth_token")
        .map(|(_, v)| v)
}

fn template_matches(template: &str, path: &str) -> bool {
    let (mut want, mut got) = (template.split('/'), path.split('/'));
    loop {
        match (want.next(), got.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) if w.starts_with('{') || w == g => {}
            _ => return false,
        }
    }
}

/// The level a request must be signed at: that of the operation it is for (chosen as the route
/// stubs choose it when operations share a path); the token flow is in no document.
pub fn level_of(context: &RequestContext) -> AuthLevel {
    let path = context.uri.path();
    if path == "/oauth/requesttoken" {
        return AuthLevel::TwoLegged;
    }
    if path == "/oauth/accesstoken" {
        return AuthLevel::ThreeLegged;
    }
    let candidates: Vec<&Operation> = OPERATIONS
        .iter()
        .copied()
        .filter(|op| {
            op.method.as_str() == context.method.as_str() && template_matches(op.path, path)
        })
        .collect();
    match candidates.as_slice() {
        [] => AuthLevel::ConsumerKey,
        [op] => op.auth_level(),
        many => many[crate::server::choose(many, context)].auth_level(),
    }
}

/// Checks a request's credentials.
///
/// # Errors
///
/// The message of an OAuth refusal, worded as 7digital's OAuth layer words it
/// ("OAuth authentication error: Not authorised - no user credentials provided", capture e09).
pub fn oauth_message(what: &str) -> String {
    format!("OAuth authentication error: {what}")
}

/// 401 with the code of the first problem found.
pub fn authorize(store: &Store, context: &RequestContext) -> Result<(), ServerError> {
    let params = oauth_params(context);
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if get("oauth_consumer_key") != Some(store.consumer_key.as_str()) {
        return Err(ServerError::new(
            401,
            codes::UNKNOWN_CONSUMER,
            oauth_message("Unknown or missing oauth_consumer_key"),
        ));
    }
    if let Some(expires) = context.query_value(EXPIRES_PARAM)
        && expires.parse::<u64>().is_ok_and(|at| at < store.now())
    {
        return Err(ServerError::new(
            401,
            codes::URL_EXPIRED,
            oauth_message("This signed URL has expired"),
        ));
    }
    let level = level_of(context);
    if level < AuthLevel::TwoLegged {
        return Ok(());
    }
    if let Some(window) = store.timestamp_window {
        let stamp = get("oauth_timestamp").and_then(|t| t.trim().parse::<u64>().ok());
        if stamp.is_none_or(|t| t.abs_diff(store.now()) > window) {
            return Err(ServerError::new(
                401,
                codes::TIMESTAMP_REFUSED,
                oauth_message("Timestamp is too far from the server's time (see the Date header)"),
            ));
        }
    }
    let token_secret = match level {
        AuthLevel::ThreeLegged => {
            let token = get("oauth_token").ok_or_else(|| {
                ServerError::new(
                    401,
                    codes::UNKNOWN_TOKEN,
                    oauth_message("Not authorised - no user credentials provided"),
                )
            })?;
            let state = store.state();
            let (secret, _) = state.tokens.get(token).ok_or_else(|| {
                ServerError::new(
                    401,
                    codes::UNKNOWN_TOKEN,
                    oauth_message("Unknown oauth_token"),
                )
            })?;
            Some(Secret::new(secret.clone()))
        }
        _ => None,
    };
    let url = url::Url::parse(&context.url())
        .map_err(|_| ServerError::new(400, codes::INVALID_PARAMETER, "Invalid request URL"))?;
    let form = context.is_form().then(|| context.form());
    let consumer_secret = Secret::new(store.consumer_secret.clone());
    if !verify(
        context.method.as_str(),
        &url,
        form.as_deref(),
        &params,
        &consumer_secret,
        token_secret.as_ref(),
    ) {
        return Err(ServerError::new(
            401,
            codes::INVALID_SIGNATURE,
            oauth_message("Invalid signature"),
        ));
    }
    let (timestamp, nonce) = (
        get("oauth_timestamp").unwrap_or(""),
        get("oauth_nonce").unwrap_or(""),
    );
    if !store.fresh_nonce(timestamp, nonce) {
        return Err(ServerError::new(
            401,
            codes::NONCE_USED,
            oauth_message("Nonce already used"),
        ));
    }
    Ok(())
}

/// Middleware applying [`authorize`] when the fake checks signatures.
pub async fn layer(State(store): State<Arc<Store>>, request: Request, next: Next) -> Response {
    if !store.verify_signatures {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match crate::server::read_body(&parts, body).await {
        Ok(bytes) => bytes,
        Err(error) => return error.into_response(),
    };
    let context = RequestContext::new(
        parts.method.clone(),
        parts.uri.clone(),
        parts.headers.clone(),
        Vec::new(),
        bytes.clone(),
    );
    if let Err(error) = authorize(&store, &context) {
        return error.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
