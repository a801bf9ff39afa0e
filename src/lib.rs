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
//! - [`client`]: the [`Client`] and its configuration, the opt-in [`client::cache`] and
//!   [`client::hooks`] run around every request.
//! - [`call`]: the path every call takes: [`Call`] (send, pre-sign, await), [`call::Request`]
//!   for calls the spec lacks, [`Response`], the [`RetryPolicy`], every page as a stream
//!   ([`call::paging`]).
//! - [`models`]: the API's data types, as 7digital sends them (the spec corrected by
//!   `spec/7digital-overlay.yml` against captured live answers; both of 7digital's JSON
//!   dialects, and its XML); [`requests`]: one request builder per operation; [`catalogue`]: a
//!   static table describing every operation (method, path, auth level, retry safety,
//!   parameters) and the rules no document can state ([`catalogue::rules`]). All three are
//!   generated from the documents in `spec/`.
//! - [`error`]: the error type, by phase ([`ErrorKind`]), 7digital's codes and envelopes.
//! - [`oauth`]: OAuth 1.0a signing and the token flow ([`RequestToken`], [`AccessToken`]).
//! - [`download`]: streaming, resumable downloads of files to a path or a writer;
//!   [`download_service`]: what the download-store calls need beside their description (`Price`,
//!   the refund window, the locker as a stream).
//! - Behind features: [`server`] (route stubs and the fake 7digital, `server`), `gateway` (MCP
//!   and REST) and `cli`.

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod call;
pub mod catalogue;
#[cfg(any(feature = "cli", feature = "gateway"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "cli", feature = "gateway"))))]
pub mod cli;
pub mod client;
mod decode;
pub mod download;
pub mod download_service;
pub mod error;
#[cfg(feature = "gateway")]
#[cfg_attr(docsrs, doc(cfg(feature = "gateway")))]
pub mod gateway;
pub mod models;
pub mod oauth;
pub mod requests;
#[doc(hidden)]
pub mod runtime;
#[cfg(feature = "server")]
#[cfg_attr(docsrs, doc(cfg(feature = "server")))]
pub mod server;
mod text;

pub use call::{Call, IntoId};
pub use client::{AuthPlacement, Client, ClientBuilder};

/// What most programs import: the client, its errors, and the stream traits that
/// `partner_locker(..).into_stream()` needs (`TryStreamExt::try_next`, `StreamExt::next`).
///
/// ```
/// use sevendigital::prelude::*;
/// ```
pub mod prelude {
    pub use crate::call::retry::RetryPolicy;
    pub use crate::catalogue::AuthLevel;
    pub use crate::client::{AuthPlacement, Client, ClientBuilder};
    pub use crate::error::Error;
    pub use futures_util::{StreamExt, TryStreamExt};
}

/// The README's Rust snippets, compiled and run as doctests against the in-process fake
/// (their setup lines are hidden with `#`).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The Rust snippets of `docs/`, compiled and run as doctests like the README's.
#[cfg(doctest)]
mod docs {
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
pub use call::{Response, RetryPolicy};
pub use error::{Envelope, Error, ErrorHeaders, ErrorKind, TransportError};
pub use oauth::{AccessToken, RequestToken};
