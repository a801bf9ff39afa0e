//! The intermediate description of an API that every emitter works from.
//!
//! [`crate::lower`] builds it from the OpenAPI document, with every `$ref`
//! resolved and every name already turned into a Rust identifier, so that the
//! emitters only decide how the code looks.

use serde_json::Value;

/// The Rust shape of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `i32` when the schema says `format: int32`, otherwise `i64`.
    Integer { int32: bool },
    /// `f64`.
    Number,
    /// `bool`.
    Boolean,
    /// Any JSON value (`serde_json::Value`), for schemas we cannot type more precisely.
    Json,
    /// A generated model type, by its Rust name.
    Named(String),
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// `BTreeMap<String, T>` (an object with `additionalProperties`).
    Map(Box<TypeRef>),
}

/// Validation rules of a value, as the document states them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub enum_values: Vec<String>,
    pub format: Option<String>,
    /// A regular expression the text must match (`pattern`).
    pub pattern: Option<String>,
    pub default: Option<Value>,
}

/// A field of a generated struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The name on the wire.
    pub wire: String,
    /// The Rust field name.
    pub ident: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub doc: Option<String>,
    pub example: Option<Value>,
    pub constraints: Constraints,
    /// For a list that XML wraps in an element of its own (`xml: {wrapped: true}`), the
    /// element name of one item: the decoder then also accepts `{"item": [...]}` (JSON converted
    /// from that XML) where the list itself is expected.
    pub wrapped_item: Option<String>,
}

/// A generated model type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    Struct {
        name: String,
        doc: Option<String>,
        fields: Vec<Field>,
        /// The type of the values of properties the document does not name
        /// (`additionalProperties` beside `properties`), kept in a flattened map.
        additional: Option<TypeRef>,
        example: Option<Value>,
    },
    /// A `oneOf` or `anyOf`: an untagged enum whose variants are tried in order, with a
    /// catch-all variant `Other` keeping any other value as `serde_json::Value`.
    Union {
        name: String,
        doc: Option<String>,
        /// `(variant identifier, type)` pairs, in the document's order.
        variants: Vec<(String, TypeRef)>,
        /// With a `discriminator`: the tag property and `(tag value, variant identifier)`
        /// pairs; the variant is then chosen by the tag, and an unknown tag gives `Other`.
        tag: Option<(String, Vec<(String, String)>)>,
    },
    Enum {
        name: String,
        doc: Option<String>,
        /// `(wire value, variant identifier)` pairs.
        variants: Vec<(String, String)>,
        /// The name of the catch-all variant that keeps values the document does not list.
        other: String,
    },
    /// An integer `enum`: the listed values as unit variants named `V{value}` (`VMinus{value}`
    /// when negative), and a catch-all variant `Unknown(i64)` keeping any other integer.
    IntEnum {
        name: String,
        doc: Option<String>,
        values: Vec<i64>,
    },
    Alias {
        name: String,
        doc: Option<String>,
        target: TypeRef,
    },
}

impl TypeDef {
    /// The Rust name of the type.
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct { name, .. }
            | TypeDef::Enum { name, .. }
            | TypeDef::Union { name, .. }
            | TypeDef::IntEnum { name, .. }
            | TypeDef::Alias { name, .. } => name,
        }
    }

    /// Whether two definitions describe the same values (documentation aside).
    pub fn same_shape(&self, other: &TypeDef) -> bool {
        match (self, other) {
            (
                TypeDef::Struct {
                    fields: a,
                    additional: x,
                    ..
                },
                TypeDef::Struct {
                    fields: b,
                    additional: y,
                    ..
                },
            ) => {
                x == y
                    && a.len() == b.len()
                    && a.iter().zip(b).all(|(x, y)| {
                        x.wire == y.wire
                            && x.ty == y.ty
                            && x.required == y.required
                            && x.nullable == y.nullable
                    })
            }
            (TypeDef::Enum { variants: a, .. }, TypeDef::Enum { variants: b, .. }) => a == b,
            (
                TypeDef::Union {
                    variants: a,
                    tag: x,
                    ..
                },
                TypeDef::Union {
                    variants: b,
                    tag: y,
                    ..
                },
            ) => a == b && x == y,
            (TypeDef::IntEnum { values: a, .. }, TypeDef::IntEnum { values: b, .. }) => a == b,
            (TypeDef::Alias { target: a, .. }, TypeDef::Alias { target: b, .. }) => a == b,
            _ => false,
        }
    }
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    /// A field of a request body.
    Body,
}

