//! What the generated code calls into, gathered for the generator's `Settings::runtime` path.
//! Public (hidden from the docs: every item is documented where it lives) so that code
//! generated from other API documents can use this runtime too (`tests/corpus.rs`).

pub use crate::catalogue::{
    AuthLevel, BodyEncoding, BodyInfo, Method, Operation, Param, ParamKind, ParamLocation, Pattern,
};
#[allow(unused_imports)]
pub use crate::rules::{ErrorMeaning, Meaning};
// Not every API document answers in every way.
#[allow(unused_imports)]
pub use crate::endpoint::{AsClient, Bytes, Call, Empty, Endpoint, IntoId, Json, Output};
#[allow(unused_imports)]
pub use crate::error::Error;
pub use crate::lenient::{self, Lenient, UnknownValue};
pub use crate::paging::{Page, PageNumbers, Paged};
// Not every API document needs every item (this one sends no object in a query string).
#[allow(unused_imports)]
pub use crate::request::{Request, json_text};
