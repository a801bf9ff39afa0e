//! The fake's implementation of every operation of the spec.
//!
//! Catalogue answers come from the spec's examples and agree with each other: the release,
//! track and artist found by a search resolve in their details calls, and other ids are
//! answered with 404 and code 2001. Baskets, purchases, lockers, users, tokens, cards and
//! subscriptions are kept in the store; a purchase adds to the buyer's locker.

use serde::de::DeserializeOwned;

use super::Fake;
use super::auth::user_token;
use crate::catalogue::{self, Operation};
use crate::models::*;
use crate::server::*;

type Answer<T> = Result<T, ServerError>;

/// The spec's example answer of `operation`, typed.
fn example<T: DeserializeOwned + Default>(operation: &Operation) -> T {
    operation
        .response_example
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default()
}

/// The catalogue's release (the spec's example), the one every release call is about.
pub(super) fn release() -> Release {
    example::<ReleaseDetailsResponse>(&catalogue::GET_RELEASE_DETAILS)
        .release
        .unwrap_or_default()
}

/// The catalogue's track (the spec's example).
pub(super) fn track() -> Track {
    example::<TrackDetailsResponse>(&catalogue::GET_TRACK_DETAILS)
        .track
        .unwrap_or_default()
}

fn artist() -> Artist {
    example::<ArtistDetailsResponse>(&catalogue::GET_ARTIST_DETAILS)
        .artist
        .unwrap_or_default()
}

fn ok() -> Option<String> {
    Some("ok".into())
}

fn page_of<T>(items: Vec<T>, page: Option<i64>, page_size: Option<i64>) -> (Vec<T>, i64, i64, i64) {
    let (page, size) = (page.unwrap_or(1).max(1), page_size.unwrap_or(20).max(1));
    let total = items.len() as i64;
    let start = ((page - 1) * size).min(total) as usize;
    let items = items.into_iter().skip(start).take(size as usize).collect();
    (items, page, size, total)
}

fn releases(items: Vec<Release>, page: Option<i64>, page_size: Option<i64>) -> ReleaseListResponse {
    let (releases, page, size, total) = page_of(items, page, page_size);
    ReleaseListResponse {
        status: ok(),
        page: Some(page),
        page_size: Some(size),
        total_items: Some(total),
        releases: Some(releases),
    }
}

fn tracks(items: Vec<Track>, page: Option<i64>, page_size: Option<i64>) -> TrackListResponse {
    let (tracks, page, size, total) = page_of(items, page, page_size);
    TrackListResponse {
        status: ok(),
        page: Some(page),
        page_size: Some(size),
        total_items: Some(total),
        tracks: Some(tracks),
    }
}

fn artists(items: Vec<Artist>, page: Option<i64>, page_size: Option<i64>) -> ArtistListResponse {
    let (artists, page, size, total) = page_of(items, page, page_size);
    ArtistListResponse {
        status: ok(),
        page: Some(page),
        page_size: Some(size),
        total_items: Some(total),
        artists: Some(artists),
    }
}

fn matches(query: &str, fields: &[Option<&String>]) -> bool {
    let query = query.to_lowercase();
    fields
        .iter()
        .flatten()
        .any(|f| f.to_lowercase().contains(&query))
}

fn find_release(id: &str) -> Answer<Release> {
    let release = release();
    if release.id.as_deref() == Some(id) {
        Ok(release)
    } else {
        Err(ServerError::not_found(format!("Release {id}")))
    }
}

fn find_track(id: &str) -> Answer<Track> {
    let track = track();
    if track.id.as_deref() == Some(id) {
        Ok(track)
    } else {
        Err(ServerError::not_found(format!("Track {id}")))
    }
}

fn find_artist(id: &str) -> Answer<Artist> {
    let artist = artist();
    if artist.id.as_deref() == Some(id) {
        Ok(artist)
    } else {
        Err(ServerError::not_found(format!("Artist {id}")))
    }
}

