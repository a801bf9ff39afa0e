//! Request builders, one per operation, generated from the spec.
//!
//! Each is made by the [`Client`](crate::Client) method of the same name
//! (snake case), takes optional inputs through chained setters and is sent
//! with `.send().await`.

include!(concat!(env!("OUT_DIR"), "/requests.rs"));
