//! Request bodies: the media type sent, and a body as fields or as one whole value.

use std::collections::HashSet;

use openapiv3::{ReferenceOr, RequestBody, Schema, SchemaKind, Type};

use super::{component_key, is_json};
use crate::error::{Error, Result};
use crate::examples;
use crate::ir::{Body, BodyShape, Encoding, Location, Param};
use crate::naming;
use crate::types::{self, TypeSpace};

/// Whether a form can carry `schema`: an object whose properties are scalars or lists of
/// scalars (a form has no nesting).
fn form_can_carry(
    space: &TypeSpace<'_>,
    schema: Option<&ReferenceOr<Schema>>,
    location: &str,
) -> bool {
    let Some(schema) = schema else {
        return true;
    };
    let Ok(schema) = space.resolve(schema, location) else {
        return true;
    };
    let nested = |s: &ReferenceOr<Box<Schema>>| -> bool {
        let resolved = match s {
            ReferenceOr::Item(item) => Some(item.as_ref()),
            ReferenceOr::Reference { reference } => space
                .doc()
                .components
                .as_ref()
                .and_then(|c| {
                    c.schemas
                        .get(reference.trim_start_matches("#/components/schemas/"))
                })
                .and_then(|s| s.as_item()),
        };
        match resolved.map(|s| &s.schema_kind) {
            Some(SchemaKind::Type(Type::Object(_))) => true,
            Some(SchemaKind::Type(Type::Array(array))) => {
                array.items.as_ref().is_some_and(|items| match items {
                    ReferenceOr::Reference { .. } => true,
                    ReferenceOr::Item(item) => {
                        matches!(item.schema_kind, SchemaKind::Type(Type::Object(_)))
                    }
                })
            }
            Some(
                SchemaKind::AllOf { .. } | SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. },
            ) => true,
            _ => false,
        }
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => !object.properties.values().any(nested),
        _ => true,
    }
}

pub(super) fn lower_body(
    space: &mut TypeSpace<'_>,
    body: &ReferenceOr<RequestBody>,
    type_name: &str,
    taken: &mut HashSet<String>,
    location: &str,
) -> Result<Option<Body>> {
    let doc = space.doc();
    let body = match body {
        ReferenceOr::Item(body) => body,
        ReferenceOr::Reference { reference } => {
            let key = component_key(reference, "requestBodies", location)?;
            match doc
                .components
                .as_ref()
                .and_then(|c| c.request_bodies.get(key))
            {
                Some(ReferenceOr::Item(body)) => body,
                _ => {
                    return Err(Error::new(
                        location,
                        format!("unresolved reference `{reference}`"),
                    ));
                }
            }
        }
    };
    // A body that declares no media type (`content: {}`) says nothing to send: no body.
    if body.content.is_empty() {
        return Ok(None);
    }
    // The form the document offers, unless its schema nests objects and JSON is offered too:
    // then JSON, which can carry them.
    let form = body
        .content
        .iter()
        .find(|(m, _)| m.starts_with("application/x-www-form-urlencoded"));
    let json = body.content.iter().find(|(m, _)| is_json(m));
    let form = form.filter(|(_, media)| {
        json.is_none() || form_can_carry(space, media.schema.as_ref(), location)
    });
    let (media_type, media) = form
        .or(json)
        .or_else(|| body.content.first())
        .ok_or_else(|| {
            Error::new(
                format!("{location}.content"),
                "request body declares no media type",
            )
        })?;
    let encoding = if media_type.starts_with("application/x-www-form-urlencoded") {
        Encoding::Form
    } else if is_json(media_type) {
        Encoding::Json
    } else {
        Encoding::Raw
    };
    let at = format!("{location}.content.{media_type}.schema");
    let shape = match (&media.schema, encoding) {
        (_, Encoding::Raw) | (None, _) => BodyShape::Raw {
            ident: naming::unique("body".into(), taken),
        },
        (Some(ReferenceOr::Item(inline)), _) if has_properties(inline) => BodyShape::Fields(
            body_fields(space, inline, type_name, body.required, taken, &at)?,
        ),
        (Some(schema), _) => {
            let ty = space.type_of(schema, &format!("{type_name}Body"), &at)?;
            let resolved = space.resolve(schema, &at)?;
            let fields = if has_properties(resolved) {
                body_fields(
                    space,
                    resolved,
                    type_name,
                    body.required,
                    &mut HashSet::new(),
                    &at,
                )?
            } else {
                Vec::new()
            };
            BodyShape::Whole {
                ident: naming::unique("body".into(), taken),
                ty,
                fields,
            }
        }
    };
    Ok(Some(Body {
        media_type: media_type.clone(),
        encoding,
        required: body.required,
        doc: body.description.clone(),
        shape,
    }))
}

fn has_properties(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty())
}

fn body_fields(
    space: &mut TypeSpace<'_>,
    schema: &Schema,
    type_name: &str,
    body_required: bool,
    taken: &mut HashSet<String>,
    location: &str,
) -> Result<Vec<Param>> {
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return Ok(Vec::new());
    };
    let mut fields = Vec::new();
    for (wire, prop) in &object.properties {
        let at = format!("{location}.properties.{wire}");
        let resolved = space.resolve_boxed(prop, &at)?;
        let as_ref = match prop {
            ReferenceOr::Item(s) => ReferenceOr::Item((**s).clone()),
            ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                reference: reference.clone(),
            },
        };
        let ty = space.type_of(
            &as_ref,
            &format!("{type_name}{}", naming::pascal(wire)),
            &at,
        )?;
        let mut ident = naming::snake(wire);
        if taken.contains(&ident) {
            ident = format!("body_{ident}");
        }
        fields.push(Param {
            wire: wire.clone(),
            ident: naming::unique(ident, taken),
            location: Location::Body,
            required: body_required && object.required.contains(wire),
            ty,
            doc: resolved.schema_data.description.clone(),
            example: examples::of_boxed(space.doc(), prop),
            constraints: types::constraints(resolved),
        });
    }
    Ok(fields)
}
