//! Putting one input into the request: path, query, header, form or JSON, by its type.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Encoding, Location, Operation, TypeDef, TypeRef};
use crate::naming::ident;

use super::{Input, Kind, Paths};

/// Statements that put one input into `request`.
pub(super) fn encode_input(
    api: &Api,
    op: &Operation,
    input: &Input<'_>,
    paths: &Paths,
) -> TokenStream {
    let name = ident(input.ident);
    let wire = input.wire;
    let runtime = &paths.runtime;
    let value = quote!(value);
    let put_value = |value: TokenStream| match (input.location, &input.kind) {
        (Location::Body, Kind::Whole(_)) => match op.body.as_ref().map(|b| b.encoding) {
            Some(Encoding::Form) => quote!(request.form_body(&#value);),
            _ => quote!(request.json_body(&#value);),
        },
        (Location::Body, Kind::Raw) => quote!(request.raw_body(#value);),
        (Location::Body, Kind::Value(_))
            if op.body.as_ref().map(|b| b.encoding) == Some(Encoding::Json) =>
        {
            quote!(request.json_field(#wire, &#value);)
        }
        (location, Kind::Value(ty)) => {
            let setter = match location {
                Location::Path => quote!(path_param),
                Location::Query => quote!(query),
                Location::Header => quote!(header),
                Location::Body => quote!(form),
            };
            match ty {
                TypeRef::Array(inner) if location != Location::Path => {
                    let item = text(api, inner, quote!(item), runtime);
                    quote! { for item in #value { request.#setter(#wire, #item); } }
                }
                _ => {
                    let text = text(api, ty, value.clone(), runtime);
                    quote!(request.#setter(#wire, #text);)
                }
            }
        }
        (_, Kind::Whole(_) | Kind::Raw) => quote!(request.json_body(&#value);),
    };
    if input.required {
        put_value(quote!(self.#name))
    } else {
        let put = put_value(value.clone());
        quote! { if let Some(#value) = self.#name { #put } }
    }
}

/// An expression giving the text form of `value` (of type `ty`) for a path, query, header or form value.
fn text(api: &Api, ty: &TypeRef, value: TokenStream, runtime: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => value,
        TypeRef::Integer { .. } | TypeRef::Number | TypeRef::Boolean => quote!(#value.to_string()),
        TypeRef::Named(name) => match api.types.iter().find(|t| t.name() == name) {
            Some(TypeDef::Enum { .. }) => quote!(String::from(#value)),
            Some(TypeDef::IntEnum { .. }) => quote!(#value.to_string()),
            Some(TypeDef::Alias { target, .. }) => text(api, target, value, runtime),
            _ => quote!(#runtime::json_text(&#value)),
        },
        TypeRef::Json | TypeRef::Map(_) | TypeRef::Array(_) => quote!(#runtime::json_text(&#value)),
    }
}
