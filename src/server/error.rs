//! Errors a server answers with, in 7digital's error envelope: JSON by default, XML when the
//! request asks for XML (see [`xml_errors`]).
//!
//! The shape rests on the captured 7digital error answers in `tests/fixtures/live/`
//! (provenance in `PROVENANCE.md` there):
//!
//! | what | rests on |
//! |---|---|
//! | `<response status="error" version="1.2">` around one `<error code="N">` holding `<errorMessage>` | e01, e02, e03, e04, e05 |
//! | the `xmlns:xsd`, `xmlns:xsi` and `xsi:noNamespaceSchemaLocation` attributes of `<response>` | e01, e02, e03, e04 (e05 omits them) |
//! | the code is an integer (XML attribute; a JSON number in the typed JSON dialect) | e01-e05; `j01`-`j03` for the typed dialect |
//! | the field is `errorMessage` (the `message` of older fakes is not 7digital's) | e01-e05 |
//! | 404 with code 2001 for an unknown release, "No releases found with id: ..." | e01, e02 |
//! | 400 with code 1002, "Value of parameter NAME is not valid: VALUE" | e03 (and e04's wording) |
//! | 400 with code 3012 for a voucher that cannot be applied | e04 |
//! | 400 with code 1002, "Adding card failed", for a refused card | e05 |
//! | 401 for an OAuth failure, message "OAuth authentication error: ..." | e09 (sent there as plain text; the fake wraps the same words in the envelope, which 7digital's Node SDK reads as an `OAuthError` too) |
//!
//! JSON form (the XML transcribed into the typed JSON dialect, as the success answers are):
//! `{"status":"error","version":"1.2","schema":"http://api.7digital.com/1.2/static/7digitalAPI.xsd",
//! "error":{"code":2001,"errorMessage":"Release not found"}}` (the `schema` member stands for the
//! XML's `xsi:noNamespaceSchemaLocation`, as in the typed dialect's success answers).

use std::fmt;

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::codes;

/// Where 7digital's XSD is: the XML envelope's `xsi:noNamespaceSchemaLocation`, the typed
/// JSON dialect's `schema` member.
const SCHEMA_LOCATION: &str = "http://api.7digital.com/1.2/static/7digitalAPI.xsd";

/// The largest error body [`xml_errors`] re-encodes (an envelope is a few hundred bytes).
const MAX_ENVELOPE: usize = 64 * 1024;

/// An error answer: HTTP status, 7digital error code and message, sent as
/// `{"status":"error","version":"1.2","schema":"...","error":{"code":...,"errorMessage":"..."}}`
/// (or its XML form, through [`xml_errors`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    /// The HTTP status.
    pub status: u16,
    /// The 7digital error code.
    pub code: i64,
    /// The message.
    pub message: String,
}

impl ServerError {
    /// An error with any status, code and message.
    pub fn new(status: u16, code: i64, message: impl Into<String>) -> Self {
        ServerError {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400, code 1001: a required parameter is missing.
    pub fn missing_parameter(name: &str) -> Self {
        ServerError::new(
            400,
            codes::MISSING_PARAMETER,
            format!("Missing parameter {name}"),
        )
    }

    /// 400, code 1002: a parameter has an invalid value, worded as 7digital words it
    /// ("Value of parameter userId is not valid: invalid", capture e03).
    pub fn invalid_parameter(name: &str, why: impl fmt::Display) -> Self {
        ServerError::new(
            400,
            codes::INVALID_PARAMETER,
            format!("Value of parameter {name} is not valid: {why}"),
        )
    }

    /// 404, code 2001: the named resource does not exist ("Basket not found").
    pub fn not_found(what: impl fmt::Display) -> Self {
        ServerError::new(404, codes::NOT_FOUND, format!("{what} not found"))
    }

    /// 404, code 2001: no catalogue item of a kind (`releases`, `tracks`, `artists`) has the id,
    /// worded as capture e02 words it ("No releases found with id: missing").
    pub fn no_item(kind_plural: &str, id: impl fmt::Display) -> Self {
        ServerError::new(
            404,
            codes::NOT_FOUND,
            format!("No {kind_plural} found with id: {id}"),
        )
    }

    /// 501, code 9001: the operation is not implemented by this server.
    pub fn not_implemented(operation: &str) -> Self {
        ServerError::new(
            501,
            codes::UNEXPECTED,
            format!("Not implemented: {operation}"),
        )
    }

    /// The JSON envelope.
    pub fn envelope(&self) -> String {
        serde_json::json!({
            "status": "error",
            "version": "1.2",
            "schema": SCHEMA_LOCATION,
            "error": { "code": self.code, "errorMessage": self.message },
        })
        .to_string()
    }

    /// The XML envelope, as 7digital sends it (captures e01-e04).
    pub fn xml_envelope(&self) -> String {
        format!(
            concat!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
                "<response xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" ",
                "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ",
                "status=\"error\" version=\"1.2\" ",
                "xsi:noNamespaceSchemaLocation=\"http://api.7digital.com/1.2/static/7digitalAPI.xsd\">\n",
                "  <error code=\"{}\">\n",
                "    <errorMessage>{}</errorMessage>\n",
                "  </error>\n",
                "</response>\n"
            ),
            self.code,
            quick_xml::escape::escape(xml_safe(&self.message).as_str()),
        )
    }

    /// The XML answer: status, `application/xml` and [`xml_envelope`](Self::xml_envelope).
    pub fn into_xml_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (
            status,
            [("content-type", "application/xml; charset=utf-8")],
            self.xml_envelope(),
        )
            .into_response()
    }
}

