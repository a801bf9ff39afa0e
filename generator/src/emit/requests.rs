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
use crate::ir::{
    Api, BodyShape, Encoding, Location, Operation, Param, ResponseKind, TypeDef, TypeRef,
};
use crate::naming::ident;

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
    let builders = api.operations.iter().map(|op| builder(api, op, paths));
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
        let methods = ops.iter().map(|op| client_method(op, paths));
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

impl Input<'_> {
    /// A Rust expression for this input in an example: the document's example, or a plain
    /// value of the type; `None` for a type an example cannot spell simply (a model, an enum).
    fn example_code(&self) -> Option<String> {
        let text = |value: Option<&serde_json::Value>| match value {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            Some(serde_json::Value::Bool(b)) => Some(b.to_string()),
            _ => None,
        };
        match self.kind {
            Kind::Value(TypeRef::String) => Some(format!(
                "{:?}",
                text(self.example).unwrap_or_else(|| self.ident.to_string())
            )),
            Kind::Value(TypeRef::Integer { .. }) => Some(
                text(self.example)
                    .filter(|t| t.parse::<i64>().is_ok())
                    .unwrap_or_else(|| "1".into()),
            ),
            Kind::Value(TypeRef::Number) => Some(
                text(self.example)
                    .and_then(|t| t.parse::<f64>().ok())
                    .map_or_else(|| "1.0".into(), |n| format!("{n:?}")),
            ),
            Kind::Value(TypeRef::Boolean) => Some("true".into()),
            Kind::Raw => Some("b\"...\".to_vec()".into()),
            _ => None,
        }
    }
}

