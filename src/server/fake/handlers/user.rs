//! Users (the v1.2 user calls): lockers, purchases, streaming subscriptions, sign-up, details and authentication.

use super::*;
use crate::catalogue::{self, Operation};
use crate::error::codes;
use crate::models::*;
use crate::server::fake::store::Owned;
use crate::server::fake::{Catalogue, Fake};
use crate::server::*;
use serde_json::{Value, json};

/// An email address the document's `format: email` allows: one `@` between a non-empty local
/// part and a dotted domain, without spaces or control characters; else 1002 naming `email`.
pub(crate) fn check_email(email: &str) -> ApiResult<()> {
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

/// Locker entries (one per release, with the tracks bought: the one track, or all of a
/// release bought whole) for `owned` items, as the catalogue describes them.
pub(crate) fn locker_releases(catalogue: &Catalogue, owned: &[Owned]) -> Vec<Value> {
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

impl Fake {
    pub(crate) fn new_user(&self, email: &str, password: Option<String>) -> ApiResult<User> {
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

    pub(crate) fn find_user(&self, id: &str) -> ApiResult<User> {
        self.store
            .state()
            .users
            .get(id.trim())
            .cloned()
            .ok_or_else(|| ServerError::not_found(format!("User {id}")))
    }

    pub(crate) fn user_answer(
        &self,
        operation: &Operation,
        user: &User,
    ) -> ApiResult<UserResponse> {
        wrapped(
            operation,
            "user",
            serde_json::to_value(user).unwrap_or_default(),
        )
    }
}

pub(crate) async fn get_user_unlimited_streaming(
    fake: &Fake,
    _: GetUserUnlimitedStreamingInput,
    c: RequestContext,
) -> ApiResult<UnlimitedStreamingResponse> {
    let user = fake.user(&c)?;
    let found = fake.store.state().subscriptions.get(&user).cloned();
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

pub(crate) async fn update_user_unlimited_streaming(
    fake: &Fake,
    i: UpdateUserUnlimitedStreamingInput,
    _: RequestContext,
) -> ApiResult<UnlimitedStreamingResponse> {
    let status = SubscriptionStatus {
        user_id: Some(i.user_id.clone()),
        status: Some(SubscriptionStatusStatus::from_wire(i.status.as_str())),
        start_date: Some(today(fake)[..10].to_string()),
        end_date: None,
        product_id: Some("unlimited-streaming".into()),
    };
    fake.store
        .state()
        .subscriptions
        .insert(i.user_id, status.clone());
    wrapped(
        &catalogue::UPDATE_USER_UNLIMITED_STREAMING,
        "unlimitedStreaming",
        serde_json::to_value(status).unwrap_or_default(),
    )
}

pub(crate) async fn get_user_locker(
    fake: &Fake,
    i: GetUserLockerInput,
    c: RequestContext,
) -> ApiResult<LockerResponse> {
    let user = fake.user(&c)?;
    let owned = fake
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
        locker_releases(&fake.catalogue, &owned),
        i.page,
        i.page_size,
    )
}

pub(crate) async fn purchase_user_item(
    fake: &Fake,
    i: PurchaseUserItemInput,
    c: RequestContext,
) -> ApiResult<PurchaseResponse> {
    let user = fake.user(&c)?;
    let item = fake.item(Some(&i.release_id), i.track_id.as_deref(), None)?;
    fake.purchase(&catalogue::PURCHASE_USER_ITEM, &user, &[item])
}

pub(crate) async fn purchase_user_rrp_item(
    fake: &Fake,
    i: PurchaseUserRrpItemInput,
    c: RequestContext,
) -> ApiResult<PurchaseResponse> {
    let user = fake.user(&c)?;
    let release_id = i.release_id.unwrap_or_else(|| fake.default_release_id());
    let item = fake.item(Some(&release_id), None, None)?;
    fake.purchase(&catalogue::PURCHASE_USER_RRP_ITEM, &user, &[item])
}

pub(crate) async fn purchase_user_basket(
    fake: &Fake,
    i: PurchaseUserBasketInput,
    c: RequestContext,
) -> ApiResult<PurchaseResponse> {
    let user = fake.user(&c)?;
    let basket = fake.basket(&i.basket_id)?;
    fake.purchase(
        &catalogue::PURCHASE_USER_BASKET,
        &user,
        basket.basket_items.as_deref().unwrap_or_default(),
    )
}

pub(crate) async fn purchase_user_priced_item(
    fake: &Fake,
    i: PurchaseUserPricedItemInput,
    c: RequestContext,
) -> ApiResult<PurchaseResponse> {
    let user = fake.user(&c)?;
    let release_id = i.release_id.unwrap_or_else(|| fake.default_release_id());
    let item = fake.item(Some(&release_id), None, Some(i.price))?;
    fake.purchase(&catalogue::PURCHASE_USER_PRICED_ITEM, &user, &[item])
}

pub(crate) async fn deliver_user_item(
    fake: &Fake,
    i: DeliverUserItemInput,
    c: RequestContext,
) -> ApiResult<PurchaseResponse> {
    let user = fake.user(&c)?;
    let owned = fake
        .store
        .state()
        .purchases
        .get(&user)
        .cloned()
        .unwrap_or_default();
    let wanted = |item: &&Owned| match (&i.track_id, &i.release_id) {
        (Some(t), _) => item.track_id.map(|id| id.to_string()).as_deref() == Some(t.trim()),
        (None, Some(r)) => item.release_id.map(|id| id.to_string()).as_deref() == Some(r.trim()),
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
    let releases = locker_releases(&fake.catalogue, &delivered);
    let total = releases.len() as i64;
    let value = json!({
        "id": first.purchase_id,
        "purchaseDate": first.date,
        "lockerReleases": {"page": 1, "pageSize": total.max(1), "totalItems": total, "lockerRelease": releases},
    });
    wrapped(&catalogue::DELIVER_USER_ITEM, "purchase", value)
}

pub(crate) async fn signup_user(
    fake: &Fake,
    i: SignupUserInput,
    _: RequestContext,
) -> ApiResult<UserResponse> {
    let b = i.body;
    let user = fake.new_user(&b.email, Some(b.password))?;
    fake.user_answer(&catalogue::SIGNUP_USER, &user)
}

pub(crate) async fn create_user(
    fake: &Fake,
    i: CreateUserInput,
    _: RequestContext,
) -> ApiResult<UserResponse> {
    let user = fake.new_user(&i.email, None)?;
    fake.user_answer(&catalogue::CREATE_USER, &user)
}

pub(crate) async fn get_user_details(
    fake: &Fake,
    i: GetUserDetailsInput,
    _: RequestContext,
) -> ApiResult<UserResponse> {
    // User ids are numbers: anything else is refused as 7digital refuses it (capture e03).
    if i.user_id.trim().is_empty() || !i.user_id.trim().bytes().all(|b| b.is_ascii_digit()) {
        return Err(ServerError::invalid_parameter("userId", &i.user_id));
    }
    let user = fake.find_user(&i.user_id)?;
    fake.user_answer(&catalogue::GET_USER_DETAILS, &user)
}

pub(crate) async fn authenticate_user(
    fake: &Fake,
    i: AuthenticateUserInput,
    _: RequestContext,
) -> ApiResult<UserResponse> {
    let user = {
        let state = fake.store.state();
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
    fake.user_answer(&catalogue::AUTHENTICATE_USER, &user)
}

pub(crate) async fn find_users(
    fake: &Fake,
    i: FindUsersInput,
    _: RequestContext,
) -> ApiResult<UsersResponse> {
    if let Some(email) = &i.email {
        check_email(email)?;
    }
    let users: Vec<User> = fake
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

pub(crate) async fn update_user(
    fake: &Fake,
    i: UpdateUserInput,
    _: RequestContext,
) -> ApiResult<UserResponse> {
    let user = {
        let mut state = fake.store.state();
        let user = state
            .users
            .get_mut(i.id.trim())
            .ok_or_else(|| ServerError::not_found(format!("User {}", i.id)))?;
        if let Some(email) = i.body.email {
            user.email_address = Some(email);
        }
        user.clone()
    };
    fake.user_answer(&catalogue::UPDATE_USER, &user)
}
