//! Baskets: creating, filling and pricing them, vouchers, PayPal; buying what a basket or an item holds.

use super::*;
use crate::catalogue::{self, Operation};
use crate::error::codes;
use crate::models::*;
use crate::server::fake::Fake;
use crate::server::fake::store::Owned;
use crate::server::*;
use serde_json::{Value, json};

/// Recomputes a basket's item count and totals.
pub(crate) fn totals(basket: &mut Basket) {
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

impl Fake {
    pub(crate) fn basket(&self, id: &str) -> ApiResult<Basket> {
        self.store
            .state()
            .baskets
            .get(id)
            .cloned()
            .ok_or_else(|| ServerError::not_found(format!("Basket {id}")))
    }

    pub(crate) fn basket_answer(
        &self,
        operation: &Operation,
        basket: Basket,
    ) -> ApiResult<BasketResponse> {
        let value = serde_json::to_value(&basket).unwrap_or_default();
        wrapped(operation, "basket", value)
    }

    pub(crate) fn update_basket(
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
    pub(crate) fn item(
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
    pub(crate) fn purchase(
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
}

pub(crate) async fn get_basket(
    fake: &Fake,
    i: GetBasketInput,
    _: RequestContext,
) -> ApiResult<BasketResponse> {
    let basket = fake.basket(&i.basket_id)?;
    fake.basket_answer(&catalogue::GET_BASKET, basket)
}

pub(crate) async fn create_basket(
    fake: &Fake,
    _: CreateBasketInput,
    _: RequestContext,
) -> ApiResult<BasketResponse> {
    let basket = {
        let mut state = fake.store.state();
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
    fake.basket_answer(&catalogue::CREATE_BASKET, basket)
}

pub(crate) async fn add_basket_item(
    fake: &Fake,
    i: AddBasketItemInput,
    _: RequestContext,
) -> ApiResult<BasketResponse> {
    let item = fake.item(Some(&i.release_id), i.track_id.as_deref(), None)?;
    fake.update_basket(&catalogue::ADD_BASKET_ITEM, &i.basket_id, |items| {
        items.push(item);
        Ok(())
    })
}

pub(crate) async fn remove_basket_item(
    fake: &Fake,
    i: RemoveBasketItemInput,
    _: RequestContext,
) -> ApiResult<BasketResponse> {
    fake.update_basket(&catalogue::REMOVE_BASKET_ITEM, &i.basket_id, |items| {
        let before = items.len();
        items.retain(|item| item.id.map(|id| id.to_string()).as_deref() != Some(i.item_id.trim()));
        if items.len() == before {
            Err(ServerError::not_found(format!("Basket item {}", i.item_id)))
        } else {
            Ok(())
        }
    })
}

pub(crate) async fn apply_basket_voucher(
    fake: &Fake,
    i: ApplyBasketVoucherInput,
    _: RequestContext,
) -> ApiResult<BasketResponse> {
    let voucher = example(&catalogue::GET_PAYMENT_VOUCHER_DETAILS);
    // The basket first (404 when there is none), then the voucher applied to it.
    fake.update_basket(&catalogue::APPLY_BASKET_VOUCHER, &i.basket_id, |items| {
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

pub(crate) async fn add_priced_basket_item(
    fake: &Fake,
    i: AddPricedBasketItemInput,
    _: RequestContext,
) -> ApiResult<BasketResponse> {
    let release_id = i.release_id.unwrap_or_else(|| fake.default_release_id());
    let item = fake.item(Some(&release_id), None, Some(i.price))?;
    fake.update_basket(&catalogue::ADD_PRICED_BASKET_ITEM, &i.basket_id, |items| {
        items.push(item);
        Ok(())
    })
}

pub(crate) async fn get_basket_pay_pal_url(
    fake: &Fake,
    i: GetBasketPayPalUrlInput,
    _: RequestContext,
) -> ApiResult<ExpressCheckoutResponse> {
    fake.basket(&i.basket_id)?;
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

pub(crate) async fn complete_basket_pay_pal_purchase(
    fake: &Fake,
    i: CompleteBasketPayPalPurchaseInput,
    c: RequestContext,
) -> ApiResult<PurchaseResponse> {
    let user = fake.user(&c)?;
    let basket = fake.basket(&i.basket_id)?;
    fake.purchase(
        &catalogue::COMPLETE_BASKET_PAY_PAL_PURCHASE,
        &user,
        basket.basket_items.as_deref().unwrap_or_default(),
    )
}
