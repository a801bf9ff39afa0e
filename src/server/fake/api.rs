//! The fake's implementation of every operation of the spec, answering in the shapes 7digital
//! sends (the spec as corrected by `spec/7digital-overlay.yml`).
//!
//! Each answer starts from the operation's example (taken from captured 7digital answers), so it
//! carries `status`, `version` and its wrapper like the live API's. Releases, tracks and artists
//! come from the fake's [`Catalogue`](super::Catalogue): any well-formed id resolves, and calls
//! agree with each other (see [`super::catalogue`]). Baskets, purchases, lockers, users, tokens,
//! cards and subscriptions are kept in the store; a purchase adds to the buyer's locker.

use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::auth::user_token;
use super::store::Owned;
use super::{Catalogue, Fake};
use crate::catalogue::{self, Operation};
use crate::error::codes;
use crate::models::*;
use crate::server::*;

type ApiResult<T> = Result<T, ServerError>;

/// The example answer of `operation` as JSON (`{"status":"ok"}` when it has none).
fn example(operation: &Operation) -> Value {
    operation
        .response_example
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_else(|| json!({"status": "ok", "version": "1.2"}))
}

/// `value` as the typed answer of `operation`; a value that does not fit is the fake's own bug,
/// answered with 500 and a message saying so.
fn typed<T: DeserializeOwned>(operation: &Operation, value: Value) -> ApiResult<T> {
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
fn wrapped<T: DeserializeOwned>(
    operation: &Operation,
    wrapper: &str,
    value: Value,
) -> ApiResult<T> {
    let mut answer = example(operation);
    answer[wrapper] = value;
    typed(operation, answer)
}

/// An entity's id as text, whether the example gives it as a number or a string.
pub(super) fn id_text(entity: &Value) -> String {
    match &entity["id"] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn text(entity: &Value, key: &str) -> String {
    entity[key].as_str().unwrap_or_default().to_string()
}

/// Whether every word of `query` is in one of `fields` (case ignored); an empty query finds
/// nothing.
fn matches(query: &str, fields: &[String]) -> bool {
    let fields: Vec<String> = fields.iter().map(|f| f.to_lowercase()).collect();
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    !words.is_empty() && words.iter().all(|w| fields.iter().any(|f| f.contains(w)))
}

/// The node at `path` (keys separated by `/`), created as needed.
fn at<'v>(value: &'v mut Value, path: &str) -> &'v mut Value {
    path.split('/')
        .filter(|key| !key.is_empty())
        .fold(value, |node, key| &mut node[key])
}

