//! Logging sales (`user/deliveritem`): sent at most once, answers in JSON or XML.

use quick_xml::events::Event;
use serde::Deserialize;

use super::operations::LOG_SALE;
use super::price::Price;
use super::types::LoggedSale;
use super::validate;
use super::{decode_error, send};
use crate::client::Client;
use crate::error::Error;
use crate::request::Request;

/// The package sent when none is set: 2, "standard".
pub const DEFAULT_PACKAGE_ID: u32 = 2;

impl Client {
    /// Logs a sale of release `release_id` (or of one of its tracks, with
    /// [`track_id`](LogSale::track_id)) to the store's user `user_id` in `country`, under the
    /// store's `transaction_id`, at `retail_price`.
    ///
    /// `GET /user/deliveritem` (operation `logSale`, signed two-legged). Sent at most once per
    /// call and never retried automatically, whatever the client's retry policy: a retry would
    /// log a second sale. Send the call with [`LogSale::send`].
    pub fn log_sale(
        &self,
        user_id: impl Into<String>,
        release_id: impl Into<String>,
        country: impl Into<String>,
        transaction_id: impl Into<String>,
        retail_price: Price,
    ) -> LogSale {
        LogSale {
            client: self.clone(),
            user_id: user_id.into(),
            release_id: release_id.into(),
            country: country.into(),
            transaction_id: transaction_id.into(),
            retail_price,
            track_id: None,
            email_address: None,
            package_id: None,
            post_code: None,
        }
    }
}

/// Request builder for `GET /user/deliveritem` (operation `logSale`), made by
/// [`Client::log_sale`].
///
/// Set optional inputs with the chained setters, then call [`send`](Self::send).
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until you call `.send().await`"]
pub struct LogSale {
    client: Client,
    user_id: String,
    release_id: String,
    country: String,
    transaction_id: String,
    retail_price: Price,
    track_id: Option<String>,
    email_address: Option<String>,
    package_id: Option<u32>,
    post_code: Option<String>,
}

impl LogSale {
    /// The track sold (a track of the release); without it, the whole release is sold.
    ///
    /// Sets `trackId`.
    pub fn track_id(mut self, track_id: impl Into<String>) -> Self {
        self.track_id = Some(track_id.into());
        self
    }

    /// The buyer's email address.
    ///
    /// Sets `emailAddress`.
    pub fn email_address(mut self, email_address: impl Into<String>) -> Self {
        self.email_address = Some(email_address.into());
        self
    }

    /// The package of the item delivered (default 2, "standard").
    ///
    /// Sets `packageId`.
    pub fn package_id(mut self, package_id: u32) -> Self {
        self.package_id = Some(package_id);
        self
    }

    /// The buyer's ZIP code, `12345` or `12345-6789`; only when the country is US (or a Canadian
    /// postal code, `A1A 1A1`, when it is CA).
    ///
    /// Sets `postCode`.
    pub fn post_code(mut self, post_code: impl Into<String>) -> Self {
        self.post_code = Some(post_code.into());
        self
    }

    /// Checks the inputs, sends the sale once and returns what 7digital logged.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field for a bad input (nothing is sent).
    /// [`Error::SaleOutcomeUnknown`] when the request went out but its answer was lost (the
    /// connection failed after sending, a 5xx answer, or a success answer that cannot be read):
    /// check the user's locker for the purchase or transaction before trying again. Otherwise
    /// as for any call (see [`Error`]); a connection that could not be opened at all is an
    /// [`Error::Transport`], and nothing was logged.
    pub async fn send(self) -> Result<LoggedSale, Error> {
        let op = &LOG_SALE;
        let user_id = validate::user_id(&self.user_id)?;
        let release_id = validate::id("releaseId", &self.release_id)?;
        let track_id = match &self.track_id {
            Some(track_id) => Some(validate::id("trackId", track_id)?),
            None => None,
        };
        let country = validate::country(&self.country)?;
        let transaction_id = validate::required("transactionId", &self.transaction_id)?;
        let email_address = match &self.email_address {
            Some(email) => Some(validate::email_address(email)?),
            None => None,
        };
        let post_code = match &self.post_code {
            Some(code) => Some(validate::post_code(code, &country)?),
            None => None,
        };

        let mut request = Request::new(op);
        request.query("userId", user_id.to_string());
        request.query("releaseId", release_id.to_string());
        if let Some(track_id) = track_id {
            request.query("trackId", track_id.to_string());
        }
        request.query("country", country);
        request.query("transactionId", transaction_id.to_string());
        if let Some(email) = email_address {
            request.query("emailAddress", email.to_string());
        }
        request.query(
            "packageId",
            self.package_id.unwrap_or(DEFAULT_PACKAGE_ID).to_string(),
        );
        request.query("retailPrice", self.retail_price.as_str().to_string());
        if let Some(code) = post_code {
            request.query("postCode", code);
        }

        let answer = send(&self.client, request)
            .await
            .map_err(|e| outcome_unknown(e, transaction_id))?;
        decode_sale(&answer.body)
            .map_err(|why| outcome_unknown(decode_error(op.id, &answer, why), transaction_id))
    }
}

