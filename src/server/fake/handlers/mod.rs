//! The fake's implementation of every operation of the spec, answering in the shapes 7digital
//! sends (the spec as corrected by `spec/7digital-overlay.yml`).
//!
//! Each answer starts from the operation's example (taken from captured 7digital answers), so it
//! carries `status`, `version` and its wrapper like the live API's. Releases, tracks and artists
//! come from the fake's [`Catalogue`](crate::server::fake::Catalogue): any well-formed id resolves, and calls
//! agree with each other (see [`crate::server::fake::catalogue`]). Baskets, purchases, lockers, users, tokens,
//! cards and subscriptions are kept in the store; a purchase adds to the buyer's locker.

pub(crate) mod artists;
pub(crate) mod basket;
pub(crate) mod cards;
pub(crate) mod lookups;
pub(crate) mod partner;
pub(crate) mod releases;
pub(crate) mod tracks;
pub(crate) mod user;

pub(crate) use user::*;

use crate::catalogue::{self, Operation};
use crate::error::codes;
use crate::server::fake::Fake;
use crate::server::fake::auth::user_token;
use crate::server::*;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

pub(crate) type ApiResult<T> = Result<T, ServerError>;

/// The example answer of `operation` as JSON (`{"status":"ok"}` when it has none).
pub(crate) fn example(operation: &Operation) -> Value {
    crate::server::response_example(operation.id)
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_else(|| json!({"status": "ok", "version": "1.2"}))
}

/// `value` as the typed answer of `operation`; a value that does not fit is the fake's own bug,
/// answered with 500 and a message saying so.
pub(crate) fn typed<T: DeserializeOwned>(operation: &Operation, value: Value) -> ApiResult<T> {
    serde_json::from_value(value).map_err(|e| {
        ServerError::new(
            500,
            codes::UNEXPECTED,
            format!(
                "the fake's answer to {} does not fit its schema: {e}",
                operation.id
            ),
        )
    })
}

/// The example answer of `operation` with `wrapper` replaced by `value`.
pub(crate) fn wrapped<T: DeserializeOwned>(
    operation: &Operation,
    wrapper: &str,
    value: Value,
) -> ApiResult<T> {
    let mut answer = example(operation);
    answer[wrapper] = value;
    typed(operation, answer)
}

/// An entity's id as text, whether the example gives it as a number or a string.
pub(crate) fn id_text(entity: &Value) -> String {
    match &entity["id"] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub(crate) fn text(entity: &Value, key: &str) -> String {
    entity[key].as_str().unwrap_or_default().to_string()
}

/// Whether every word of `query` is in one of `fields` (case ignored); an empty query finds
/// nothing.
pub(crate) fn matches(query: &str, fields: &[String]) -> bool {
    let fields: Vec<String> = fields.iter().map(|f| f.to_lowercase()).collect();
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    !words.is_empty() && words.iter().all(|w| fields.iter().any(|f| f.contains(w)))
}

/// The node at `path` (keys separated by `/`), created as needed.
pub(crate) fn at<'v>(value: &'v mut Value, path: &str) -> &'v mut Value {
    path.split('/')
        .filter(|key| !key.is_empty())
        .fold(value, |node, key| &mut node[key])
}

/// The example answer of `operation` whose paged list (at `wrapper`, a `/`-separated path;
/// items under `item`) holds the requested page of `items`.
pub(crate) fn paged<T: DeserializeOwned>(
    operation: &Operation,
    wrapper: &str,
    item: &str,
    items: Vec<Value>,
    page: Option<i64>,
    page_size: Option<i64>,
) -> ApiResult<T> {
    let (page, size) = (page.unwrap_or(1).max(1), page_size.unwrap_or(10).max(1));
    let total = items.len() as i64;
    let start = ((page - 1).saturating_mul(size)).min(total) as usize;
    let shown: Vec<Value> = items.into_iter().skip(start).take(size as usize).collect();
    let mut answer = example(operation);
    let list = at(&mut answer, wrapper);
    if let Some(fields) = list.as_object_mut() {
        // Other spellings of the items the example may carry.
        fields.retain(|_, v| !v.is_array());
    }
    list["page"] = json!(page);
    list["pageSize"] = json!(size);
    list["totalItems"] = json!(total);
    list[item] = Value::Array(shown);
    typed(operation, answer)
}