/// The example answer of `operation` whose paged list (at `wrapper`, a `/`-separated path;
/// items under `item`) holds the requested page of `items`.
fn paged<T: DeserializeOwned>(
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
fn entry(operation: &Operation, wrapper: &str, item: &str, field: &str, entity: Value) -> Value {
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
fn listed<T: DeserializeOwned>(
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
fn search<T: DeserializeOwned>(
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
fn price(amount: f64, currency: &str) -> Value {
    json!({
        "currencyCode": currency,
        "sevendigitalPrice": amount,
        "recommendedRetailPrice": amount,
        "value": amount,
        "formattedPrice": format!("{amount:.2} {currency}"),
    })
}

/// The release's (or track's) standard price and currency.
fn listed_price(entity: &Value) -> (f64, String) {
    let price = &entity["price"];
    let amount = price["sevendigitalPrice"]
        .as_f64()
        .or_else(|| price["value"].as_f64())
        .unwrap_or(0.99);
    let currency = price["currencyCode"].as_str().unwrap_or("GBP").to_string();
    (amount, currency)
}

fn today(fake: &Fake) -> String {
    super::calendar::rfc3339(fake.store.now())
}

impl Fake {
    /// The id of the captured release (the example of `getReleaseDetails`), used when a call
    /// leaves the release out.
    fn default_release_id(&self) -> String {
        id_text(&example(&catalogue::GET_RELEASE_DETAILS)["release"])
    }

    /// The id of the captured track (the example of `getTrackDetails`).
    fn default_track_id(&self) -> String {
        id_text(&example(&catalogue::GET_TRACK_DETAILS)["track"])
    }

    /// The id of the captured artist (the example of `getArtistDetails`).
    fn default_artist_id(&self) -> String {
        id_text(&example(&catalogue::GET_ARTIST_DETAILS)["artist"])
    }

    fn user(&self, context: &RequestContext) -> ApiResult<String> {
        let token = user_token(context).ok_or_else(|| {
            ServerError::new(
                401,
                7002,
                super::auth::oauth_message("Not authorised - no user credentials provided"),
            )
        })?;
        Ok(self.store.state().user_for_token(&token))
    }

    fn basket(&self, id: &str) -> ApiResult<Basket> {
        self.store
            .state()
            .baskets
            .get(id)
            .cloned()
            .ok_or_else(|| ServerError::not_found(format!("Basket {id}")))
    }

    fn basket_answer(&self, operation: &Operation, basket: Basket) -> ApiResult<BasketResponse> {
        let value = serde_json::to_value(&basket).unwrap_or_default();
        wrapped(operation, "basket", value)
    }

    fn update_basket(
        &self,
        operation: &Operation,
        id: &str,
        change: impl FnOnce(&mut Vec<BasketItem>) -> ApiResult<()>,
    ) -> ApiResult<BasketResponse> {
        let basket = {
            let mut state = self.store.state();
            let basket = state
                .baskets
                .get_mut(id)
                .ok_or_else(|| ServerError::not_found(format!("Basket {id}")))?;
            change(basket.basket_items.get_or_insert_default())?;
            totals(basket);
            basket.clone()
        };
        self.basket_answer(operation, basket)
    }

    /// A basket item for a release or track of the catalogue, at its listed price or at
    /// `price` (a partner price in minor units).
    fn item(
        &self,
        release_id: Option<&str>,
        track_id: Option<&str>,
        price_minor: Option<f64>,
    ) -> ApiResult<BasketItem> {
        let (entity, kind) = match (release_id, track_id) {
            (_, Some(track_id)) => (self.catalogue.track(track_id)?, "track"),
            (Some(release_id), None) => (self.catalogue.release(release_id)?, "release"),
            (None, None) => return Err(ServerError::missing_parameter("releaseId")),
        };
        let (mut amount, currency) = listed_price(&entity);
        if let Some(minor) = price_minor {
            amount = minor / 100.0;
        }
        let id = self.store.state().next_number();
        let release = if kind == "track" {
            entity["release"].clone()
        } else {
            entity.clone()
        };
        let value = json!({
            "id": id,
            "type": kind,
            "itemName": text(&entity, "title"),
            "artistName": text(&entity["artist"], "name"),
            "releaseId": release["id"],
            "trackId": if kind == "track" { entity["id"].clone() } else { Value::Null },
            "price": price(amount, &currency),
        });
        serde_json::from_value(value)
            .map_err(|e| ServerError::new(500, codes::UNEXPECTED, format!("basket item: {e}")))
    }

    /// Records a purchase of `items` by `user`, adding them to their locker; the answer lists
    /// what was bought.
    fn purchase(
        &self,
        operation: &Operation,
        user: &str,
        items: &[BasketItem],
    ) -> ApiResult<PurchaseResponse> {
        if items.is_empty() {
            return Err(ServerError::new(
                400,
                codes::MISSING_PARAMETER,
                "Nothing to purchase",
            ));
        }
        let date = today(self);
        let (id, owned) = {
            let mut state = self.store.state();
            let id = state.next_number() as i64;
            let owned: Vec<Owned> = items
                .iter()
                .map(|item| Owned {
                    purchase_id: id,
                    release_id: item.release_id,
                    track_id: item.track_id,
                    date: date.clone(),
                })
                .collect();
            state
                .purchases
                .entry(user.to_string())
                .or_default()
                .extend(owned.iter().cloned());
            (id, owned)
        };
        let releases = locker_releases(&self.catalogue, &owned);
        let total = releases.len() as i64;
        let value = json!({
            "id": id,
            "purchaseDate": date,
            "lockerReleases": {"page": 1, "pageSize": total.max(1), "totalItems": total, "lockerRelease": releases},
        });
        wrapped(operation, "purchase", value)
    }

    fn new_user(&self, email: &str, password: Option<String>) -> ApiResult<User> {
        check_email(email)?;
        let mut state = self.store.state();
        if state
            .users
            .values()
            .any(|u| u.email_address.as_deref() == Some(email))
        {
            return Err(ServerError::new(
                409,
                codes::USER_ALREADY_EXISTS,
                format!("User {email} already exists"),
            ));
        }
        let n = state.next_number();
        let id = 500_000 + n as i64;
        let user = User {
            id: Some(id),
            type_: Some("7digital".into()),
            email_address: Some(email.to_string()),
        };
        let (token, secret) = (format!("tok-{n}"), format!("sec-{n}"));
        state.tokens.insert(token, (secret, id.to_string()));
        if let Some(password) = password {
            state.passwords.insert(id.to_string(), password);
        }
        state.users.insert(id.to_string(), user.clone());
        Ok(user)
    }

    fn find_user(&self, id: &str) -> ApiResult<User> {
        self.store
            .state()
            .users
            .get(id.trim())
            .cloned()
            .ok_or_else(|| ServerError::not_found(format!("User {id}")))
    }

    fn user_answer(&self, operation: &Operation, user: &User) -> ApiResult<UserResponse> {
        wrapped(
            operation,
            "user",
            serde_json::to_value(user).unwrap_or_default(),
        )
    }

    fn cards_of(&self, user: &str) -> Vec<PaymentCard> {
        self.store
            .state()
            .cards
            .get(user)
            .cloned()
            .unwrap_or_default()
    }
}

/// An email address the document's `format: email` allows: one `@` between a non-empty local
/// part and a dotted domain, without spaces or control characters; else 1002 naming `email`.
fn check_email(email: &str) -> ApiResult<()> {
    let plausible = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if plausible {
        Ok(())
    } else {
        Err(ServerError::invalid_parameter(
            "email",
            format!("`{email}` is not an email address"),
        ))
    }
}

/// Whether a card number's check digit is right (the Luhn sum).
fn luhn(number: &str) -> bool {
    let sum: u32 = number
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let d = d * 2;
                if d > 9 { d - 9 } else { d }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Recomputes a basket's item count and totals.
fn totals(basket: &mut Basket) {
    let items = basket.basket_items.as_deref().unwrap_or_default();
    let currency = items
        .iter()
        .find_map(|i| i.price.as_ref()?.currency_code.clone())
        .unwrap_or_else(|| "GBP".into());
    let sum = items
        .iter()
        .filter_map(|i| i.price.as_ref()?.sevendigital_price)
        .sum::<f64>();
    // `+ 0.0`: the sum of no prices is -0.0, which would show as "-0.00".
    let sum = (sum * 100.0).round() / 100.0 + 0.0;
    basket.item_count = Some(items.len() as i64);
    basket.price = serde_json::from_value(price(sum, &currency)).ok();
    basket.amount_due = Some(AmountDue {
        currency: Some(Currency {
            code: Some(currency.clone()),
            ..Currency::default()
        }),
        amount: Some(sum),
        formatted_amount: Some(format!("{sum:.2} {currency}")),
    });
}

/// Locker entries (one per release, with the tracks bought: the one track, or all of a
/// release bought whole) for `owned` items, as the catalogue describes them.
fn locker_releases(catalogue: &Catalogue, owned: &[Owned]) -> Vec<Value> {
    let mut entries: Vec<Value> = Vec::new();
    for item in owned {
        let release_id = item.release_id.map(|id| id.to_string()).unwrap_or_default();
        let tracks: Vec<Value> = match item.track_id {
            Some(t) => catalogue.track(&t.to_string()).into_iter().collect(),
            None => catalogue.release_tracks(&release_id).unwrap_or_default(),
        };
        let release = match catalogue.release(&release_id) {
            Ok(release) => release,
            Err(_) => match tracks.first() {
                Some(track) => track["release"].clone(),
                None => continue,
            },
        };
        let tracks: Vec<Value> = tracks
            .into_iter()
            .map(|track| {
                let url = format!(
                    "https://stream.svc.7digital.net/media/user/downloadtrack?trackid={}&formatid=17",
                    id_text(&track)
                );
                json!({
                    "track": track,
                    "purchaseId": item.purchase_id,
                    "purchaseDate": item.date,
                    "remainingDownloads": 5,
                    "completeAlbumPurchase": item.track_id.is_none(),
                    "downloadUrls": {"downloadUrl": [{
                        "url": url,
                        "format": {"id": 17, "fileFormat": "MP3", "bitRate": 320, "drmFree": true},
                    }]},
                })
            })
            .collect();
        entries.push(json!({
            "release": release,
            "available": true,
            "lockerTracks": {"lockerTrack": tracks},
        }));
    }
    entries
}

impl Api for Fake {
    async fn get_releases_by_date(
        &self,
        i: GetReleasesByDateInput,
        _: RequestContext,
    ) -> ApiResult<ReleaseListResponse> {
        let op = &catalogue::GET_RELEASES_BY_DATE;
        paged(
            op,
            "releases",
            "release",
            self.catalogue.pool_releases(),
            i.page,
            i.page_size,
        )
    }

    async fn get_release_details(
        &self,
        i: GetReleaseDetailsInput,
        _: RequestContext,
    ) -> ApiResult<ReleaseDetailsResponse> {
        let op = &catalogue::GET_RELEASE_DETAILS;
        wrapped(op, "release", self.catalogue.release(&i.release_id)?)
    }

    async fn get_release_editorial(
        &self,
        i: GetReleaseEditorialInput,
        _: RequestContext,
    ) -> ApiResult<EditorialResponse> {
        self.catalogue.release(&i.release_id)?;
        typed(
            &catalogue::GET_RELEASE_EDITORIAL,
            example(&catalogue::GET_RELEASE_EDITORIAL),
        )
    }

    async fn get_release_chart(
        &self,
        i: GetReleaseChartInput,
        _: RequestContext,
    ) -> ApiResult<ChartResponse> {
        listed(
            &catalogue::GET_RELEASE_CHART,
            ("chart", "chartItem", "release"),
            self.catalogue.some_releases(0, 20),
            i.page,
            i.page_size,
        )
    }

    async fn get_release_recommendations(
        &self,
        i: GetReleaseRecommendationsInput,
        _: RequestContext,
    ) -> ApiResult<RecommendationsResponse> {
        let release = self.catalogue.release(&i.release_id)?;
        let seed = id_text(&release).parse().unwrap_or_default();
        listed(
            &catalogue::GET_RELEASE_RECOMMENDATIONS,
            ("recommendations", "recommendedItem", "release"),
            self.catalogue.some_releases(seed, 5),
            i.page,
            i.page_size,
        )
    }

    async fn search_releases(
        &self,
        i: SearchReleasesInput,
        _: RequestContext,
    ) -> ApiResult<SearchResponse> {
        search(
            &catalogue::SEARCH_RELEASES,
            "release",
            self.catalogue.pool_releases(),
            (&i.q, i.page, i.page_size),
        )
    }

    async fn get_release_tracks(
        &self,
        i: GetReleaseTracksInput,
        _: RequestContext,
    ) -> ApiResult<TrackListResponse> {
        let tracks = self.catalogue.release_tracks(&i.release_id)?;
        let size = (tracks.len() as i64).max(1);
        paged(
            &catalogue::GET_RELEASE_TRACKS,
            "tracks",
            "track",
            tracks,
            None,
            Some(size),
        )
    }

    async fn get_release_tags(
        &self,
        i: GetReleaseTagsInput,
        _: RequestContext,
    ) -> ApiResult<TagListResponse> {
        self.catalogue.release(&i.release_id)?;
        typed(
            &catalogue::GET_RELEASE_TAGS,
            example(&catalogue::GET_RELEASE_TAGS),
        )
    }

    async fn match_release_by_id(
        &self,
        i: MatchReleaseByIdInput,
        _: RequestContext,
    ) -> ApiResult<ReleaseDetailsResponse> {
        // A 7digital id, or the captured release's barcode.
        let release = match self.catalogue.release(&i.id) {
            Ok(release) => release,
            Err(error) => {
                let captured = self.catalogue.release(&self.default_release_id())?;
                if text(&captured, "barcode") != i.id.trim() {
                    return Err(error);
                }
                captured
            }
        };
        wrapped(&catalogue::MATCH_RELEASE_BY_ID, "release", release)
    }

    async fn get_new_releases_by_tags(
        &self,
        i: GetNewReleasesByTagsInput,
        _: RequestContext,
    ) -> ApiResult<TaggedResultsResponse> {
        listed(
            &catalogue::GET_NEW_RELEASES_BY_TAGS,
            ("taggedResults", "taggedItem", "release"),
            self.catalogue.some_releases(1, 20),
            i.page,
            i.page_size,
        )
    }

    async fn get_top_releases_by_tags(
        &self,
        i: GetTopReleasesByTagsInput,
        _: RequestContext,
    ) -> ApiResult<TaggedResultsResponse> {
        listed(
            &catalogue::GET_TOP_RELEASES_BY_TAGS,
            ("taggedResults", "taggedItem", "release"),
            self.catalogue.some_releases(1, 20),
            i.page,
            i.page_size,
        )
    }

    async fn browse_artists(
        &self,
        i: BrowseArtistsInput,
        _: RequestContext,
    ) -> ApiResult<ArtistListResponse> {
        let letter = i.letter.to_lowercase();
        let items: Vec<Value> = self
            .catalogue
            .pool_artists()
            .into_iter()
            .filter(|artist| {
                let names = [text(artist, "sortName"), text(artist, "name")];
                names
                    .iter()
                    .any(|n| !n.is_empty() && n.to_lowercase().starts_with(&letter))
            })
            .collect();
        paged(
            &catalogue::BROWSE_ARTISTS,
            "artists",
            "artist",
            items,
            i.page,
            i.page_size,
        )
    }

    async fn get_artist_chart(
        &self,
        i: GetArtistChartInput,
        _: RequestContext,
    ) -> ApiResult<ChartResponse> {
        listed(
            &catalogue::GET_ARTIST_CHART,
            ("chart", "chartItem", "artist"),
            self.catalogue.some_artists(0, 20),
            i.page,
            i.page_size,
        )
    }

    async fn get_artist_details(
        &self,
        i: GetArtistDetailsInput,
        _: RequestContext,
    ) -> ApiResult<ArtistDetailsResponse> {
        wrapped(
            &catalogue::GET_ARTIST_DETAILS,
            "artist",
            self.catalogue.artist(&i.artist_id)?,
        )
    }

    async fn get_artist_releases(
        &self,
        i: GetArtistReleasesInput,
        _: RequestContext,
    ) -> ApiResult<ReleaseListResponse> {
        let items: Vec<Value> = self
            .catalogue
            .artist_releases(&i.artist_id)?
            .into_iter()
            .filter(|release| {
                i.type_
                    .as_ref()
                    .is_none_or(|t| text(release, "type").eq_ignore_ascii_case(t.as_str()))
            })
            .collect();
        paged(
            &catalogue::GET_ARTIST_RELEASES,
            "releases",
            "release",
            items,
            i.page,
            i.page_size,
        )
    }

    async fn get_similar_artists(
        &self,
        i: GetSimilarArtistsInput,
        _: RequestContext,
    ) -> ApiResult<ArtistListResponse> {
        let artist = self.catalogue.artist(&i.artist_id)?;
        let seed = id_text(&artist).parse().unwrap_or_default();
        paged(
            &catalogue::GET_SIMILAR_ARTISTS,
            "artists",
            "artist",
            self.catalogue.some_artists(seed, 5),
            i.page,
            i.page_size,
        )
    }

    async fn search_artists(
        &self,
        i: SearchArtistsInput,
        _: RequestContext,
    ) -> ApiResult<SearchResponse> {
        search(
            &catalogue::SEARCH_ARTISTS,
            "artist",
            self.catalogue.pool_artists(),
            (&i.q, i.page, i.page_size),
        )
    }

    async fn get_artist_top_tracks(
        &self,
        i: GetArtistTopTracksInput,
        _: RequestContext,
    ) -> ApiResult<TrackListResponse> {
        let releases = self.catalogue.artist_releases(&i.artist_id)?;
        let tracks: Vec<Value> = releases
            .iter()
            .filter_map(|r| self.catalogue.release_tracks(&id_text(r)).ok())
            .flatten()
            .take(20)
            .collect();
        paged(
            &catalogue::GET_ARTIST_TOP_TRACKS,
            "tracks",
            "track",
            tracks,
            i.page,
            i.page_size,
        )
    }

    async fn get_artist_tags(
        &self,
        i: GetArtistTagsInput,
        _: RequestContext,
    ) -> ApiResult<TagListResponse> {
        self.catalogue.artist(&i.artist_id)?;
        typed(
            &catalogue::GET_ARTIST_TAGS,
            example(&catalogue::GET_ARTIST_TAGS),
        )
    }

    async fn match_artist_by_id(
        &self,
        i: MatchArtistByIdInput,
        _: RequestContext,
    ) -> ApiResult<ArtistDetailsResponse> {
        // A 7digital id resolves as in details; a partner's own id matches the captured artist.
        let artist = match self.catalogue.artist(&i.id) {
            Ok(artist) => artist,
            Err(_) => self.catalogue.artist(&self.default_artist_id())?,
        };
        wrapped(&catalogue::MATCH_ARTIST_BY_ID, "artist", artist)
    }

    async fn get_top_artists_by_tags(
        &self,
        i: GetTopArtistsByTagsInput,
        _: RequestContext,
    ) -> ApiResult<TaggedResultsResponse> {
        listed(
            &catalogue::GET_TOP_ARTISTS_BY_TAGS,
            ("taggedResults", "taggedItem", "artist"),
            self.catalogue.some_artists(1, 20),
            i.page,
            i.page_size,
        )
    }

    async fn get_track_chart(
        &self,
        i: GetTrackChartInput,
        _: RequestContext,
    ) -> ApiResult<ChartResponse> {
        listed(
            &catalogue::GET_TRACK_CHART,
            ("chart", "chartItem", "track"),
            self.catalogue.pool_tracks().into_iter().take(20).collect(),
            i.page,
            i.page_size,
        )
    }

    async fn get_track_details(
        &self,
        i: GetTrackDetailsInput,
        _: RequestContext,
    ) -> ApiResult<TrackDetailsResponse> {
        wrapped(
            &catalogue::GET_TRACK_DETAILS,
            "track",
            self.catalogue.track(&i.track_id)?,
        )
    }

    async fn search_tracks(
        &self,
        i: SearchTracksInput,
        _: RequestContext,
    ) -> ApiResult<SearchResponse> {
        search(
            &catalogue::SEARCH_TRACKS,
            "track",
            self.catalogue.pool_tracks(),
            (&i.q, i.page, i.page_size),
        )
    }

    async fn match_track_by_id(
        &self,
        i: MatchTrackByIdInput,
        _: RequestContext,
    ) -> ApiResult<TrackDetailsResponse> {
        // A 7digital id resolves as in details; a partner's own id matches the captured track.
        let track = match self.catalogue.track(&i.id) {
            Ok(track) => track,
            Err(_) => self.catalogue.track(&self.default_track_id())?,
        };
        wrapped(&catalogue::MATCH_TRACK_BY_ID, "track", track)
    }

    async fn get_all_tags(
        &self,
        _: GetAllTagsInput,
        _: RequestContext,
    ) -> ApiResult<TagListResponse> {
        typed(&catalogue::GET_ALL_TAGS, example(&catalogue::GET_ALL_TAGS))
    }

    async fn get_basket(&self, i: GetBasketInput, _: RequestContext) -> ApiResult<BasketResponse> {
        let basket = self.basket(&i.basket_id)?;
        self.basket_answer(&catalogue::GET_BASKET, basket)
    }

    async fn create_basket(
        &self,
        _: CreateBasketInput,
        _: RequestContext,
    ) -> ApiResult<BasketResponse> {
        let basket = {
            let mut state = self.store.state();
            let n = state.next_number();
            let id = format!("00000000-0000-4000-8000-{n:012x}");
            let mut basket = Basket {
                id: Some(id.clone()),
                basket_items: Some(vec![]),
                ..Basket::default()
            };
            totals(&mut basket);
            state.baskets.insert(id, basket.clone());
            basket
        };
        self.basket_answer(&catalogue::CREATE_BASKET, basket)
    }

    async fn add_basket_item(
        &self,
        i: AddBasketItemInput,
        _: RequestContext,
    ) -> ApiResult<BasketResponse> {
        let item = self.item(Some(&i.release_id), i.track_id.as_deref(), None)?;
        self.update_basket(&catalogue::ADD_BASKET_ITEM, &i.basket_id, |items| {
            items.push(item);
            Ok(())
        })
    }

    async fn remove_basket_item(
        &self,
        i: RemoveBasketItemInput,
        _: RequestContext,
    ) -> ApiResult<BasketResponse> {
        self.update_basket(&catalogue::REMOVE_BASKET_ITEM, &i.basket_id, |items| {
            let before = items.len();
            items.retain(|item| {
                item.id.map(|id| id.to_string()).as_deref() != Some(i.item_id.trim())
            });
            if items.len() == before {
                Err(ServerError::not_found(format!("Basket item {}", i.item_id)))
            } else {
                Ok(())
            }
        })
    }

    async fn apply_basket_voucher(
        &self,
        i: ApplyBasketVoucherInput,
        _: RequestContext,
    ) -> ApiResult<BasketResponse> {
        let voucher = example(&catalogue::GET_PAYMENT_VOUCHER_DETAILS);
        // The basket first (404 when there is none), then the voucher applied to it.
        self.update_basket(&catalogue::APPLY_BASKET_VOUCHER, &i.basket_id, |items| {
            if text(&voucher["voucher"], "code") != i.voucher_code {
                return Err(ServerError::new(
                    400,
                    codes::INVALID_VOUCHER,
                    format!(
                        "Value of parameter voucherCode is not valid: {}",
                        i.voucher_code
                    ),
                ));
            }
            for item in items.iter_mut() {
                item.discount = Some(Discount {
                    type_: Some("voucher".into()),
                });
            }
            Ok(())
        })
    }

    async fn add_priced_basket_item(
        &self,
        i: AddPricedBasketItemInput,
        _: RequestContext,
    ) -> ApiResult<BasketResponse> {
        let release_id = i.release_id.unwrap_or_else(|| self.default_release_id());
        let item = self.item(Some(&release_id), None, Some(i.price))?;
        self.update_basket(&catalogue::ADD_PRICED_BASKET_ITEM, &i.basket_id, |items| {
            items.push(item);
            Ok(())
        })
    }

    async fn get_basket_pay_pal_url(
        &self,
        i: GetBasketPayPalUrlInput,
        _: RequestContext,
    ) -> ApiResult<ExpressCheckoutResponse> {
        self.basket(&i.basket_id)?;
        let url = format!(
            "https://www.paypal.com/checkoutnow?token=EC-{}",
            i.basket_id
        );
        wrapped(
            &catalogue::GET_BASKET_PAY_PAL_URL,
            "expressCheckout",
            json!({ "url": url }),
        )
    }

    async fn complete_basket_pay_pal_purchase(
        &self,
        i: CompleteBasketPayPalPurchaseInput,
        c: RequestContext,
    ) -> ApiResult<PurchaseResponse> {
        let user = self.user(&c)?;
        let basket = self.basket(&i.basket_id)?;
        self.purchase(
            &catalogue::COMPLETE_BASKET_PAY_PAL_PURCHASE,
            &user,
            basket.basket_items.as_deref().unwrap_or_default(),
        )
    }

    async fn get_user_unlimited_streaming(
        &self,
        _: GetUserUnlimitedStreamingInput,
        c: RequestContext,
    ) -> ApiResult<UnlimitedStreamingResponse> {
        let user = self.user(&c)?;
        let found = self.store.state().subscriptions.get(&user).cloned();
        let status = found.unwrap_or(SubscriptionStatus {
            user_id: Some(user),
            status: Some(SubscriptionStatusStatus::Expired),
            ..Default::default()
        });
        wrapped(
            &catalogue::GET_USER_UNLIMITED_STREAMING,
            "unlimitedStreaming",
            serde_json::to_value(status).unwrap_or_default(),
        )
    }

    async fn update_user_unlimited_streaming(
        &self,
        i: UpdateUserUnlimitedStreamingInput,
        _: RequestContext,
    ) -> ApiResult<UnlimitedStreamingResponse> {
        let status = SubscriptionStatus {
            user_id: Some(i.user_id.clone()),
            status: Some(SubscriptionStatusStatus::from_wire(i.status.as_str())),
            start_date: Some(today(self)[..10].to_string()),
            end_date: None,
            product_id: Some("unlimited-streaming".into()),
        };
        self.store
            .state()
            .subscriptions
            .insert(i.user_id, status.clone());
        wrapped(
            &catalogue::UPDATE_USER_UNLIMITED_STREAMING,
            "unlimitedStreaming",
            serde_json::to_value(status).unwrap_or_default(),
        )
    }

    async fn get_user_locker(
        &self,
        i: GetUserLockerInput,
        c: RequestContext,
    ) -> ApiResult<LockerResponse> {
        let user = self.user(&c)?;
        let owned = self
            .store
            .state()
            .purchases
            .get(&user)
            .cloned()
            .unwrap_or_default();
        paged(
            &catalogue::GET_USER_LOCKER,
            "locker/lockerReleases",
            "lockerRelease",
            locker_releases(&self.catalogue, &owned),
            i.page,
            i.page_size,
        )
    }

    async fn purchase_user_item(
        &self,
        i: PurchaseUserItemInput,
        c: RequestContext,
    ) -> ApiResult<PurchaseResponse> {
        let user = self.user(&c)?;
        let item = self.item(Some(&i.release_id), i.track_id.as_deref(), None)?;
        self.purchase(&catalogue::PURCHASE_USER_ITEM, &user, &[item])
    }

    async fn purchase_user_rrp_item(
        &self,
        i: PurchaseUserRrpItemInput,
        c: RequestContext,
    ) -> ApiResult<PurchaseResponse> {
        let user = self.user(&c)?;
        let release_id = i.release_id.unwrap_or_else(|| self.default_release_id());
        let item = self.item(Some(&release_id), None, None)?;
        self.purchase(&catalogue::PURCHASE_USER_RRP_ITEM, &user, &[item])
    }

    async fn purchase_user_basket(
        &self,
        i: PurchaseUserBasketInput,
        c: RequestContext,
    ) -> ApiResult<PurchaseResponse> {
        let user = self.user(&c)?;
        let basket = self.basket(&i.basket_id)?;
        self.purchase(
            &catalogue::PURCHASE_USER_BASKET,
            &user,
            basket.basket_items.as_deref().unwrap_or_default(),
        )
    }

    async fn purchase_user_priced_item(
        &self,
        i: PurchaseUserPricedItemInput,
        c: RequestContext,
    ) -> ApiResult<PurchaseResponse> {
        let user = self.user(&c)?;
        let release_id = i.release_id.unwrap_or_else(|| self.default_release_id());
        let item = self.item(Some(&release_id), None, Some(i.price))?;
        self.purchase(&catalogue::PURCHASE_USER_PRICED_ITEM, &user, &[item])
    }

    async fn list_user_payment_cards(
        &self,
        _: ListUserPaymentCardsInput,
        c: RequestContext,
    ) -> ApiResult<PaymentCardsResponse> {
        let user = self.user(&c)?;
        let cards = self.cards_of(&user);
        let mut answer = example(&catalogue::LIST_USER_PAYMENT_CARDS);
        if let Some(fields) = answer.as_object_mut() {
            fields.remove("card");
        }
        answer["cards"] = serde_json::to_value(cards).unwrap_or_default();
        typed(&catalogue::LIST_USER_PAYMENT_CARDS, answer)
    }

    async fn select_user_payment_card(
        &self,
        i: SelectUserPaymentCardInput,
        c: RequestContext,
    ) -> ApiResult<StatusResponse> {
        let user = self.user(&c)?;
        {
            let mut state = self.store.state();
            let cards = state.cards.entry(user).or_default();
            let wanted = |card: &PaymentCard| {
                card.id.map(|id| id.to_string()).as_deref() == Some(i.card_id.trim())
            };
            if !cards.iter().any(wanted) {
                return Err(ServerError::not_found(format!("Card {}", i.card_id)));
            }
            for card in cards.iter_mut() {
                card.default = Some(wanted(card));
            }
        }
        typed(
            &catalogue::SELECT_USER_PAYMENT_CARD,
            example(&catalogue::SELECT_USER_PAYMENT_CARD),
        )
    }

    async fn delete_user_payment_card(
        &self,
        i: DeleteUserPaymentCardInput,
        c: RequestContext,
    ) -> ApiResult<StatusResponse> {
        let user = self.user(&c)?;
        {
            let mut state = self.store.state();
            let cards = state.cards.entry(user).or_default();
            let before = cards.len();
            cards.retain(|card| {
                card.id.map(|id| id.to_string()).as_deref() != Some(i.card_id.trim())
            });
            if cards.len() == before {
                return Err(ServerError::not_found(format!("Card {}", i.card_id)));
            }
        }
        typed(
            &catalogue::DELETE_USER_PAYMENT_CARD,
            example(&catalogue::DELETE_USER_PAYMENT_CARD),
        )
    }

    async fn register_user_payment_card(
        &self,
        i: RegisterUserPaymentCardInput,
        c: RequestContext,
    ) -> ApiResult<CardRegistrationResponse> {
        let user = self.user(&c)?;
        let number = i.body.card_number.replace(' ', "");
        if number.len() < 12 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ServerError::invalid_parameter(
                "cardNumber",
                "not a card number",
            ));
        }
        if !luhn(&number) {
            // What 7digital answers when a card cannot be added (capture e05).
            return Err(ServerError::new(
                400,
                codes::INVALID_PARAMETER,
                "Adding card failed",
            ));
        }
        let registration = {
            let mut state = self.store.state();
            let n = state.next_number();
            let card = PaymentCard {
                id: Some(n as i64),
                type_: Some(
                    if number.starts_with('4') {
                        "Visa"
                    } else {
                        "MasterCard"
                    }
                    .into(),
                ),
                last4digits: Some(number[number.len() - 4..].to_string()),
                card_holder_name: i.body.cardholder_name.clone(),
                expiry_date: Some(format!(
                    "{:02}/{:02}",
                    i.body.expiry_month,
                    i.body.expiry_year.rem_euclid(100)
                )),
                default: Some(false),
            };
            let registration = CardRegistration {
                id: Some(format!("cardreg-{n}")),
                status: Some("registered".into()),
                redirect_url: None,
                card: Some(card.clone()),
                error: None,
            };
            state.cards.entry(user).or_default().push(card);
            state
                .registrations
                .insert(format!("cardreg-{n}"), registration.clone());
            registration
        };
        wrapped(
            &catalogue::REGISTER_USER_PAYMENT_CARD,
            "cardRegistration",
            serde_json::to_value(registration).unwrap_or_default(),
        )
    }

    async fn get_user_card_registration(
        &self,
        i: GetUserCardRegistrationInput,
        c: RequestContext,
    ) -> ApiResult<CardRegistrationResponse> {
        self.user(&c)?;
        let found = self.store.state().registrations.get(&i.id).cloned();
        let registration =
            found.ok_or_else(|| ServerError::not_found(format!("Card registration {}", i.id)))?;
        wrapped(
            &catalogue::GET_USER_CARD_REGISTRATION,
            "cardRegistration",
            serde_json::to_value(registration).unwrap_or_default(),
        )
    }

    async fn deliver_user_item(
        &self,
        i: DeliverUserItemInput,
        c: RequestContext,
    ) -> ApiResult<PurchaseResponse> {
        let user = self.user(&c)?;
        let owned = self
            .store
            .state()
            .purchases
            .get(&user)
            .cloned()
            .unwrap_or_default();
        let wanted = |item: &&Owned| match (&i.track_id, &i.release_id) {
            (Some(t), _) => item.track_id.map(|id| id.to_string()).as_deref() == Some(t.trim()),
            (None, Some(r)) => {
                item.release_id.map(|id| id.to_string()).as_deref() == Some(r.trim())
            }
            (None, None) => false,
        };
        let delivered: Vec<Owned> = owned.iter().filter(wanted).cloned().collect();
        let Some(first) = delivered.first() else {
            return Err(ServerError::new(
                404,
                codes::NO_LICENCE,
                "No licence found for this item",
            ));
        };
        let releases = locker_releases(&self.catalogue, &delivered);
        let total = releases.len() as i64;
        let value = json!({
            "id": first.purchase_id,
            "purchaseDate": first.date,
            "lockerReleases": {"page": 1, "pageSize": total.max(1), "totalItems": total, "lockerRelease": releases},
        });
        wrapped(&catalogue::DELIVER_USER_ITEM, "purchase", value)
    }

    async fn signup_user(&self, i: SignupUserInput, _: RequestContext) -> ApiResult<UserResponse> {
        let b = i.body;
        let user = self.new_user(&b.email, Some(b.password))?;
        self.user_answer(&catalogue::SIGNUP_USER, &user)
    }

    async fn create_user(&self, i: CreateUserInput, _: RequestContext) -> ApiResult<UserResponse> {
        let user = self.new_user(&i.email, None)?;
        self.user_answer(&catalogue::CREATE_USER, &user)
    }

    async fn get_user_details(
        &self,
        i: GetUserDetailsInput,
        _: RequestContext,
    ) -> ApiResult<UserResponse> {
        // User ids are numbers: anything else is refused as 7digital refuses it (capture e03).
        if i.user_id.trim().is_empty() || !i.user_id.trim().bytes().all(|b| b.is_ascii_digit()) {
            return Err(ServerError::invalid_parameter("userId", &i.user_id));
        }
        let user = self.find_user(&i.user_id)?;
        self.user_answer(&catalogue::GET_USER_DETAILS, &user)
    }

    async fn authenticate_user(
        &self,
        i: AuthenticateUserInput,
        _: RequestContext,
    ) -> ApiResult<UserResponse> {
        let user = {
            let state = self.store.state();
            let user = state
                .users
                .values()
                .find(|u| u.email_address.as_deref() == Some(i.email.as_str()));
            let password_ok = |u: &&User| {
                u.id.and_then(|id| state.passwords.get(&id.to_string()))
                    .is_none_or(|p| *p == i.password)
            };
            user.filter(password_ok).cloned().ok_or_else(|| {
                ServerError::new(401, codes::AUTHENTICATION_FAILED, "Wrong email or password")
            })?
        };
        self.user_answer(&catalogue::AUTHENTICATE_USER, &user)
    }

    async fn find_users(&self, i: FindUsersInput, _: RequestContext) -> ApiResult<UsersResponse> {
        if let Some(email) = &i.email {
            check_email(email)?;
        }
        let users: Vec<User> = self
            .store
            .state()
            .users
            .values()
            .filter(|u| i.email.is_none() || u.email_address == i.email)
            .cloned()
            .collect();
        wrapped(
            &catalogue::FIND_USERS,
            "users",
            serde_json::to_value(users).unwrap_or_default(),
        )
    }

    async fn update_user(&self, i: UpdateUserInput, _: RequestContext) -> ApiResult<UserResponse> {
        let user = {
            let mut state = self.store.state();
            let user = state
                .users
                .get_mut(i.id.trim())
                .ok_or_else(|| ServerError::not_found(format!("User {}", i.id)))?;
            if let Some(email) = i.body.email {
                user.email_address = Some(email);
            }
            user.clone()
        };
        self.user_answer(&catalogue::UPDATE_USER, &user)
    }

    async fn get_countries(
        &self,
        _: GetCountriesInput,
        _: RequestContext,
    ) -> ApiResult<CountriesResponse> {
        typed(
            &catalogue::GET_COUNTRIES,
            example(&catalogue::GET_COUNTRIES),
        )
    }

    async fn get_translations(
        &self,
        _: GetTranslationsInput,
        _: RequestContext,
    ) -> ApiResult<TranslationsResponse> {
        typed(
            &catalogue::GET_TRANSLATIONS,
            example(&catalogue::GET_TRANSLATIONS),
        )
    }

    async fn resolve_country_for_ip(
        &self,
        i: ResolveCountryForIpInput,
        _: RequestContext,
    ) -> ApiResult<GeoIpLookupResponse> {
        if i.ip.parse::<std::net::Ipv4Addr>().is_err() {
            return Err(ServerError::invalid_parameter(
                "ip",
                format!("`{}` is not an IPv4 address", i.ip),
            ));
        }
        let op = &catalogue::RESOLVE_COUNTRY_FOR_IP;
        let mut answer = example(op);
        answer["GeoIpLookup"]["ipaddress"] = json!(i.ip);
        typed(op, answer)
    }

    async fn get_editorial_list(
        &self,
        _: GetEditorialListInput,
        _: RequestContext,
    ) -> ApiResult<EditorialListResponse> {
        typed(
            &catalogue::GET_EDITORIAL_LIST,
            example(&catalogue::GET_EDITORIAL_LIST),
        )
    }

    async fn get_artist_id_by_url(
        &self,
        i: GetArtistIdByUrlInput,
        _: RequestContext,
    ) -> ApiResult<ArtistDetailsResponse> {
        let artist = self.catalogue.artist(&self.default_artist_id())?;
        if text(&artist, "url") != i.url {
            return Err(ServerError::not_found(format!("Artist at {}", i.url)));
        }
        wrapped(&catalogue::GET_ARTIST_ID_BY_URL, "artist", artist)
    }

    async fn get_release_id_by_url(
        &self,
        i: GetReleaseIdByUrlInput,
        _: RequestContext,
    ) -> ApiResult<ReleaseDetailsResponse> {
        let release = self.catalogue.release(&self.default_release_id())?;
        if text(&release, "url") != i.url {
            return Err(ServerError::not_found(format!("Release at {}", i.url)));
        }
        wrapped(&catalogue::GET_RELEASE_ID_BY_URL, "release", release)
    }

    async fn get_payment_card_types(
        &self,
        _: GetPaymentCardTypesInput,
        _: RequestContext,
    ) -> ApiResult<CardTypesResponse> {
        typed(
            &catalogue::GET_PAYMENT_CARD_TYPES,
            example(&catalogue::GET_PAYMENT_CARD_TYPES),
        )
    }

    async fn get_payment_voucher_details(
        &self,
        i: GetPaymentVoucherDetailsInput,
        _: RequestContext,
    ) -> ApiResult<VoucherResponse> {
        let op = &catalogue::GET_PAYMENT_VOUCHER_DETAILS;
        let mut answer = example(op);
        if text(&answer["voucher"], "code") != i.voucher_code {
            return Err(ServerError::not_found(format!(
                "Voucher {}",
                i.voucher_code
            )));
        }
        answer["voucher"]["redeemed"] = json!(false);
        typed(op, answer)
    }
    // The download service (`spec/7digital-download-service.yml`), in `service.rs`.

    async fn create_partner_user(
        &self,
        i: CreatePartnerUserInput,
        _: RequestContext,
    ) -> ApiResult<PartnerUserResponse> {
        super::service::create_user(&self.store, i)
    }

    async fn log_sale(&self, i: LogSaleInput, _: RequestContext) -> ApiResult<LoggedSaleResponse> {
        super::service::log_sale(&self.store, i, &self.catalogue)
    }

    async fn get_partner_locker(
        &self,
        i: GetPartnerLockerInput,
        _: RequestContext,
    ) -> ApiResult<PartnerLockerResponse> {
        super::service::locker(&self.store, i, &self.catalogue)
    }

    async fn refund_release(
        &self,
        i: RefundReleaseInput,
        _: RequestContext,
    ) -> ApiResult<StatusResponse> {
        super::service::refund_release(&self.store, i)
    }

    async fn refund_track(
        &self,
        i: RefundTrackInput,
        _: RequestContext,
    ) -> ApiResult<StatusResponse> {
        super::service::refund_track(&self.store, i)
    }

    async fn download_purchase_zip(
        &self,
        i: DownloadPurchaseZipInput,
        c: RequestContext,
    ) -> ApiResult<axum::response::Response> {
        super::service::download_purchase(&self.store, i, &c)
    }

    async fn download_purchased_release_zip(
        &self,
        i: DownloadPurchasedReleaseZipInput,
        c: RequestContext,
    ) -> ApiResult<axum::response::Response> {
        super::service::download_release(&self.store, i, &c)
    }

    async fn download_purchased_track(
        &self,
        i: DownloadPurchasedTrackInput,
        c: RequestContext,
    ) -> ApiResult<axum::response::Response> {
        super::service::download_track(&self.store, i, &c)
    }
}
