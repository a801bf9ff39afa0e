//! Paged operations, for `requests.rs`: an operation with an integer query parameter `page`
//! whose answer holds a page (an object with integer `page` and `pageSize` fields, an optional
//! `totalItems`, and one or more lists of the same item type) gets `runtime::Paged` on its inputs
//! and `runtime::Page` on its answer type, so that the runtime can walk every page
//! (`into_pages`, `into_stream`, `collect_all`). The page may be the answer itself or sit up to
//! two objects deep; optional objects on the way are followed when present.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::rust_type;
use crate::ir::{Api, Field, Operation, ResponseKind, TypeDef, TypeRef};
use crate::naming::ident;

/// How deep in the answer the page may sit.
const MAX_DEPTH: usize = 2;

/// A page found in an answer type: the fields leading to it, and the page's own fields.
struct Found<'a> {
    /// `(field, optional)` from the answer down to the page.
    path: Vec<(&'a Field, bool)>,
    page: &'a Field,
    page_size: &'a Field,
    total: Option<&'a Field>,
    lists: Vec<&'a Field>,
    item: &'a TypeRef,
}

/// The `Paged` and `Page` implementations of every paged operation of `api`.
pub fn emit(api: &Api) -> TokenStream {
    let mut answers = HashSet::new();
    let mut out = TokenStream::new();
    for op in &api.operations {
        let Some(page_param) = op
            .params
            .iter()
            .find(|p| p.wire == "page" && matches!(p.ty, TypeRef::Integer { .. }))
        else {
            continue;
        };
        let ResponseKind::Json(TypeRef::Named(answer)) = &op.response.kind else {
            continue;
        };
        let Some(found) = find(api, answer, &mut Vec::new()) else {
            continue;
        };
        out.extend(paged(op, page_param));
        if answers.insert(answer.clone()) {
            out.extend(page(answer, &found));
        }
    }
    out
}

fn struct_fields<'a>(api: &'a Api, name: &str) -> Option<&'a [Field]> {
    match api.types.iter().find(|t| t.name() == name)? {
        TypeDef::Struct { fields, .. } => Some(fields),
        _ => None,
    }
}

fn optional(field: &Field) -> bool {
    !field.required || field.nullable
}

/// The page in type `name` (or in the objects it holds), if any.
fn find<'a>(api: &'a Api, name: &'a str, seen: &mut Vec<&'a str>) -> Option<Found<'a>> {
    let fields = struct_fields(api, name)?;
    if let Some(found) = page_of(fields) {
        return Some(found);
    }
    if seen.len() >= MAX_DEPTH || seen.contains(&name) {
        return None;
    }
    seen.push(name);
    for field in fields {
        let TypeRef::Named(inner) = &field.ty else {
            continue;
        };
        if let Some(mut found) = find(api, inner, seen) {
            found.path.insert(0, (field, optional(field)));
            seen.pop();
            return Some(found);
        }
    }
    seen.pop();
    None
}

/// The page made of `fields` itself, if it is one.
fn page_of(fields: &[Field]) -> Option<Found<'_>> {
    let integer = |wire: &str| {
        fields
            .iter()
            .find(|f| f.wire == wire && matches!(f.ty, TypeRef::Integer { int32: false }))
    };
    let (page, page_size) = (integer("page")?, integer("pageSize")?);
    let lists: Vec<&Field> = fields
        .iter()
        .filter(|f| matches!(f.ty, TypeRef::Array(_)))
        .collect();
    let TypeRef::Array(item) = &lists.first()?.ty else {
        return None;
    };
    if lists.iter().any(|f| f.ty != lists[0].ty) {
        return None;
    }
    Some(Found {
        path: Vec::new(),
        page,
        page_size,
        total: integer("totalItems"),
        lists,
        item,
    })
}

