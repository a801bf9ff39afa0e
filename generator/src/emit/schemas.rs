//! JSON Schemas of the generated models as they serialise, for `catalogue.rs`: tools that hand
//! a typed answer to another program (an MCP client, a REST caller) can say what it looks like.
//!
//! The schemas describe what the models write, not every answer the lenient decoding accepts:
//! fields by their wire names, optional ones possibly absent, nullable ones possibly `null`,
//! enums with a catch-all as plain strings or integers, unions with a catch-all as any value.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value, json};

use crate::ir::{Api, ResponseKind, TypeDef, TypeRef};

/// `MODEL_SCHEMAS` (every model's schema as JSON text, by type name) and `ANSWER_TYPES` (the
/// model each operation's JSON answer is, by operation id).
pub fn emit(api: &Api) -> TokenStream {
    let defs = api.types.iter().map(|def| {
        let name = def.name();
        let text = schema_of_def(def).to_string();
        quote!((#name, #text))
    });
    let answers = api
        .operations
        .iter()
        .filter_map(|op| match &op.response.kind {
            ResponseKind::Json(TypeRef::Named(name)) => {
                let id = &op.id;
                Some(quote!((#id, #name)))
            }
            _ => None,
        });
    quote! {
        /// The JSON Schema of every model type as it serialises: `(type name, schema as JSON
        /// text)`; schemas refer to each other as `#/$defs/{name}`.
        pub static MODEL_SCHEMAS: &[(&str, &str)] = &[ #( #defs ),* ];

        /// The model type each operation's JSON answer decodes into: `(operation id, type name)`.
        pub static ANSWER_TYPES: &[(&str, &str)] = &[ #( #answers ),* ];
    }
}

fn schema_of_def(def: &TypeDef) -> Value {
    let with_doc = |mut schema: Value, doc: &Option<String>| {
        if let (Some(doc), Value::Object(map)) = (doc, &mut schema) {
            map.insert("description".into(), Value::String(doc.clone()));
        }
        schema
    };
    match def {
        TypeDef::Struct {
            doc,
            fields,
            additional,
            ..
        } => {
            let mut properties = Map::new();
            let mut required = Vec::new();
            for field in fields {
                let mut schema = schema_of(&field.ty);
                if field.nullable {
                    schema = json!({ "anyOf": [schema, { "type": "null" }] });
                }
                if let (Some(text), Value::Object(map)) = (&field.doc, &mut schema) {
                    map.insert("description".into(), Value::String(text.clone()));
                }
                properties.insert(field.wire.clone(), schema);
                if field.required {
                    required.push(Value::String(field.wire.clone()));
                }
            }
            let mut schema = json!({ "type": "object", "properties": properties });
            if !required.is_empty() {
                schema["required"] = Value::Array(required);
            }
            if let Some(extra) = additional {
                schema["additionalProperties"] = schema_of(extra);
            }
            with_doc(schema, doc)
        }
        TypeDef::Enum { doc, variants, .. } => {
            let listed: Vec<&str> = variants.iter().map(|(wire, _)| wire.as_str()).collect();
            let note = format!("One of {} (others are kept as sent).", listed.join(", "));
            let doc = Some(match doc {
                Some(doc) => format!("{doc} {note}"),
                None => note,
            });
            with_doc(json!({ "type": "string" }), &doc)
        }
        TypeDef::IntEnum { doc, .. } => with_doc(json!({ "type": "integer" }), doc),
        TypeDef::Union { doc, .. } => with_doc(json!({}), doc),
        TypeDef::Alias { doc, target, .. } => with_doc(schema_of(target), doc),
    }
}

fn schema_of(ty: &TypeRef) -> Value {
    match ty {
        TypeRef::String => json!({ "type": "string" }),
        TypeRef::Integer { .. } => json!({ "type": "integer" }),
        TypeRef::Number => json!({ "type": "number" }),
        TypeRef::Boolean => json!({ "type": "boolean" }),
        TypeRef::Json => json!({}),
        TypeRef::Named(name) => json!({ "$ref": format!("#/$defs/{name}") }),
        TypeRef::Array(inner) => json!({ "type": "array", "items": schema_of(inner) }),
        TypeRef::Map(inner) => {
            json!({ "type": "object", "additionalProperties": schema_of(inner) })
        }
    }
}
