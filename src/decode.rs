//! Turning the body of a successful answer into a typed value.
//!
//! JSON is decoded directly; an XML body (by `Content-Type`, or a body that starts with `<`)
//! is first converted the way 7digital converts it ([`crate::xml_answer`]). Either way the
//! models' lenient rules ([`crate::lenient`]) apply, and a failure names the JSON path of the
//! value that did not fit (`release.trackNumber: invalid value ...`).

use serde::de::DeserializeOwned;

use crate::answer::Answer;
use crate::error::{Error, snippet};

/// Decodes `answer` (a 2xx answer of `operation`) into `T`.
///
/// # Errors
///
/// [`Error::Decode`] with the JSON path of the value that does not fit, the status and the
/// start of the body.
pub(crate) fn decode<T: DeserializeOwned>(
    operation: &'static str,
    answer: &Answer,
) -> Result<T, Error> {
    let fail = |message: String| Error::Decode {
        operation,
        status: answer.status,
        message,
        snippet: snippet(&answer.body),
    };
    if is_xml(answer) {
        let value = crate::xml_answer::to_json(&answer.body).map_err(&fail)?;
        return serde_path_to_error::deserialize(value).map_err(|e| fail(describe(&e)));
    }
    let mut json = serde_json::Deserializer::from_slice(&answer.body);
    let value: T = serde_path_to_error::deserialize(&mut json)
        .map_err(|e| {
            let message = describe(&e);
            match &answer.content_type {
                Some(ct) if !ct.contains("json") => format!("expected JSON, got `{ct}`: {message}"),
                _ => message,
            }
        })
        .map_err(&fail)?;
    json.end().map_err(|e| fail(e.to_string()))?;
    Ok(value)
}

fn is_xml(answer: &Answer) -> bool {
    let declared = answer
        .content_type
        .as_deref()
        .is_some_and(|ct| ct.contains("xml"));
    let looks = answer
        .body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'<');
    declared || looks
}

fn describe<E: std::fmt::Display>(e: &serde_path_to_error::Error<E>) -> String {
    let path = e.path().to_string();
    if path == "." || path.is_empty() {
        e.inner().to_string()
    } else {
        format!("at `{path}`: {}", e.inner())
    }
}
