//! A typed async client for the 7digital / MassiveMusic REST API v1.2.
//!
//! Every one of the API's operations is a method on [`Client`], generated at
//! build time from the OpenAPI document in `spec/`: required inputs are
//! arguments, optional ones chained setters, and `.send().await` returns the
//! typed response or an [`Error`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), sevendigital::Error> {
//! let client = sevendigital::Client::builder()
//!     .base_url("https://api.7digital.com/1.2") // default: the spec's server
//!     .consumer("KEY", "SECRET")
//!     .build()?;
//! let page = client.search_releases("beatles").country("GB").page_size(20).send().await?;
//! println!("{} releases match", page.search_results.total_items);
//! for hit in page.search_results.search_result.unwrap_or_default() {
//!     if let Some(release) = hit.release {
//!         println!("{} ({:?})", release.title.unwrap_or_default(), release.id);
//!     }
//! }
//! let locker = client.with_user_token("TOKEN", "TOKEN_SECRET").get_user_locker().page(2).send().await?;
//! # let _ = locker; Ok(()) }
//! ```
//!
//! Where things are:
//! - [`models`]: the API's data types, as 7digital sends them (the spec corrected by
//!   `spec/7digital-overlay.yml` against captured live answers), decoded by the rules of
//!   [`lenient`] (both of 7digital's JSON dialects, and its XML); [`requests`]: one request
//!   builder per operation;
//!   [`catalogue`]: a static table describing every operation (method, path, auth level,
//!   retry safety, parameters). All three are generated from the spec and from
//!   `spec/7digital-download-service.yml` (the download store's calls).
//! - [`client`]: configuration and the path every call takes (signing, retries, decoding);
//!   [`request`]: a request being built, also for calls the spec lacks; [`oauth`]: OAuth 1.0a signing;
//!   [`token_flow`]: getting a user's access token; [`error`]: the error type; [`retry`]: the retry policy.
//! - [`download_service`]: what the generated download-store calls need beside their description
//!   (`Price`, the refund window, the locker as a stream); [`rules`]: the rules no document can
//!   state (between inputs, and what some error codes mean).
//! - [`download`]: streaming, resumable downloads of files (tracks, releases) to a path or a writer.

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod answer;
pub mod cache;
pub mod call;
pub mod catalogue;
#[cfg(any(feature = "cli", feature = "gateway"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "cli", feature = "gateway"))))]
pub mod cli;
pub mod client;
pub mod codes;
mod decode;
pub mod download;
pub mod download_service;
pub mod endpoint;
mod envelope;
pub mod error;
#[cfg(feature = "server")]
#[cfg_attr(docsrs, doc(cfg(feature = "server")))]
pub mod fake;
#[cfg(feature = "gateway")]
pub mod gateway;
pub mod hooks;
pub mod lenient;
pub mod models;
pub mod oauth;
mod origin;
pub mod paging;
pub mod request;
pub mod requests;
mod response;
pub mod retry;
pub mod rules;
#[doc(hidden)]
pub mod runtime;
#[cfg(feature = "server")]
#[cfg_attr(docsrs, doc(cfg(feature = "server")))]
pub mod server;
pub mod text;
pub mod token_flow;
mod xml_answer;

pub use client::{AuthPlacement, Client, ClientBuilder};
pub use endpoint::{Call, IntoId};

/// What most programs import: the client, its errors, and the stream traits that
/// `partner_locker(..).into_stream()` needs (`TryStreamExt::try_next`, `StreamExt::next`).
///
/// ```
/// use sevendigital::prelude::*;
/// ```
pub mod prelude {
    pub use crate::catalogue::AuthLevel;
    pub use crate::client::{AuthPlacement, Client, ClientBuilder};
    pub use crate::error::Error;
    pub use crate::retry::RetryPolicy;
    pub use futures_util::{StreamExt, TryStreamExt};
}

/// The README's Rust snippets, compiled and run as doctests against the in-process fake
/// (their setup lines are hidden with `#`).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The Rust snippets of `docs/`, compiled and run as doctests like the README's.
#[cfg(doctest)]
pub mod docs {
    /// `docs/client.md`.
    #[doc = include_str!("../docs/client.md")]
    pub struct Client;
    /// `docs/fake.md`.
    #[doc = include_str!("../docs/fake.md")]
    pub struct Fake;
    /// `docs/production.md`.
    #[doc = include_str!("../docs/production.md")]
    pub struct Production;
}
pub use envelope::Envelope;
pub use error::{Error, ErrorKind, TransportError};
pub use response::Response;
pub use retry::RetryPolicy;
pub use token_flow::{AccessToken, RequestToken};