fn price_of(release_id: Option<&str>, track_id: Option<&str>) -> Answer<Price> {
    match (release_id, track_id) {
        (_, Some(track_id)) => Ok(find_track(track_id)?.price.unwrap_or_default()),
        (Some(release_id), None) => Ok(find_release(release_id)?.price.unwrap_or_default()),
        (None, None) => Err(ServerError::missing_parameter("releaseId")),
    }
}

fn money(amount: f64, currency: &str) -> Price {
    Price {
        formatted_price: Some(format!("{amount:.2} {currency}")),
        amount: Some(amount),
        currency: Some(currency.into()),
    }
}

fn total(items: &[BasketItem]) -> Price {
    let currency = items
        .iter()
        .find_map(|i| i.price.as_ref()?.currency.clone())
        .unwrap_or_else(|| "GBP".into());
    let sum = items
        .iter()
        .filter_map(|i| i.price.as_ref()?.amount)
        .sum::<f64>();
    money((sum * 100.0).round() / 100.0, &currency)
}

impl Fake {
    fn user(&self, context: &RequestContext) -> Answer<String> {
        let token = user_token(context)
            .ok_or_else(|| ServerError::new(401, 7002, "This call needs a user access token"))?;
        Ok(self.store.state().user_for_token(&token))
    }

    fn basket(&self, id: &str) -> Answer<Basket> {
        self.store
            .state()
            .baskets
            .get(id)
            .cloned()
            .ok_or_else(|| ServerError::not_found(format!("Basket {id}")))
    }

    fn update_basket(
        &self,
        id: &str,
        change: impl FnOnce(&mut Basket) -> Answer<()>,
    ) -> Answer<Basket> {
        let mut state = self.store.state();
        let basket = state
            .baskets
            .get_mut(id)
            .ok_or_else(|| ServerError::not_found(format!("Basket {id}")))?;
        change(basket)?;
        basket.total = Some(total(basket.items.as_deref().unwrap_or_default()));
        Ok(basket.clone())
    }

    /// Records a purchase of `items` by `user`, adding it to their locker.
    fn purchase(&self, user: &str, items: Vec<BasketItem>) -> Purchase {
        let mut state = self.store.state();
        let id = format!("purchase-{}", state.next_number());
        let purchase = Purchase {
            purchase_id: Some(id.clone()),
            status: Some(PurchaseStatus::Completed),
            total: Some(total(&items)),
            items: Some(items),
            receipt_url: Some(format!("https://www.7digital.com/receipts/{id}")),
        };
        state
            .purchases
            .entry(user.to_string())
            .or_default()
            .push(purchase.clone());
        purchase
    }

    fn item(
        &self,
        release_id: Option<String>,
        track_id: Option<String>,
        price: Option<f64>,
    ) -> Answer<BasketItem> {
        let mut listed = price_of(release_id.as_deref(), track_id.as_deref())?;
        if let Some(price) = price {
            // Partner prices are in minor units.
            listed = money(price / 100.0, listed.currency.as_deref().unwrap_or("GBP"));
        }
        let id = self.store.state().next_number();
        Ok(BasketItem {
            item_id: Some(format!("item-{id}")),
            release_id,
            track_id,
            price: Some(listed),
        })
    }

    fn new_user(
        &self,
        email: Option<String>,
        first: Option<String>,
        last: Option<String>,
        country: Option<String>,
    ) -> User {
        let mut state = self.store.state();
        let n = state.next_number();
        let (id, token, secret) = (
            format!("{}", 500_000 + n),
            format!("tok-{n}"),
            format!("sec-{n}"),
        );
        let user = User {
            id: Some(id.clone()),
            email,
            first_name: first,
            last_name: last,
            country,
            access_token: Some(token.clone()),
            access_token_secret: Some(secret.clone()),
        };
        state.tokens.insert(token, (secret, id.clone()));
        state.users.insert(id, user.clone());
        user
    }

    fn find_user(&self, id: &str) -> Answer<User> {
        self.store
            .state()
            .users
            .get(id)
            .cloned()
            .ok_or_else(|| ServerError::not_found(format!("User {id}")))
    }
}

