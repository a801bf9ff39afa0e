//! 7digital's error envelope, in its JSON and XML forms.
//!
//! JSON: `{"status":"error","version":"1.2","error":{"code":1001,"errorMessage":"Missing parameter"}}`
//! (the field is `errorMessage`, as in every captured 7digital error; a `message` field, which
//! no capture has but older fakes sent, is still read when `errorMessage` is absent)
//!
//! XML: `<response status="error"><error code="1001"><errorMessage>Missing parameter</errorMessage></error></response>`
//!
//! Plain text: `OAuth authentication error: Not authorised - no user credentials provided`, which
//! 7digital's OAuth layer sends (with 401, and sometimes with 200) instead of an envelope; it is
//! read as code [`OAUTH_TEXT_CODE`] with the text as message, as 7digital's own SDK does.

use quick_xml::events::Event;

/// The code and message of a 7digital error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The 7digital error code (1xxx input, 2xxx resource, 3xxx user, 7xxx app, 9xxx server).
    pub code: i64,
    /// The message that came with it (may be empty).
    pub message: String,
}

impl Envelope {
    /// Reads an error envelope from a body: 7digital's JSON or XML envelope, or its plain-text
    /// OAuth failure; `None` when the body is none of them.
    pub fn parse(body: &[u8]) -> Option<Envelope> {
        parse(body)
    }
}

/// The code given to a plain-text OAuth failure (7digital's "general error" code, which its C#
/// SDK assigns to the same answer).
pub const OAUTH_TEXT_CODE: i64 = 9001;

/// How a plain-text OAuth failure starts.
const OAUTH_TEXT_PREFIX: &str = "OAuth authentication error";

/// Reads an error envelope from a body, JSON, XML or 7digital's plain-text OAuth failure;
/// `None` when the body is none of them.
pub fn parse(body: &[u8]) -> Option<Envelope> {
    parse_with_status(body).map(|(envelope, _)| envelope)
}

/// Reads an error envelope from the body of a 2xx answer: only a JSON or XML envelope whose
/// `status` is `error`, or a plain-text OAuth failure, counts (a success answer never has one).
pub fn parse_failure(body: &[u8]) -> Option<Envelope> {
    // Error envelopes are small and say `error`; skip the full parse for every other answer.
    if body.len() > MAX_FAILURE_BODY || !contains(body, b"error") {
        return None;
    }
    match parse_with_status(body)? {
        (envelope, Failure::Stated) => Some(envelope),
        (_, Failure::NotStated) => None,
    }
}

/// The largest 2xx body examined for an error envelope.
const MAX_FAILURE_BODY: usize = 64 * 1024;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Whether the body itself says it is a failure.
enum Failure {
    /// `status="error"`, or the plain-text OAuth failure.
    Stated,
    /// An `error` element or object without `status="error"`.
    NotStated,
}

fn parse_with_status(body: &[u8]) -> Option<(Envelope, Failure)> {
    let start = body.iter().position(|b| !b.is_ascii_whitespace())?;
    match body[start] {
        b'{' => parse_json(body),
        b'<' => parse_xml(body),
        _ => parse_text(&body[start..]),
    }
}

fn parse_text(body: &[u8]) -> Option<(Envelope, Failure)> {
    if body.len() > 1024 || !body.starts_with(OAUTH_TEXT_PREFIX.as_bytes()) {
        return None;
    }
    let text = std::str::from_utf8(body).ok()?.trim();
    if !text.starts_with(OAUTH_TEXT_PREFIX) || text.contains('\n') || text.len() > 1024 {
        return None;
    }
    let envelope = Envelope {
        code: OAUTH_TEXT_CODE,
        message: text.to_string(),
    };
    Some((envelope, Failure::Stated))
}

fn parse_json(body: &[u8]) -> Option<(Envelope, Failure)> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let failure = match value.get("status").and_then(|s| s.as_str()) {
        Some(status) if status.eq_ignore_ascii_case("error") => Failure::Stated,
        _ => Failure::NotStated,
    };
    let error = value.get("error")?;
    let code = match error.get("code")? {
        serde_json::Value::Number(n) => n.as_i64()?,
        serde_json::Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    let message = error
        .get("errorMessage")
        .or_else(|| error.get("message"))
        .and_then(|m| m.as_str())
        .unwrap_or_default()
        .to_string();
    Some((Envelope { code, message }, failure))
}

