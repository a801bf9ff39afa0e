//! Local JSON-pointer references the rest of the generator does not follow, resolved before
//! the document is read.
//!
//! The generator names types after component keys, so a `$ref` to a whole component
//! (`#/components/schemas/Pet`) stays as it is. Any other local pointer (into `paths`, into
//! another schema's properties, to a `oneOf` member, into a response) is replaced by a copy of
//! what it points at, itself resolved; a component that is only a reference to another
//! component is referred to through it. Pointers follow RFC 6901 (`~1` is `/`, `~0` is `~`),
//! percent-decoded as URI fragments.
//!
//! Limits, each a located error rather than a stack overflow or an endless copy: a reference
//! that leads back to itself through such copies; more than [`MAX_DEPTH`] copies inside one
//! another; more than [`MAX_COPIES`] copies in one document.

use serde_json::Value;

use crate::error::{Error, Result};

/// How many copied references may nest inside one another.
pub const MAX_DEPTH: usize = 64;

/// How many references one document may have copied in all.
pub const MAX_COPIES: usize = 200_000;

/// The component sections whose entries keep their own references.
const SECTIONS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
];

/// Resolves every local reference of `doc` that does not name a whole component (see the
/// module documentation).
///
/// # Errors
///
/// An [`Error`] located at the reference (`paths./a.get.responses.200.$ref`) when it points at
/// nothing, leads back to itself, or the limits are passed.
pub fn resolve_local_pointers(doc: &mut Value) -> Result<()> {
    let original = doc.clone();
    let mut state = State {
        doc: &original,
        copies: 0,
        stack: Vec::new(),
    };
    let mut location = String::new();
    state.walk(doc, &mut location, 0)
}

struct State<'d> {
    doc: &'d Value,
    copies: usize,
    /// The pointers being copied, outermost first (for cycles).
    stack: Vec<String>,
}

impl State<'_> {
    fn walk(&mut self, node: &mut Value, location: &mut String, depth: usize) -> Result<()> {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref")
                    && let Some(fragment) = reference.strip_prefix('#')
                {
                    let reference = reference.clone();
                    let pointer = decode_fragment(fragment);
                    if let Some(replacement) =
                        self.replacement(&reference, &pointer, location, depth)?
                    {
                        *node = replacement;
                    }
                    return Ok(());
                }
                for (key, value) in map.iter_mut() {
                    let len = location.len();
                    // Inside a copy, errors name the reference that was copied.
                    if depth == 0 {
                        if !location.is_empty() {
                            location.push('.');
                        }
                        location.push_str(key);
                    }
                    let result = self.walk(value, location, depth);
                    location.truncate(len);
                    result?;
                }
                Ok(())
            }
            Value::Array(items) => {
                for (i, value) in items.iter_mut().enumerate() {
                    let len = location.len();
                    if depth == 0 {
                        location.push_str(&format!("[{i}]"));
                    }
                    let result = self.walk(value, location, depth);
                    location.truncate(len);
                    result?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// What a reference becomes: `None` to keep it, or the node to put in its place.
    fn replacement(
        &mut self,
        reference: &str,
        pointer: &str,
        location: &str,
        depth: usize,
    ) -> Result<Option<Value>> {
        let at = || {
            if location.is_empty() {
                "$ref".to_string()
            } else {
                format!("{location}.$ref")
            }
        };
        if is_component(pointer) {
            // A component that is itself only a reference: refer to where the chain ends.
            let mut current = pointer.to_string();
            for _ in 0..MAX_DEPTH {
                let Some(next) = self
                    .doc
                    .pointer(&current)
                    .and_then(|t| t.get("$ref"))
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix('#'))
                    .map(decode_fragment)
                else {
                    if current == pointer {
                        return Ok(None);
                    }
                    if !is_component(&current) {
                        return self.copy(reference, &current, location, depth).map(Some);
                    }
                    return Ok(Some(
                        serde_json::json!({ "$ref": format!("#{}", encode(&current)) }),
                    ));
                };
                if next == pointer {
                    break;
                }
                current = next;
            }
            return Err(Error::new(
                at(),
                format!(
                    "reference `{reference}` is a chain of references that never ends in a definition"
                ),
            ));
        }
        self.copy(reference, pointer, location, depth).map(Some)
    }

    /// A resolved copy of what `pointer` points at.
    fn copy(
        &mut self,
        reference: &str,
        pointer: &str,
        location: &str,
        depth: usize,
    ) -> Result<Value> {
        let at = || {
            if location.is_empty() {
                "$ref".to_string()
            } else {
                format!("{location}.$ref")
            }
        };
        let Some(target) = self.doc.pointer(pointer) else {
            return Err(Error::new(
                at(),
                format!("unresolved reference `{reference}`"),
            ));
        };
        if self
            .stack
            .iter()
            // A cycle: copying what is being copied, or something that contains it.
            .any(|p| p == pointer || p.starts_with(&format!("{pointer}/")))
        {
            return Err(Error::new(
                at(),
                format!(
                    "reference `{reference}` leads back into itself; make the recursive part a component (`#/components/schemas/...`) so that it can be boxed"
                ),
            ));
        }
        if depth >= MAX_DEPTH {
            return Err(Error::new(
                at(),
                format!(
                    "reference `{reference}`: more than {MAX_DEPTH} copied references inside one another"
                ),
            ));
        }
        self.copies += 1;
        if self.copies > MAX_COPIES {
            return Err(Error::new(
                at(),
                format!("more than {MAX_COPIES} references to copy in one document"),
            ));
        }
        let mut copy = target.clone();
        self.stack.push(pointer.to_string());
        let mut inner = location.to_string();
        let result = self.walk(&mut copy, &mut inner, depth + 1);
        // Errors found inside the copy are located at this reference.
        self.stack.pop();
        result?;
        Ok(copy)
    }
}

