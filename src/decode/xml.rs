//! 7digital's XML answers, read as the JSON 7digital converts them to.
//!
//! XML is 7digital's default format; an answer can arrive as XML even when JSON was asked for
//! (an intermediary, an older endpoint, a captured response replayed by a test server). It is
//! turned into the JSON form 7digital itself produces from it (the older JSON dialect), which the
//! generated models decode like any JSON answer:
//!
//! - the root element (`<response status="ok" version="1.2">`) is the top-level object;
//! - attributes and child elements are properties (`<release id="1">` → `"id": "1"`);
//! - repeated child elements of one name are an array, a single one is the element alone;
//! - an element with neither attributes nor children is its text (`""` when empty); text beside
//!   attributes or children is kept as `"value"`;
//! - an element marked `xsi:nil="true"` is `null`; below the root, namespace attributes
//!   (`xmlns`, `xmlns:*`, `xsi:*`) are dropped, so `<version xsi:nil="true"/>` is `null` and
//!   never an object.

use quick_xml::events::{BytesStart, Event};
use serde_json::{Map, Value};

/// How deeply elements may nest before the answer is refused (7digital's nest about 8 deep).
const MAX_DEPTH: usize = 64;

/// One element being read.
struct Frame {
    name: String,
    fields: Map<String, Value>,
    text: String,
    has_children: bool,
}

/// Converts an XML answer into JSON as described in the [module documentation](self).
///
/// # Errors
///
/// A message saying why the body is not well-formed XML (or nests too deeply).
pub fn to_json(body: &[u8]) -> Result<Value, String> {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut buf = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Value> = None;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            format!(
                "not well-formed XML at byte {}: {e}",
                reader.buffer_position()
            )
        })?;
        match event {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("XML nests deeper than {MAX_DEPTH} elements"));
                }
                if let Some(parent) = stack.last_mut() {
                    parent.has_children = true;
                }
                stack.push(open(&e)?);
            }
            Event::Empty(e) => {
                let frame = open(&e)?;
                if let Some(parent) = stack.last_mut() {
                    parent.has_children = true;
                }
                finish(frame, &mut stack, &mut root);
            }
            Event::End(_) => match stack.pop() {
                Some(frame) => finish(frame, &mut stack, &mut root),
                None => return Err("closing tag without an opening one".to_string()),
            },
            Event::Text(t) => {
                if let Some(frame) = stack.last_mut() {
                    let text = t.decode().map_err(|e| format!("text: {e}"))?;
                    frame.text.push_str(&text);
                }
            }
            Event::CData(t) => {
                if let Some(frame) = stack.last_mut() {
                    frame.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(frame) = stack.last_mut() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => frame.text.push(c),
                        _ => {
                            let name = r.decode().map_err(|e| format!("entity: {e}"))?;
                            let resolved = quick_xml::escape::resolve_xml_entity(&name)
                                .ok_or_else(|| format!("unknown entity `&{name};`"))?;
                            frame.text.push_str(resolved);
                        }
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !stack.is_empty() {
        return Err("the XML ends inside an element".to_string());
    }
    root.ok_or_else(|| "no root element".to_string())
}

fn open(e: &BytesStart<'_>) -> Result<Frame, String> {
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    let mut fields = Map::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| format!("attribute of <{name}>: {err}"))?;
        let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
        let value = attr
            .unescape_value()
            .map_err(|err| format!("attribute `{key}` of <{name}>: {err}"))?;
        fields.insert(key, Value::String(value.into_owned()));
    }
    Ok(Frame {
        name,
        fields,
        text: String::new(),
        has_children: false,
    })
}

/// Turns a closed element into its value and adds it to its parent (or makes it the root).
fn finish(frame: Frame, stack: &mut [Frame], root: &mut Option<Value>) {
    let Frame {
        name,
        mut fields,
        text,
        has_children,
    } = frame;
    let text = text.trim();
    let is_root = stack.is_empty();
    let nil = fields
        .get("xsi:nil")
        .and_then(Value::as_str)
        .is_some_and(|v| v.trim() == "true");
    if !is_root {
        fields.retain(|key, _| !is_namespace_attribute(key));
    }
    let value = if nil && !has_children {
        Value::Null
    } else if fields.is_empty() && !has_children {
        Value::String(text.to_string())
    } else {
        if !text.is_empty() {
            fields.insert("value".to_string(), Value::String(text.to_string()));
        }
        Value::Object(fields)
    };
    let Some(parent) = stack.last_mut() else {
        if root.is_none() {
            *root = Some(value);
        }
        return;
    };
    match parent.fields.get_mut(&name) {
        None => {
            parent.fields.insert(name, value);
        }
        // An element's own value is never an array: an array here holds repeated elements.
        Some(Value::Array(items)) => items.push(value),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
    }
}

/// `xmlns`, `xmlns:*` and `xsi:*`: XML plumbing, not data.
fn is_namespace_attribute(key: &str) -> bool {
    key == "xmlns" || key.starts_with("xmlns:") || key.starts_with("xsi:")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn converts_like_7digital() {
        let xml = br#"<?xml version="1.0"?>
<response status="ok" version="1.2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <release id="1192901">
    <title>Wasting Light &amp; more</title>
    <version/>
    <packages>
      <package id="2"><description>standard</description></package>
    </packages>
    <formats><format id="17"/><format id="33"/></formats>
  </release>
</response>"#;
        assert_eq!(
            to_json(xml).unwrap(),
            json!({
                "status": "ok", "version": "1.2",
                "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                "release": {
                    "id": "1192901",
                    "title": "Wasting Light & more",
                    "version": "",
                    "packages": {"package": {"id": "2", "description": "standard"}},
                    "formats": {"format": [{"id": "17"}, {"id": "33"}]}
                }
            })
        );
    }

    #[test]
    fn nil_elements_are_null() {
        let xml = br#"<response xmlns:xsi="x" status="ok"><release><version xsi:nil="true"/><price xsi:type="p"><value>1</value></price></release></response>"#;
        assert_eq!(
            to_json(xml).unwrap(),
            json!({"xmlns:xsi": "x", "status": "ok", "release": {"version": null, "price": {"value": "1"}}})
        );
    }

    #[test]
    fn broken_xml_is_an_error() {
        assert!(to_json(b"<response><a></response>").is_err());
        assert!(to_json(b"<response>").is_err());
        assert!(to_json(b"").is_err());
        assert!(to_json(b"<a>&bogus;</a>").is_err());
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(to_json(deep.as_bytes()).unwrap_err().contains("deeper"));
    }
}