/// Turns the errors that leave a sale's outcome unknown into [`Error::SaleOutcomeUnknown`]:
/// a transport error once the request may have gone out, a 5xx answer, an unreadable success.
fn outcome_unknown(error: Error, transaction_id: &str) -> Error {
    let transaction_id = transaction_id.to_string();
    match error {
        Error::Transport { operation, source } if !(source.is_connect() || source.is_builder()) => {
            Error::SaleOutcomeUnknown {
                operation,
                transaction_id,
                status: source.status(),
                code: None,
                reason: "the request was sent but no answer arrived".to_string(),
                source: Some(source),
            }
        }
        Error::Api {
            operation,
            status,
            code,
            message,
        } if status >= 500 => Error::SaleOutcomeUnknown {
            operation,
            transaction_id,
            status: Some(status),
            code: Some(code),
            reason: format!("HTTP {status}, 7digital error {code}: {message}"),
            source: None,
        },
        Error::Http {
            operation,
            status,
            snippet,
        } if status >= 500 => Error::SaleOutcomeUnknown {
            operation,
            transaction_id,
            status: Some(status),
            code: None,
            reason: format!("HTTP {status}: {snippet}"),
            source: None,
        },
        Error::Decode {
            operation,
            status,
            message,
            snippet,
        } => Error::SaleOutcomeUnknown {
            operation,
            transaction_id,
            status: Some(status),
            code: None,
            reason: format!("HTTP {status} answer could not be read ({message}): {snippet}"),
            source: None,
        },
        other => other,
    }
}