impl Api for Fake {
    async fn get_releases_by_date(
        &self,
        i: GetReleasesByDateInput,
        _: RequestContext,
    ) -> Answer<ReleaseListResponse> {
        Ok(releases(vec![release()], i.page, i.page_size))
    }

    async fn get_release_details(
        &self,
        i: GetReleaseDetailsInput,
        _: RequestContext,
    ) -> Answer<ReleaseDetailsResponse> {
        Ok(ReleaseDetailsResponse {
            status: ok(),
            release: Some(find_release(&i.release_id)?),
        })
    }

    async fn get_release_editorial(
        &self,
        i: GetReleaseEditorialInput,
        _: RequestContext,
    ) -> Answer<EditorialResponse> {
        find_release(&i.release_id)?;
        Ok(example(&catalogue::GET_RELEASE_EDITORIAL))
    }

    async fn get_release_chart(
        &self,
        i: GetReleaseChartInput,
        _: RequestContext,
    ) -> Answer<ReleaseListResponse> {
        Ok(releases(vec![release()], i.page, i.page_size))
    }

    async fn get_release_recommendations(
        &self,
        i: GetReleaseRecommendationsInput,
        _: RequestContext,
    ) -> Answer<ReleaseListResponse> {
        find_release(&i.release_id)?;
        Ok(releases(vec![release()], i.page, i.page_size))
    }

    async fn search_releases(
        &self,
        i: SearchReleasesInput,
        _: RequestContext,
    ) -> Answer<ReleaseListResponse> {
        let release = release();
        let artist = release.artist.clone().unwrap_or_default();
        let found = matches(&i.q, &[release.title.as_ref(), artist.name.as_ref()]);
        Ok(releases(
            if found { vec![release] } else { vec![] },
            i.page,
            i.page_size,
        ))
    }

    async fn get_release_tracks(
        &self,
        i: GetReleaseTracksInput,
        _: RequestContext,
    ) -> Answer<TrackListResponse> {
        find_release(&i.release_id)?;
        Ok(tracks(vec![track()], None, None))
    }

    async fn get_release_tags(
        &self,
        i: GetReleaseTagsInput,
        _: RequestContext,
    ) -> Answer<TagListResponse> {
        find_release(&i.release_id)?;
        Ok(example(&catalogue::GET_RELEASE_TAGS))
    }

    async fn match_release_by_id(
        &self,
        i: MatchReleaseByIdInput,
        _: RequestContext,
    ) -> Answer<ReleaseDetailsResponse> {
        let release = release();
        if release.upc.as_deref() != Some(i.id.as_str()) {
            return Err(ServerError::not_found(format!("Release matching {}", i.id)));
        }
        Ok(ReleaseDetailsResponse {
            status: ok(),
            release: Some(release),
        })
    }

    async fn get_new_releases_by_tags(
        &self,
        i: GetNewReleasesByTagsInput,
        _: RequestContext,
    ) -> Answer<ReleaseListResponse> {
        Ok(releases(vec![release()], i.page, i.page_size))
    }

    async fn get_top_releases_by_tags(
        &self,
        i: GetTopReleasesByTagsInput,
        _: RequestContext,
    ) -> Answer<ReleaseListResponse> {
        Ok(releases(vec![release()], i.page, i.page_size))
    }

    async fn browse_artists(
        &self,
        i: BrowseArtistsInput,
        _: RequestContext,
    ) -> Answer<ArtistListResponse> {
        let artist = artist();
        let letter = i.letter.to_lowercase();
        let name = artist
            .sort_name
            .clone()
            .or(artist.name.clone())
            .unwrap_or_default()
            .to_lowercase();
        Ok(artists(
            if name.starts_with(&letter) {
                vec![artist]
            } else {
                vec![]
            },
            i.page,
            i.page_size,
        ))
    }

    async fn get_artist_chart(
        &self,
        i: GetArtistChartInput,
        _: RequestContext,
    ) -> Answer<ArtistListResponse> {
        Ok(artists(vec![artist()], i.page, i.page_size))
    }

    async fn get_artist_details(
        &self,
        i: GetArtistDetailsInput,
        _: RequestContext,
    ) -> Answer<ArtistDetailsResponse> {
        Ok(ArtistDetailsResponse {
            status: ok(),
            artist: Some(find_artist(&i.artist_id)?),
        })
    }

