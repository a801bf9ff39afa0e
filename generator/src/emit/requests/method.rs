//! The client method of an operation: its documentation, its `no_run` example, its arguments.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::Doc;
use crate::ir::{Operation, TypeRef};
use crate::naming::ident;

use super::{Input, Kind, Paths, inputs};

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

pub(super) fn client_method(op: &Operation, paths: &Paths) -> TokenStream {
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
