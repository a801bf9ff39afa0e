//! Turning JSON schemas into Rust types: one registry of named model types.

use std::collections::HashSet;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, OpenAPI, ReferenceOr, Schema, SchemaKind, Type,
    VariantOrUnknownOrEmpty,
};

use crate::error::{Error, Result};
use crate::ir::{TypeDef, TypeRef};
use crate::naming;

mod define;
mod schema;

pub use define::enum_def;
pub use schema::{Collapsed, collapsible, constraints, describe, nullable};

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// The named types of an API, built as schemas are met.
pub struct TypeSpace<'a> {
    doc: &'a OpenAPI,
    /// Component schema key -> Rust type name.
    components: IndexMap<String, String>,
    defs: IndexMap<String, TypeDef>,
    taken: HashSet<String>,
}

impl<'a> TypeSpace<'a> {
    /// Registers every component schema of `doc` under its own name.
    pub fn new(doc: &'a OpenAPI) -> Result<Self> {
        let mut space = TypeSpace {
            doc,
            components: IndexMap::new(),
            defs: IndexMap::new(),
            taken: HashSet::new(),
        };
        let Some(components) = &doc.components else {
            return Ok(space);
        };
        for key in components.schemas.keys() {
            let name = naming::unique(naming::pascal(key), &mut space.taken);
            space.components.insert(key.clone(), name);
        }
        for (key, schema) in &components.schemas {
            let location = format!("components.schemas.{key}");
            let name = space.components[key].clone();
            // Hold the component's place, so that it comes before the inline types it defines.
            let placeholder = TypeDef::Alias {
                name: name.clone(),
                doc: None,
                target: TypeRef::Json,
            };
            space.defs.insert(name.clone(), placeholder);
            let schema = space.resolve(schema, &location)?;
            let def = space.define(&name, schema, &location)?;
            space.defs.insert(name, def);
        }
        Ok(space)
    }

    /// All types defined so far, components first, in a stable order.
    pub fn into_defs(self) -> Vec<TypeDef> {
        self.defs.into_values().collect()
    }

