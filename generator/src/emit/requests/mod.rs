//! Emits one client method and one request builder per operation.
//!
//! Required inputs (path parameters, required query parameters, required
//! body fields or a required whole body) are arguments of the client method,
//! in the document's order; optional ones are chained setters; `send()`
//! performs the call and decodes the typed response.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::{Doc, type_words};
use crate::emit::rust_type;
use crate::ir::{Api, BodyShape, Location, Operation, Param, TypeRef};
use crate::naming::ident;

mod builder;
mod encode;
mod method;

/// Paths the generated code refers to.
pub struct Paths {
    pub client: TokenStream,
    pub runtime: TokenStream,
    pub models: TokenStream,
    pub catalogue: TokenStream,
    /// Builders as newtypes of `Call` (the runtime is in another crate), not aliases.
    pub newtype_builders: bool,
    /// The crate examples name the client by (`my_crate` for `my_crate::Client`); no examples
    /// without it.
    pub examples_crate: Option<String>,
}

/// The contents of `requests.rs`.
pub fn emit(api: &Api, settings: &Paths) -> TokenStream {
    // The file refers to the runtime, models and catalogue through short module aliases.
    let (runtime, models, catalogue) = (&settings.runtime, &settings.models, &settings.catalogue);
    let paths = &Paths {
        newtype_builders: settings.newtype_builders,
        examples_crate: settings.examples_crate.clone(),
        client: settings.client.clone(),
        runtime: quote!(runtime),
        models: quote!(models),
        catalogue: quote!(catalogue),
    };
    let builders = api
        .operations
        .iter()
        .map(|op| builder::builder(api, op, paths));
    let client = &paths.client;
    // One `impl` block per tag (an operation's first tag), in the order tags first appear, each
    // with a heading, so that the client's page reads by area.
    let mut groups: Vec<(Option<&str>, Vec<&Operation>)> = Vec::new();
    for op in &api.operations {
        let tag = op.tags.first().map(String::as_str);
        match groups.iter_mut().find(|(t, _)| *t == tag) {
            Some((_, ops)) => ops.push(op),
            None => groups.push((tag, vec![op])),
        }
    }
    let blocks = groups.iter().map(|(tag, ops)| {
        let (title, text) = match tag {
            Some(tag) => (
                format!(" # {tag}"),
                format!(" The operations the document tags `{tag}`."),
            ),
            None => (
                " # Other operations".to_string(),
                " The operations the document gives no tag.".to_string(),
            ),
        };
        let methods = ops.iter().map(|op| method::client_method(op, paths));
        quote! {
            #[doc = #title]
            #[doc = ""]
            #[doc = #text]
            impl #client {
                #( #methods )*
            }
        }
    });
    quote! {
        #[allow(unused_imports)]
        use #runtime as runtime;
        #[allow(unused_imports)]
        use #models as models;
        use #catalogue as catalogue;

        #( #blocks )*
        #( #builders )*
    }
}

/// What a builder stores for one input.
enum Kind<'a> {
    /// A parameter or a body field.
    Value(&'a TypeRef),
    /// The whole body, as a model type.
    Whole(&'a TypeRef),
    /// The whole body, as raw bytes.
    Raw,
}

/// An input of an operation as the builder sees it.
struct Input<'a> {
    /// The document's example value, if any.
    example: Option<&'a serde_json::Value>,
    ident: &'a str,
    wire: &'a str,
    required: bool,
    secret: bool,
    location: Location,
    kind: Kind<'a>,
    doc: Doc,
}

fn from_param(p: &Param) -> Input<'_> {
    Input {
        example: p.example.as_ref(),
        ident: &p.ident,
        wire: &p.wire,
        required: p.required,
        secret: p.constraints.format.as_deref() == Some("password"),
        location: p.location,
        kind: Kind::Value(&p.ty),
        doc: Doc::new()
            .text(p.doc.as_deref())
            .constraints(&p.constraints)
            .example(p.example.as_ref()),
    }
}

fn inputs(op: &Operation) -> Vec<Input<'_>> {
    let mut out: Vec<Input<'_>> = op.params.iter().map(from_param).collect();
    let Some(body) = &op.body else {
        return out;
    };
    match &body.shape {
        BodyShape::Fields(fields) => out.extend(fields.iter().map(from_param)),
        BodyShape::Whole { ident, ty, .. } => out.push(Input {
            example: None,
            ident,
            wire: ident,
            required: body.required,
            secret: false,
            location: Location::Body,
            kind: Kind::Whole(ty),
            doc: Doc::new().text(body.doc.as_deref()).line(format!(
                "The request body ({}), sent as `{}`.",
                type_words(ty),
                body.media_type
            )),
        }),
        BodyShape::Raw { ident } => out.push(Input {
            example: None,
            ident,
            wire: ident,
            required: body.required,
            secret: false,
            location: Location::Body,
            kind: Kind::Raw,
            doc: Doc::new().text(body.doc.as_deref()).line(format!(
                "The raw request body, sent as `{}`.",
                body.media_type
            )),
        }),
    }
    out
}

impl Input<'_> {
    /// Whether the input is an identifier (`id`, `release_id`): it then takes integers too.
    fn is_id(&self) -> bool {
        self.ident == "id" || self.ident.ends_with("_id")
    }

    /// The type stored in the builder (before `Option` for optional inputs).
    fn stored(&self, paths: &Paths) -> TokenStream {
        match self.kind {
            Kind::Value(ty) | Kind::Whole(ty) => rust_type(ty, &paths.models),
            Kind::Raw => quote!(Vec<u8>),
        }
    }

    /// The argument type of the method or setter, and how to turn the argument into the stored value.
    fn argument(&self, paths: &Paths) -> (TokenStream, TokenStream) {
        let name = ident(self.ident);
        match self.kind {
            Kind::Value(TypeRef::String) if self.is_id() => {
                let runtime = &paths.runtime;
                (quote!(impl #runtime::IntoId), quote!(#name.into_id()))
            }
            Kind::Value(TypeRef::String) => (quote!(impl Into<String>), quote!(#name.into())),
            Kind::Raw => (quote!(impl Into<Vec<u8>>), quote!(#name.into())),
            _ => (self.stored(paths), quote!(#name)),
        }
    }
}
