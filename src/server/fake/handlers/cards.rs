//! Payment cards of a user: listing, selecting, deleting and registering them (with the Luhn
//! check a card number must pass).

use super::*;
use crate::catalogue;
use crate::error::codes;
use crate::models::*;
use crate::server::fake::Fake;
use crate::server::*;

/// Whether a card number's check digit is right (the Luhn sum).
pub(crate) fn luhn(number: &str) -> bool {
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

impl Fake {
    pub(crate) fn cards_of(&self, user: &str) -> Vec<PaymentCard> {
        self.store
            .state()
            .cards
            .get(user)
            .cloned()
            .unwrap_or_default()
    }
}

pub(crate) async fn list_user_payment_cards(
    fake: &Fake,
    _: ListUserPaymentCardsInput,
    c: RequestContext,
) -> ApiResult<PaymentCardsResponse> {
    let user = fake.user(&c)?;
    let cards = fake.cards_of(&user);
    let mut answer = example(&catalogue::LIST_USER_PAYMENT_CARDS);
    if let Some(fields) = answer.as_object_mut() {
        fields.remove("card");
    }
    answer["cards"] = serde_json::to_value(cards).unwrap_or_default();
    typed(&catalogue::LIST_USER_PAYMENT_CARDS, answer)
}

pub(crate) async fn select_user_payment_card(
    fake: &Fake,
    i: SelectUserPaymentCardInput,
    c: RequestContext,
) -> ApiResult<StatusResponse> {
    let user = fake.user(&c)?;
    {
        let mut state = fake.store.state();
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

pub(crate) async fn delete_user_payment_card(
    fake: &Fake,
    i: DeleteUserPaymentCardInput,
    c: RequestContext,
) -> ApiResult<StatusResponse> {
    let user = fake.user(&c)?;
    {
        let mut state = fake.store.state();
        let cards = state.cards.entry(user).or_default();
        let before = cards.len();
        cards.retain(|card| card.id.map(|id| id.to_string()).as_deref() != Some(i.card_id.trim()));
        if cards.len() == before {
            return Err(ServerError::not_found(format!("Card {}", i.card_id)));
        }
    }
    typed(
        &catalogue::DELETE_USER_PAYMENT_CARD,
        example(&catalogue::DELETE_USER_PAYMENT_CARD),
    )
}

pub(crate) async fn register_user_payment_card(
    fake: &Fake,
    i: RegisterUserPaymentCardInput,
    c: RequestContext,
) -> ApiResult<CardRegistrationResponse> {
    let user = fake.user(&c)?;
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
        let mut state = fake.store.state();
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

pub(crate) async fn get_user_card_registration(
    fake: &Fake,
    i: GetUserCardRegistrationInput,
    c: RequestContext,
) -> ApiResult<CardRegistrationResponse> {
    fake.user(&c)?;
    let found = fake.store.state().registrations.get(&i.id).cloned();
    let registration =
        found.ok_or_else(|| ServerError::not_found(format!("Card registration {}", i.id)))?;
    wrapped(
        &catalogue::GET_USER_CARD_REGISTRATION,
        "cardRegistration",
        serde_json::to_value(registration).unwrap_or_default(),
    )
}
