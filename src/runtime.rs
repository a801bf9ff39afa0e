//! What the generated code calls into, gathered for the generator's `Settings::runtime` path.
//! Public (hidden from the docs: every item is documented where it lives) so that code
//! generated from other API documents can use this runtime too (`tests/it/foreign_documents.rs`).

#[allow(unused_imports)]
pub use crate::catalogue::rules::{ErrorMeaning, Meaning};
pub use crate::catalogue::{
    AuthLevel, BodyEncoding, BodyInfo, Method, Operation, Param, ParamKind, ParamLocation, Pattern,
};
// Not every API document answers in every way.
pub use crate::call::paging::{Page, PageNumbers, Paged};
#[allow(unused_imports)]
pub use crate::call::{AsClient, Bytes, Call, Empty, Endpoint, IntoId, Json, Output};
pub use crate::decode::lenient::{self, Lenient, UnknownValue};
#[allow(unused_imports)]
pub use crate::error::Error;
// Not every API document needs every item (this one sends no object in a query string).
#[allow(unused_imports)]
pub use crate::call::request::{Request, json_text};
