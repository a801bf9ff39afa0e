//! The API's data types, generated from the spec's schemas.
//!
//! Every field the spec does not mark required is an `Option`; string enums
//! keep values the spec does not list in their `Unknown` variant, so a new
//! value from the live API never fails decoding.

pub use crate::decode::lenient::{Lenient, UnknownValue};

include!(concat!(env!("OUT_DIR"), "/models.rs"));