    async fn get_artist_releases(
        &self,
        i: GetArtistReleasesInput,
        _: RequestContext,
    ) -> Answer<ReleaseListResponse> {
        find_artist(&i.artist_id)?;
        let release = release();
        let keep = i.type_.is_none_or(|t| release.type_.as_ref() == Some(&t));
        Ok(releases(
            if keep { vec![release] } else { vec![] },
            i.page,
            i.page_size,
        ))
    }

    async fn get_similar_artists(
        &self,
        i: GetSimilarArtistsInput,
        _: RequestContext,
    ) -> Answer<ArtistListResponse> {
        find_artist(&i.artist_id)?;
        Ok(artists(vec![], i.page, i.page_size))
    }

    async fn search_artists(
        &self,
        i: SearchArtistsInput,
        _: RequestContext,
    ) -> Answer<ArtistListResponse> {
        let artist = artist();
        let found = matches(&i.q, &[artist.name.as_ref(), artist.sort_name.as_ref()]);
        Ok(artists(
            if found { vec![artist] } else { vec![] },
            i.page,
            i.page_size,
        ))
    }

    async fn get_artist_top_tracks(
        &self,
        i: GetArtistTopTracksInput,
        _: RequestContext,
    ) -> Answer<TrackListResponse> {
        find_artist(&i.artist_id)?;
        Ok(tracks(vec![track()], i.page, i.page_size))
    }

    async fn get_artist_tags(
        &self,
        i: GetArtistTagsInput,
        _: RequestContext,
    ) -> Answer<TagListResponse> {
        find_artist(&i.artist_id)?;
        Ok(example(&catalogue::GET_ARTIST_TAGS))
    }

    async fn match_artist_by_id(
        &self,
        _: MatchArtistByIdInput,
        _: RequestContext,
    ) -> Answer<ArtistDetailsResponse> {
        Ok(ArtistDetailsResponse {
            status: ok(),
            artist: Some(artist()),
        })
    }

    async fn get_top_artists_by_tags(
        &self,
        i: GetTopArtistsByTagsInput,
        _: RequestContext,
    ) -> Answer<ArtistListResponse> {
        Ok(artists(vec![artist()], i.page, i.page_size))
    }

    async fn get_track_chart(
        &self,
        i: GetTrackChartInput,
        _: RequestContext,
    ) -> Answer<TrackListResponse> {
        Ok(tracks(vec![track()], i.page, i.page_size))
    }

    async fn get_track_details(
        &self,
        i: GetTrackDetailsInput,
        _: RequestContext,
    ) -> Answer<TrackDetailsResponse> {
        Ok(TrackDetailsResponse {
            status: ok(),
            track: Some(find_track(&i.track_id)?),
        })
    }

    async fn search_tracks(
        &self,
        i: SearchTracksInput,
        _: RequestContext,
    ) -> Answer<TrackListResponse> {
        let track = track();
        let artist = track.artist.clone().unwrap_or_default();
        let found = matches(&i.q, &[track.title.as_ref(), artist.name.as_ref()]);
        Ok(tracks(
            if found { vec![track] } else { vec![] },
            i.page,
            i.page_size,
        ))
    }

    async fn match_track_by_id(
        &self,
        _: MatchTrackByIdInput,
        _: RequestContext,
    ) -> Answer<TrackDetailsResponse> {
        Ok(TrackDetailsResponse {
            status: ok(),
            track: Some(track()),
        })
    }

    async fn get_all_tags(&self, _: GetAllTagsInput, _: RequestContext) -> Answer<TagListResponse> {
        Ok(example(&catalogue::GET_ALL_TAGS))
    }

    async fn get_basket(&self, i: GetBasketInput, _: RequestContext) -> Answer<Basket> {
        self.basket(&i.basket_id)
    }

