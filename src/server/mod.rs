//! Route stubs generated from the spec (feature `server`): the [`Api`] trait, one async method
//! per operation answering 501 until implemented, and [`router`], which mounts every operation
//! on an `axum::Router` at its path and method and validates its inputs against the spec.
//!
//! ```no_run
//! use std::sync::Arc;
//! use sevendigital::models::{TagList, TagListResponse};
//! use sevendigital::server::{Api, GetAllTagsInput, RequestContext, ServerError, router};
//!
//! struct Tags;
//!
//! impl Api for Tags {
//!     async fn get_all_tags(&self, _: GetAllTagsInput, _: RequestContext) -> Result<TagListResponse, ServerError> {
//!         let tags = TagList { page: 1, page_size: 10, total_items: 0, tag: Some(vec![]) };
//!         Ok(TagListResponse { status: "ok".into(), version: Some("1.2".into()), schema: None, tags })
//!     }
//! }
//!
//! # async fn serve() -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! axum::serve(listener, router(Arc::new(Tags))).await
//! # }
//! ```
//!
//! Validation (before the method is called): a missing required parameter is answered with
//! HTTP 400 and 7digital code 1001, a value of the wrong type, outside its enum or out of its
//! bounds with 400 and code 1002; the message names the parameter. Unknown parameters are
//! ignored, as the live API does.

mod choose;
mod context;
mod error;
pub mod fake;
mod params;

pub use choose::choose;
pub use context::{BODY_LIMIT, BodyTimeout, DEFAULT_BODY_TIMEOUT, RequestContext, read_body};
pub use error::{ServerError, wants_xml, xml_errors};
pub use params::{Params, respond, respond_error, respond_raw, validate};

include!(concat!(env!("OUT_DIR"), "/server.rs"));
