//! Turning the body of a successful answer into a typed value.
//!
//! JSON is decoded directly; an XML body (by `Content-Type`, or a body that starts with `<`)
//! is first converted the way 7digital converts it ([`xml`]). Either way the
//! models' lenient rules ([`lenient`]) apply, and a failure names the JSON path of the
//! value that did not fit (`release.trackNumber: invalid value ...`).

pub mod lenient;
mod raw;
pub use raw::RawResponse;
pub mod xml;

use serde::de::DeserializeOwned;

use crate::error::{Error, snippet};

/// Decodes `answer` (a 2xx answer of `operation`) into `T`.
///
/// # Errors
///
/// [`Error::Decode`] with the JSON path of the value that does not fit, the status and the
/// start of the body.
pub(crate) fn decode<T: DeserializeOwned>(
    operation: &'static str,
    answer: &RawResponse,
) -> Result<T, Error> {
    let fail = |message: String| Error::Decode {
        operation,
        status: answer.status,
        message,
        snippet: snippet(&answer.body),
    };
    // The fast path decodes without tracking where it is; only a failure is decoded again with
    // `serde_path_to_error`, which fails at the same place and names it.
    if is_xml(answer) {
        let value = crate::decode::xml::to_json(&answer.body).map_err(&fail)?;
        if let Ok(decoded) = T::deserialize(&value) {
            return Ok(decoded);
        }
        return serde_path_to_error::deserialize(value).map_err(|e| fail(describe(&e)));
    }
    if let Ok(decoded) = serde_json::from_slice(&answer.body) {
        return Ok(decoded);
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

fn is_xml(answer: &RawResponse) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Outer {
        release: Inner,
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Inner {
        id: String,
    }

    fn answer(content_type: &str, body: &str) -> RawResponse {
        RawResponse {
            status: 200,
            content_type: Some(content_type.to_string()),
            headers: Default::default(),
            from_cache: false,
            body: body.as_bytes().to_vec(),
        }
    }

    fn message(result: Result<Outer, Error>) -> String {
        match result {
            Err(Error::Decode { message, .. }) => message,
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn a_good_answer_decodes_in_either_format() {
        let json = answer("application/json", r#"{"release": {"id": "7"}}"#);
        let xml = answer(
            "text/xml",
            "<response><release><id>7</id></release></response>",
        );
        for a in [json, xml] {
            assert_eq!(
                decode::<Outer>("op", &a).unwrap(),
                Outer {
                    release: Inner { id: "7".into() }
                }
            );
        }
    }

    #[test]
    fn a_failure_names_the_path_of_the_value_that_does_not_fit() {
        let json = answer("application/json", r#"{"release": {"id": 5}}"#);
        let m = message(decode("op", &json));
        assert!(m.starts_with("at `release.id`: "), "{m}");
        let xml = answer(
            "text/xml",
            "<response><release><id><a>1</a></id></release></response>",
        );
        let m = message(decode("op", &xml));
        assert!(m.contains("release.id"), "{m}");
    }

    #[test]
    fn trailing_bytes_after_the_value_are_refused() {
        let json = answer("application/json", r#"{"release": {"id": "7"}} extra"#);
        let m = message(decode("op", &json));
        assert!(m.contains("trailing"), "{m}");
    }
}