    async fn create_basket(&self, _: CreateBasketInput, _: RequestContext) -> Answer<Basket> {
        let mut state = self.store.state();
        let n = state.next_number();
        let id = format!("00000000-0000-4000-8000-{n:012x}");
        let basket = Basket {
            id: Some(id.clone()),
            items: Some(vec![]),
            total: Some(money(0.0, "GBP")),
            voucher_code: None,
        };
        state.baskets.insert(id, basket.clone());
        Ok(basket)
    }

    async fn add_basket_item(&self, i: AddBasketItemInput, _: RequestContext) -> Answer<Basket> {
        let item = self.item(i.release_id, i.track_id, None)?;
        self.update_basket(&i.basket_id, |b| {
            b.items.get_or_insert_default().push(item);
            Ok(())
        })
    }

    async fn remove_basket_item(
        &self,
        i: RemoveBasketItemInput,
        _: RequestContext,
    ) -> Answer<Basket> {
        self.update_basket(&i.basket_id, |b| {
            let items = b.items.get_or_insert_default();
            let before = items.len();
            items.retain(|item| item.item_id.as_deref() != Some(i.item_id.as_str()));
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
    ) -> Answer<Basket> {
        self.update_basket(&i.basket_id, |b| {
            b.voucher_code = Some(i.voucher_code);
            Ok(())
        })
    }

    async fn add_priced_basket_item(
        &self,
        i: AddPricedBasketItemInput,
        _: RequestContext,
    ) -> Answer<Basket> {
        let item = self.item(i.release_id.or_else(|| release().id), None, Some(i.price))?;
        self.update_basket(&i.basket_id, |b| {
            b.items.get_or_insert_default().push(item);
            Ok(())
        })
    }

    async fn get_basket_pay_pal_url(
        &self,
        i: GetBasketPayPalUrlInput,
        _: RequestContext,
    ) -> Answer<GetBasketPayPalUrlResponse> {
        self.basket(&i.basket_id)?;
        Ok(GetBasketPayPalUrlResponse {
            paypal_url: Some(format!(
                "https://www.paypal.com/checkoutnow?token=EC-{}",
                i.basket_id
            )),
        })
    }

    async fn complete_basket_pay_pal_purchase(
        &self,
        i: CompleteBasketPayPalPurchaseInput,
        c: RequestContext,
    ) -> Answer<Purchase> {
        let user = self.user(&c)?;
        let basket = self.basket(&i.basket_id)?;
        Ok(self.purchase(&user, basket.items.unwrap_or_default()))
    }

    async fn get_user_unlimited_streaming(
        &self,
        _: GetUserUnlimitedStreamingInput,
        c: RequestContext,
    ) -> Answer<SubscriptionStatus> {
        let user = self.user(&c)?;
        let found = self.store.state().subscriptions.get(&user).cloned();
        Ok(found.unwrap_or(SubscriptionStatus {
            user_id: Some(user),
            status: Some(SubscriptionStatusStatus::Expired),
            ..Default::default()
        }))
    }

    async fn update_user_unlimited_streaming(
        &self,
        i: UpdateUserUnlimitedStreamingInput,
        _: RequestContext,
    ) -> Answer<SubscriptionStatus> {
        let status = SubscriptionStatus {
            user_id: Some(i.user_id.clone()),
            status: Some(SubscriptionStatusStatus::from(i.status.as_str())),
            start_date: Some(super::calendar::rfc3339(self.store.now())[..10].to_string()),
            end_date: None,
            product_id: Some("unlimited-streaming".into()),
        };
        self.store
            .state()
            .subscriptions
            .insert(i.user_id, status.clone());
        Ok(status)
    }

    async fn get_user_locker(&self, i: GetUserLockerInput, c: RequestContext) -> Answer<Locker> {
        let user = self.user(&c)?;
        let purchases = self
            .store
            .state()
            .purchases
            .get(&user)
            .cloned()
            .unwrap_or_default();
        let mut owned_releases = Vec::new();
        let mut owned_tracks = Vec::new();
        for item in purchases
            .iter()
            .flat_map(|p| p.items.clone().unwrap_or_default())
        {
            match (item.release_id.as_deref(), item.track_id.as_deref()) {
                (_, Some(track_id)) => owned_tracks.extend(find_track(track_id).ok()),
                (Some(release_id), None) => owned_releases.extend(find_release(release_id).ok()),
                (None, None) => {}
            }
        }
        let total = (owned_releases.len() + owned_tracks.len()) as i64;
        let (owned_releases, page, size, _) = page_of(owned_releases, i.page, i.page_size);
        let (owned_tracks, _, _, _) = page_of(owned_tracks, i.page, i.page_size);
        Ok(Locker {
            status: ok(),
            page: Some(page),
            page_size: Some(size),
            total_items: Some(total),
            releases: Some(owned_releases),
            tracks: Some(owned_tracks),
        })
    }

    async fn purchase_user_item(
        &self,
        i: PurchaseUserItemInput,
        c: RequestContext,
    ) -> Answer<Purchase> {
        let user = self.user(&c)?;
        let item = self.item(i.release_id, i.track_id, None)?;
        Ok(self.purchase(&user, vec![item]))
    }

    async fn purchase_user_rrp_item(
        &self,
        i: PurchaseUserRrpItemInput,
        c: RequestContext,
    ) -> Answer<Purchase> {
        let user = self.user(&c)?;
        let item = self.item(i.release_id.or_else(|| release().id), None, None)?;
        Ok(self.purchase(&user, vec![item]))
    }

    async fn purchase_user_basket(
        &self,
        i: PurchaseUserBasketInput,
        c: RequestContext,
    ) -> Answer<Purchase> {
        let user = self.user(&c)?;
        let basket = self.basket(&i.basket_id)?;
        Ok(self.purchase(&user, basket.items.unwrap_or_default()))
    }

    async fn purchase_user_priced_item(
        &self,
        i: PurchaseUserPricedItemInput,
        c: RequestContext,
    ) -> Answer<Purchase> {
        let user = self.user(&c)?;
        let item = self.item(i.release_id.or_else(|| release().id), None, Some(i.price))?;
        Ok(self.purchase(&user, vec![item]))
    }

    async fn list_user_payment_cards(
        &self,
        _: ListUserPaymentCardsInput,
        c: RequestContext,
    ) -> Answer<ListUserPaymentCardsResponse> {
        let user = self.user(&c)?;
        let cards = self
            .store
            .state()
            .cards
            .get(&user)
            .cloned()
            .unwrap_or_default();
        Ok(ListUserPaymentCardsResponse { cards: Some(cards) })
    }

    async fn select_user_payment_card(
        &self,
        i: SelectUserPaymentCardInput,
        c: RequestContext,
    ) -> Answer<SelectUserPaymentCardResponse> {
        let user = self.user(&c)?;
        let mut state = self.store.state();
        let cards = state.cards.entry(user).or_default();
        if !cards
            .iter()
            .any(|card| card.card_id.as_deref() == Some(i.card_id.as_str()))
        {
            return Err(ServerError::not_found(format!("Card {}", i.card_id)));
        }
        for card in cards.iter_mut() {
            card.is_default = Some(card.card_id.as_deref() == Some(i.card_id.as_str()));
        }
        Ok(SelectUserPaymentCardResponse { status: ok() })
    }

    async fn delete_user_payment_card(
        &self,
        i: DeleteUserPaymentCardInput,
        c: RequestContext,
    ) -> Answer<DeleteUserPaymentCardResponse> {
        let user = self.user(&c)?;
        let mut state = self.store.state();
        let cards = state.cards.entry(user).or_default();
        let before = cards.len();
        cards.retain(|card| card.card_id.as_deref() != Some(i.card_id.as_str()));
        if cards.len() == before {
            return Err(ServerError::not_found(format!("Card {}", i.card_id)));
        }
        Ok(DeleteUserPaymentCardResponse { status: ok() })
    }

    async fn register_user_payment_card(
        &self,
        i: RegisterUserPaymentCardInput,
        c: RequestContext,
    ) -> Answer<CardRegistration> {
        let user = self.user(&c)?;
        let number = i.body.card_number.replace(' ', "");
        if number.len() < 12 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ServerError::invalid_parameter(
                "cardNumber",
                "not a card number",
            ));
        }
        let mut state = self.store.state();
        let n = state.next_number();
        let card = PaymentCard {
            card_id: Some(format!("card-{n}")),
            last4: Some(number[number.len() - 4..].to_string()),
            brand: Some(if number.starts_with('4') {
                PaymentCardBrand::Visa
            } else {
                PaymentCardBrand::Mastercard
            }),
            expiry_month: Some(i.body.expiry_month),
            expiry_year: Some(i.body.expiry_year),
            is_default: Some(false),
        };
        let registration = CardRegistration {
            registration_id: Some(format!("cardreg-{n}")),
            status: Some(CardRegistrationStatus::Registered),
            card_id: card.card_id.clone(),
        };
        state.cards.entry(user).or_default().push(card);
        state
            .registrations
            .insert(format!("cardreg-{n}"), registration.clone());
        Ok(registration)
    }