#[derive(Deserialize)]
struct JsonAnswer {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    purchase: Option<JsonPurchase>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsonPurchase {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    transaction_id: Option<serde_json::Value>,
    #[serde(default)]
    purchase_date: Option<String>,
}

/// A string or a number as text; anything else is `None`.
fn text(value: Option<serde_json::Value>) -> Option<String> {
    match value? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads a sale answer, JSON or XML; `Err` says why it cannot be read.
pub(crate) fn decode_sale(body: &[u8]) -> Result<LoggedSale, String> {
    let (purchase_id, transaction_id, purchase_date) =
        match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => {
                let answer: JsonAnswer =
                    serde_json::from_slice(body).map_err(|e| format!("invalid JSON: {e}"))?;
                if let Some(status) = answer.status.filter(|s| s != "ok") {
                    return Err(format!("status is `{status}`, not `ok`"));
                }
                let purchase = answer
                    .purchase
                    .ok_or_else(|| "no `purchase` in the answer".to_string())?;
                (
                    text(purchase.id),
                    text(purchase.transaction_id),
                    purchase.purchase_date,
                )
            }
            Some(b'<') => decode_xml(body)?,
            _ => return Err("the answer is neither JSON nor XML".into()),
        };
    match purchase_id.filter(|id| !id.trim().is_empty()) {
        Some(purchase_id) => Ok(LoggedSale {
            purchase_id,
            transaction_id,
            purchase_date,
        }),
        None => Err("no purchase id in the answer".into()),
    }
}

type Fields = (Option<String>, Option<String>, Option<String>);

/// `<response status="ok"><purchase id="9001"><transactionId>..</transactionId>
/// <purchaseDate>..</purchaseDate></purchase></response>` (an `<id>` child also counts).
fn decode_xml(body: &[u8]) -> Result<Fields, String> {
    let invalid = |e: &dyn std::fmt::Display| format!("invalid XML: {e}");
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut buf = Vec::new();
    let mut path: Vec<Vec<u8>> = Vec::new();
    let (mut id, mut transaction_id, mut purchase_date) = (None, None, None::<String>);
    let mut saw_purchase = false;
    let mut text = String::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| invalid(&e))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = e.local_name().as_ref().to_vec();
                let wanted_attr: Option<&[u8]> = match name.as_slice() {
                    b"response" if path.is_empty() => Some(b"status"),
                    b"purchase" => Some(b"id"),
                    _ => None,
                };
                if let Some(wanted) = wanted_attr {
                    for attr in e.attributes() {
                        let attr = attr.map_err(|e| invalid(&e))?;
                        if attr.key.local_name().as_ref() == wanted {
                            let value = attr.unescape_value().map_err(|e| invalid(&e))?;
                            if name == b"response" {
                                if value.as_ref() != "ok" {
                                    return Err(format!("status is `{value}`, not `ok`"));
                                }
                            } else {
                                id = Some(value.trim().to_string());
                            }
                        }
                    }
                }
                if name == b"purchase" {
                    saw_purchase = true;
                }
                text.clear();
                if matches!(event, Event::Start(_)) {
                    path.push(name);
                }
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let in_purchase = path.last().is_some_and(|p| p == b"purchase");
                if in_purchase {
                    let value = text.trim().to_string();
                    match name.as_slice() {
                        b"transactionId" => transaction_id = Some(value),
                        b"purchaseDate" => purchase_date = Some(value),
                        b"id" if id.is_none() => id = Some(value),
                        _ => {}
                    }
                }
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.decode().map_err(|e| invalid(&e))?),
            Event::CData(t) => text.push_str(&String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => text.push(c),
                _ => {
                    let name = r.decode().map_err(|e| invalid(&e))?;
                    let resolved = quick_xml::escape::resolve_xml_entity(&name)
                        .ok_or_else(|| format!("invalid XML: unknown entity `&{name};`"))?;
                    text.push_str(resolved);
                }
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !saw_purchase {
        return Err("no `purchase` element in the answer".into());
    }
    Ok((id, transaction_id, purchase_date))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_and_json_answers() {
        let xml = br#"<?xml version="1.0" encoding="utf-8"?>
            <response status="ok" version="1.2"><purchase id="9001"><transactionId>tx&amp;1</transactionId><purchaseDate>2026-11-02T10:00:00Z</purchaseDate></purchase></response>"#;
        let json = br#"{"status":"ok","purchase":{"id":9001,"transactionId":"tx&1","purchaseDate":"2026-11-02T10:00:00Z"}}"#;
        for body in [&xml[..], &json[..]] {
            let sale = decode_sale(body).unwrap();
            assert_eq!(
                sale,
                LoggedSale {
                    purchase_id: "9001".into(),
                    transaction_id: Some("tx&1".into()),
                    purchase_date: Some("2026-11-02T10:00:00Z".into()),
                }
            );
        }
        let child_id = b"<response status=\"ok\"><purchase><id>77</id></purchase></response>";
        assert_eq!(decode_sale(child_id).unwrap().purchase_id, "77");
        let minimal =
            decode_sale(br#"<response status="ok"><purchase id="5"/></response>"#).unwrap();
        assert_eq!(
            (minimal.purchase_id.as_str(), minimal.transaction_id),
            ("5", None)
        );
    }

    #[test]
    fn unreadable_answers_are_errors_not_panics() {
        for body in [
            &b""[..],
            b"ok",
            b"{}",
            b"{\"status\":\"ok\"}",
            b"{\"status\":\"ok\",\"purchase\":{}}",
            b"{\"status\":\"ok\",\"purchase\":{\"id\":\"\"}}",
            b"{\"status\":\"error\",\"purchase\":{\"id\":\"1\"}}",
            b"{\"purchase\":\"9001\"}",
            b"<response status=\"ok\"></response>",
            b"<response status=\"error\"><purchase id=\"1\"/></response>",
            b"<response status=\"ok\"><purchase id=\"1\"><transactionId>&bogus;</transactionId></purchase></response>",
            b"<response status=\"ok\"><purchase id=\"1\"></response>",
            b"<response status=\"ok\"><purchase id='1\"/></response>",
            b"\xff\xfe<",
            b"<<<<<<<<<<<<<<<",
        ] {
            assert!(decode_sale(body).is_err(), "{}", String::from_utf8_lossy(body));
        }
    }
}
