//! Benchmarks live in `benches/`; see the README's performance section.
//!
//! - `codegen`: our generator against `progenitor::Generator` on the 7digital spec.
//! - `signing`: our OAuth 1.0a signer against the `oauth1-request` crate.