    async fn get_user_card_registration(
        &self,
        i: GetUserCardRegistrationInput,
        c: RequestContext,
    ) -> Answer<CardRegistration> {
        self.user(&c)?;
        let found = self.store.state().registrations.get(&i.id).cloned();
        found.ok_or_else(|| ServerError::not_found(format!("Card registration {}", i.id)))
    }

    async fn deliver_user_item(
        &self,
        i: DeliverUserItemInput,
        c: RequestContext,
    ) -> Answer<DeliverUserItemResponse> {
        let user = self.user(&c)?;
        let owned = self
            .store
            .state()
            .purchases
            .get(&user)
            .cloned()
            .unwrap_or_default();
        let wanted = |item: &BasketItem| match (&i.track_id, &i.release_id) {
            (Some(t), _) => item.track_id.as_ref() == Some(t),
            (None, Some(r)) => item.release_id.as_ref() == Some(r),
            (None, None) => false,
        };
        if !owned
            .iter()
            .flat_map(|p| p.items.iter().flatten())
            .any(wanted)
        {
            return Err(ServerError::new(
                404,
                2002,
                "No licence found for this item",
            ));
        }
        let id = i.track_id.or(i.release_id).unwrap_or_default();
        Ok(DeliverUserItemResponse {
            delivery_url: Some(format!("https://download.7digital.com/{user}/{id}")),
        })
    }

