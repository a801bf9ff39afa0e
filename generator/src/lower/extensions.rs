//! What this project's extensions declare on an operation: its auth level, its flags, its error
//! meanings.

use openapiv3::{OpenAPI, ReferenceOr};

use crate::error::{Error, Result};
use crate::ir::{AuthLevel, Body, BodyShape, ErrorMeaning, Param};

/// The level the security scheme `name` declares with `x-sevendigital-auth-level`; two-legged
/// when it does not say (or is not defined), so that the call is signed rather than sent bare.
pub(super) fn scheme_level(doc: &OpenAPI, name: &str) -> Result<AuthLevel> {
    use openapiv3::SecurityScheme;
    let scheme = doc
        .components
        .as_ref()
        .and_then(|c| c.security_schemes.get(name))
        .and_then(ReferenceOr::as_item);
    let extensions = match scheme {
        Some(SecurityScheme::APIKey { extensions, .. })
        | Some(SecurityScheme::HTTP { extensions, .. })
        | Some(SecurityScheme::OAuth2 { extensions, .. })
        | Some(SecurityScheme::OpenIDConnect { extensions, .. }) => extensions,
        None => return Ok(AuthLevel::TwoLegged),
    };
    let at = format!("components.securitySchemes.{name}.x-sevendigital-auth-level");
    match extensions.get("x-sevendigital-auth-level") {
        None => Ok(AuthLevel::TwoLegged),
        Some(value) => match value.as_str() {
            Some("consumer-key") => Ok(AuthLevel::ConsumerKey),
            Some("two-legged") => Ok(AuthLevel::TwoLegged),
            Some("three-legged") => Ok(AuthLevel::ThreeLegged),
            _ => Err(Error::new(
                at,
                format!("`{value}` is not one of consumer-key, two-legged, three-legged"),
            )),
        },
    }
}

/// The boolean extension `name` of `op` (false when absent).
pub(super) fn flag(op: &openapiv3::Operation, name: &str, location: &str) -> Result<bool> {
    match op.extensions.get(name) {
        None => Ok(false),
        Some(serde_json::Value::Bool(b)) => Ok(*b),
        Some(other) => Err(Error::new(
            format!("{location}.{name}"),
            format!("`{other}` is not true or false"),
        )),
    }
}

/// The operation's `x-sevendigital-errors`: a list of `{code (optional integer), meaning (a
/// name of the runtime's `Meaning`), input (the wire name of one of its inputs)}`.
pub(super) fn error_meanings(
    op: &openapiv3::Operation,
    params: &[Param],
    body: Option<&Body>,
    location: &str,
) -> Result<Vec<ErrorMeaning>> {
    const NAME: &str = "x-sevendigital-errors";
    let Some(value) = op.extensions.get(NAME) else {
        return Ok(Vec::new());
    };
    let at = format!("{location}.{NAME}");
    let Some(items) = value.as_array() else {
        return Err(Error::new(at, "not a list"));
    };
    let body_fields: &[Param] = match body.map(|b| &b.shape) {
        Some(BodyShape::Fields(fields)) | Some(BodyShape::Whole { fields, .. }) => fields,
        _ => &[],
    };
    let mut meanings = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("{at}[{i}]");
        let text = |key: &str| item.get(key).and_then(serde_json::Value::as_str);
        let meaning = match text("meaning") {
            Some(m) if !m.is_empty() && m.chars().all(|c| c.is_ascii_alphanumeric()) => m,
            _ => {
                return Err(Error::new(
                    format!("{at}.meaning"),
                    "missing, or not a name (letters and digits)",
                ));
            }
        };
        let Some(input) = text("input") else {
            return Err(Error::new(format!("{at}.input"), "missing or not text"));
        };
        if !params.iter().chain(body_fields).any(|p| p.wire == input) {
            return Err(Error::new(
                format!("{at}.input"),
                format!("`{input}` is not an input of the operation"),
            ));
        }
        let code = match item.get("code") {
            None => None,
            Some(code) => Some(code.as_i64().ok_or_else(|| {
                Error::new(format!("{at}.code"), format!("`{code}` is not an integer"))
            })?),
        };
        meanings.push(ErrorMeaning {
            code,
            meaning: meaning.to_string(),
            input: input.to_string(),
        });
    }
    Ok(meanings)
}
