//! Emits the model types: serde structs, enums with a catch-all variant, aliases.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::{Doc, type_words};
use crate::emit::rust_type;
use crate::ir::{Api, Field, TypeDef};
use crate::naming::ident;

/// The contents of `models.rs`.
pub fn emit(api: &Api) -> TokenStream {
    let types = api.types.iter().map(|def| match def {
        TypeDef::Struct {
            name,
            doc,
            fields,
            example,
        } => emit_struct(name, doc.as_deref(), fields, example.as_ref()),
        TypeDef::Enum {
            name,
            doc,
            variants,
            other,
        } => emit_enum(name, doc.as_deref(), variants, other),
        TypeDef::Alias { name, doc, target } => {
            let name = ident(name);
            let doc = Doc::new().text(doc.as_deref()).tokens();
            let target = rust_type(target, &TokenStream::new());
            quote! { #doc pub type #name = #target; }
        }
    });
    quote! { #( #types )* }
}

fn emit_struct(
    name: &str,
    doc: Option<&str>,
    fields: &[Field],
    example: Option<&serde_json::Value>,
) -> TokenStream {
    let fallback = format!("The `{name}` object of the API document.");
    let doc = Doc::new()
        .text(doc.or(Some(&fallback)))
        .line("Fields the document does not list are ignored when decoding.")
        .example(example.filter(|e| e.to_string().len() <= 400))
        .tokens();
    let name = ident(name);
    let all_optional = fields.iter().all(|f| !f.required);
    let default = all_optional.then(|| quote!(Default,));
    let fields = fields.iter().map(|f| {
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
        let wire = &f.wire;
        let rename = (f.ident != f.wire).then(|| quote!(rename = #wire,));
        let (ty, serde) = match (f.required, f.nullable) {
            (true, false) => (inner, rename.map(|r| quote!(#[serde(#r)]))),
            (true, true) => (
                quote!(Option<#inner>),
                Some(quote!(#[serde(#rename default)])),
            ),
            (false, _) => (
                quote!(Option<#inner>),
                Some(quote!(#[serde(#rename default, skip_serializing_if = "Option::is_none")])),
            ),
        };
        quote! { #doc #serde pub #ident: #ty, }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        pub struct #name { #( #fields )* }
    }
}

fn emit_enum(
    name: &str,
    doc: Option<&str>,
    variants: &[(String, String)],
    other: &str,
) -> TokenStream {
    let listed = variants
        .iter()
        .map(|(wire, _)| format!("`{wire}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let doc = Doc::new()
        .text(doc)
        .line(format!("One of {listed}. A value the API document does not list decodes as [`{name}::{other}`] instead of failing."))
        .tokens();
    let name = ident(name);
    let other = ident(other);
    let wires: Vec<&String> = variants.iter().map(|(w, _)| w).collect();
    let idents: Vec<_> = variants.iter().map(|(_, v)| ident(v)).collect();
    let variant_docs: Vec<String> = wires.iter().map(|w| format!(" `{w}`")).collect();
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(from = "String", into = "String")]
        pub enum #name {
            #( #[doc = #variant_docs] #idents, )*
            /// A value that this version of the API document does not list, kept as received.
            #other(String),
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

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#idents, )*
                    other => Self::#other(other.to_string()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match Self::from(value.as_str()) {
                    Self::#other(_) => Self::#other(value),
                    known => known,
                }
            }
        }

        impl From<#name> for String {
            fn from(value: #name) -> Self {
                match value {
                    #name::#other(value) => value,
                    known => known.as_str().to_string(),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}
