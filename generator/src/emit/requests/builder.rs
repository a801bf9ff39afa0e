//! The request builder of an operation: its inputs struct, setters and `Endpoint` impl.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::Doc;
use crate::emit::rust_type;
use crate::ir::{Api, Location, Operation, ResponseKind};
use crate::naming::ident;

use super::encode::encode_input;
use super::{Paths, inputs};

pub(super) fn builder(api: &Api, op: &Operation, paths: &Paths) -> TokenStream {
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
            type Body = #answer;
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