    async fn signup_user(&self, i: SignupUserInput, _: RequestContext) -> Answer<User> {
        let b = i.body;
        if self
            .store
            .state()
            .users
            .values()
            .any(|u| u.email.as_deref() == Some(b.email.as_str()))
        {
            return Err(ServerError::new(
                409,
                2003,
                format!("User {} already exists", b.email),
            ));
        }
        let user = self.new_user(Some(b.email), b.first_name, b.last_name, Some(b.country));
        if let Some(id) = &user.id {
            self.store.state().passwords.insert(id.clone(), b.password);
        }
        Ok(user)
    }

    async fn create_user(&self, i: CreateUserInput, _: RequestContext) -> Answer<User> {
        if self
            .store
            .state()
            .users
            .values()
            .any(|u| u.email.as_deref() == Some(i.email.as_str()))
        {
            return Err(ServerError::new(
                409,
                2003,
                format!("User {} already exists", i.email),
            ));
        }
        Ok(self.new_user(Some(i.email), None, None, None))
    }

    async fn get_user_details(&self, i: GetUserDetailsInput, _: RequestContext) -> Answer<User> {
        let mut user = self.find_user(&i.user_id)?;
        user.access_token_secret = None;
        Ok(user)
    }

    async fn authenticate_user(&self, i: AuthenticateUserInput, _: RequestContext) -> Answer<User> {
        let state = self.store.state();
        let user = state
            .users
            .values()
            .find(|u| u.email.as_deref() == Some(i.email.as_str()));
        let password_ok = |u: &&User| {
            u.id.as_ref()
                .and_then(|id| state.passwords.get(id))
                .is_none_or(|p| *p == i.password)
        };
        user.filter(password_ok)
            .cloned()
            .ok_or_else(|| ServerError::new(401, 3001, "Wrong email or password"))
    }