fn parse_xml(body: &[u8]) -> Option<(Envelope, Failure)> {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut buf = Vec::new();
    let mut code = None;
    let mut message = String::new();
    let mut in_message = false;
    let mut failure = Failure::NotStated;
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"response" => {
                for attr in e.attributes().flatten() {
                    if attr.key.local_name().as_ref() == b"status"
                        && attr.value.as_ref().eq_ignore_ascii_case(b"error")
                    {
                        failure = Failure::Stated;
                    }
                }
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"error" => {
                for attr in e.attributes().flatten() {
                    if attr.key.local_name().as_ref() == b"code" {
                        let value = attr.unescape_value().ok()?;
                        code = value.trim().parse().ok();
                    }
                }
            }
            Event::Start(e) if e.local_name().as_ref() == b"errorMessage" => in_message = true,
            Event::End(e) if e.local_name().as_ref() == b"errorMessage" => in_message = false,
            Event::Text(t) if in_message => {
                message.push_str(&t.decode().ok()?);
            }
            Event::GeneralRef(r) if in_message => match r.resolve_char_ref() {
                Ok(Some(c)) => message.push(c),
                _ => {
                    let name = r.decode().ok()?;
                    message.push_str(quick_xml::escape::resolve_xml_entity(&name)?);
                }
            },
            Event::CData(t) if in_message => {
                message.push_str(&String::from_utf8_lossy(&t));
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let envelope = Envelope {
        code: code?,
        message: message.trim().to_string(),
    };
    Some((envelope, failure))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_envelope() {
        let env =
            parse(br#"{"status":"error","error":{"code":1001,"message":"Missing parameter"}}"#);
        assert_eq!(
            env,
            Some(Envelope {
                code: 1001,
                message: "Missing parameter".into()
            })
        );
    }

    #[test]
    fn json_envelope_as_7digital_names_it() {
        let body = br#"{"status":"error","version":"1.2","error":{"code":2001,"errorMessage":"Release not found"}}"#;
        assert_eq!(
            parse(body),
            Some(Envelope {
                code: 2001,
                message: "Release not found".into()
            })
        );
    }

    #[test]
    fn xml_envelope() {
        let body = br#"<?xml version="1.0"?><response status="error" version="1.2"><error code="2001"><errorMessage> Release &#8220;X&#8221; not found &amp; gone </errorMessage></error></response>"#;
        assert_eq!(
            parse(body),
            Some(Envelope {
                code: 2001,
                message: "Release \u{201c}X\u{201d} not found & gone".into()
            })
        );
    }

    #[test]
    fn failures_at_success_status_must_say_so() {
        let xml = br#"<response status="error" version="1.2"><error code="2001"><errorMessage>Release not found</errorMessage></error></response>"#;
        assert_eq!(parse_failure(xml).map(|e| e.code), Some(2001));
        let json = br#"{"status":"error","error":{"code":"1001","errorMessage":"Missing"}}"#;
        assert_eq!(parse_failure(json).map(|e| e.code), Some(1001));
        let text = b"OAuth authentication error: Not found";
        let env = parse_failure(text).unwrap();
        assert_eq!(
            (env.code, env.message.as_str()),
            (9001, "OAuth authentication error: Not found")
        );
        // An `error` member without `status: error` is not a failure at 2xx.
        assert_eq!(
            parse_failure(br#"{"status":"ok","error":{"code":1}}"#),
            None
        );
        assert_eq!(
            parse_failure(br#"{"status":"ok","release":{"id":1}}"#),
            None
        );
        assert_eq!(parse_failure(b"plain text"), None);
    }

    #[test]
    fn not_an_envelope() {
        assert_eq!(parse(b"<html><body>Bad gateway</body></html>"), None);
        assert_eq!(parse(br#"{"status":"ok"}"#), None);
        assert_eq!(parse(b""), None);
        assert_eq!(parse(b"\xff\xfe garbage"), None);
        assert_eq!(parse(b"<response><error code='x'>"), None);
    }
}
