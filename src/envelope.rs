//! 7digital's error envelope, in its JSON and XML forms.
//!
//! JSON: `{"status":"error","error":{"code":1001,"message":"Missing parameter"}}`
//!
//! XML: `<response status="error"><error code="1001"><errorMessage>Missing parameter</errorMessage></error></response>`

use quick_xml::events::Event;

/// The code and message of a 7digital error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The 7digital error code (1xxx input, 2xxx resource, 3xxx user, 7xxx app, 9xxx server).
    pub code: i64,
    /// The message that came with it (may be empty).
    pub message: String,
}

/// Reads an error envelope from a body, JSON or XML; `None` when the body is neither.
pub fn parse(body: &[u8]) -> Option<Envelope> {
    let start = body.iter().position(|b| !b.is_ascii_whitespace())?;
    match body[start] {
        b'{' => parse_json(body),
        b'<' => parse_xml(body),
        _ => None,
    }
}

fn parse_json(body: &[u8]) -> Option<Envelope> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let error = value.get("error")?;
    let code = match error.get("code")? {
        serde_json::Value::Number(n) => n.as_i64()?,
        serde_json::Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    let message = error
        .get("message")
        .or_else(|| error.get("errorMessage"))
        .and_then(|m| m.as_str())
        .unwrap_or_default()
        .to_string();
    Some(Envelope { code, message })
}

fn parse_xml(body: &[u8]) -> Option<Envelope> {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut buf = Vec::new();
    let mut code = None;
    let mut message = String::new();
    let mut in_message = false;
    loop {
        match reader.read_event_into(&mut buf).ok()? {
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
    Some(Envelope {
        code: code?,
        message: message.trim().to_string(),
    })
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
    fn not_an_envelope() {
        assert_eq!(parse(b"<html><body>Bad gateway</body></html>"), None);
        assert_eq!(parse(br#"{"status":"ok"}"#), None);
        assert_eq!(parse(b""), None);
        assert_eq!(parse(b"\xff\xfe garbage"), None);
        assert_eq!(parse(b"<response><error code='x'>"), None);
    }
}