    async fn find_users(&self, i: FindUsersInput, _: RequestContext) -> Answer<FindUsersResponse> {
        let state = self.store.state();
        let users = state
            .users
            .values()
            .filter(|u| i.email.is_none() || u.email == i.email)
            .map(|u| User {
                access_token_secret: None,
                ..u.clone()
            })
            .collect();
        Ok(FindUsersResponse { users: Some(users) })
    }

    async fn update_user(&self, i: UpdateUserInput, _: RequestContext) -> Answer<User> {
        let mut state = self.store.state();
        let user = state
            .users
            .get_mut(&i.id)
            .ok_or_else(|| ServerError::not_found(format!("User {}", i.id)))?;
        let b = i.body;
        user.email = b.email.or(user.email.take());
        user.first_name = b.first_name.or(user.first_name.take());
        user.last_name = b.last_name.or(user.last_name.take());
        user.country = b.country.or(user.country.take());
        Ok(user.clone())
    }

    async fn get_countries(
        &self,
        _: GetCountriesInput,
        _: RequestContext,
    ) -> Answer<GetCountriesResponse> {
        Ok(example(&catalogue::GET_COUNTRIES))
    }

    async fn get_translations(
        &self,
        i: GetTranslationsInput,
        _: RequestContext,
    ) -> Answer<GetTranslationsResponse> {
        let mut bundle: GetTranslationsResponse = example(&catalogue::GET_TRANSLATIONS);
        bundle.locale = Some(i.locale);
        Ok(bundle)
    }

    async fn resolve_country_for_ip(
        &self,
        i: ResolveCountryForIpInput,
        _: RequestContext,
    ) -> Answer<Country> {
        if i.ip.parse::<std::net::IpAddr>().is_err() {
            return Err(ServerError::invalid_parameter(
                "ip",
                format!("`{}` is not an IP address", i.ip),
            ));
        }
        Ok(example(&catalogue::RESOLVE_COUNTRY_FOR_IP))
    }

    async fn get_editorial_list(
        &self,
        _: GetEditorialListInput,
        _: RequestContext,
    ) -> Answer<EditorialListResponse> {
        Ok(example(&catalogue::GET_EDITORIAL_LIST))
    }

    async fn get_artist_id_by_url(
        &self,
        i: GetArtistIdByUrlInput,
        _: RequestContext,
    ) -> Answer<GetArtistIdByUrlResponse> {
        let artist = artist();
        if artist.url.as_deref() != Some(i.url.as_str()) {
            return Err(ServerError::not_found(format!("Artist at {}", i.url)));
        }
        Ok(GetArtistIdByUrlResponse {
            artist_id: artist.id,
        })
    }

    async fn get_release_id_by_url(
        &self,
        i: GetReleaseIdByUrlInput,
        _: RequestContext,
    ) -> Answer<GetReleaseIdByUrlResponse> {
        let release = release();
        if release.url.as_deref() != Some(i.url.as_str()) {
            return Err(ServerError::not_found(format!("Release at {}", i.url)));
        }
        Ok(GetReleaseIdByUrlResponse {
            release_id: release.id,
        })
    }

    async fn get_payment_card_types(
        &self,
        _: GetPaymentCardTypesInput,
        _: RequestContext,
    ) -> Answer<GetPaymentCardTypesResponse> {
        Ok(GetPaymentCardTypesResponse {
            card_types: Some(
                PaymentCardBrand::VALUES
                    .iter()
                    .map(|b| b.to_string())
                    .collect(),
            ),
        })
    }

    async fn get_payment_voucher_details(
        &self,
        i: GetPaymentVoucherDetailsInput,
        _: RequestContext,
    ) -> Answer<Voucher> {
        let mut voucher: Voucher = example(&catalogue::GET_PAYMENT_VOUCHER_DETAILS);
        if voucher.code.as_deref() != Some(i.voucher_code.as_str()) {
            return Err(ServerError::not_found(format!(
                "Voucher {}",
                i.voucher_code
            )));
        }
        voucher.redeemed = Some(false);
        Ok(voucher)
    }
}