/// `text` without the characters XML 1.0 cannot carry (control characters other than tab,
/// newline and carriage return), so that any message makes a well-formed document.
fn xml_safe(text: &str) -> String {
    text.chars()
        .filter(|&c| c == '\t' || c == '\n' || c == '\r' || !c.is_control())
        .collect()
}

/// Whether an `Accept` header asks for XML rather than JSON: it names an XML type
/// (`application/xml`, `text/xml`, `*/*+xml`) before any JSON type. 7digital's live API
/// answers XML unless asked for JSON; the fake answers JSON unless asked for XML, since its
/// success answers are JSON only.
pub fn wants_xml(accept: Option<&str>) -> bool {
    let Some(accept) = accept else {
        return false;
    };
    let accept = accept.to_ascii_lowercase();
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or_default().trim();
        let refused = parts.any(|p| {
            let p = p.trim();
            p.strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        if refused {
            continue;
        }
        if media.ends_with("/xml") || media.ends_with("+xml") {
            return true;
        }
        if media.ends_with("/json") || media.ends_with("+json") {
            return false;
        }
    }
    false
}

/// Middleware: an error answer (status 400 or more, in the JSON envelope) to a request whose
/// `Accept` header asks for XML ([`wants_xml`]) is re-sent in 7digital's XML envelope, with
/// the same status, code and message. Other answers pass unchanged.
pub async fn xml_errors(request: Request, next: Next) -> Response {
    let xml = wants_xml(
        request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok()),
    );
    let response = next.run(request).await;
    if !xml || response.status().as_u16() < 400 {
        return response;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ENVELOPE).await else {
        return ServerError::new(parts.status.as_u16(), codes::UNEXPECTED, "Error")
            .into_xml_response();
    };
    match crate::error::envelope::parse(&bytes) {
        Some(envelope) => {
            let error = ServerError::new(parts.status.as_u16(), envelope.code, envelope.message);
            let mut xml = error.into_xml_response();
            // Keep the answer's other headers (Retry-After, WWW-Authenticate, Date, ...).
            parts.headers.remove(header::CONTENT_LENGTH);
            parts.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/xml; charset=utf-8"),
            );
            let body = std::mem::take(xml.body_mut());
            Response::from_parts(parts, body)
        }
        None => Response::from_parts(parts, axum::body::Body::from(bytes)),
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "HTTP {}, error {}: {}",
            self.status, self.code, self.message
        )
    }
}

impl std::error::Error for ServerError {}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (
            status,
            [("content-type", "application/json")],
            self.envelope(),
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_headers() {
        assert!(wants_xml(Some("application/xml")));
        assert!(wants_xml(Some("text/xml, application/json")));
        assert!(!wants_xml(Some("application/json, text/xml")));
        assert!(!wants_xml(Some("application/xml;q=0, application/json")));
        assert!(!wants_xml(Some("*/*")));
        assert!(!wants_xml(None));
    }

    #[test]
    fn both_envelopes_decode_to_the_same_error() {
        let error = ServerError::new(404, 2001, "No releases found with id: <1&2>\u{1}");
        let json = crate::error::envelope::parse(error.envelope().as_bytes()).unwrap();
        let xml = crate::error::envelope::parse(error.xml_envelope().as_bytes()).unwrap();
        assert_eq!((json.code, xml.code), (2001, 2001));
        assert_eq!(json.message, "No releases found with id: <1&2>\u{1}");
        assert_eq!(xml.message, "No releases found with id: <1&2>");
    }
}