/// Whether `pointer` names a whole component: `/components/{section}/{name}`.
fn is_component(pointer: &str) -> bool {
    let mut parts = pointer.split('/');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next()),
        (Some(""), Some("components"), Some(section), Some(_), None) if SECTIONS.contains(&section)
    )
}

/// A URI fragment's percent-escapes decoded (the JSON pointer escapes stay, for
/// `Value::pointer`).
fn decode_fragment(fragment: &str) -> String {
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| fragment.to_string())
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// The pointer as a fragment again (only `%` needs escaping for the generator's own reader).
fn encode(pointer: &str) -> String {
    pointer.replace('%', "%25")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_into_paths_and_properties_are_copied() {
        let mut doc = json!({
            "paths": {"/a/{id}": {"get": {"responses": {"200": {"description": "ok"}}}},
                      "/b": {"get": {"responses": {"200": {"$ref": "#/paths/~1a~1%7Bid%7D/get/responses/200"}}}}},
            "components": {"schemas": {
                "A": {"properties": {"x": {"oneOf": [{"type": "string"}]}}},
                "B": {"properties": {"y": {"$ref": "#/components/schemas/A/properties/x/oneOf/0"}}},
                "C": {"$ref": "#/components/schemas/A"},
                "D": {"properties": {"z": {"$ref": "#/components/schemas/C"}, "w": {"$ref": "#/components/schemas/A"}}}
            }}
        });
        resolve_local_pointers(&mut doc).unwrap();
        assert_eq!(
            doc["paths"]["/b"]["get"]["responses"]["200"],
            json!({"description": "ok"})
        );
        assert_eq!(
            doc["components"]["schemas"]["B"]["properties"]["y"],
            json!({"type": "string"})
        );
        // A chain of component references ends at the definition; whole components stay references.
        assert_eq!(
            doc["components"]["schemas"]["D"]["properties"]["z"],
            json!({"$ref": "#/components/schemas/A"})
        );
        assert_eq!(
            doc["components"]["schemas"]["D"]["properties"]["w"],
            json!({"$ref": "#/components/schemas/A"})
        );
    }

    #[test]
    fn cycles_and_dangling_pointers_are_located_errors() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"properties": {"self": {"$ref": "#/components/schemas/A/properties"}}}
        }}});
        // (A pointer into what is being copied is no cycle by itself.)
        let mut fine = json!({"paths": {"/a": {"get": {"x": {"properties": {"p": {"type": "string"}, "q": {"$ref": "#/paths/~1a/get/x/properties/p"}}}}},
            "/b": {"$ref": "#/paths/~1a"}}});
        resolve_local_pointers(&mut fine).unwrap();
        assert_eq!(
            fine["paths"]["/b"]["get"]["x"]["properties"]["q"],
            json!({"type": "string"})
        );
        let err = resolve_local_pointers(&mut doc).unwrap_err();
        assert_eq!(err.location(), "components.schemas.A.properties.self.$ref");
        let mut doc = json!({"paths": {"/a": {"$ref": "#/nowhere"}}});
        let err = resolve_local_pointers(&mut doc).unwrap_err();
        assert_eq!(err.location(), "paths./a.$ref");
        let mut doc = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"},
            "C": {"items": {"$ref": "#/components/schemas/A"}}
        }}});
        let err = resolve_local_pointers(&mut doc).unwrap_err();
        assert!(err.message().contains("never ends"), "{err}");
    }
}
