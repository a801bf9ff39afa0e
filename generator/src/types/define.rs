//! Building the definition of a named type (struct, enum, union or alias) from a schema.

use std::collections::HashSet;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::schema::{annotation_text, collapsible, constraints, describe, nullable};
use super::{SCHEMA_PREFIX, TypeSpace};
use crate::error::Result;
use crate::examples;
use crate::ir::{Field, TypeDef, TypeRef};
use crate::naming;

impl<'a> TypeSpace<'a> {
    /// Builds the definition of a named type (struct, enum or alias) from `schema`.
    pub(super) fn define(
        &mut self,
        hint: &str,
        schema: &Schema,
        location: &str,
    ) -> Result<TypeDef> {
        let name = naming::pascal(hint);
        let doc = describe(schema);
        if let Some(one) = collapsible(schema) {
            let at = format!("{location}.{}[{}]", one.word, one.index);
            // A member given inline is defined under this name; a reference is aliased.
            return Ok(match one.member {
                ReferenceOr::Item(inner) => {
                    let mut def = self.define(hint, inner, &at)?;
                    if doc.is_some() {
                        set_doc(&mut def, doc);
                    }
                    def
                }
                ReferenceOr::Reference { .. } => TypeDef::Alias {
                    name,
                    doc,
                    target: self.type_of(one.member, hint, &at)?,
                },
            });
        }
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if s.enumeration.iter().any(Option::is_some) => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                enum_def(name, doc, values)
            }
            SchemaKind::Type(Type::Integer(i)) if i.enumeration.iter().any(Option::is_some) => {
                let mut values: Vec<i64> = Vec::new();
                for v in i.enumeration.iter().flatten() {
                    if !values.contains(v) {
                        values.push(*v);
                    }
                }
                TypeDef::IntEnum { name, doc, values }
            }
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                let props: Vec<(&String, &ReferenceOr<Box<Schema>>)> =
                    o.properties.iter().collect();
                self.object_struct(
                    name,
                    doc,
                    &props,
                    &o.required,
                    o.additional_properties.as_ref(),
                    schema,
                    location,
                )?
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                let props: Vec<(&String, &ReferenceOr<Box<Schema>>)> =
                    any.properties.iter().collect();
                self.object_struct(
                    name,
                    doc,
                    &props,
                    &any.required,
                    any.additional_properties.as_ref(),
                    schema,
                    location,
                )?
            }
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => {
                let mut props = Vec::new();
                let mut required = Vec::new();
                let mut additional = None;
                let mergeable = all_of.iter().enumerate().all(|(i, member)| {
                    self.gather(
                        member,
                        &format!("{location}.allOf[{i}]"),
                        0,
                        &mut props,
                        &mut required,
                        &mut additional,
                    )
                });
                if mergeable && !props.is_empty() {
                    self.object_struct(name, doc, &props, &required, additional, schema, location)?
                } else {
                    TypeDef::Alias {
                        name,
                        doc,
                        target: TypeRef::Json,
                    }
                }
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                let word = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                let mut taken = HashSet::new();
                taken.insert("Other".to_string());
                let mut variants: Vec<(String, TypeRef)> = Vec::new();
                // The component key of each variant given by reference (the default tag value).
                let mut keys: Vec<(String, String)> = Vec::new();
                for (i, member) in members.iter().enumerate() {
                    let at = format!("{location}.{word}[{i}]");
                    let ty = self.type_of(member, &format!("{name}Variant{i}"), &at)?;
                    if variants.iter().any(|(_, t)| *t == ty) {
                        continue;
                    }
                    let base = match &ty {
                        TypeRef::Named(n) => n.clone(),
                        other => variant_word(other).to_string(),
                    };
                    let variant = naming::unique(base, &mut taken);
                    if let ReferenceOr::Reference { reference } = member {
                        let key = reference.trim_start_matches(SCHEMA_PREFIX).to_string();
                        keys.push((key, variant.clone()));
                    }
                    variants.push((variant, ty));
                }
                let tag = schema.schema_data.discriminator.as_ref().map(|d| {
                    let values: Vec<(String, String)> = if d.mapping.is_empty() {
                        keys.clone()
                    } else {
                        d.mapping
                            .iter()
                            .filter_map(|(value, target)| {
                                let key = target.trim_start_matches(SCHEMA_PREFIX);
                                keys.iter()
                                    .find(|(k, _)| k == key)
                                    .map(|(_, v)| (value.clone(), v.clone()))
                            })
                            .collect()
                    };
                    (d.property_name.clone(), values)
                });
                TypeDef::Union {
                    name,
                    doc,
                    variants,
                    tag,
                }
            }
            _ => {
                let target = match &schema.schema_kind {
                    // An object without properties or a string enum never gets here as
                    // a named type through `type_of`; components may still be any shape.
                    SchemaKind::Type(Type::Object(_)) | SchemaKind::Type(Type::String(_)) => {
                        self.type_of_item(schema, &format!("{hint}Inner"), location)?
                    }
                    _ => self.type_of_item(schema, hint, location)?,
                };
                TypeDef::Alias { name, doc, target }
            }
        })
    }
}