/// A `no_run` example calling `op` with its required inputs, when `krate` names the crate and
/// every required input can be spelled.
fn example(op: &Operation, required: &[&Input<'_>], krate: Option<&str>) -> Option<String> {
    let krate = krate?;
    let args = required
        .iter()
        .map(|i| i.example_code())
        .collect::<Option<Vec<_>>>()?;
    let call = format!("{}({})", op.ident, args.join(", "));
    // As rustfmt lays it out: on one line when it fits the doc comment (indented by 8, after
    // `/// `), else one call per line.
    let call = if call.len() + "let answer = client.".len() + ".await?;".len() <= 88 {
        format!("let answer = client.{call}.await?;")
    } else if call.len() + "    .".len() < 88 {
        format!("let answer = client\n    .{call}\n    .await?;")
    } else {
        let args: String = args.iter().map(|a| format!("        {a},\n")).collect();
        format!(
            "let answer = client\n    .{}(\n{args}    )\n    .await?;",
            op.ident
        )
    };
    Some(format!(
        "# Example\n\n```no_run\n# async fn example(client: {krate}::Client) -> Result<(), {krate}::Error> {{\n{call}\n# let _ = answer;\n# Ok(())\n# }}\n```"
    ))
}

fn operation_doc(op: &Operation) -> Doc {
    let auth = if op.security.is_empty() {
        "no authorisation".to_string()
    } else {
        format!(
            "security scheme {}",
            op.security
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        )
    };
    let mut doc = Doc::new()
        .text(op.summary.as_deref())
        .text(op.description.as_deref())
        .line(format!(
            "`{} {}` (operation `{}`, {auth}).",
            op.method, op.path, op.id
        ));
    if op.deprecated {
        doc = doc.line("Deprecated by the API document.");
    }
    doc
}

fn client_method(op: &Operation, paths: &Paths) -> TokenStream {
    let inputs = inputs(op);
    let required: Vec<&Input<'_>> = inputs.iter().filter(|i| i.required).collect();
    let optional: Vec<&Input<'_>> = inputs.iter().filter(|i| !i.required).collect();
    let mut doc = operation_doc(op);
    if !required.is_empty() {
        let list = required
            .iter()
            .map(|i| format!("- `{}`: {}", i.ident, i.doc.first_line()))
            .collect::<Vec<_>>()
            .join("\n");
        doc = doc.line(format!("Arguments:\n{list}"));
    }
    let builder = ident(&op.type_name);
    if !optional.is_empty() {
        let list = optional
            .iter()
            .map(|i| format!("[`{0}`]({1}::{0})", i.ident, op.type_name))
            .collect::<Vec<_>>()
            .join(", ");
        doc = doc.line(format!(
            "Optional settings on the returned builder: {list}."
        ));
    }
    let mut doc = doc.line("Send the call with `.send().await`, or `.await` it.");
    if let Some(example) = example(op, &required, paths.examples_crate.as_deref()) {
        doc = doc.line(example);
    }
    let doc = doc.tokens();
    let method = ident(&op.ident);
    let args = required.iter().map(|i| {
        let name = ident(i.ident);
        let (ty, _) = i.argument(paths);
        quote!(#name: #ty)
    });
    let fields = inputs.iter().map(|i| {
        let name = ident(i.ident);
        if i.required {
            match i.kind {
                Kind::Value(TypeRef::String) | Kind::Raw => {
                    let (_, convert) = i.argument(paths);
                    quote!(#name: #convert)
                }
                _ => quote!(#name),
            }
        } else {
            quote!(#name: None)
        }
    });
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let inputs_ty = ident(&format!("{}Inputs", op.type_name));
    let runtime = &paths.runtime;
    let call = quote!(#runtime::Call::new(self, #inputs_ty { #( #fields, )* }));
    let body = match paths.newtype_builders {
        true => quote!(#builder(#call)),
        false => call,
    };
    quote! {
        #doc
        #deprecated
        pub fn #method(&self, #( #args ),*) -> #builder {
            #body
        }
    }
}

fn builder(api: &Api, op: &Operation, paths: &Paths) -> TokenStream {
    let inputs = inputs(op);
    let name = ident(&op.type_name);
    let inputs_name = ident(&format!("{}Inputs", op.type_name));
    let method = &op.ident;
    let client = &paths.client;
    let runtime = &paths.runtime;
    let catalogue = &paths.catalogue;
    let entry = ident(&op.const_name);
    let errors = if op.error_meanings.is_empty() {
        quote!()
    } else {
        let meanings = op.error_meanings.iter().map(|m| {
            let code = match m.code {
                Some(code) => {
                    let code = proc_macro2::Literal::i64_unsuffixed(code);
                    quote!(Some(#code))
                }
                None => quote!(None),
            };
            let meaning = ident(&m.meaning);
            let input = &m.input;
            quote! {
                #runtime::ErrorMeaning { code: #code, meaning: #runtime::Meaning::#meaning, input: #input }
            }
        });
        quote! {
            const ERRORS: &'static [#runtime::ErrorMeaning] = &[ #( #meanings ),* ];
        }
    };
    let doc = Doc::new()
        .line(format!(
            "Request builder for `{} {}` (operation `{}`), made by [`Client::{method}`]({client_text}::{method}).",
            op.method,
            op.path,
            op.id,
            client_text = client.to_string().replace(' ', "")
        ))
        .line("Set optional inputs with the chained setters, then `.send().await` it (or `.await` it).")
        .tokens();
    let inputs_doc = format!(
        " The inputs of operation `{}`, held by [`{}`].",
        op.id, op.type_name
    );

    let fields = inputs.iter().map(|i| {
        let name = ident(i.ident);
        let stored = i.stored(paths);
        if i.required {
            quote!(#name: #stored)
        } else {
            quote!(#name: Option<#stored>)
        }
    });
    let inputs_of = match paths.newtype_builders {
        true => quote!(self.0.inputs_mut()),
        false => quote!(self.inputs),
    };
    let setters = inputs.iter().filter(|i| !i.required).map(|i| {
        let name = ident(i.ident);
        let (ty, convert) = i.argument(paths);
        let doc = i.doc.tokens();
        let wire = format!(" Sets `{}` ({}).", i.wire, location_words(i.location));
        quote! {
            #doc
            #[doc = ""]
            #[doc = #wire]
            pub fn #name(mut self, #name: #ty) -> Self {
                #inputs_of.#name = Some(#convert);
                self
            }
        }
    });
    let debug_fields = inputs.iter().map(|i| {
        let name = ident(i.ident);
        let label = i.ident;
        if i.secret {
            quote!(.field(#label, &"[redacted]"))
        } else {
            quote!(.field(#label, &self.#name))
        }
    });
    let label = format!("{}Inputs", op.type_name);
    // Derived `Debug` unless an input is a password, which must not show.
    let (derive_debug, debug_impl) = if inputs.iter().any(|i| i.secret) {
        (
            None,
            Some(quote! {
                impl std::fmt::Debug for #inputs_name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.debug_struct(#label) #( #debug_fields )* .finish_non_exhaustive()
                    }
                }
            }),
        )
    } else {
        (Some(quote!(Debug,)), None)
    };
    let encode = inputs.iter().map(|i| encode_input(api, op, i, paths));
    let unused = inputs.is_empty().then(|| quote!(let _ = (self, request);));
    let answer = match &op.response.kind {
        ResponseKind::Json(ty) => {
            let ty = rust_type(ty, &paths.models);
            quote!(#runtime::Json<#ty>)
        }
        ResponseKind::Empty => quote!(#runtime::Empty),
        ResponseKind::Bytes => quote!(#runtime::Bytes),
    };
    let setters: Vec<TokenStream> = setters.collect();
    let setters_impl = (!setters.is_empty()).then(|| quote!(impl #name { #( #setters )* }));
    let (builder_type, trailing) = match paths.newtype_builders {
        false => (
            quote! {
                #doc
                pub type #name = #runtime::Call<#inputs_name>;
            },
            setters_impl,
        ),
        true => (
            quote! {
                #doc
                #[derive(Debug, Clone)]
                #[must_use = "a request does nothing until you call `.send().await` (or `.await` it)"]
                pub struct #name(#runtime::Call<#inputs_name>);

                impl #name {
                    #( #setters )*

                    /// Checks the inputs, sends the request and decodes the answer (see the runtime's
                    /// `Call::send`).
                    pub async fn send(self) -> ::std::result::Result<#runtime::Output<#inputs_name>, #runtime::Error> {
                        self.0.send().await
                    }

                    /// A complete signed URL for this call (see the runtime's `Call::presigned_url`).
                    pub fn presigned_url(
                        self,
                        expires_in: ::std::option::Option<::std::time::Duration>,
                    ) -> ::std::result::Result<::std::string::String, #runtime::Error> {
                        self.0.presigned_url(expires_in)
                    }

                    /// The runtime's call, for what it offers beyond this builder (paging, downloads).
                    pub fn into_call(self) -> #runtime::Call<#inputs_name> {
                        self.0
                    }
                }

                impl ::std::future::IntoFuture for #name {
                    type Output = <#runtime::Call<#inputs_name> as ::std::future::IntoFuture>::Output;
                    type IntoFuture = <#runtime::Call<#inputs_name> as ::std::future::IntoFuture>::IntoFuture;
                    fn into_future(self) -> Self::IntoFuture {
                        self.0.into_future()
                    }
                }
            },
            None,
        ),
    };
    quote! {
        #builder_type

        #[doc = #inputs_doc]
        #[derive(#derive_debug Clone)]
        pub struct #inputs_name {
            #( #fields, )*
        }

        #debug_impl

        impl #runtime::Endpoint for #inputs_name {
            type Answer = #answer;
            const OPERATION: &'static #runtime::Operation = &#catalogue::#entry;
            #errors

            fn encode(self, request: &mut #runtime::Request) {
                #unused
                #( #encode )*
            }
        }

        #trailing
    }
}

fn location_words(location: Location) -> &'static str {
    match location {
        Location::Path => "path parameter",
        Location::Query => "query parameter",
        Location::Header => "header",
        Location::Body => "body field",
    }
}

/// Statements that put one input into `request`.
fn encode_input(api: &Api, op: &Operation, input: &Input<'_>, paths: &Paths) -> TokenStream {
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
