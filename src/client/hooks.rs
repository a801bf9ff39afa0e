//! Client hooks: code of yours run around every HTTP request a client sends, API calls and
//! downloads alike, for headers of your own and for metrics.
//!
//! ```
//! use std::sync::Arc;
//! use std::sync::atomic::{AtomicU64, Ordering};
//! use sevendigital::client::hooks::{Exchange, Hook};
//!
//! #[derive(Debug, Default)]
//! struct Metrics {
//!     answers: AtomicU64,
//! }
//!
//! impl Hook for Metrics {
//!     fn before_send(&self, _: &Exchange<'_>, request: &mut reqwest::Request) {
//!         request.headers_mut().insert("x-store", "shop-1".parse().unwrap());
//!     }
//!     fn after_response(&self, _: &Exchange<'_>, _: u16, _: &reqwest::header::HeaderMap) {
//!         self.answers.fetch_add(1, Ordering::Relaxed);
//!     }
//! }
//!
//! let client = sevendigital::Client::builder()
//!     .consumer("KEY", "SECRET")
//!     .hook(Arc::new(Metrics::default()))
//!     .build()?;
//! # let _ = client; Ok::<(), sevendigital::Error>(())
//! ```
//!
//! A hook sees the request after it is signed: it may add headers (OAuth 1.0a signs the URL
//! and form, not the headers), but a change to the URL, the method or the body breaks the
//! signature. The URL it sees carries the signature: keep it out of logs.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;

/// What a hook is told about the request in flight.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Exchange<'a> {
    /// The operation id (`getReleaseDetails`), or [`crate::download::OPERATION`] for a
    /// download.
    pub operation: &'a str,
    /// The attempt, from 1 (retries count up; redirects followed keep the number).
    pub attempt: u32,
    /// Time since this attempt's request was sent (zero in [`Hook::before_send`]).
    pub elapsed: Duration,
}

/// Code run around each HTTP request a [`Client`](crate::Client) sends. Both methods do nothing
/// by default; implement the ones you need. Hooks run in the order they were added, on the
/// task making the call: keep them quick.
pub trait Hook: Send + Sync + fmt::Debug {
    /// Called with each request just before it is sent (after signing; redirects followed and
    /// retries included).
    fn before_send(&self, exchange: &Exchange<'_>, request: &mut reqwest::Request) {
        let _ = (exchange, request);
    }

    /// Called with the status and headers of each answer, as soon as they arrive (before the
    /// body is read), whatever the status.
    fn after_response(&self, exchange: &Exchange<'_>, status: u16, headers: &HeaderMap) {
        let _ = (exchange, status, headers);
    }
}

/// The hooks of a client, shared by its clones.
#[derive(Debug, Clone, Default)]
pub(crate) struct Hooks(Arc<[Arc<dyn Hook>]>);

impl Hooks {
    pub(crate) fn new(hooks: Vec<Arc<dyn Hook>>) -> Self {
        Hooks(hooks.into())
    }

    pub(crate) fn before_send(&self, exchange: &Exchange<'_>, request: &mut reqwest::Request) {
        for hook in self.0.iter() {
            hook.before_send(exchange, request);
        }
    }

    pub(crate) fn after_response(&self, exchange: &Exchange<'_>, status: u16, headers: &HeaderMap) {
        for hook in self.0.iter() {
            hook.after_response(exchange, status, headers);
        }
    }
}
