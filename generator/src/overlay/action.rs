//! Applying one action to the nodes its target selects: remove, update or copy.

use serde_json::Value;

use super::kind;
use super::path::parse_path;
use crate::error::{Error, Result};

pub(super) fn apply_action(doc: &mut Value, action: &Value, at: &str, strict: bool) -> Result<()> {
    let target = action.get("target").and_then(Value::as_str).unwrap_or("$");
    let path = parse_path(target, format!("{at}.target"))?;
    let pointers: Vec<String> = path
        .query_located(doc)
        .locations()
        .map(|p| p.to_json_pointer())
        .collect();
    if pointers.is_empty() {
        if strict {
            return Err(Error::new(
                format!("{at}.target"),
                format!("`{target}` selects nothing in the document (strict targets)"),
            ));
        }
        return Ok(());
    }
    if action.get("remove").and_then(Value::as_bool) == Some(true) {
        // Last first, so that removing an array element does not shift the others.
        for pointer in pointers.iter().rev() {
            remove_at(doc, pointer, at)?;
        }
        return Ok(());
    }
    let (value, field) = if let Some(update) = action.get("update") {
        (update.clone(), "update")
    } else if let Some(source) = action.get("copy").and_then(Value::as_str) {
        let copy_at = format!("{at}.copy");
        let source_path = parse_path(source, copy_at.clone())?;
        let found = source_path.query(doc).all();
        match found.as_slice() {
            [one] => ((*one).clone(), "copy"),
            [] => {
                return Err(Error::new(
                    copy_at,
                    format!("`{source}` selects nothing in the document: nothing to copy"),
                ));
            }
            many => {
                return Err(Error::new(
                    copy_at,
                    format!(
                        "`{source}` selects {} nodes; a copy source must select exactly one",
                        many.len()
                    ),
                ));
            }
        }
    } else {
        return Ok(());
    };
    let selected_kinds: std::collections::BTreeSet<u8> = pointers
        .iter()
        .filter_map(|p| doc.pointer(p))
        .map(shape)
        .collect();
    if selected_kinds.len() > 1 {
        return Err(Error::new(
            format!("{at}.target"),
            format!(
                "`{target}` selects a mix of objects, arrays and primitives; an `{field}` needs them all of one kind"
            ),
        ));
    }
    for pointer in &pointers {
        if let Some(node) = doc.pointer_mut(pointer) {
            merge_selected(node, &value, &format!("{at}.{field}"), pointer)?;
        }
    }
    Ok(())
}

/// 0 for objects, 1 for arrays, 2 for primitives.
fn shape(value: &Value) -> u8 {
    match value {
        Value::Object(_) => 0,
        Value::Array(_) => 1,
        _ => 2,
    }
}

/// Merges an action's value into one selected node: into an object, an object; onto an array,
/// an array concatenated or any other value appended; over a primitive, a primitive.
fn merge_selected(node: &mut Value, value: &Value, at: &str, pointer: &str) -> Result<()> {
    match node {
        Value::Object(_) if value.is_object() => merge(node, value, at, pointer),
        Value::Object(_) => Err(Error::new(
            at,
            format!(
                "the node at `{}` is a mapping: only a mapping can be merged into it, not {}",
                display_pointer(pointer),
                kind(value)
            ),
        )),
        Value::Array(items) => {
            match value {
                Value::Array(more) => items.extend(more.iter().cloned()),
                other => items.push(other.clone()),
            }
            Ok(())
        }
        primitive => {
            if value.is_object() || value.is_array() {
                return Err(Error::new(
                    at,
                    format!(
                        "the node at `{}` is {}: only a primitive value can replace it, not {}",
                        display_pointer(pointer),
                        kind(primitive),
                        kind(value)
                    ),
                ));
            }
            *primitive = value.clone();
            Ok(())
        }
    }
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() { "/" } else { pointer }
}

/// Merges `update` into `node` key by key: a primitive replaces a primitive, arrays are
/// concatenated, objects merged recursively; any other pair is an error naming the key's place.
fn merge(node: &mut Value, update: &Value, at: &str, pointer: &str) -> Result<()> {
    let (Value::Object(node), Value::Object(update)) = (node, update) else {
        return Ok(());
    };
    for (key, value) in update {
        let here = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
        match node.get_mut(key) {
            None => {
                node.insert(key.clone(), value.clone());
            }
            Some(existing) => match (existing, value) {
                (existing @ Value::Object(_), Value::Object(_)) => {
                    merge(existing, value, at, &here)?;
                }
                (Value::Array(items), Value::Array(more)) => items.extend(more.iter().cloned()),
                (existing, value)
                    if !existing.is_object()
                        && !existing.is_array()
                        && !value.is_object()
                        && !value.is_array() =>
                {
                    *existing = value.clone();
                }
                (existing, value) => {
                    return Err(Error::new(
                        at,
                        format!(
                            "cannot merge {} into {} at `{here}`: a primitive replaces a primitive, a list extends a list, a mapping merges into a mapping",
                            kind(value),
                            kind(existing)
                        ),
                    ));
                }
            },
        }
    }
    Ok(())
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
