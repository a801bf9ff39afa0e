//! Emitters: each turns the [`crate::ir::Api`] into one generated file.

pub mod catalogue;
pub mod cli;
pub mod docs;
pub mod models;
pub mod paging;
pub mod requests;
pub mod schemas;
pub mod server;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::TypeRef;
use crate::naming::ident;

/// The tokens of a Rust type, with fully qualified paths so that no model name (a schema
/// called `Option`, `Vec` or `String`) can shadow them; `models` is the path prefix of generated model types
/// (empty inside the models module itself).
pub fn rust_type(ty: &TypeRef, models: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Integer { int32: true } => quote!(i32),
        TypeRef::Integer { int32: false } => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Named(name) => {
            let name = ident(name);
            if models.is_empty() {
                quote!(#name)
            } else {
                quote!(#models::#name)
            }
        }
        TypeRef::Array(inner) => {
            let inner = rust_type(inner, models);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner, models);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
    }
}

/// Parses a path such as `crate::models` from the settings into tokens.
pub fn path_tokens(path: &str) -> crate::error::Result<TokenStream> {
    syn::parse_str::<syn::Path>(path)
        .map(|p| quote!(#p))
        .map_err(|e| {
            crate::error::Error::new("settings", format!("`{path}` is not a Rust path: {e}"))
        })
}
