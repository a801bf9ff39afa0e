//! Turning JSON schemas into Rust types: one registry of named model types.

use std::collections::HashSet;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, OpenAPI, ReferenceOr, Schema, SchemaKind, Type,
    VariantOrUnknownOrEmpty,
};

use crate::error::{Error, Result};
use crate::examples;
use crate::ir::{Constraints, Field, TypeDef, TypeRef};
use crate::naming;

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
        self.defs.insert(name.clone(), rename(def, &name));
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

    /// Builds the definition of a named type (struct, enum or alias) from `schema`.
    fn define(&mut self, hint: &str, schema: &Schema, location: &str) -> Result<TypeDef> {
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

/// The one member of an `allOf`, `oneOf` or `anyOf` that says what the type is, when every
/// other member only annotates it (`description`, `title`, `default`, `example`, `nullable`,
/// `readOnly`...) or is the `null` type: `allOf: [{$ref: S}, {description: ...}]` is `S`.
pub struct Collapsed<'s> {
    /// The member that gives the type.
    pub member: &'s ReferenceOr<Schema>,
    /// Its index among the members.
    pub index: usize,
    /// `allOf`, `oneOf` or `anyOf`.
    pub word: &'static str,
    /// Whether a member (or the schema itself) allows `null`.
    pub nullable: bool,
}

/// See [`Collapsed`]; `None` when the schema is not such a composition.
pub fn collapsible(schema: &Schema) -> Option<Collapsed<'_>> {
    let (members, word) = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => (all_of, "allOf"),
        SchemaKind::OneOf { one_of } => (one_of, "oneOf"),
        SchemaKind::AnyOf { any_of } => (any_of, "anyOf"),
        _ => return None,
    };
    let mut found = None;
    let mut nullable = schema.schema_data.nullable;
    for (index, member) in members.iter().enumerate() {
        match annotation_only(member) {
            Some(allows_null) => nullable |= allows_null,
            None if found.is_some() => return None,
            None => found = Some((index, member)),
        }
    }
    let (index, member) = found?;
    Some(Collapsed {
        member,
        index,
        word,
        nullable,
    })
}

/// `Some(allows null)` when a composition member says nothing about the type: no keyword but
/// annotations, or only `type: 'null'`.
fn annotation_only(member: &ReferenceOr<Schema>) -> Option<bool> {
    let ReferenceOr::Item(schema) = member else {
        return None;
    };
    let SchemaKind::Any(any) = &schema.schema_kind else {
        return None;
    };
    let null_type = any.typ.as_deref() == Some("null");
    let bare = openapiv3::AnySchema {
        typ: if null_type { any.typ.clone() } else { None },
        ..openapiv3::AnySchema::default()
    };
    (*any == bare).then_some(schema.schema_data.nullable || null_type)
}

/// Whether a schema allows `null`: `nullable: true` on it or on an annotation-only member of
/// its composition.
pub fn nullable(schema: &Schema) -> bool {
    schema.schema_data.nullable || collapsible(schema).is_some_and(|c| c.nullable)
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

fn rename(def: TypeDef, new: &str) -> TypeDef {
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

/// The schema's description, or its title.
pub fn describe(schema: &Schema) -> Option<String> {
    schema
        .schema_data
        .description
        .clone()
        .or_else(|| schema.schema_data.title.clone())
        .or_else(|| annotation_text(schema))
}

/// The description (or title) an annotation-only member of a collapsible composition gives.
fn annotation_text(schema: &Schema) -> Option<String> {
    collapsible(schema)?;
    let members = match &schema.schema_kind {
        SchemaKind::AllOf { all_of: m }
        | SchemaKind::OneOf { one_of: m }
        | SchemaKind::AnyOf { any_of: m } => m,
        _ => return None,
    };
    members.iter().find_map(|member| match member {
        ReferenceOr::Item(s) if annotation_only(member).is_some() => s
            .schema_data
            .description
            .clone()
            .or_else(|| s.schema_data.title.clone()),
        _ => None,
    })
}

/// The validation rules a schema states.
pub fn constraints(schema: &Schema) -> Constraints {
    let mut c = Constraints {
        default: schema.schema_data.default.clone(),
        ..Constraints::default()
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            c.min_length = s.min_length.map(|v| v as u64);
            c.max_length = s.max_length.map(|v| v as u64);
            c.enum_values = s.enumeration.iter().flatten().cloned().collect();
            c.format = format_name(&s.format);
            c.pattern = s.pattern.clone();
        }
        SchemaKind::Type(Type::Integer(i)) => {
            c.minimum = i.minimum.map(|v| v as f64);
            c.maximum = i.maximum.map(|v| v as f64);
            c.format = format_name(&i.format);
        }
        SchemaKind::Type(Type::Number(n)) => {
            c.minimum = n.minimum;
            c.maximum = n.maximum;
            c.format = format_name(&n.format);
        }
        _ => {}
    }
    c
}

fn format_name<T: std::fmt::Debug>(format: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(heck::ToKebabCase::to_kebab_case(
            format!("{item:?}").as_str(),
        )),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}
