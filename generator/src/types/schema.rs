//! What one schema says by itself: a composition that is one type, whether it allows `null`,
//! its description, its validation rules.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty};

use crate::ir::Constraints;

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
pub(super) fn annotation_text(schema: &Schema) -> Option<String> {
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
