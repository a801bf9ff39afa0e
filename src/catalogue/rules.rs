//! What no API document can say about 7digital's operations, in one place: rules that tie two
//! inputs together, and how the meanings the documents give some error answers
//! (`x-sevendigital-errors`) become errors of their own.
//!
//! Each parameter's own rules (required, type, enum, bounds, length, format, pattern) come from
//! the documents, through the catalogue ([`Param::check`](crate::catalogue::Param::check)).
//! The rules here are applied by the same callers: the client before sending
//! ([`Request::check`](crate::call::request::Request::check)), and the route stubs and the fake
//! before an implementation runs ([`server::validate`](crate::server::validate)).
//!
//! ```
//! use sevendigital::catalogue::LOG_SALE;
//! use sevendigital::catalogue::rules;
//!
//! let sent = [("country", "GB"), ("postCode", "10001")];
//! let value = |name: &str| sent.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string());
//! let (field, why) = rules::check(&LOG_SALE, &value).unwrap_err();
//! assert_eq!(field, "postCode");
//! assert!(why.contains("US"));
//! ```

use crate::catalogue::{self, Operation};
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

/// What an error answer means for one operation, as its document declares it
/// (`x-sevendigital-errors`); the generator puts the list on the operation's
/// [`Endpoint::ERRORS`](crate::call::Endpoint::ERRORS), empty for most operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorMeaning {
    /// The 7digital error code the meaning is tied to; `None` for
    /// [`Meaning::SaleOutcomeUnknown`], which covers every error after which the request may
    /// have been carried out.
    pub code: Option<i64>,
    /// What it means.
    pub meaning: Meaning,
    /// The wire name of the input the error is reported with (`userId`).
    pub input: &'static str,
}

/// The meanings an error of an operation can be given, each an [`Error`] of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// [`Error::UserAlreadyExists`] (with the user id).
    UserAlreadyExists,
    /// [`Error::SaleNotFound`] (with the purchase id).
    SaleNotFound,
    /// [`Error::ReportingPeriodClosed`] (with the purchase id).
    ReportingPeriodClosed,
    /// [`Error::SaleOutcomeUnknown`] (with the transaction id): the request may have reached
    /// 7digital but no readable answer came back (a transport failure after connecting, a 5xx,
    /// an answer that does not decode).
    SaleOutcomeUnknown,
}

/// What `error` means given the `meanings` of the operation that got it; `inputs[i]` is the
/// value sent for `meanings[i].input`. The first meaning that applies is used; any other error
/// is returned as it is, as is an [`Error::InvalidInput`] (nothing was sent).
///
/// ```
/// use sevendigital::catalogue::rules::{self, ErrorMeaning, Meaning};
/// use sevendigital::Error;
///
/// let meanings = [ErrorMeaning { code: Some(2003), meaning: Meaning::UserAlreadyExists, input: "userId" }];
/// let answer = Error::Api { operation: "createPartnerUser", status: 409, code: 2003, message: "exists".into(), headers: Default::default() };
/// let error = rules::after_error(&meanings, &[Some("u-1".into())], answer);
/// assert!(matches!(error, Error::UserAlreadyExists { ref user_id, .. } if user_id == "u-1"));
/// ```
pub fn after_error(meanings: &[ErrorMeaning], inputs: &[Option<String>], error: Error) -> Error {
    if matches!(error, Error::InvalidInput { .. }) {
        return error;
    }
    let mut error = error;
    for (i, meaning) in meanings.iter().enumerate() {
        let input = inputs.get(i).cloned().flatten().unwrap_or_default();
        error = match given(meaning, input, error) {
            Ok(meant) => return meant,
            Err(unchanged) => unchanged,
        };
    }
    error
}

/// `error` given `meaning` (`Ok`), or back unchanged when the meaning does not apply to it.
fn given(meaning: &ErrorMeaning, input: String, error: Error) -> Result<Error, Error> {
    let code_fits = |code: i64| meaning.code.is_none_or(|wanted| wanted == code);
    match (meaning.meaning, error) {
        (
            Meaning::UserAlreadyExists,
            Error::Api {
                operation,
                status,
                code,
                message,
                ..
            },
        ) if code_fits(code) => Ok(Error::UserAlreadyExists {
            operation,
            user_id: input,
            status,
            message,
        }),
        (
            Meaning::SaleNotFound,
            Error::Api {
                operation,
                status,
                code,
                message,
                ..
            },
        ) if code_fits(code) => Ok(Error::SaleNotFound {
            operation,
            purchase_id: input,
            status,
            message,
        }),
        (
            Meaning::ReportingPeriodClosed,
            Error::Api {
                operation,
                status,
                code,
                message,
                ..
            },
        ) if code_fits(code) => Ok(Error::ReportingPeriodClosed {
            operation,
            purchase_id: input,
            status: Some(status),
            message,
        }),
        (Meaning::SaleOutcomeUnknown, error) => sale_outcome(error, input),
        (_, error) => Err(error),
    }
}

/// [`Error::SaleOutcomeUnknown`] for the errors after which a sale may have been logged.
fn sale_outcome(error: Error, transaction_id: String) -> Result<Error, Error> {
    match error {
        Error::Transport { operation, source } if !(source.is_connect() || source.is_builder()) => {
            Ok(Error::SaleOutcomeUnknown {
                operation,
                transaction_id,
                status: source.status(),
                code: None,
                reason: "the request was sent but no answer arrived".to_string(),
                source: Some(source),
            })
        }
        Error::Api {
            operation,
            status,
            code,
            message,
            ..
        } if status >= 500 => Ok(Error::SaleOutcomeUnknown {
            operation,
            transaction_id,
            status: Some(status),
            code: Some(code),
            reason: format!("HTTP {status}, 7digital error {code}: {message}"),
            source: None,
        }),
        Error::Http {
            operation,
            status,
            snippet,
            ..
        } if status >= 500 => Ok(Error::SaleOutcomeUnknown {
            operation,
            transaction_id,
            status: Some(status),
            code: None,
            reason: format!("HTTP {status}: {snippet}"),
            source: None,
        }),
        Error::Decode {
            operation,
            status,
            message,
            snippet,
        } => Ok(Error::SaleOutcomeUnknown {
            operation,
            transaction_id,
            status: Some(status),
            code: None,
            reason: format!("HTTP {status} answer could not be read ({message}): {snippet}"),
            source: None,
        }),
        other => Err(other),
    }
}
