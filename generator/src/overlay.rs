//! Applying OpenAPI Overlay documents (OAI Overlay Specification 1.0) to an API document.
//!
//! An overlay is a list of `actions`, each with a JSONPath `target` (RFC 9535) and either an
//! `update` (merged into every node the target selects: objects recursively, arrays appended,
//! anything else replaced) or `remove: true` (every selected node removed from its parent).
//! Actions apply in order. A target that selects nothing is an error naming the action, so that
//! a change of the underlying document that moves things is caught when generating.

use serde_json::Value;
use serde_json_path::JsonPath;

use crate::error::{Error, Result};

/// Parses `text` (YAML or JSON) as an overlay and applies its actions to `doc`.
///
/// `name` identifies the overlay in error locations (usually its file name).
///
/// # Errors
///
/// An [`Error`] located at `{name} actions[i]` when the overlay is not a valid Overlay 1.x
/// document, a target is not valid JSONPath, a target selects nothing, or an action has neither
/// `update` nor `remove: true`.
pub fn apply(doc: &mut Value, name: &str, text: &str) -> Result<()> {
    let overlay: Value = serde_yaml::from_str(text).map_err(|e| {
        let at = match e.location() {
            Some(at) => format!("{name} line {} column {}", at.line(), at.column()),
            None => name.to_string(),
        };
        Error::new(at, e.to_string())
    })?;
    match overlay.get("overlay").and_then(Value::as_str) {
        Some(version) if version.starts_with("1.") => {}
        Some(version) => {
            return Err(Error::new(
                format!("{name} overlay"),
                format!("unsupported Overlay version `{version}`: only 1.x is supported"),
            ));
        }
        None => {
            return Err(Error::new(
                name,
                "missing `overlay: 1.0.0`: not an OpenAPI Overlay document",
            ));
        }
    }
    let Some(actions) = overlay.get("actions").and_then(Value::as_array) else {
        return Err(Error::new(
            format!("{name} actions"),
            "missing or not a list",
        ));
    };
    for (i, action) in actions.iter().enumerate() {
        apply_action(doc, action, &format!("{name} actions[{i}]"))?;
    }
    Ok(())
}

fn apply_action(doc: &mut Value, action: &Value, at: &str) -> Result<()> {
    let target = action
        .get("target")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::new(at, "missing `target`"))?;
    let path = JsonPath::parse(target).map_err(|e| {
        Error::new(
            format!("{at}.target"),
            format!("`{target}` is not valid JSONPath: {e}"),
        )
    })?;
    let pointers: Vec<String> = path
        .query_located(doc)
        .locations()
        .map(|p| p.to_json_pointer())
        .collect();
    if pointers.is_empty() {
        return Err(Error::new(
            format!("{at}.target"),
            format!("`{target}` selects nothing in the document"),
        ));
    }
    let remove = action.get("remove").and_then(Value::as_bool) == Some(true);
    match (action.get("update"), remove) {
        (Some(_), true) => Err(Error::new(at, "has both `update` and `remove: true`")),
        (Some(update), false) => {
            for pointer in &pointers {
                if let Some(node) = doc.pointer_mut(pointer) {
                    merge(node, update);
                }
            }
            Ok(())
        }
        (None, true) => {
            // Last first, so that removing an array element does not shift the others.
            for pointer in pointers.iter().rev() {
                remove_at(doc, pointer, at)?;
            }
            Ok(())
        }
        (None, false) => Err(Error::new(at, "has neither `update` nor `remove: true`")),
    }
}

/// Merges `update` into `node`: objects key by key, recursively; arrays appended; else replaced.
fn merge(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Object(node), Value::Object(update)) => {
            for (key, value) in update {
                match node.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        node.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(node), Value::Array(update)) => node.extend(update.iter().cloned()),
        (node, update) => *node = update.clone(),
    }
}

fn remove_at(doc: &mut Value, pointer: &str, at: &str) -> Result<()> {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return Err(Error::new(
            format!("{at}.target"),
            "cannot remove the document itself",
        ));
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(index) = key.parse::<usize>()
                && index < items.len()
            {
                items.remove(index);
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(doc: Value, overlay: &str) -> Result<Value> {
        let mut doc = doc;
        apply(&mut doc, "o.yml", overlay)?;
        Ok(doc)
    }

    #[test]
    fn update_merges_and_remove_removes() {
        let doc = json!({"a": {"b": 1, "c": [1]}, "d": [{"x": 1}, {"x": 2}]});
        let out = run(
            doc,
            "overlay: 1.0.0\nactions:\n  - target: $.a\n    update: {b: 2, c: [2], e: 3}\n  - target: $.d[?@.x == 1]\n    remove: true\n",
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"a": {"b": 2, "c": [1, 2], "e": 3}, "d": [{"x": 2}]})
        );
    }

    #[test]
    fn a_target_that_selects_nothing_is_located() {
        let err = run(
            json!({"a": 1}),
            "overlay: 1.0.0\nactions:\n  - target: $.a\n    update: 2\n  - target: $.missing\n    update: 1\n",
        )
        .unwrap_err();
        assert_eq!(err.location(), "o.yml actions[1].target");
        assert!(err.message().contains("selects nothing"), "{err}");
    }

    #[test]
    fn bad_documents_are_refused() {
        assert!(run(json!({}), "actions: []").is_err());
        assert!(run(json!({}), "overlay: 2.0.0\nactions: []").is_err());
        let err = run(
            json!({"a": 1}),
            "overlay: 1.0.0\nactions:\n  - target: '$..['\n    update: 1\n",
        )
        .unwrap_err();
        assert_eq!(err.location(), "o.yml actions[0].target");
        assert!(
            run(
                json!({"a": 1}),
                "overlay: 1.0.0\nactions:\n  - target: $.a\n"
            )
            .is_err()
        );
    }

    #[test]
    fn keys_with_slashes_are_removed() {
        let doc = json!({"paths": {"/a/b": {"get": 1}, "/c": {}}});
        let out = run(
            doc,
            "overlay: 1.0.0\nactions:\n  - target: \"$.paths['/a/b']\"\n    remove: true\n",
        )
        .unwrap();
        assert_eq!(out, json!({"paths": {"/c": {}}}));
    }
}
