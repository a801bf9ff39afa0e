//! Emits the model types: serde structs, enums with a catch-all variant, aliases.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::{Doc, type_words};
use crate::emit::rust_type;
use crate::ir::{Api, Field, TypeDef, TypeRef};
use crate::naming::{ident, snake};

/// The contents of `models.rs`; `runtime` is the runtime module's path as written in the
/// settings (its `lenient` module and `Lenient` trait decode every field).
///
/// Every field decodes leniently, as the runtime's `lenient` module describes: numbers and
/// booleans also as strings, a single object where a list is declared, `""` or `null` for an
/// absent optional value. Required fields stay required.
pub fn emit(api: &Api, runtime: &str) -> TokenStream {
    let runtime_tokens: TokenStream = runtime.parse().unwrap_or_default();
    let types = api.types.iter().map(|def| match def {
        TypeDef::Struct {
            name,
            doc,
            fields,
            additional,
            example,
        } => emit_struct(
            api,
            name,
            doc.as_deref(),
            fields,
            additional.as_ref(),
            example.as_ref(),
            runtime,
        ),
        TypeDef::Union {
            name,
            doc,
            variants,
            tag,
        } => emit_union(
            api,
            name,
            doc.as_deref(),
            variants,
            tag.as_ref(),
            &runtime_tokens,
        ),
        TypeDef::Enum {
            name,
            doc,
            variants,
            other,
        } => emit_enum(name, doc.as_deref(), variants, other, &runtime_tokens),
        TypeDef::IntEnum { name, doc, values } => {
            emit_int_enum(name, doc.as_deref(), values, &runtime_tokens)
        }
        TypeDef::Alias { name, doc, target } => {
            let name = ident(name);
            let doc = Doc::new().text(doc.as_deref()).tokens();
            let target = rust_type(target, &TokenStream::new());
            quote! { #doc pub type #name = #target; }
        }
    });
    quote! { #( #types )* }
}

#[allow(clippy::too_many_arguments)]
fn emit_struct(
    api: &Api,
    name: &str,
    doc: Option<&str>,
    fields: &[Field],
    additional: Option<&TypeRef>,
    example: Option<&serde_json::Value>,
    runtime: &str,
) -> TokenStream {
    let runtime_tokens: TokenStream = runtime.parse().unwrap_or_default();
    let type_name = name;
    let fallback = format!("The `{name}` object of the API document.");
    let doc = Doc::new()
        .text(doc.or(Some(&fallback)))
        .line(if additional.is_some() {
            "Fields the document does not list are kept in `additional_properties`."
        } else {
            "Fields the document does not list are ignored when decoding."
        })
        .example(example.filter(|e| e.to_string().len() <= 400))
        .tokens();
    let all_optional = fields.iter().all(|f| !f.required);
    let default = all_optional.then(|| quote!(Default,));
    let mut helpers = Vec::new();
    let fields: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let ident = ident(&f.ident);
            let fallback = format!("The `{}` field ({}).", f.wire, type_words(&f.ty));
            let doc = Doc::new()
                .text(f.doc.as_deref().or(Some(&fallback)))
                .constraints(&f.constraints)
                .example(
                    f.example
                        .as_ref()
                        .filter(|e| !e.is_object() && !e.is_array()),
                )
                .tokens();
            let inner = rust_type(&f.ty, &TokenStream::new());
            // A field that holds the struct itself, directly or through other types held
            // inline, would give it infinite size.
            let inner = if recursive(api, &f.ty, type_name) {
                quote!(::std::boxed::Box<#inner>)
            } else {
                inner
            };
            let wire = &f.wire;
            let rename = (f.ident != f.wire).then(|| quote!(rename = #wire,));
            let optional = !f.required || f.nullable;
            let ty = if optional {
                quote!(::std::option::Option<#inner>)
            } else {
                inner.clone()
            };
            let decoder = match &f.wrapped_item {
                Some(item) => {
                    let helper = format!("decode_{}_{}", snake(type_name), f.ident);
                    let helper_ident = ident_of(&helper);
                    let function = if optional {
                        quote!(optional_wrapped_list)
                    } else {
                        quote!(wrapped_list)
                    };
                    let comment = format!(
                        " Decodes `{type_name}.{wire}`: a list, or the XML-converted form `{{\"{item}\": [...]}}`."
                    );
                    helpers.push(quote! {
                        #[doc = #comment]
                        fn #helper_ident<'de, D: serde::Deserializer<'de>>(
                            deserializer: D,
                        ) -> ::std::result::Result<#ty, D::Error> {
                            #runtime_tokens::lenient::#function(deserializer, #item)
                        }
                    });
                    helper
                }
                None if optional => format!("{runtime}::lenient::optional"),
                None => format!("{runtime}::lenient::required"),
            };
            let serde = if optional {
                let skip = (!f.required).then(|| quote!(skip_serializing_if = "::std::option::Option::is_none",));
                quote!(#[serde(#rename default, deserialize_with = #decoder, #skip)])
            } else {
                quote!(#[serde(#rename deserialize_with = #decoder)])
            };
            quote! { #doc #serde pub #ident: #ty, }
        })
        .collect();
    let mut fields = fields;
    if let Some(value) = additional {
        let value = rust_type(value, &TokenStream::new());
        fields.push(quote! {
            /// The properties the document does not name, by their wire names.
            #[serde(flatten)]
            pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #value>,
        });
    }
    let name = ident(name);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        pub struct #name { #( #fields )* }

        impl #runtime_tokens::Lenient for #name {}

        #( #helpers )*
    }
}

fn emit_union(
    api: &Api,
    name: &str,
    doc: Option<&str>,
    variants: &[(String, TypeRef)],
    tag: Option<&(String, Vec<(String, String)>)>,
    runtime: &TokenStream,
) -> TokenStream {
    let fallback = format!("The `{name}` value of the API document: one of several shapes.");
    let how = match tag {
        Some((property, _)) => format!(
            "The shape is chosen by the `{property}` property; a value with another or no `{property}`, or not of its shape, decodes as [`{name}::Other`]."
        ),
        None => format!(
            "The shapes are tried in order; a value matching none decodes as [`{name}::Other`]."
        ),
    };
    let doc = Doc::new().text(doc.or(Some(&fallback))).line(how).tokens();
    let name_ident = ident(name);
    let arms = variants.iter().map(|(variant, ty)| {
        // A variant that holds the union itself inline would give it infinite size.
        let boxed = recursive(api, ty, name);
        let ty = rust_type(ty, &TokenStream::new());
        let ty = if boxed {
            quote!(::std::boxed::Box<#ty>)
        } else {
            ty
        };
        let words = format!(" A `{}` value.", variant);
        let variant = ident(variant);
        quote!(#[doc = #words] #variant(#ty),)
    });
    let (derive_de, decode) = match tag {
        None => (quote!(serde::Deserialize,), TokenStream::new()),
        Some((property, values)) => {
            let wires = values.iter().map(|(w, _)| w);
            let idents = values.iter().map(|(_, v)| ident(v));
            let decode = quote! {
                impl<'de> serde::Deserialize<'de> for #name_ident {
                    fn deserialize<D: serde::Deserializer<'de>>(
                        deserializer: D,
                    ) -> ::std::result::Result<Self, D::Error> {
                        let value = <::serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                        let tag = value
                            .get(#property)
                            .and_then(::serde_json::Value::as_str)
                            .map(::std::string::ToString::to_string);
                        let decoded = match tag.as_deref() {
                            #( ::std::option::Option::Some(#wires) => ::serde_json::from_value(value.clone()).map(Self::#idents), )*
                            _ => return ::std::result::Result::Ok(Self::Other(value)),
                        };
                        ::std::result::Result::Ok(decoded.unwrap_or(Self::Other(value)))
                    }
                }
            };
            (TokenStream::new(), decode)
        }
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize, #derive_de)]
        #[serde(untagged)]
        pub enum #name_ident {
            #( #arms )*
            /// A value of none of the shapes the document lists, kept as received.
            Other(::serde_json::Value),
        }

        #decode

        impl #runtime::Lenient for #name_ident {}
    }
}

/// Whether a value of type `ty` holds a value of the type named `target` inline (not behind
/// a `Vec` or map), directly or through the fields and variants of other named types.
fn recursive(api: &Api, ty: &TypeRef, target: &str) -> bool {
    fn walk<'a>(api: &'a Api, ty: &'a TypeRef, target: &str, seen: &mut Vec<&'a str>) -> bool {
        let TypeRef::Named(name) = ty else {
            return false;
        };
        if name == target {
            return true;
        }
        if seen.contains(&name.as_str()) {
            return false;
        }
        seen.push(name);
        match api.types.iter().find(|t| t.name() == name) {
            Some(TypeDef::Struct { fields, .. }) => {
                fields.iter().any(|f| walk(api, &f.ty, target, seen))
            }
            Some(TypeDef::Union { variants, .. }) => {
                variants.iter().any(|(_, t)| walk(api, t, target, seen))
            }
            Some(TypeDef::Alias { target: t, .. }) => walk(api, t, target, seen),
            _ => false,
        }
    }
    walk(api, ty, target, &mut Vec::new())
}

fn ident_of(name: &str) -> proc_macro2::Ident {
    proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
}

fn emit_enum(
    name: &str,
    doc: Option<&str>,
    variants: &[(String, String)],
    other: &str,
    runtime: &TokenStream,
) -> TokenStream {
    let listed = variants
        .iter()
        .map(|(wire, _)| format!("`{wire}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let doc = Doc::new()
        .text(doc)
        .line(format!("One of {listed}, matched without regard to ASCII case. A value the API document does not list decodes as [`{name}::{other}`] instead of failing."))
        .tokens();
    let name = ident(name);
    let other = ident(other);
    let wires: Vec<&String> = variants.iter().map(|(w, _)| w).collect();
    let name_str = name.to_string();
    let idents: Vec<_> = variants.iter().map(|(_, v)| ident(v)).collect();
    let variant_docs: Vec<String> = wires.iter().map(|w| format!(" `{w}`")).collect();
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
        #[serde(into = "::std::string::String")]
        pub enum #name {
            #( #[doc = #variant_docs] #idents, )*
            /// A value that this version of the API document does not list, kept as received.
            #other(::std::string::String),
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as serde::Deserialize>::deserialize(deserializer).map(|value| Self::from_wire(&value))
            }
        }

        impl #name {
            /// Every value the API document lists, as sent on the wire.
            pub const VALUES: &'static [&'static str] = &[ #( #wires ),* ];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #wires, )*
                    Self::#other(value) => value,
                }
            }
        }

        impl #name {
            /// The value for text as sent on the wire: a listed value (in any ASCII case), or
            /// else the catch-all variant keeping the text. Deliberately not `From<&str>`, so
            /// that a typo cannot become a value through `.into()`; see also `FromStr`, which
            /// refuses unlisted text.
            pub fn from_wire(value: &str) -> Self {
                #( if value.eq_ignore_ascii_case(#wires) { return Self::#idents; } )*
                Self::#other(value.to_string())
            }
        }

        impl #runtime::Lenient for #name {
            fn lenient<'de, D: serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as #runtime::Lenient>::lenient(deserializer).map(|value| Self::from_wire(&value))
            }
        }

        impl ::std::convert::From<#name> for ::std::string::String {
            fn from(value: #name) -> Self {
                match value {
                    #name::#other(value) => value,
                    known => known.as_str().to_string(),
                }
            }
        }

        /// Parses one of [`VALUES`](Self::VALUES) (in any ASCII case); any other text is an
        /// error, not the catch-all variant (build that explicitly when it is meant).
        impl ::std::str::FromStr for #name {
            type Err = #runtime::UnknownValue;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                match Self::from_wire(value) {
                    Self::#other(value) => ::std::result::Result::Err(#runtime::UnknownValue::new(#name_str, value, Self::VALUES)),
                    known => ::std::result::Result::Ok(known),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

