//! What no API document can say about 7digital's operations, in one place: rules that tie two
//! inputs together, and what some error answers mean for the call that got them.
//!
//! Each parameter's own rules (required, type, enum, bounds, length, format, pattern) come from
//! the documents, through the catalogue ([`Param::check`](crate::catalogue::Param::check)).
//! The rules here are applied by the same callers: the client before sending
//! ([`Request::check`](crate::request::Request::check)), and the route stubs and the fake
//! before an implementation runs ([`server::validate`](crate::server::validate)).
//!
//! ```
//! use sevendigital::catalogue::LOG_SALE;
//! use sevendigital::rules;
//!
//! let sent = [("country", "GB"), ("postCode", "10001")];
//! let value = |name: &str| sent.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string());
//! let (field, why) = rules::check(&LOG_SALE, &value).unwrap_err();
//! assert_eq!(field, "postCode");
//! assert!(why.contains("US"));
//! ```

use crate::catalogue::{self, Operation};
use crate::codes;
use crate::error::Error;

/// Checks the rules between the inputs of `operation`; `value` gives an input's value by wire
/// name.
///
/// - `logSale`: a post code only with country `US` (a ZIP code) or `CA` (a Canadian postal
///   code);
/// - `getPartnerLocker`: a `trackId` filter only with a `releaseId`.
///
/// # Errors
///
/// The wire name of the input at fault and why.
pub fn check(
    operation: &Operation,
    value: &dyn Fn(&str) -> Option<String>,
) -> Result<(), (&'static str, String)> {
    if operation.id == catalogue::GET_PARTNER_LOCKER.id
        && value("trackId").is_some()
        && value("releaseId").is_none()
    {
        return Err((
            "trackId",
            "filters only with a releaseId (the release the track appears on)".to_string(),
        ));
    }
    if operation.id == catalogue::LOG_SALE.id
        && let Some(code) = value("postCode")
    {
        let country = value("country").unwrap_or_default().to_ascii_uppercase();
        let zip = code.len() >= 5 && code.as_bytes()[..5].iter().all(u8::is_ascii_digit);
        let fits = match country.as_str() {
            "US" => zip,
            "CA" => !zip,
            _ => {
                return Err((
                    "postCode",
                    format!(
                        "is only sent when the country is US (a ZIP code) or CA (a postal code), not `{}`",
                        crate::text::escape_cut(&country, 8)
                    ),
                ));
            }
        };
        if !fits {
            return Err((
                "postCode",
                format!(
                    "`{}` is not a {} post code",
                    crate::text::escape_cut(&code, 20),
                    if country == "US" {
                        "US ZIP"
                    } else {
                        "Canadian"
                    }
                ),
            ));
        }
    }
    Ok(())
}

/// Whether [`after_error`] gives some errors of `operation` a meaning of their own.
pub fn maps_errors(operation: &Operation) -> bool {
    [
        &catalogue::CREATE_PARTNER_USER,
        &catalogue::LOG_SALE,
        &catalogue::REFUND_RELEASE,
        &catalogue::REFUND_TRACK,
    ]
    .iter()
    .any(|op| op.id == operation.id)
}

/// What an error of a call means for the operation called, given the inputs it was sent with
/// (`value` by wire name):
///
/// - `createPartnerUser`: 7digital error 2003 is [`Error::UserAlreadyExists`];
/// - `refundRelease`, `refundTrack`: 2001 is [`Error::SaleNotFound`], 2002
///   [`Error::ReportingPeriodClosed`];
/// - `logSale`: when the request may have reached 7digital but no readable answer came back (a
///   transport failure after connecting, a 5xx, an answer that does not decode), the sale may or
///   may not be logged: [`Error::SaleOutcomeUnknown`], with the transaction id to look for.
///
/// Any other error is returned as it is.
pub fn after_error(
    operation: &Operation,
    value: &dyn Fn(&str) -> Option<String>,
    error: Error,
) -> Error {
    let id = operation.id;
    let input = |name: &str| value(name).unwrap_or_default();
    if id == catalogue::CREATE_PARTNER_USER.id {
        return match error {
            Error::Api {
                operation,
                status,
                code: codes::USER_ALREADY_EXISTS,
                message,
            } => Error::UserAlreadyExists {
                operation,
                user_id: input("userId"),
                status,
                message,
            },
            other => other,
        };
    }
    if id == catalogue::REFUND_RELEASE.id || id == catalogue::REFUND_TRACK.id {
        return match error {
            Error::Api {
                operation,
                status,
                code: codes::NOT_FOUND,
                message,
            } => Error::SaleNotFound {
                operation,
                purchase_id: input("purchaseId"),
                status,
                message,
            },
            Error::Api {
                operation,
                status,
                code: codes::REPORTING_PERIOD_CLOSED,
                message,
            } => Error::ReportingPeriodClosed {
                operation,
                purchase_id: input("purchaseId"),
                status: Some(status),
                message,
            },
            other => other,
        };
    }
    if id == catalogue::LOG_SALE.id {
        return sale_outcome(error, input("transactionId"));
    }
    error
}

/// [`Error::SaleOutcomeUnknown`] for the errors after which a sale may have been logged.
fn sale_outcome(error: Error, transaction_id: String) -> Error {
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
