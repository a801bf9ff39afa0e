//! Rustdoc attributes from the document's prose.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::ir::{Constraints, TypeRef};

/// Collects documentation paragraphs and renders them as `#[doc]` attributes.
#[derive(Default)]
pub struct Doc {
    paragraphs: Vec<String>,
}

impl Doc {
    pub fn new() -> Self {
        Doc::default()
    }

    /// Adds a paragraph when there is text.
    pub fn text(mut self, text: Option<&str>) -> Self {
        if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
            self.paragraphs.push(text.to_string());
        }
        self
    }

    /// Adds a paragraph.
    pub fn line(self, text: impl AsRef<str>) -> Self {
        self.text(Some(text.as_ref()))
    }

    /// Adds `Example: ...` when there is an example.
    pub fn example(self, example: Option<&Value>) -> Self {
        match example {
            Some(Value::Null) | None => self,
            // A long object or list reads better laid out, in a block of its own.
            Some(value @ (Value::Object(_) | Value::Array(_))) if value.to_string().len() > 72 => {
                let pretty = serde_json::to_string_pretty(value).unwrap_or_default();
                self.line(format!("Example:\n```json\n{}\n```", code(&pretty)))
            }
            Some(value) => self.line(format!("Example: `{}`", code(&value.to_string()))),
        }
    }

    /// Adds the constraints the document states, in words.
    pub fn constraints(self, c: &Constraints) -> Self {
        let mut rules = Vec::new();
        if let Some(format) = &c.format {
            rules.push(format!("format `{format}`"));
        }
        match (c.min_length, c.max_length) {
            (Some(a), Some(b)) if a == b => rules.push(format!("exactly {a} characters")),
            (Some(a), Some(b)) => rules.push(format!("{a} to {b} characters")),
            (Some(a), None) => rules.push(format!("at least {a} characters")),
            (None, Some(b)) => rules.push(format!("at most {b} characters")),
            (None, None) => {}
        }
        match (c.minimum, c.maximum) {
            (Some(a), Some(b)) => rules.push(format!("from {a} to {b}")),
            (Some(a), None) => rules.push(format!("at least {a}")),
            (None, Some(b)) => rules.push(format!("at most {b}")),
            (None, None) => {}
        }
        if let Some(default) = &c.default {
            rules.push(format!("default `{}`", code(&default.to_string())));
        }
        if rules.is_empty() {
            self
        } else {
            self.line(format!("Constraints: {}.", rules.join(", ")))
        }
    }

    /// The first line of the first paragraph (empty when there is none).
    pub fn first_line(&self) -> &str {
        self.paragraphs
            .first()
            .and_then(|p| p.lines().next())
            .unwrap_or("")
    }

    /// Renders the attributes.
    pub fn tokens(&self) -> TokenStream {
        let mut lines = Vec::new();
        for (i, paragraph) in self.paragraphs.iter().enumerate() {
            if i > 0 {
                lines.push(String::new());
            }
            for line in paragraph.lines() {
                lines.push(format!(" {}", line.trim_end()));
            }
        }
        quote! { #( #[doc = #lines] )* }
    }
}

/// Text safe inside a Markdown code span.
fn code(text: &str) -> String {
    text.replace('`', "'")
}

/// How a type reads in prose.
pub fn type_words(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "string".into(),
        TypeRef::Integer { .. } => "integer".into(),
        TypeRef::Number => "number".into(),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::Json => "JSON value".into(),
        TypeRef::Named(name) => format!("`{name}`"),
        TypeRef::Array(inner) => format!("list of {}", type_words(inner)),
        TypeRef::Map(inner) => format!("map of {}", type_words(inner)),
    }
}
