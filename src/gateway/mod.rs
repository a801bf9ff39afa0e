//! Every operation as an MCP tool and a REST resource, signed server-side (feature `gateway`).
//!
//! The tools and resources are derived from the catalogue ([`crate::catalogue::OPERATIONS`]: the
//! v1.2 spec's operations and the download service's) and dispatched through the generated CLI
//! dispatcher, so an operation added to a document becomes a tool and a resource on rebuild.
//!
//! - Tool names are the kebab case of the operation id (`searchReleases` → `search-releases`).
//! - `readOnlyHint` is set for `GET` calls that are [`safe_to_retry`](crate::catalogue::Operation::safe_to_retry)
//!   (not marked `x-sevendigital-never-retry` in its document); `idempotentHint` is `safe_to_retry`;
//!   `destructiveHint` for refunds and card deletion; `openWorldHint` always.
//! - Tools that spend money, log sales, refund or change a user's cards ([`tools::WRITE_GATED`])
//!   are offered only when the gateway is built with `allow_writes`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client = sevendigital::Client::from_env()?;
//! let gateway = sevendigital::gateway::Gateway::new(client, false);
//! let answer = gateway
//!     .call("search-releases", serde_json::json!({ "q": "beatles" }).as_object().cloned().unwrap_or_default())
//!     .await?;
//! # let _ = answer; Ok(()) }
//! ```

mod dispatch;
pub mod http;
pub mod mcp;
pub mod openapi;
pub mod resources;
pub mod rest;
pub mod schema;
pub mod tools;

use std::sync::Arc;
use std::time::Instant;

use serde_json::{Map, Value};

use crate::Client;
use crate::error::Error;

pub use dispatch::{DOWNLOAD_URL_LIFETIME, signed_download_url};
pub use tools::{Hints, Source, ToolDef};

/// The flag that offers the write tools.
pub const ALLOW_WRITES_FLAG: &str = "--allow-writes";

/// A gateway: a client with the consumer credentials (and optionally a user's token), and
/// whether write tools are offered. Cheap to clone.
#[derive(Clone)]
pub struct Gateway {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    client: Client,
    allow_writes: bool,
    conformance_fixture: bool,
    http: reqwest::Client,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("allow_writes", &self.inner.allow_writes)
            .field("conformance_fixture", &self.inner.conformance_fixture)
            .finish_non_exhaustive()
    }
}

impl Gateway {
    /// A gateway signing with `client`'s credentials; `allow_writes` offers the tools that spend
    /// money, log sales, refund or change cards.
    pub fn new(client: Client, allow_writes: bool) -> Self {
        Gateway {
            inner: Arc::new(Inner {
                client,
                allow_writes,
                conformance_fixture: false,
                // Downloads are streamed through: no overall timeout, no redirects followed
                // (a redirect is passed on to the caller).
                http: reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .unwrap_or_default(),
            }),
        }
    }

    /// Whether write tools are offered.
    pub fn allow_writes(&self) -> bool {
        self.inner.allow_writes
    }

    /// The gateway with (or without) the MCP conformance suite's template fixture: with it,
    /// the MCP server also offers [`mcp::CONFORMANCE_TEMPLATE`], whose read answers the id it
    /// was given (and calls nothing). For testing the server with
    /// `@modelcontextprotocol/conformance` only.
    pub fn with_conformance_fixture(self, on: bool) -> Self {
        let mut inner = Arc::unwrap_or_clone(self.inner);
        inner.conformance_fixture = on;
        Gateway {
            inner: Arc::new(inner),
        }
    }

    /// Whether the conformance suite's template fixture is offered.
    pub fn conformance_fixture(&self) -> bool {
        self.inner.conformance_fixture
    }

    /// The client calls are signed with.
    pub fn client(&self) -> &Client {
        &self.inner.client
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The tools offered: every tool, less the gated ones without `allow_writes`.
    pub fn tools(&self) -> impl Iterator<Item = &'static ToolDef> + '_ {
        tools::all()
            .iter()
            .filter(|t| self.inner.allow_writes || !t.gated)
    }

    /// The tool called `name`, if it is offered.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the tool when there is no such tool, or naming
    /// `--allow-writes` when it is a write tool and writes are not allowed.
    pub fn tool(&self, name: &str) -> Result<&'static ToolDef, Error> {
        let tool =
            tools::find(name).ok_or_else(|| Error::invalid_input(name, "is not a known tool"))?;
        if tool.gated && !self.inner.allow_writes {
            return Err(Error::invalid_input(
                ALLOW_WRITES_FLAG,
                format!(
                    "{name} spends money, logs a sale, refunds or changes a user's cards: it is offered only when the gateway is started with {ALLOW_WRITES_FLAG}"
                ),
            ));
        }
        Ok(tool)
    }