    /// The document the types come from.
    pub fn doc(&self) -> &'a OpenAPI {
        self.doc
    }

    /// Follows a schema `$ref` (component schemas only) to the schema it names.
    pub fn resolve<'s>(&self, schema: &'s ReferenceOr<Schema>, location: &str) -> Result<&'s Schema>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(schema) => Ok(schema),
            ReferenceOr::Reference { reference } => self.lookup(reference, location),
        }
    }

    /// Like [`TypeSpace::resolve`], for boxed schemas (object properties, array items).
    pub fn resolve_boxed<'s>(
        &self,
        schema: &'s ReferenceOr<Box<Schema>>,
        location: &str,
    ) -> Result<&'s Schema>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(schema) => Ok(schema),
            ReferenceOr::Reference { reference } => self.lookup(reference, location),
        }
    }

    fn lookup(&self, reference: &str, location: &str) -> Result<&'a Schema> {
        let key = reference.strip_prefix(SCHEMA_PREFIX).ok_or_else(|| {
            Error::new(location, format!("unsupported reference `{reference}`: only `{SCHEMA_PREFIX}...` is supported here"))
        })?;
        let found = self
            .doc
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(key));
        match found {
            Some(ReferenceOr::Item(schema)) => Ok(schema),
            Some(ReferenceOr::Reference { reference: next }) => Err(Error::new(
                location,
                format!(
                    "reference `{reference}` points at another reference `{next}`; refer to the schema directly"
                ),
            )),
            None => Err(Error::new(
                location,
                format!("unresolved reference `{reference}`"),
            )),
        }
    }

    /// The Rust type of `schema`; inline objects and enums become named types called after `hint`.
    pub fn type_of(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        location: &str,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.named_ref(reference, location),
            ReferenceOr::Item(schema) => self.type_of_item(schema, hint, location),
        }
    }

    fn type_of_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        hint: &str,
        location: &str,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.named_ref(reference, location),
            ReferenceOr::Item(schema) => self.type_of_item(schema, hint, location),
        }
    }

    fn named_ref(&self, reference: &str, location: &str) -> Result<TypeRef> {
        self.lookup(reference, location)?;
        let key = reference.trim_start_matches(SCHEMA_PREFIX);
        Ok(TypeRef::Named(self.components[key].clone()))
    }

    fn type_of_item(&mut self, schema: &Schema, hint: &str, location: &str) -> Result<TypeRef> {
        if let Some(one) = collapsible(schema) {
            let at = format!("{location}.{}[{}]", one.word, one.index);
            return self.type_of(one.member, hint, &at);
        }
        if let SchemaKind::Any(any) = &schema.schema_kind
            && any.properties.is_empty()
            && let Some(ty) = self.type_of_any(any, hint, location)?
        {
            return Ok(ty);
        }
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if s.enumeration.iter().any(Option::is_some) => {
                let def = self.define(hint, schema, location)?;
                TypeRef::Named(self.register(def))
            }
            SchemaKind::Type(Type::String(_)) => TypeRef::String,
            SchemaKind::Type(Type::Integer(i)) if i.enumeration.iter().any(Option::is_some) => {
                let def = self.define(hint, schema, location)?;
                TypeRef::Named(self.register(def))
            }
            SchemaKind::Type(Type::Integer(i)) => TypeRef::Integer {
                int32: matches!(
                    i.format,
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32)
                ),
            },
            SchemaKind::Type(Type::Number(_)) => TypeRef::Number,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => {
                match &o.additional_properties {
                    Some(AdditionalProperties::Schema(inner)) => {
                        TypeRef::Map(Box::new(self.type_of(
                            inner,
                            &format!("{hint}Value"),
                            &format!("{location}.additionalProperties"),
                        )?))
                    }
                    _ => TypeRef::Map(Box::new(TypeRef::Json)),
                }
            }
            SchemaKind::Type(Type::Object(_)) => {
                let def = self.define(hint, schema, location)?;
                TypeRef::Named(self.register(def))
            }
            SchemaKind::Type(Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => self.type_of_boxed(
                        items,
                        &format!("{hint}Item"),
                        &format!("{location}.items"),
                    )?,
                    None => TypeRef::Json,
                };
                TypeRef::Array(Box::new(item))
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.type_of(&all_of[0], hint, &format!("{location}.allOf[0]"))?
            }
            SchemaKind::AllOf { .. } | SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                match self.define(hint, schema, location)? {
                    TypeDef::Alias { target, .. } => target,
                    def => TypeRef::Named(self.register(def)),
                }
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                let def = self.define(hint, schema, location)?;
                TypeRef::Named(self.register(def))
            }
            _ => TypeRef::Json,
        })
    }

    /// Adds `def` under its name, reusing an existing type of the same name and shape,
    /// or else picking a fresh name; returns the name used.
    fn register(&mut self, def: TypeDef) -> String {
        let base = def.name().to_string();
        let mut name = base.clone();
        let mut n = 2;
        loop {
            match self.defs.get(&name) {
                Some(existing) if existing.same_shape(&def) => return name,
                // Taken by another type, or reserved by a component not defined yet.
                Some(_) => {}
                None if self.taken.contains(&name) => {}
                None => break,
            }
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        self.defs.insert(name.clone(), define::rename(def, &name));
        name
    }

    /// The type of a schema that `openapiv3` could not place in one of its typed kinds but that
    /// still says what it is (`type: string` with a keyword of another type, `items` without
    /// `type`); `None` when it says nothing.
    fn type_of_any(
        &mut self,
        any: &openapiv3::AnySchema,
        hint: &str,
        location: &str,
    ) -> Result<Option<TypeRef>> {
        let has_items = any.items.is_some();
        Ok(match any.typ.as_deref() {
            Some("string") => Some(TypeRef::String),
            Some("boolean") => Some(TypeRef::Boolean),
            Some("number") => Some(TypeRef::Number),
            Some("integer") => Some(TypeRef::Integer {
                int32: any.format.as_deref() == Some("int32"),
            }),
            Some("array") | None if has_items => {
                let Some(items) = &any.items else {
                    return Ok(None);
                };
                let item = self.type_of_boxed(
                    items,
                    &format!("{hint}Item"),
                    &format!("{location}.items"),
                )?;
                Some(TypeRef::Array(Box::new(item)))
            }
            Some("array") => Some(TypeRef::Array(Box::new(TypeRef::Json))),
            _ => None,
        })
    }
}
