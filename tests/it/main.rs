//! The crate's integration tests, one binary: one module per concern, the helpers they share in
//! [`common`]. Run one module with `cargo test --all-features --test it MODULE::`.
//!
//! The modules run in one process, side by side: see [`common`] for what no test may change.
//! Tests that need a tool from outside Rust (7digital's Node SDK, the MCP conformance suite and
//! Python SDK, Schemathesis, `redis-server`) skip themselves when it is missing, unless `CI` is
//! set; `.ci/run` installs them under `target/tmp/`.

mod common;

/// Every operation goes over the wire as the spec says; its example answer decodes without loss.
mod all_operations;
/// The opt-in cache keeps catalogue answers for their `max-age`; never a user's or a write's.
mod cache;
/// The `sevendigital` command against the fake: operations, resumed downloads, exit codes, help.
#[cfg(feature = "cli")]
mod cli;
/// Client-wide default parameters are sent where they apply, overridden per call, checked at build.
mod client_defaults;
/// `Client::from_env` reads its three variables and names a missing one.
mod client_from_env;
/// Wrong calls do not compile, with readable diagnostics (trybuild).
mod compile_fail;
/// The download-store calls check inputs, sign, decode, send a sale once, and sign download URLs.
mod download_service;
/// Every error the fake sends has the shape of the captured 7digital error answers.
mod error_envelopes;
/// Callers get typed, bounded errors, retries only where allowed, and no secret in any output.
mod errors;
/// Every example in `examples/` runs to completion, as `cargo run --example NAME` would.
mod examples_run;
/// The fake 7digital answers every operation, validates, refuses bad OAuth and injects faults.
#[cfg(feature = "server")]
mod fake;
/// The fake's catalogue resolves any well-formed id, the same in every process; partners' items.
mod fake_catalogue;
/// Schemathesis finds no failure in the fake against the corrected 7digital document.
mod fake_contract;
/// The generator works on documents nobody here wrote: each generates and type-checks.
mod foreign_documents;
/// The gateway serves every operation over MCP (stdio, HTTP) and REST, and its OpenAPI document.
#[cfg(feature = "cli")]
mod gateway;
/// Schemathesis finds no failure in the gateway against its own `/v1/openapi.json`.
#[cfg(feature = "cli")]
mod gateway_contract;
/// `generated/` is exactly what the generator makes from `spec/` now.
mod generated_in_sync;
/// The client, the command line and `serve` stay safe and bounded against hostile peers.
mod hostile_peers;
/// The layout table (`docs/layout.md`) matches the tree.
mod layout_table;
/// Every captured live 7digital answer decodes without losing a value; errors keep their codes.
#[cfg(feature = "cli")]
mod live_fidelity;
/// The MCP server passes the conformance suite; resources, completions and logs; the Python SDK.
#[cfg(feature = "cli")]
#[allow(deprecated)] // MCP logging (SEP-2577), still what clients speak.
mod mcp_conformance;
/// No module of the crate or the generator reaches itself through the modules it names.
mod no_module_cycles;
/// 7digital's own Node SDK works against `sevendigital serve`.
mod node_sdk;
/// The token flow and pre-signed URLs pass an independent OAuth check of what the server received.
mod oauth_flow;
/// The OAuth 1.0a signer matches public test vectors and edge cases.
mod oauth_vectors;
/// Every operation checks its inputs once, before sending, on one call path.
mod one_call_path;
/// No operation is written by hand in `src/`: every one comes from a document under `spec/`.
mod operations_from_documents;
/// Every typed tool publishes an output schema, and what it answers fits it.
mod output_schemas;
/// Every paged operation streams its pages and stops where it should.
mod paging;
/// A call's own timeout and retry policy override the client's; hooks; compressed answers.
#[cfg(feature = "server")]
mod per_call;
/// The call shape from the README compiles and builds requests.
mod readme_call_compiles;
/// The Redis cache is shared, expires, is bounded, keeps no user's answer; Redis down is a miss.
#[cfg(all(feature = "redis", feature = "server"))]
mod redis_cache;
/// Downloads stream and resume against a server that cuts, stalls, lies about ranges or refuses.
mod resumable_downloads;
/// One retry loop for calls and downloads retries 5xx, 429 and 503 as it should, and nothing else.
mod retries;
/// Models generated for the harder schema constructs compile and decode.
#[allow(dead_code, clippy::all)] // Generated models, most of them unused here.
mod schema_constructs;
/// Editing the spec or the overlay and building is all it takes to change the client.
mod spec_change;
/// A download store built on the crate works end to end against the fake, cuts and all.
#[cfg(feature = "server")]
mod store_flow;
/// String enums: setters take the enum, and parsing text is explicit and fallible.
mod string_enums;
/// The crate traces calls, retries and downloads, and never a secret.
#[cfg(feature = "server")]
mod traces;

// The models `schema_constructs` includes were generated for a crate root: they name their
// runtime `crate::runtime`.
use schema_constructs::runtime;
