//! Emits the operation catalogue: one static entry per operation, and the table of all of them.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::emit::docs::Doc;
use crate::ir::{Api, BodyShape, Encoding, Location, Operation, Param, TypeDef, TypeRef};
use crate::naming::ident;

/// The contents of `catalogue.rs`.
///
/// An operation marked `x-sevendigital-catalogue-only` gets its entry but is left out of
/// `OPERATIONS` (and so of everything built from it), and listed in `CATALOGUE_ONLY` instead.
/// Every distinct `pattern` is compiled once, lazily, into a static of its own (`PATTERN_n`)
/// that the parameters using it point to.
pub fn emit(api: &Api, runtime: &TokenStream) -> TokenStream {
    let patterns = Patterns::of(api);
    let entries = api
        .operations
        .iter()
        .map(|op| entry(api, op, runtime, &patterns));
    let (surface, only): (Vec<&Operation>, Vec<&Operation>) =
        api.operations.iter().partition(|op| !op.catalogue_only);
    let names = surface.iter().map(|op| ident(&op.const_name));
    let only_names = only.iter().map(|op| ident(&op.const_name));
    let count = surface.len();
    let doc = format!(" Every operation of the API document ({count}), in the document's order.");
    let mut declared: Vec<&str> = surface
        .iter()
        .flat_map(|op| {
            let body: &[Param] = match op.body.as_ref().map(|b| &b.shape) {
                Some(BodyShape::Fields(fields)) | Some(BodyShape::Whole { fields, .. }) => fields,
                _ => &[],
            };
            op.params.iter().chain(body).map(|p| p.wire.as_str())
        })
        .collect();
    declared.sort_unstable();
    declared.dedup();
    let pattern_statics = patterns.statics(runtime);
    let title = &api.title;
    let version = &api.version;
    let server = match &api.server {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    };
    let files = surface.iter().filter_map(|op| {
        let id = &op.id;
        match (&op.response.kind, &op.response.media_type) {
            (crate::ir::ResponseKind::Bytes, Some(media_type)) => Some(quote!((#id, #media_type))),
            (crate::ir::ResponseKind::Bytes, None) => {
                Some(quote!((#id, "application/octet-stream")))
            }
            _ => None,
        }
    });
    quote! {
        /// The title of the API document.
        pub const API_TITLE: &str = #title;
        /// The version of the API document.
        pub const API_VERSION: &str = #version;
        /// The first server URL of the API document, the client's default base URL.
        pub const DEFAULT_SERVER: Option<&str> = #server;

        #( #entries )*

        #[doc = #doc]
        pub static OPERATIONS: &[&#runtime::Operation] = &[ #( &#names ),* ];

        /// The operations described for hand-written code only (`x-sevendigital-catalogue-only`):
        /// not in [`OPERATIONS`], so no client method, command, route stub or tool is made for them.
        pub static CATALOGUE_ONLY: &[&#runtime::Operation] = &[ #( &#only_names ),* ];

        /// The wire name of every input of the operations in [`OPERATIONS`], sorted (for a
        /// binary search), each once.
        pub static DECLARED_INPUTS: &[&str] = &[ #( #declared ),* ];

        #( #pattern_statics )*

        /// The operations whose success answer is a file rather than a document to decode, with
        /// its media type: `(operation id, media type)`.
        pub static FILE_ANSWERS: &[(&str, &str)] = &[ #( #files ),* ];
    }
}

fn opt_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// A JSON value as text: strings bare, everything else as JSON.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The name of the `ParamKind` variant for a type.
fn kind(api: &Api, ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String => "String",
        TypeRef::Integer { .. } => "Integer",
        TypeRef::Number => "Number",
        TypeRef::Boolean => "Boolean",
        TypeRef::Array(_) => "Array",
        TypeRef::Json | TypeRef::Map(_) => "Object",
        TypeRef::Named(name) => match api.types.iter().find(|t| t.name() == name) {
            Some(TypeDef::Enum { .. }) => "String",
            Some(TypeDef::IntEnum { .. }) => "Integer",
            Some(TypeDef::Alias { target, .. }) => kind(api, target),
            _ => "Object",
        },
    }
}

/// The distinct patterns of an API's parameters, in the order first met, each with its static.
struct Patterns<'a>(Vec<&'a str>);

impl<'a> Patterns<'a> {
    fn of(api: &'a Api) -> Self {
        let mut seen: Vec<&'a str> = Vec::new();
        for op in &api.operations {
            let body: &[Param] = match op.body.as_ref().map(|b| &b.shape) {
                Some(BodyShape::Fields(fields)) | Some(BodyShape::Whole { fields, .. }) => fields,
                _ => &[],
            };
            for p in op.params.iter().chain(body) {
                if let Some(pattern) = p.constraints.pattern.as_deref()
                    && !seen.contains(&pattern)
                {
                    seen.push(pattern);
                }
            }
        }
        Patterns(seen)
    }

    /// The name of the static holding `pattern`.
    fn name(&self, pattern: &str) -> Option<proc_macro2::Ident> {
        let i = self.0.iter().position(|p| *p == pattern)?;
        Some(ident(&format!("PATTERN_{i}")))
    }

    fn statics(&self, runtime: &TokenStream) -> Vec<TokenStream> {
        self.0
            .iter()
            .enumerate()
            .map(|(i, pattern)| {
                let name = ident(&format!("PATTERN_{i}"));
                let doc = format!(" `{pattern}`, compiled on first use.");
                quote! {
                    #[doc = #doc]
                    static #name: #runtime::Pattern =
                        #runtime::Pattern::new(|| { #runtime::Pattern::compile(#pattern) });
                }
            })
            .collect()
    }
}

fn param(api: &Api, p: &Param, runtime: &TokenStream, patterns: &Patterns<'_>) -> TokenStream {
    let name = &p.wire;
    let location = match p.location {
        Location::Path => quote!(#runtime::ParamLocation::Path),
        Location::Query => quote!(#runtime::ParamLocation::Query),
        Location::Header => quote!(#runtime::ParamLocation::Header),
        Location::Body => quote!(#runtime::ParamLocation::Body),
    };
    let mut fields = vec![quote!(name: #name), quote!(location: #location)];
    if p.ident != p.wire {
        let rust_name = &p.ident;
        fields.push(quote!(rust_name: #rust_name));
    }
    if p.required {
        fields.push(quote!(required: true));
    }
    match kind(api, &p.ty) {
        "String" => {}
        other => {
            let other = ident(other);
            fields.push(quote!(kind: #runtime::ParamKind::#other));
        }
    }
    if let Some(description) = p.doc.as_deref() {
        fields.push(quote!(description: #description));
    }
    let c = &p.constraints;
    let enum_values = enum_values(api, &p.ty).unwrap_or_else(|| c.enum_values.clone());
    if !enum_values.is_empty() {
        fields.push(quote!(enum_values: &[ #( #enum_values ),* ]));
    }
    let optional = [
        ("minimum", c.minimum.map(|v| quote!(Some(#v)))),
        ("maximum", c.maximum.map(|v| quote!(Some(#v)))),
        ("min_length", c.min_length.map(|v| quote!(Some(#v)))),
        ("max_length", c.max_length.map(|v| quote!(Some(#v)))),
        ("format", c.format.as_deref().map(|v| quote!(Some(#v)))),
        ("pattern", c.pattern.as_deref().map(|v| quote!(Some(#v)))),
        (
            "compiled",
            c.pattern
                .as_deref()
                .and_then(|v| patterns.name(v))
                .map(|v| quote!(Some(&#v))),
        ),
        (
            "default",
            c.default.as_ref().map(value_text).map(|v| quote!(Some(#v))),
        ),
        (
            "example",
            p.example
                .as_ref()
                .filter(|v| !v.is_null())
                .map(value_text)
                .map(|v| quote!(Some(#v))),
        ),
    ];
    for (field, value) in optional {
        if let Some(value) = value {
            let field = ident(field);
            fields.push(quote!(#field: #value));
        }
    }
    quote! {
        #runtime::Param { #( #fields, )* ..#runtime::Param::DEFAULT }
    }
}

/// The values of an enum type (also through arrays of it), if `ty` is one.
fn enum_values(api: &Api, ty: &TypeRef) -> Option<Vec<String>> {
    match ty {
        TypeRef::Named(name) => match api.types.iter().find(|t| t.name() == name)? {
            TypeDef::Enum { variants, .. } => {
                Some(variants.iter().map(|(w, _)| w.clone()).collect())
            }
            TypeDef::Alias { target, .. } => enum_values(api, target),
            _ => None,
        },
        TypeRef::Array(inner) => enum_values(api, inner),
        _ => None,
    }
}

fn entry(api: &Api, op: &Operation, runtime: &TokenStream, patterns: &Patterns<'_>) -> TokenStream {
    let name = ident(&op.const_name);
    let mut doc = Doc::new().line(format!(
        "`{} {}`: {}",
        op.method,
        op.path,
        op.summary.as_deref().unwrap_or(&op.id)
    ));
    if !op.error_statuses.is_empty() {
        let statuses: Vec<String> = op.error_statuses.iter().map(u16::to_string).collect();
        doc = doc.line(format!(
            "Error answers (7digital's error envelope): HTTP {}.",
            statuses.join(", ")
        ));
    }
    let doc = doc.tokens();
    let error_statuses = &op.error_statuses;
    let id = &op.id;
    let method = ident(&heck::ToUpperCamelCase::to_upper_camel_case(
        op.method.as_str(),
    ));
    let path = &op.path;
    let tags = &op.tags;
    let summary = op.summary.as_deref().unwrap_or("");
    let description = op.description.as_deref().unwrap_or("");
    let security = &op.security;
    let mut params: Vec<TokenStream> = op
        .params
        .iter()
        .map(|p| param(api, p, runtime, patterns))
        .collect();
    let body = match &op.body {
        Some(body) => {
            let fields: &[Param] = match &body.shape {
                BodyShape::Fields(fields) | BodyShape::Whole { fields, .. } => fields,
                BodyShape::Raw { .. } => &[],
            };
            params.extend(fields.iter().map(|p| param(api, p, runtime, patterns)));
            let media_type = &body.media_type;
            let encoding = match body.encoding {
                Encoding::Form => quote!(#runtime::BodyEncoding::Form),
                Encoding::Json => quote!(#runtime::BodyEncoding::Json),
                Encoding::Raw => quote!(#runtime::BodyEncoding::Raw),
            };
            let required = body.required;
            quote!(Some(#runtime::BodyInfo { media_type: #media_type, encoding: #encoding, required: #required }))
        }
        None => quote!(None),
    };
    let status = op.response.status;
    let server = opt_str(op.server.as_deref());
    let auth = ident(op.auth.variant());
    let never_retry = op.never_retry;
    quote! {
        #doc
        pub static #name: #runtime::Operation = #runtime::Operation {
            id: #id,
            method: #runtime::Method::#method,
            path: #path,
            tags: &[ #( #tags ),* ],
            summary: #summary,
            description: #description,
            security: &[ #( #security ),* ],
            auth: #runtime::AuthLevel::#auth,
            never_retry: #never_retry,
            params: &[ #( #params ),* ],
            body: #body,
            success_status: #status,
            error_statuses: &[ #( #error_statuses ),* ],
            server: #server,
        };
    }
}
