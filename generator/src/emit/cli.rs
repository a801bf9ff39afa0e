//! Emits the command line: one clap subcommand per operation (kebab case of the operation id),
//! one flag per input (kebab case of its name), required ones required, enum values listed,
//! every value checked by the catalogue's rules; and one dispatcher function per operation (the
//! table `DISPATCH`) that builds the call from parameters read by wire name through `cli::Args`
//! (the flags, or the gateway's checked JSON) and sends it (or pre-signs it).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, BodyShape, Operation, Param, ResponseKind, TypeDef, TypeRef};
use crate::naming::ident;

/// Paths the generated CLI code refers to.
pub struct Paths {
    pub client: TokenStream,
    /// The CLI runtime: `Outcome`, `Error` (the client's error) and `json_value`.
    pub cli: TokenStream,
    pub models: TokenStream,
}

fn kebab(name: &str) -> String {
    heck::ToKebabCase::to_kebab_case(name)
}

/// The contents of `cli.rs`.
pub fn emit(api: &Api, paths: &Paths) -> TokenStream {
    let (client, cli, models) = (&paths.client, &paths.cli, &paths.models);
    let commands = api.operations.iter().map(|op| command(api, op));
    let functions = api.operations.iter().map(|op| function(api, op, client));
    let names: Vec<String> = api.operations.iter().map(|op| kebab(&op.id)).collect();
    let ids: Vec<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
    let runs = api.operations.iter().map(run_ident);
    let entries =
        names.iter().zip(&ids).zip(runs).map(
            |((name, id), run)| quote!(cli::Dispatch { name: #name, operation: #id, run: #run }),
        );
    quote! {
        #[allow(unused_imports)]
        use #cli as cli;
        #[allow(unused_imports)]
        use #models as models;

        /// `(subcommand, operation id)` of every generated subcommand.
        pub const SUBCOMMANDS: &[(&str, &str)] = &[ #( (#names, #ids) ),* ];

        /// One subcommand per operation.
        pub fn commands() -> Vec<clap::Command> {
            vec![ #( #commands ),* ]
        }

        /// The dispatcher of every operation, in the order of [`SUBCOMMANDS`]: its function
        /// builds the call from parameters read by wire name and sends it (or pre-signs it).
        pub const DISPATCH: &[cli::Dispatch<#client>] = &[ #( #entries ),* ];

        #( #functions )*
    }
}

fn run_ident(op: &Operation) -> proc_macro2::Ident {
    ident(&format!("run_{}", op.ident))
}

/// Every flag of an operation: parameters, then body fields (of an inline or a named body).
fn flags(op: &Operation) -> Vec<&Param> {
    let mut out: Vec<&Param> = op.params.iter().collect();
    match op.body.as_ref().map(|b| &b.shape) {
        Some(BodyShape::Fields(fields)) | Some(BodyShape::Whole { fields, .. }) => {
            out.extend(fields)
        }
        _ => {}
    }
    out
}

fn enum_values<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a [(String, String)]> {
    match ty {
        TypeRef::Named(name) => match api.types.iter().find(|t| t.name() == name)? {
            TypeDef::Enum { variants, .. } => Some(variants),
            TypeDef::Alias { target, .. } => enum_values(api, target),
            _ => None,
        },
        _ => None,
    }
}

fn command(api: &Api, op: &Operation) -> TokenStream {
    let name = kebab(&op.id);
    let about = op.summary.clone().unwrap_or_else(|| op.id.clone());
    let long = format!(
        "{}\n\n{} {} (operation {}{})",
        op.description.as_deref().unwrap_or(&about),
        op.method,
        op.path,
        op.id,
        if op.security.is_empty() {
            String::new()
        } else {
            format!(", {}", op.security.join(" or "))
        }
    );
    let args = flags(op).into_iter().map(|p| {
        let id = &p.wire;
        let long_flag = kebab(&p.wire);
        let value_name = heck::ToShoutySnakeCase::to_shouty_snake_case(p.wire.as_str());
        let help = p.doc.clone().unwrap_or_else(|| format!("The {} parameter", p.wire));
        let required = p.required;
        let parser = match (&p.ty, enum_values(api, &p.ty)) {
            (_, Some(variants)) => {
                let values = variants.iter().map(|(w, _)| w.as_str());
                quote!(.value_parser([ #( #values ),* ]))
            }
            // Every rule (type, bounds, length, format) is the catalogue's one check.
            // Values stay text: the dispatcher reads them by wire name through `cli::Args`.
            (TypeRef::Integer { .. } | TypeRef::Number | TypeRef::String, _) => {
                let op_id = &op.id;
                quote!(.value_parser(cli::checked::<String>(#op_id, #id)))
            }
            (TypeRef::Boolean, _) => quote!(.value_parser(["true", "false"])),
            _ => quote!(),
        };
        let action = match &p.ty {
            TypeRef::Array(_) => quote!(.action(clap::ArgAction::Append)),
            _ => quote!(),
        };
        quote! {
            clap::Arg::new(#id).long(#long_flag).value_name(#value_name).help(#help).required(#required) #parser #action
        }
    });
    // A raw body (any media type) comes from a file.
    let body_file = match op
        .body
        .as_ref()
        .map(|b| (&b.shape, b.required, &b.media_type))
    {
        Some((BodyShape::Raw { .. }, required, media_type)) => {
            let help = format!("A file holding the request body, sent as `{media_type}`");
            Some(
                quote!(.arg(clap::Arg::new("body-file").long("body-file").value_name("FILE").help(#help).required(#required))),
            )
        }
        _ => None,
    };
    quote! {
        clap::Command::new(#name).about(#about).long_about(#long) #( .arg(#args) )* #body_file
    }
}

/// The expression reading parameter `p` from `args` as `Option<T>` of its Rust type (an error
/// names the parameter as the caller spells it).
fn read(api: &Api, p: &Param) -> TokenStream {
    let id = &p.wire;
    match (&p.ty, enum_values(api, &p.ty)) {
        (TypeRef::Named(name), Some(_)) => {
            let name = ident(name);
            quote!(cli::args::text(args, #id)?.map(|v| models::#name::from_wire(&v)))
        }
        (TypeRef::String, _) => quote!(cli::args::text(args, #id)?),
        (TypeRef::Integer { int32: true }, _) => quote!(cli::args::parsed::<i32>(args, #id)?),
        (TypeRef::Integer { int32: false }, _) => quote!(cli::args::parsed::<i64>(args, #id)?),
        (TypeRef::Number, _) => quote!(cli::args::parsed::<f64>(args, #id)?),
        (TypeRef::Boolean, _) => quote!(cli::args::parsed::<bool>(args, #id)?),
        (TypeRef::Array(inner), _) if **inner == TypeRef::String => {
            quote!(cli::args::many::<String>(args, #id)?)
        }
        // The type is spelled out: a field of a named body is only passed to
        // `cli::json_value`, which would leave it unknown.
        (ty, _) => {
            let ty = crate::emit::rust_type(ty, &quote!(models));
            quote!(cli::args::json::<#ty>(args, #id)?)
        }
    }
}

/// The JSON value of flag `p`, for assembling a named body.
fn read_json(api: &Api, p: &Param) -> TokenStream {
    let value = read(api, p);
    quote!(#value.map(|v| cli::json_value(&v)))
}

fn function(api: &Api, op: &Operation, client: &TokenStream) -> TokenStream {
    let run = run_ident(op);
    let doc = format!(
        " Builds and sends `{}` (subcommand `{}`) from `args`.",
        op.id,
        kebab(&op.id)
    );
    let method = ident(&op.ident);
    let mut required_args = Vec::new();
    let mut setters = Vec::new();
    let inline: Vec<&Param> = match op.body.as_ref().map(|b| &b.shape) {
        Some(BodyShape::Fields(fields)) => fields.iter().collect(),
        _ => Vec::new(),
    };
    for p in op.params.iter().chain(inline) {
        let value = read(api, p);
        let setter = ident(&p.ident);
        let wire = &p.wire;
        if p.required {
            required_args.push(quote!(cli::args::required(args, #wire, #value)?));
        } else {
            setters.push(quote! {
                if let Some(value) = #value { request = request.#setter(value); }
            });
        }
    }
    match op.body.as_ref().map(|b| (&b.shape, b.required)) {
        Some((BodyShape::Whole { ty, fields, .. }, required)) => {
            let ty = crate::emit::rust_type(ty, &quote!(models));
            let entries = fields.iter().map(|p| {
                let wire = &p.wire;
                let value = read_json(api, p);
                quote!(if let Some(value) = #value { body.insert(#wire.to_string(), value); })
            });
            let build = quote! {
                let mut body = serde_json::Map::new();
                #( #entries )*
                cli::from_json::<#ty>(body)?
            };
            if required {
                required_args.push(quote!({ #build }));
            } else {
                setters.push(quote!(request = request.body({ #build });));
            }
        }
        Some((BodyShape::Raw { .. }, true)) => {
            required_args.push(quote!(cli::body_file(&cli::args::required(
                args,
                "body-file",
                cli::args::text(args, "body-file")?
            )?)?));
        }
        Some((BodyShape::Raw { ident, .. }, false)) => {
            let setter = crate::naming::ident(ident);
            setters.push(quote! {
                if let Some(path) = cli::args::text(args, "body-file")? {
                    request = request.#setter(cli::body_file(&path)?);
                }
            });
        }
        _ => {}
    }
    let send = match &op.response.kind {
        ResponseKind::Json(_) => quote!(
            request
                .send()
                .await
                .map(|v| cli::Outcome::Json(cli::json_value(&v)))
        ),
        ResponseKind::Empty => quote!(
            request
                .send()
                .await
                .map(|_| cli::Outcome::Json(serde_json::Value::Null))
        ),
        ResponseKind::Bytes => quote!(Ok(cli::Outcome::File(cli::FileCall::new(
            request.into_call()
        )))),
    };
    let presignable = op.body.is_none()
        && !op
            .params
            .iter()
            .any(|p| p.location == crate::ir::Location::Header);
    let sign = if presignable {
        quote!(if sign_url {
            return Ok(cli::Outcome::Url(request.presigned_url(None)?));
        })
    } else {
        let id = &op.id;
        quote!(if sign_url { return Err(cli::cannot_presign(#id)); })
    };
    let mutable = (!setters.is_empty()).then(|| quote!(mut));
    let reads_args = !op.params.is_empty() || op.body.is_some();
    let unused = (!reads_args).then(|| quote!(let _ = args;));
    quote! {
        #[doc = #doc]
        fn #run<'a>(
            client: &'a #client,
            args: &'a dyn cli::Args,
            sign_url: bool,
        ) -> cli::Dispatched<'a> {
            #unused
            Box::pin(async move {
                let #mutable request = client.#method(#( #required_args ),*);
                #( #setters )*
                #sign
                #send
            })
        }
    }
}
