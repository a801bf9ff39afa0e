//! What the generated code calls into. Not part of the public API: the items are public
//! elsewhere, and this module only gathers them for the generator's `Settings::runtime` path.

pub use crate::catalogue::{
    BodyEncoding, BodyInfo, Method, Operation, Param, ParamKind, ParamLocation,
};
// Not every API document answers in every way.
#[allow(unused_imports)]
pub use crate::endpoint::{Bytes, Call, Empty, Endpoint, IntoId, Json};
#[allow(unused_imports)]
pub use crate::error::Error;
pub use crate::lenient::{self, Lenient, UnknownValue};
pub use crate::paging::{Page, PageNumbers, Paged};
// Not every API document needs every item (this one sends no object in a query string).
#[allow(unused_imports)]
pub use crate::request::{Request, json_text};