/// The variant name of an integer enum value.
fn int_variant(value: i64) -> proc_macro2::Ident {
    if value < 0 {
        ident_of(&format!("VMinus{}", value.unsigned_abs()))
    } else {
        ident_of(&format!("V{value}"))
    }
}

fn emit_int_enum(
    name: &str,
    doc: Option<&str>,
    values: &[i64],
    runtime: &TokenStream,
) -> TokenStream {
    let listed = values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let doc = Doc::new()
        .text(doc)
        .line(format!("One of the integers {listed}. A value the API document does not list decodes as [`{name}::Unknown`] instead of failing."))
        .tokens();
    let name = ident(name);
    let idents: Vec<_> = values.iter().map(|v| int_variant(*v)).collect();
    let variant_docs: Vec<String> = values.iter().map(|v| format!(" `{v}`")).collect();
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(from = "i64", into = "i64")]
        pub enum #name {
            #( #[doc = #variant_docs] #idents, )*
            /// A value that this version of the API document does not list, kept as received.
            Unknown(i64),
        }

        impl #name {
            /// Every value the API document lists.
            pub const VALUES: &'static [i64] = &[#( #values ),*];

            /// The value as sent on the wire.
            pub fn value(self) -> i64 {
                match self {
                    #( Self::#idents => #values, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::convert::From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #( #values => Self::#idents, )*
                    other => Self::Unknown(other),
                }
            }
        }

        impl ::std::convert::From<#name> for i64 {
            fn from(value: #name) -> Self {
                value.value()
            }
        }

        impl #runtime::Lenient for #name {
            fn lenient<'de, D: serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <i64 as #runtime::Lenient>::lenient(deserializer).map(Self::from)
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::num::ParseIntError;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                value.trim().parse::<i64>().map(Self::from)
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }
    }
}
