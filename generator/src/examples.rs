//! Example values built from the examples a document gives on its schemas.
//!
//! A schema's own `example` wins; otherwise an object is assembled from its
//! properties' examples, an array holds one example item and an enum takes
//! its first value. Used for documentation, for the catalogue (so a fake
//! server can answer with realistic data) and for tests.

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::{Map, Value};

/// The prefix of the references followed (component schemas).
const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// How deep references are followed, so that recursive schemas terminate.
const MAX_DEPTH: usize = 12;

/// Example of an inline-or-referenced schema.
pub fn of_ref(doc: &OpenAPI, schema: &ReferenceOr<Schema>) -> Option<Value> {
    let schema = resolve(doc, schema)?;
    build(doc, schema, 0)
}

/// Example of a boxed inline-or-referenced schema (object properties, array items).
pub fn of_boxed(doc: &OpenAPI, schema: &ReferenceOr<Box<Schema>>) -> Option<Value> {
    let schema = resolve_boxed(doc, schema)?;
    build(doc, schema, 0)
}

/// Example of a schema.
pub fn of_schema(doc: &OpenAPI, schema: &Schema) -> Option<Value> {
    build(doc, schema, 0)
}

/// The component schema `reference` names (`None` for another kind of reference).
fn lookup<'a>(doc: &'a OpenAPI, reference: &str) -> Option<&'a Schema> {
    let key = reference.strip_prefix(SCHEMA_PREFIX)?;
    match doc.components.as_ref()?.schemas.get(key)? {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { .. } => None,
    }
}

fn resolve<'a>(doc: &'a OpenAPI, schema: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
    match schema {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { reference } => lookup(doc, reference),
    }
}

fn resolve_boxed<'a>(doc: &'a OpenAPI, schema: &'a ReferenceOr<Box<Schema>>) -> Option<&'a Schema> {
    match schema {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { reference } => lookup(doc, reference),
    }
}

fn build(doc: &OpenAPI, schema: &Schema, depth: usize) -> Option<Value> {
    if let Some(example) = &schema.schema_data.example {
        return Some(example.clone());
    }
    if depth > MAX_DEPTH {
        return None;
    }
    let boxed =
        |s: &ReferenceOr<Box<Schema>>| resolve_boxed(doc, s).and_then(|s| build(doc, s, depth + 1));
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
        SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
            resolve(doc, &all_of[0]).and_then(|s| build(doc, s, depth + 1))
        }
        _ => schema.schema_data.default.clone(),
    }
}