/// One item of the example's list, with `field` set to `entity` (a search result, chart or
/// tagged item holding the catalogue's release, track or artist).
pub(crate) fn entry(
    operation: &Operation,
    wrapper: &str,
    item: &str,
    field: &str,
    entity: Value,
) -> Value {
    let example = example(operation);
    let mut template = match &example[wrapper][item] {
        Value::Array(items) => items.first().cloned().unwrap_or_else(|| json!({})),
        Value::Object(_) => example[wrapper][item].clone(),
        _ => json!({}),
    };
    if let Some(fields) = template.as_object_mut() {
        fields.retain(|k, _| !matches!(k.as_str(), "release" | "track" | "artist"));
        if fields.contains_key("type") {
            fields.insert("type".into(), json!(field));
        }
    }
    template[field] = entity;
    template
}

/// A page of `operation`'s list whose items hold `entities` under `field` (chart, tagged or
/// recommended items about the catalogue's releases, tracks or artists).
pub(crate) fn listed<T: DeserializeOwned>(
    operation: &Operation,
    (wrapper, item, field): (&str, &str, &str),
    entities: Vec<Value>,
    page: Option<i64>,
    page_size: Option<i64>,
) -> ApiResult<T> {
    let items = entities
        .into_iter()
        .enumerate()
        .map(|(n, entity)| {
            let mut entry = entry(operation, wrapper, item, field, entity);
            if entry.get("position").is_some() {
                entry["position"] = json!(n + 1);
            }
            entry
        })
        .collect();
    paged(operation, wrapper, item, items, page, page_size)
}

/// A search answer of `operation`: the items of the catalogue's pool (each a `kind`:
/// release, artist or track) whose title or artist name holds every word of `query`.
pub(crate) fn search<T: DeserializeOwned>(
    operation: &Operation,
    kind: &str,
    pool: Vec<Value>,
    (query, page, page_size): (&str, Option<i64>, Option<i64>),
) -> ApiResult<T> {
    let items: Vec<Value> = pool
        .into_iter()
        .filter(|entity| {
            let fields = [
                text(entity, "title"),
                text(entity, "name"),
                text(&entity["artist"], "name"),
            ];
            matches(query, &fields)
        })
        .map(|entity| entry(operation, "searchResults", "searchResult", kind, entity))
        .collect();
    paged(
        operation,
        "searchResults",
        "searchResult",
        items,
        page,
        page_size,
    )
}

/// A price in 7digital's shape.
pub(crate) fn price(amount: f64, currency: &str) -> Value {
    json!({
        "currencyCode": currency,
        "sevendigitalPrice": amount,
        "recommendedRetailPrice": amount,
        "value": amount,
        "formattedPrice": format!("{amount:.2} {currency}"),
    })
}

/// The release's (or track's) standard price and currency.
pub(crate) fn listed_price(entity: &Value) -> (f64, String) {
    let price = &entity["price"];
    let amount = price["sevendigitalPrice"]
        .as_f64()
        .or_else(|| price["value"].as_f64())
        .unwrap_or(0.99);
    let currency = price["currencyCode"].as_str().unwrap_or("GBP").to_string();
    (amount, currency)
}

pub(crate) fn today(fake: &Fake) -> String {
    crate::server::fake::calendar::rfc3339(fake.store.now())
}

impl Fake {
    /// The id of the captured release (the example of `getReleaseDetails`), used when a call
    /// leaves the release out.
    pub(crate) fn default_release_id(&self) -> String {
        id_text(&example(&catalogue::GET_RELEASE_DETAILS)["release"])
    }

    /// The id of the captured track (the example of `getTrackDetails`).
    pub(crate) fn default_track_id(&self) -> String {
        id_text(&example(&catalogue::GET_TRACK_DETAILS)["track"])
    }

    /// The id of the captured artist (the example of `getArtistDetails`).
    pub(crate) fn default_artist_id(&self) -> String {
        id_text(&example(&catalogue::GET_ARTIST_DETAILS)["artist"])
    }

    pub(crate) fn user(&self, context: &RequestContext) -> ApiResult<String> {
        let token = user_token(context).ok_or_else(|| {
            ServerError::new(
                401,
                7002,
                crate::server::fake::auth::oauth_message(
                    "Not authorised - no user credentials provided",
                ),
            )
        })?;
        Ok(self.store.state().user_for_token(&token))
    }
}