    /// The client for a call with `checked` arguments: with the per-call user token if given.
    pub(crate) fn client_for(&self, checked: &schema::Checked) -> Client {
        match &checked.user {
            Some((token, secret)) => self.inner.client.with_user_token(token, secret),
            None => self.inner.client.clone(),
        }
    }

    /// Calls tool `name` with JSON arguments; the typed answer as JSON. Inside a
    /// `sevendigital.tool` span, with one `tracing` event at the end (tool, status, duration;
    /// never arguments or secrets).
    ///
    /// # Errors
    ///
    /// What [`Gateway::tool`] and [`schema::check`] refuse (nothing sent), or the call's error.
    pub async fn call(&self, name: &str, args: Map<String, Value>) -> Result<Value, Error> {
        use tracing::Instrument;
        let started = Instant::now();
        let span =
            tracing::info_span!("sevendigital.tool", tool = %crate::text::escape_controls(name));
        let result = self
            .call_unlogged(name, &args)
            .instrument(span.clone())
            .await;
        span.in_scope(|| log_call(name, &result, started));
        result
    }

    async fn call_unlogged(&self, name: &str, args: &Map<String, Value>) -> Result<Value, Error> {
        let tool = self.tool(name)?;
        let checked = schema::check(tool.op, args)?;
        let client = self.client_for(&checked);
        dispatch::run(&client, tool, &checked)
            .await
            .map_err(|e| in_wire_words(tool.op, e))
    }
}

/// `error` naming a parameter as REST and MCP callers write it: the client names an input by
/// its Rust name (`release_id`), which becomes the wire name (`releaseId`).
pub(crate) fn in_wire_words(op: &crate::catalogue::Operation, error: Error) -> Error {
    match error {
        Error::InvalidInput { field, message } => {
            let wire = op
                .params
                .iter()
                .find(|p| p.caller_name() == field)
                .map_or(field, |p| p.name.to_string());
            Error::InvalidInput {
                field: wire,
                message,
            }
        }
        other => other,
    }
}

/// One `tracing` event per call: tool, status, 7digital code, duration (never arguments or
/// secrets). The command line prints it on stderr.
pub(crate) fn log_call<T>(name: &str, result: &Result<T, Error>, started: Instant) {
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    let tool = crate::text::escape_controls(name);
    match result {
        Ok(_) => tracing::info!(tool = %tool, status = "ok", duration_ms, "tool call"),
        Err(e) => tracing::warn!(
            tool = %tool,
            status = e.status().map_or_else(|| "error".to_string(), |s| format!("error({s})")),
            code = e.code(),
            duration_ms,
            "tool call"
        ),
    }
}

/// The error as a 7digital error envelope (`{"status":"error","error":{...}}`) and the HTTP
/// status to answer with: the upstream one, 400 for input refused before sending, 502 for
/// a transport failure.
pub fn error_envelope(error: &Error) -> (u16, Value) {
    let status = error.status().unwrap_or(match error {
        Error::InvalidInput { field, .. } if field == ALLOW_WRITES_FLAG => 403,
        // Half a user credential: not authorised (the message says which half is missing).
        Error::InvalidInput { field, message }
            if (field == schema::USER_TOKEN || field == schema::USER_SECRET)
                && message.starts_with("is needed with") =>
        {
            401
        }
        Error::InvalidInput { .. } | Error::Config { .. } => 400,
        Error::UserTokenRequired { .. } => 401,
        _ => 502,
    });
    let code = error.code().unwrap_or(match status {
        400 | 403 => 1001,
        401 => crate::error::codes::UNKNOWN_TOKEN,
        _ => 9001,
    });
    let message = crate::text::escape_controls(&error.to_string());
    (
        status,
        serde_json::json!({
            "status": "error",
            "error": { "code": code, "errorMessage": message }
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_errors_name_parameters_by_wire_name() {
        let op = &crate::catalogue::GET_RELEASE_DETAILS;
        let e = in_wire_words(op, Error::invalid_input("release_id", "is not valid"));
        assert!(
            matches!(&e, Error::InvalidInput { field, .. } if field == "releaseId"),
            "{e:?}"
        );
        // A name that is no parameter's Rust name is left as it is.
        let e = in_wire_words(op, Error::invalid_input("body", "is not valid"));
        assert!(matches!(&e, Error::InvalidInput { field, .. } if field == "body"));
    }

    #[test]
    fn half_a_user_credential_is_unauthorised() {
        let (status, body) = error_envelope(&Error::invalid_input(
            schema::USER_SECRET,
            "is needed with userToken",
        ));
        assert_eq!(status, 401);
        assert_eq!(body["status"], "error");
        assert!(body["error"]["errorMessage"].is_string());
        let (status, _) = error_envelope(&Error::invalid_input("pageSize", "must be at most 100"));
        assert_eq!(status, 400);
    }
}