/// One input of an operation: a path, query or header parameter, or a field of a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire: String,
    /// The Rust name of the argument or setter.
    pub ident: String,
    pub location: Location,
    pub required: bool,
    pub ty: TypeRef,
    pub doc: Option<String>,
    pub example: Option<Value>,
    pub constraints: Constraints,
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `application/json` or another `+json` type.
    Json,
    /// Anything else: raw bytes with the declared content type.
    Raw,
}

/// The shape of a request body.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyShape {
    /// An inline object: each property is an argument or a setter of its own.
    Fields(Vec<Param>),
    /// A named type, passed whole; `fields` lists its top-level properties.
    Whole {
        ident: String,
        ty: TypeRef,
        fields: Vec<Param>,
    },
    /// Raw bytes sent with the declared content type.
    Raw { ident: String },
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub media_type: String,
    pub encoding: Encoding,
    pub required: bool,
    pub doc: Option<String>,
    pub shape: BodyShape,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseKind {
    /// A JSON body decoded into this type.
    Json(TypeRef),
    /// No body.
    Empty,
    /// A body of another media type, returned as bytes.
    Bytes,
}

/// The successful response of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub media_type: Option<String>,
    pub kind: ResponseKind,
    pub doc: Option<String>,
    /// An example body built from the document's examples.
    pub example: Option<Value>,
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The `operationId` (or a name made from method and path when there is none).
    pub id: String,
    /// snake_case method name.
    pub ident: String,
    /// UpperCamelCase name of its request builder.
    pub type_name: String,
    /// SHOUTY_SNAKE name of its catalogue entry.
    pub const_name: String,
    /// Upper-case HTTP method.
    pub method: String,
    pub path: String,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Security scheme names that may authorise the call (alternatives); empty means none.
    pub security: Vec<String>,
    /// How the call is authorised: the strongest level its security schemes declare.
    pub auth: AuthLevel,
    /// `x-sevendigital-never-retry: true`: the call changes state even though its method is
    /// idempotent, so it is never sent twice automatically.
    pub never_retry: bool,
    /// `x-sevendigital-catalogue-only: true`: the operation gets a catalogue entry and nothing
    /// else (no client method, command, route stub or table entry); hand-written code uses it.
    pub catalogue_only: bool,
    /// `x-sevendigital-errors`: what some error answers mean for this operation.
    pub error_meanings: Vec<ErrorMeaning>,
    /// Path, query and header parameters, in the document's order.
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub response: Response,
    /// The statuses of the error responses the document lists (4xx and 5xx), in order.
    pub error_statuses: Vec<u16>,
    /// The operation's own server URL (`servers` on the operation or its path), when the
    /// document gives it one apart from the document's servers.
    pub server: Option<String>,
}

/// How a call is authorised, from the `x-sevendigital-auth-level` of its security schemes
/// (`consumer-key`, `two-legged`, `three-legged`); a scheme that does not say counts as
/// two-legged, so that the call is signed rather than sent bare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuthLevel {
    /// No security requirement.
    None,
    /// The consumer key only, unsigned.
    ConsumerKey,
    /// Signed with the consumer key and secret.
    TwoLegged,
    /// Signed with the consumer credentials and a user's token.
    ThreeLegged,
}

impl AuthLevel {
    /// The name of the runtime's `AuthLevel` variant.
    pub fn variant(self) -> &'static str {
        match self {
            AuthLevel::None => "None",
            AuthLevel::ConsumerKey => "ConsumerKey",
            AuthLevel::TwoLegged => "TwoLegged",
            AuthLevel::ThreeLegged => "ThreeLegged",
        }
    }
}

/// One entry of `x-sevendigital-errors`: an error answer (with the API error `code`, or any
/// error the `meaning` covers when there is none) that means `meaning`, reported with the value
/// of the input `input` (its wire name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorMeaning {
    /// The API's error code, when the meaning is tied to one.
    pub code: Option<i64>,
    /// The name of the runtime's `Meaning` variant (`UserAlreadyExists`).
    pub meaning: String,
    /// The wire name of the input the error is reported with.
    pub input: String,
}

/// The whole API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The first server URL, if any.
    pub server: Option<String>,
    pub operations: Vec<Operation>,
    pub types: Vec<TypeDef>,
    /// What the generator changed to make the document generate (an operation renamed because
    /// its name was taken), one sentence each, naming the places.
    pub warnings: Vec<String>,
}
