//! The crate's integration tests, one binary: one module per concern, the helpers they share in
//! [`common`]. Run one module with `cargo test --all-features --test it MODULE::`.
//!
//! The modules run in one process, side by side: see [`common`] for what no test may change.
//! Tests that need a tool from outside Rust (7digital's Node SDK, the MCP conformance suite and
//! Python SDK, Schemathesis, `redis-server`) skip themselves when it is missing, unless `CI` is
//! set; `.ci/run` installs them under `target/tmp/`.

mod common;

mod all_operations;
mod cache;
#[cfg(feature = "cli")]
mod cli;
mod client_defaults;
mod client_from_env;
mod compile_fail;
mod download_service;
mod error_envelopes;
mod errors;
#[cfg(feature = "server")]
mod fake;
mod fake_catalogue;
mod fake_contract;
mod foreign_documents;
#[cfg(feature = "cli")]
mod gateway;
#[cfg(feature = "cli")]
mod gateway_contract;
mod generated_in_sync;
mod hostile_peers;
mod layout_table;
#[cfg(feature = "cli")]
mod live_fidelity;
#[cfg(feature = "cli")]
#[allow(deprecated)] // MCP logging (SEP-2577), still what clients speak.
mod mcp_conformance;
mod no_module_cycles;
mod node_sdk;
mod oauth_flow;
mod oauth_vectors;
mod one_call_path;
mod operations_from_documents;
mod output_schemas;
mod paging;
#[cfg(feature = "server")]
mod per_call;
mod readme_call_compiles;
#[cfg(all(feature = "redis", feature = "server"))]
mod redis_cache;
mod resumable_downloads;
mod retries;
#[allow(dead_code, clippy::all)] // Generated models, most of them unused here.
mod schema_constructs;
mod spec_change;
#[cfg(feature = "server")]
mod store_flow;
mod string_enums;
#[cfg(feature = "server")]
mod traces;

// The models `schema_constructs` includes were generated for a crate root: they name their
// runtime `crate::runtime`.
use schema_constructs::runtime;
