//! Creating download-store users.

use serde::Deserialize;

use super::operations::CREATE_PARTNER_USER;
use super::types::PartnerUser;
use super::{decode_json, send, validate};
use crate::client::Client;
use crate::codes;
use crate::error::Error;
use crate::request::Request;

impl Client {
    /// Creates a download-store user identified by the store's own `user_id` (any string up to
    /// 255 characters; permanent), living in `country` (ISO 3166-1 alpha-2).
    ///
    /// `GET /user/create` (operation `createPartnerUser`, signed two-legged). Never retried
    /// automatically. Send the call with [`CreatePartnerUser::send`].
    pub fn create_partner_user(
        &self,
        user_id: impl Into<String>,
        country: impl Into<String>,
    ) -> CreatePartnerUser {
        CreatePartnerUser {
            client: self.clone(),
            user_id: user_id.into(),
            country: country.into(),
        }
    }
}

/// Request builder for `GET /user/create` (operation `createPartnerUser`), made by
/// [`Client::create_partner_user`].
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until you call `.send().await`"]
pub struct CreatePartnerUser {
    client: Client,
    user_id: String,
    country: String,
}

#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    user: Option<AnswerUser>,
}

#[derive(Deserialize)]
struct AnswerUser {
    #[serde(default)]
    id: Option<serde_json::Value>,
}

impl CreatePartnerUser {
    /// Checks the inputs, sends the call and returns the new user. When the answer names no
    /// user id, the user is the one asked for.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad `userId` or `country` (nothing is sent);
    /// [`Error::UserAlreadyExists`] when the id is taken (7digital error 2003);
    /// otherwise as for any call (see [`Error`]).
    pub async fn send(self) -> Result<PartnerUser, Error> {
        let op = &CREATE_PARTNER_USER;
        let user_id = validate::user_id(&self.user_id)?.to_string();
        let country = validate::country(&self.country)?;
        let mut request = Request::new(op);
        request.query("userId", user_id.clone());
        request.query("country", country);
        let answer = match send(&self.client, request).await {
            Ok(answer) => answer,
            Err(Error::Api {
                operation,
                status,
                code: codes::USER_ALREADY_EXISTS,
                message,
            }) => {
                return Err(Error::UserAlreadyExists {
                    operation,
                    user_id,
                    status,
                    message,
                });
            }
            Err(e) => return Err(e),
        };
        let decoded: Answer = decode_json(op.id, &answer)?;
        let id = match decoded.user.and_then(|u| u.id) {
            Some(serde_json::Value::String(id)) if !id.is_empty() => id,
            Some(serde_json::Value::Number(id)) => id.to_string(),
            _ => user_id,
        };
        Ok(PartnerUser { id })
    }
}
