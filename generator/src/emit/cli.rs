//! Emits the command line as data: the table `DISPATCH`, one entry per operation (its
//! subcommand, kebab case of the operation id; its catalogue entry, from which the runtime's
//! `cli::command` makes the flags and help; its builder function), and one short builder
//! function per operation that builds the call from parameters read by wire name through
//! `cli::Args` (the flags, or the gateway's checked JSON). Sending, pre-signing and the flags
//! themselves are the hand-written runtime's.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, BodyShape, Operation, Param, TypeDef, TypeRef};
use crate::naming::ident;

/// Paths the generated CLI code refers to.
pub struct Paths {
    pub client: TokenStream,
    /// The CLI runtime: `Dispatch`, `Built`, `Prepared`, `Body`, `Args` and the readers of
    /// `cli::args`.
    pub cli: TokenStream,
    pub models: TokenStream,
    /// Where the catalogue is mounted (each entry of `DISPATCH` points at its operation).
    pub catalogue: TokenStream,
}

fn kebab(name: &str) -> String {
    heck::ToKebabCase::to_kebab_case(name)
}

/// The contents of `cli.rs`.
pub fn emit(api: &Api, paths: &Paths) -> TokenStream {
    let (client, cli, models, catalogue) =
        (&paths.client, &paths.cli, &paths.models, &paths.catalogue);
    let functions = api.operations.iter().map(|op| function(api, op, client));
    let names: Vec<String> = api.operations.iter().map(|op| kebab(&op.id)).collect();
    let ids: Vec<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
    let entries = api.operations.iter().zip(&names).map(|(op, name)| {
        let build = run_ident(op);
        let operation = ident(&op.const_name);
        quote!(cli::Dispatch { name: #name, operation: &catalogue::#operation, build: #build })
    });
    quote! {
        #[allow(unused_imports)]
        use #cli as cli;
        #[allow(unused_imports)]
        use #models as models;
        #[allow(unused_imports)]
        use #catalogue as catalogue;
        #[allow(unused_imports)]
        use cli::Maybe as _;

        /// `(subcommand, operation id)` of every generated subcommand.
        pub const SUBCOMMANDS: &[(&str, &str)] = &[ #( (#names, #ids) ),* ];

        /// One subcommand per operation, its flags and help from the catalogue.
        pub fn commands() -> Vec<clap::Command> {
            DISPATCH.iter().map(cli::command).collect()
        }

        /// The dispatcher of every operation, in the order of [`SUBCOMMANDS`]: its function
        /// builds the call from parameters read by wire name.
        pub const DISPATCH: &[cli::Dispatch<#client>] = &[ #( #entries ),* ];

        #( #functions )*
    }
}

fn run_ident(op: &Operation) -> proc_macro2::Ident {
    ident(&format!("build_{}", op.ident))
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

/// The reader of `cli::args` that reads parameter `p` as `Option<T>` of its Rust type (an
/// error names the parameter as the caller spells it).
fn reader(api: &Api, p: &Param) -> TokenStream {
    match (&p.ty, enum_values(api, &p.ty)) {
        (TypeRef::Named(name), Some(_)) => {
            let name = ident(name);
            quote!(cli::args::choice::<models::#name>)
        }
        (TypeRef::String, _) => quote!(cli::args::text),
        (TypeRef::Integer { int32: true }, _) => quote!(cli::args::parsed::<i32>),
        (TypeRef::Integer { int32: false }, _) => quote!(cli::args::parsed::<i64>),
        (TypeRef::Number, _) => quote!(cli::args::parsed::<f64>),
        (TypeRef::Boolean, _) => quote!(cli::args::parsed::<bool>),
        (TypeRef::Array(inner), _) if **inner == TypeRef::String => {
            quote!(cli::args::many::<String>)
        }
        // The type is spelled out: a field of a named body is only serialized again, which
        // would leave it unknown.
        (ty, _) => {
            let ty = crate::emit::rust_type(ty, &quote!(models));
            quote!(cli::args::json::<#ty>)
        }
    }
}

fn function(api: &Api, op: &Operation, client: &TokenStream) -> TokenStream {
    let run = run_ident(op);
    let doc = format!(" Builds the call of `{}` from `args`.", op.id);
    let method = ident(&op.ident);
    let mut required_args = Vec::new();
    let mut setters = Vec::new();
    let inline: Vec<&Param> = match op.body.as_ref().map(|b| &b.shape) {
        Some(BodyShape::Fields(fields)) => fields.iter().collect(),
        _ => Vec::new(),
    };
    for p in op.params.iter().chain(inline) {
        let read = reader(api, p);
        let setter = ident(&p.ident);
        let wire = &p.wire;
        if p.required {
            required_args.push(quote!(cli::args::require(args, #wire, #read)?));
        } else {
            setters.push(quote!(.maybe(#read(args, #wire)?, |r, v| r.#setter(v))));
        }
    }
    match op.body.as_ref().map(|b| (&b.shape, b.required)) {
        Some((BodyShape::Whole { ty, fields, .. }, required)) => {
            let ty = crate::emit::rust_type(ty, &quote!(models));
            let fields = fields.iter().map(|p| {
                let wire = &p.wire;
                let read = reader(api, p);
                quote!(.field(#wire, #read)?)
            });
            let body = quote!(cli::Body::new(args) #( #fields )* .build::<#ty>()?);
            if required {
                required_args.push(body);
            } else {
                setters.push(quote!(.body(#body)));
            }
        }
        Some((BodyShape::Raw { .. }, true)) => {
            required_args.push(quote!(cli::args::require(
                args,
                "body-file",
                cli::args::file
            )?));
        }
        Some((BodyShape::Raw { ident, .. }, false)) => {
            let setter = crate::naming::ident(ident);
            setters.push(quote!(.maybe(cli::args::file(args, "body-file")?, |r, v| r.#setter(v))));
        }
        _ => {}
    }
    let reads_args = !op.params.is_empty() || op.body.is_some();
    let args = if reads_args { quote!(args) } else { quote!(_) };
    quote! {
        #[doc = #doc]
        fn #run(client: &#client, #args: &dyn cli::Args) -> cli::Built {
            let request = client.#method(#( #required_args ),*) #( #setters )*;
            Ok(cli::Prepared::new(request.into_call()))
        }
    }
}
