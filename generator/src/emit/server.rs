//! Emits the server side: a trait with one async method per operation (default: 501) and a
//! function mounting every operation on an `axum::Router`, with parameters validated per the
//! document by the runtime before the method is called.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::Doc;
use crate::emit::rust_type;
use crate::ir::{Api, BodyShape, Encoding, Operation, Param, ResponseKind, TypeRef};
use crate::naming::ident;

/// Paths the generated server code refers to.
pub struct Paths {
    /// The server runtime: `RequestContext`, `ServerError`, `Params`, `validate`, `respond`.
    pub server: TokenStream,
    pub models: TokenStream,
    pub catalogue: TokenStream,
}

/// The contents of `server.rs`.
pub fn emit(api: &Api, settings: &Paths) -> TokenStream {
    let (server, models, catalogue) = (&settings.server, &settings.models, &settings.catalogue);
    let inputs = api.operations.iter().map(input_struct);
    let methods = api.operations.iter().map(trait_method);
    let handlers = api.operations.iter().map(|op| handler(api, op));
    // One `.route()` per path, with every method of that path.
    let mut paths: Vec<(&str, Vec<&Operation>)> = Vec::new();
    for op in &api.operations {
        match paths.iter_mut().find(|(p, _)| *p == op.path) {
            Some((_, ops)) => ops.push(op),
            None => paths.push((&op.path, vec![op])),
        }
    }
    let mut choosers = Vec::new();
    let routes: Vec<TokenStream> = paths
        .iter()
        .map(|(path, ops)| {
            // Operations of several documents may share a path and method: one handler then
            // picks the operation from the parameters the request carries.
            let mut methods: Vec<(&str, Vec<&Operation>)> = Vec::new();
            for op in ops {
                match methods.iter_mut().find(|(m, _)| *m == op.method) {
                    Some((_, same)) => same.push(op),
                    None => methods.push((&op.method, vec![op])),
                }
            }
            let methods = methods.iter().map(|(method, same)| {
                let verb = ident(&method.to_ascii_lowercase());
                let handler = match same.as_slice() {
                    [op] => ident(&format!("handle_{}", op.ident)),
                    _ => {
                        let (name, chooser) = chooser(same);
                        choosers.push(chooser);
                        name
                    }
                };
                quote!(#verb(#handler::<A>))
            });
            quote!(.route(#path, axum::routing::MethodRouter::new() #( .#methods )*))
        })
        .collect();
    let examples = response_examples(api);
    let title = &api.title;
    let trait_doc = format!(
        " The operations of {title}, one method each. Every method has a default that answers\n 501 Not Implemented in the API's error envelope, so an implementation overrides only\n what it serves. Inputs arrive validated against the API document."
    );
    quote! {
        #[allow(unused_imports)]
        use #server as server;
        #[allow(unused_imports)]
        use #models as models;
        use #catalogue as catalogue;
        use std::future::Future;
        use std::sync::Arc;

        #( #inputs )*

        #[doc = #trait_doc]
        pub trait Api: Send + Sync + 'static {
            #( #methods )*
        }

        /// An `axum::Router` serving every operation at its path and method, backed by `api`.
        ///
        /// A missing required parameter is answered with 400 and error code 1001, a value of the
        /// wrong type, outside its enum or out of its bounds with 400 and code 1002, each naming
        /// the parameter.
        pub fn router<A: Api>(api: Arc<A>) -> axum::Router {
            axum::Router::new()
                #( #routes )*
                .with_state(api)
        }

        #( #handlers )*
        #( #choosers )*

        #examples
    }
}

/// A handler for operations sharing a path and method: it asks the runtime's
/// `server::choose` which one the request is for, then runs that operation's handler.
fn chooser(ops: &[&Operation]) -> (proc_macro2::Ident, TokenStream) {
    let name = ident(&format!(
        "choose_{}",
        ops.iter()
            .map(|op| op.ident.as_str())
            .collect::<Vec<_>>()
            .join("_or_")
    ));
    let entries = ops.iter().map(|op| {
        let entry = ident(&op.const_name);
        quote!(&catalogue::#entry)
    });
    let arms = ops.iter().enumerate().map(|(i, op)| {
        let handler = ident(&format!("handle_{}", op.ident));
        match i + 1 == ops.len() {
            true => quote!(_ => #handler::<A>(state, context).await,),
            false => {
                let i = proc_macro2::Literal::usize_unsuffixed(i);
                quote!(#i => #handler::<A>(state, context).await,)
            }
        }
    });
    let doc = format!(
        " Dispatches `{} {}`, which operations {} share, to the one the request's parameters name.",
        ops[0].method,
        ops[0].path,
        ops.iter()
            .map(|op| format!("`{}`", op.id))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let code = quote! {
        #[doc = #doc]
        async fn #name<A: Api>(
            state: axum::extract::State<Arc<A>>,
            context: server::RequestContext,
        ) -> axum::response::Response {
            match server::choose(&[ #( #entries ),* ], &context) {
                #( #arms )*
            }
        }
    };
    (name, code)
}

fn input_name(op: &Operation) -> String {
    format!("{}Input", op.type_name)
}

/// Every input of an operation as the server sees it: `(field, wire name, type, required, doc)`.
fn fields(op: &Operation) -> Vec<(String, String, FieldKind<'_>, bool, Option<String>)> {
    let mut out: Vec<_> = op
        .params
        .iter()
        .map(|p| {
            (
                p.ident.clone(),
                p.wire.clone(),
                FieldKind::Param(p),
                p.required,
                p.doc.clone(),
            )
        })
        .collect();
    if let Some(body) = &op.body {
        match &body.shape {
            BodyShape::Fields(fields) => out.extend(fields.iter().map(|p| {
                (
                    p.ident.clone(),
                    p.wire.clone(),
                    FieldKind::Param(p),
                    p.required,
                    p.doc.clone(),
                )
            })),
            BodyShape::Whole { ident, ty, .. } => {
                let kind = match body.encoding {
                    Encoding::Form => FieldKind::FormBody(ty),
                    _ => FieldKind::JsonBody(ty),
                };
                out.push((
                    ident.clone(),
                    ident.clone(),
                    kind,
                    body.required,
                    body.doc.clone(),
                ));
            }
            BodyShape::Raw { ident } => out.push((
                ident.clone(),
                ident.clone(),
                FieldKind::RawBody,
                body.required,
                body.doc.clone(),
            )),
        }
    }
    out
}

enum FieldKind<'a> {
    Param(&'a Param),
    FormBody(&'a TypeRef),
    JsonBody(&'a TypeRef),
    RawBody,
}

fn field_type(kind: &FieldKind<'_>) -> TokenStream {
    let models = quote!(models);
    match kind {
        FieldKind::Param(p) => rust_type(&p.ty, &models),
        FieldKind::FormBody(ty) | FieldKind::JsonBody(ty) => rust_type(ty, &models),
        FieldKind::RawBody => quote!(Vec<u8>),
    }
}

fn input_struct(op: &Operation) -> TokenStream {
    let name = ident(&input_name(op));
    let doc = Doc::new()
        .line(format!(
            "The validated inputs of `{} {}` (operation `{}`).",
            op.method, op.path, op.id
        ))
        .tokens();
    let fields = fields(op)
        .into_iter()
        .map(|(field, wire, kind, required, doc)| {
            let field = ident(&field);
            let ty = field_type(&kind);
            let ty = if required { ty } else { quote!(Option<#ty>) };
            let doc = Doc::new()
                .text(doc.as_deref())
                .line(format!("Wire name `{wire}`."))
                .tokens();
            quote!(#doc pub #field: #ty,)
        });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #name { #( #fields )* }
    }
}

fn response_type(op: &Operation) -> TokenStream {
    match &op.response.kind {
        ResponseKind::Json(ty) => rust_type(ty, &quote!(models)),
        ResponseKind::Empty => quote!(()),
        // The whole answer, so that an implementation can stream it, answer ranges, set headers.
        ResponseKind::Bytes => quote!(axum::response::Response),
    }
}

fn trait_method(op: &Operation) -> TokenStream {
    let method = ident(&op.ident);
    let input = ident(&input_name(op));
    let ret = response_type(op);
    let id = &op.id;
    let doc = Doc::new()
        .text(op.summary.as_deref())
        .text(op.description.as_deref())
        .line(format!("`{} {}` (operation `{id}`).", op.method, op.path))
        .tokens();
    quote! {
        #doc
        fn #method(
            &self,
            input: #input,
            context: server::RequestContext,
        ) -> impl Future<Output = Result<#ret, server::ServerError>> + Send {
            let _ = (input, context);
            async { Err(server::ServerError::not_implemented(#id)) }
        }
    }
}

fn handler(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&format!("handle_{}", op.ident));
    let method = ident(&op.ident);
    let input = ident(&input_name(op));
    let entry = ident(&op.const_name);
    let fields = fields(op);
    let no_inputs = fields.is_empty();
    let assignments = fields.into_iter().map(|(field, wire, kind, required, _)| {
        let field_ident = ident(&field);
        let value = match &kind {
            FieldKind::Param(p) => match (&p.ty, is_parsed(api, &p.ty)) {
                // A repeated parameter of scalars is a list of texts; of anything else (objects,
                // lists), one JSON value.
                (TypeRef::Array(item), _) if is_parsed(api, item) => quote!(params.list(#wire)?),
                (TypeRef::Array(_), _) => quote!(params.json(#wire)?),
                (_, true) => quote!(params.parsed(#wire)?),
                (_, false) => quote!(params.json(#wire)?),
            },
            FieldKind::FormBody(_) => quote!(params.form_body()?),
            FieldKind::JsonBody(_) => quote!(params.json_body()?),
            FieldKind::RawBody => quote!(params.raw_body()),
        };
        let value = match (&kind, required) {
            (FieldKind::RawBody, true) => value,
            (FieldKind::RawBody, false) => quote!(Some(#value)),
            (_, true) => quote!(server::Params::required(#wire, #value)?),
            (_, false) => value,
        };
        quote!(#field_ident: #value,)
    });
    let decode = if no_inputs {
        quote!(server::validate(operation, &context).map(|_| #input {}))
    } else {
        quote!(server::validate(operation, &context).and_then(|params| Ok(#input { #( #assignments )* })))
    };
    let doc = format!(
        " Validates, decodes and dispatches `{} {}`.",
        op.method, op.path
    );
    let respond = match op.response.kind {
        ResponseKind::Bytes => quote!(server::respond_raw(api.#method(input, context).await)),
        _ => quote!(server::respond(operation, api.#method(input, context).await)),
    };
    quote! {
        #[doc = #doc]
        async fn #name<A: Api>(
            axum::extract::State(api): axum::extract::State<Arc<A>>,
            context: server::RequestContext,
        ) -> axum::response::Response {
            let operation = &catalogue::#entry;
            let input = match #decode {
                Ok(input) => input,
                Err(error) => return server::respond_error(error),
            };
            #respond
        }
    }
}

/// Whether a type is parsed from one text value (`FromStr`): scalars and enums.
fn is_parsed(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String | TypeRef::Integer { .. } | TypeRef::Number | TypeRef::Boolean => true,
        TypeRef::Named(name) => match api.types.iter().find(|t| t.name() == name) {
            Some(crate::ir::TypeDef::Enum { .. } | crate::ir::TypeDef::IntEnum { .. }) => true,
            Some(crate::ir::TypeDef::Alias { target, .. }) => is_parsed(api, target),
            _ => false,
        },
        TypeRef::Json | TypeRef::Map(_) | TypeRef::Array(_) => false,
    }
}

/// `response_example`: each operation's example success body, kept out of the catalogue so that
/// only builds with the route stubs (the fake, the gateway) compile them.
fn response_examples(api: &Api) -> TokenStream {
    let arms = api.operations.iter().filter_map(|op| {
        let example = op.response.example.as_ref()?.to_string();
        let id = &op.id;
        Some(quote!(#id => Some(#example),))
    });
    quote! {
        /// An example success body (JSON) of the operation with this `operationId`, assembled
        /// from the document's examples; `None` when the document gives none.
        pub fn response_example(operation_id: &str) -> Option<&'static str> {
            match operation_id {
                #( #arms )*
                _ => None,
            }
        }
    }
}