/// `impl Paged for {Op}Inputs`.
fn paged(op: &Operation, param: &crate::ir::Param) -> TokenStream {
    let inputs = ident(&format!("{}Inputs", op.type_name));
    let field = ident(&param.ident);
    let int32 = matches!(param.ty, TypeRef::Integer { int32: true });
    let (get, set) = match (param.required, int32) {
        (false, false) => (quote!(self.#field), quote!(self.#field = Some(page);)),
        (true, false) => (quote!(Some(self.#field)), quote!(self.#field = page;)),
        (false, true) => (
            quote!(self.#field.map(i64::from)),
            quote!(self.#field = i32::try_from(page).ok();),
        ),
        (true, true) => (
            quote!(Some(i64::from(self.#field))),
            quote!(if let Ok(page) = i32::try_from(page) { self.#field = page; }),
        ),
    };
    quote! {
        impl runtime::Paged for #inputs {
            fn page(&self) -> Option<i64> {
                #get
            }
            fn set_page(&mut self, page: i64) {
                #set
            }
        }
    }
}

/// `impl Page for models::{answer}`.
fn page(answer: &str, found: &Found<'_>) -> TokenStream {
    let answer = ident(answer);
    let item = rust_type(found.item, &quote!(models));
    // Borrowed and owned ways down to the page: plain field access until an optional object,
    // then through the `Option`.
    let (mut by_ref, mut owned, mut in_option) = (quote!(self), quote!(self), false);
    for (field, optional) in &found.path {
        let f = ident(&field.ident);
        (by_ref, owned) = match (in_option, *optional) {
            (false, false) => (quote!(#by_ref.#f), quote!(#owned.#f)),
            (false, true) => (quote!(#by_ref.#f.as_ref()), quote!(#owned.#f)),
            (true, false) => (quote!(#by_ref.map(|v| &v.#f)), quote!(#owned.map(|v| v.#f))),
            (true, true) => (
                quote!(#by_ref.and_then(|v| v.#f.as_ref())),
                quote!(#owned.and_then(|v| v.#f)),
            ),
        };
        in_option |= *optional;
    }
    let number = |field: &Field| {
        let f = ident(&field.ident);
        if optional(field) {
            quote!(page.#f)
        } else {
            quote!(Some(page.#f))
        }
    };
    let (page_no, size) = (number(found.page), number(found.page_size));
    let total = match found.total {
        Some(field) => number(field),
        None => quote!(None),
    };
    let lists: Vec<TokenStream> = found
        .lists
        .iter()
        .map(|field| {
            let f = ident(&field.ident);
            if optional(field) {
                quote!(if let Some(list) = page.#f { items.extend(list); })
            } else {
                quote!(items.extend(page.#f);)
            }
        })
        .collect();
    let counts: Vec<TokenStream> = found
        .lists
        .iter()
        .map(|field| {
            let f = ident(&field.ident);
            if optional(field) {
                quote!(page.#f.as_ref().map_or(0, ::std::vec::Vec::len))
            } else {
                quote!(page.#f.len())
            }
        })
        .collect();
    let count = quote!(#( #counts )+*);
    let doc = format!(" The page of a `{answer}` answer and its items.");
    let numbers = quote!(runtime::PageNumbers {
        page: #page_no,
        page_size: #size,
        total_items: #total,
    });
    // The answer is the page itself: nothing to look for.
    if found.path.is_empty() {
        return quote! {
            #[doc = #doc]
            impl runtime::Page for models::#answer {
                type Item = #item;
                fn numbers(&self) -> runtime::PageNumbers {
                    let page = self;
                    #numbers
                }
                fn item_count(&self) -> usize {
                    let page = self;
                    #count
                }
                fn into_items(self) -> ::std::vec::Vec<Self::Item> {
                    let page = self;
                    let mut items = ::std::vec::Vec::new();
                    #( #lists )*
                    items
                }
            }
        };
    }
    if !in_option {
        return quote! {
            #[doc = #doc]
            impl runtime::Page for models::#answer {
                type Item = #item;
                fn numbers(&self) -> runtime::PageNumbers {
                    let page = &#by_ref;
                    #numbers
                }
                fn item_count(&self) -> usize {
                    let page = &#by_ref;
                    #count
                }
                fn into_items(self) -> ::std::vec::Vec<Self::Item> {
                    let page = #owned;
                    let mut items = ::std::vec::Vec::new();
                    #( #lists )*
                    items
                }
            }
        };
    }
    quote! {
        #[doc = #doc]
        impl runtime::Page for models::#answer {
            type Item = #item;
            fn numbers(&self) -> runtime::PageNumbers {
                match #by_ref {
                    Some(page) => #numbers,
                    None => runtime::PageNumbers::default(),
                }
            }
            fn item_count(&self) -> usize {
                #by_ref.map_or(0, |page| #count)
            }
            fn into_items(self) -> ::std::vec::Vec<Self::Item> {
                let Some(page) = #owned else {
                    return ::std::vec::Vec::new();
                };
                let mut items = ::std::vec::Vec::new();
                #( #lists )*
                items
            }
        }
    }
}
