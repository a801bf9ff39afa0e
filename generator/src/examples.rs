//! Example values built from the examples a document gives on its schemas.
//!
//! A schema's own `example` wins; otherwise an object is assembled from its
//! properties' examples, an array holds one example item and an enum takes
//! its first value. Used for documentation, for the catalogue (so a fake
//! server can answer with realistic data) and for tests.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use serde_json::{Map, Value};

use crate::types::TypeSpace;

/// How deep references are followed, so that recursive schemas terminate.
const MAX_DEPTH: usize = 12;

/// Example of an inline-or-referenced schema.
pub fn of_ref(space: &TypeSpace<'_>, schema: &ReferenceOr<Schema>) -> Option<Value> {
    let schema = space.resolve(schema, "").ok()?;
    build(space, schema, 0)
}

/// Example of a boxed inline-or-referenced schema (object properties, array items).
pub fn of_boxed(space: &TypeSpace<'_>, schema: &ReferenceOr<Box<Schema>>) -> Option<Value> {
    let schema = space.resolve_boxed(schema, "").ok()?;
    build(space, schema, 0)
}

/// Example of a schema.
pub fn of_schema(space: &TypeSpace<'_>, schema: &Schema) -> Option<Value> {
    build(space, schema, 0)
}

fn build(space: &TypeSpace<'_>, schema: &Schema, depth: usize) -> Option<Value> {
    if let Some(example) = &schema.schema_data.example {
        return Some(example.clone());
    }
    if depth > MAX_DEPTH {
        return None;
    }
    let boxed = |s: &ReferenceOr<Box<Schema>>| {
        space
            .resolve_boxed(s, "")
            .ok()
            .and_then(|s| build(space, s, depth + 1))
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => s
            .enumeration
            .iter()
            .flatten()
            .next()
            .map(|v| Value::String(v.clone()))
            .or_else(|| schema.schema_data.default.clone()),
        SchemaKind::Type(Type::Object(o)) => {
            let mut map = Map::new();
            for (name, prop) in &o.properties {
                if let Some(value) = boxed(prop) {
                    map.insert(name.clone(), value);
                }
            }
            Some(Value::Object(map))
        }
        SchemaKind::Type(Type::Array(a)) => {
            let item = a.items.as_ref().and_then(boxed);
            Some(Value::Array(item.into_iter().collect()))
        }
        SchemaKind::AllOf { all_of } if all_of.len() == 1 => space
            .resolve(&all_of[0], "")
            .ok()
            .and_then(|s| build(space, s, depth + 1)),
        _ => schema.schema_data.default.clone(),
    }
}