impl<'a> TypeSpace<'a> {
    /// Collects the properties of an `allOf` member (following references and nested
    /// `allOf`s) into `props`; false when the member is not an object and cannot be merged.
    fn gather<'s>(
        &self,
        member: &'s ReferenceOr<Schema>,
        location: &str,
        depth: usize,
        props: &mut Vec<(&'s String, &'s ReferenceOr<Box<Schema>>)>,
        required: &mut Vec<String>,
        additional: &mut Option<&'s AdditionalProperties>,
    ) -> bool
    where
        'a: 's,
    {
        if depth > 32 {
            return false;
        }
        let Ok(schema) = self.resolve(member, location) else {
            return false;
        };
        let (properties, req, extra) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                (&o.properties, &o.required, o.additional_properties.as_ref())
            }
            SchemaKind::Any(a)
                if a.all_of.is_empty() && a.one_of.is_empty() && a.any_of.is_empty() =>
            {
                (&a.properties, &a.required, a.additional_properties.as_ref())
            }
            SchemaKind::AllOf { all_of } => {
                return all_of.iter().enumerate().all(|(i, m)| {
                    self.gather(
                        m,
                        &format!("{location}.allOf[{i}]"),
                        depth + 1,
                        props,
                        required,
                        additional,
                    )
                });
            }
            _ => return false,
        };
        for (wire, prop) in properties {
            if let Some(slot) = props.iter_mut().find(|(w, _)| *w == wire) {
                slot.1 = prop;
            } else {
                props.push((wire, prop));
            }
        }
        for wire in req {
            if !required.contains(wire) {
                required.push(wire.clone());
            }
        }
        if extra.is_some() {
            *additional = extra;
        }
        true
    }

    /// A struct of the given properties; a property that refers to the struct itself is
    /// boxed by the emitter. A `required` name that is not a property is allowed (JSON Schema
    /// permits it) and has no field.
    #[allow(clippy::too_many_arguments)]
    fn object_struct(
        &mut self,
        name: String,
        doc: Option<String>,
        props: &[(&String, &ReferenceOr<Box<Schema>>)],
        required: &[String],
        additional: Option<&AdditionalProperties>,
        schema: &Schema,
        location: &str,
    ) -> Result<TypeDef> {
        let mut fields = Vec::new();
        let mut taken = HashSet::new();
        for (wire, prop) in props {
            let wire: &String = wire;
            let at = format!("{location}.properties.{wire}");
            let resolved = self.resolve_boxed(prop, &at)?;
            let ty = self.type_of_boxed(prop, &format!("{name}{}", naming::pascal(wire)), &at)?;
            let inline_doc = match prop {
                ReferenceOr::Item(s) => s
                    .schema_data
                    .description
                    .clone()
                    .or_else(|| annotation_text(s)),
                ReferenceOr::Reference { .. } => None,
            };
            fields.push(Field {
                wire: wire.clone(),
                ident: naming::unique(naming::snake(wire), &mut taken),
                ty,
                required: required.contains(wire),
                nullable: nullable(resolved),
                doc: inline_doc,
                example: examples::of_boxed(self.doc(), prop),
                constraints: constraints(resolved),
                wrapped_item: resolved
                    .schema_data
                    .extensions
                    .get("x-xml-item")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_string),
            });
        }
        let additional = match additional {
            Some(AdditionalProperties::Schema(inner)) => Some(self.type_of(
                inner,
                &format!("{name}Value"),
                &format!("{location}.additionalProperties"),
            )?),
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            _ => None,
        };
        Ok(TypeDef::Struct {
            name,
            doc,
            fields,
            additional,
            example: examples::of_schema(self.doc(), schema),
        })
    }
}

fn set_doc(def: &mut TypeDef, new: Option<String>) {
    match def {
        TypeDef::Struct { doc, .. }
        | TypeDef::Alias { doc, .. }
        | TypeDef::Enum { doc, .. }
        | TypeDef::IntEnum { doc, .. }
        | TypeDef::Union { doc, .. } => *doc = new,
    }
}

/// The variant name of a union member that is not a named type.
fn variant_word(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String => "String",
        TypeRef::Integer { .. } => "Integer",
        TypeRef::Number => "Number",
        TypeRef::Boolean => "Boolean",
        TypeRef::Json => "Json",
        TypeRef::Named(_) => "Named",
        TypeRef::Array(_) => "Array",
        TypeRef::Map(_) => "Map",
    }
}

pub(super) fn rename(def: TypeDef, new: &str) -> TypeDef {
    match def {
        TypeDef::Struct {
            doc,
            fields,
            additional,
            example,
            ..
        } => TypeDef::Struct {
            name: new.into(),
            doc,
            fields,
            additional,
            example,
        },
        TypeDef::Union {
            doc, variants, tag, ..
        } => TypeDef::Union {
            name: new.into(),
            doc,
            variants,
            tag,
        },
        TypeDef::Enum {
            doc,
            variants,
            other,
            ..
        } => TypeDef::Enum {
            name: new.into(),
            doc,
            variants,
            other,
        },
        TypeDef::IntEnum { doc, values, .. } => TypeDef::IntEnum {
            name: new.into(),
            doc,
            values,
        },
        TypeDef::Alias { doc, target, .. } => TypeDef::Alias {
            name: new.into(),
            doc,
            target,
        },
    }
}

/// An enum definition with unique variant names and a catch-all variant.
pub fn enum_def(name: String, doc: Option<String>, values: Vec<String>) -> TypeDef {
    let mut taken = HashSet::new();
    let other = "Unknown".to_string();
    taken.insert(other.clone());
    let variants = values
        .into_iter()
        .map(|v| {
            let ident = naming::unique(naming::pascal(&v), &mut taken);
            (v, ident)
        })
        .collect();
    TypeDef::Enum {
        name,
        doc,
        variants,
        other,
    }
}
