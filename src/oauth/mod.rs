//! OAuth 1.0a request signing (RFC 5849) with the HMAC-SHA1 method, as the
//! 7digital API requires.
//!
//! * [`Consumer`] and [`Token`] hold credentials; their secrets are [`Secret`]s,
//!   which never show in `Debug` or `Display` output.
//! * [`Signer`] produces the protocol parameters of a request
//!   ([`SignedParams`]), to be sent as an `Authorization` header
//!   ([`SignedParams::authorization_header`]) or in the query
//!   ([`SignedParams::append_to_url`]).
//! * [`base_string`], [`hmac_sha1`] and [`percent_encode`] expose the
//!   individual steps of RFC 5849 §3.4 and §3.6.
//! * `verify` and `parse_authorization_header` (feature `server`) implement the
//!   server side, for fake servers and tests.
//! * [`Clock`] and [`NonceSource`] make timestamps and nonces injectable.
//!
//! Only `application/x-www-form-urlencoded` bodies are signed; callers pass
//! `None` as the form body for JSON, multipart or empty bodies. In a request
//! URL's query, `+` is read as a space, as RFC 5849 §3.4.1.3.1 requires.
//!
//! ```
//! # #[cfg(feature = "server")] {
//! use std::sync::Arc;
//! use sevendigital::oauth::{
//!     parse_authorization_header, verify, Consumer, FixedClock, FixedNonce, Secret, Signer, Token,
//! };
//!
//! let signer = Signer::new(Consumer::new("my-key", "my-secret"))
//!     .with_clock(Arc::new(FixedClock(1_700_000_000)))
//!     .with_nonce(Arc::new(FixedNonce::new("0123456789abcdef")));
//! let token = Token::new("access-token", "token-secret");
//! let url = url::Url::parse("https://api.7digital.com/1.2/user/locker?page=1").unwrap();
//!
//! let signed = signer.sign("GET", &url, None, Some(&token), &[]);
//! let header = signed.authorization_header();
//!
//! // What a server would do with it:
//! let received = parse_authorization_header(&header).unwrap();
//! assert!(verify(
//!     "GET",
//!     &url,
//!     None,
//!     &received,
//!     &Secret::new("my-secret"),
//!     Some(&Secret::new("token-secret")),
//! ));
//! # }
//! ```

mod base_string;
mod clock;
mod encode;
mod secret;
mod signer;
#[cfg(all(test, feature = "server"))]
mod tests;
pub mod token_flow;
#[cfg(feature = "server")]
mod verify;

pub use base_string::base_string;
pub use clock::{Clock, FixedClock, FixedNonce, NonceSource, RandomNonce, SystemClock};
pub use encode::percent_encode;
pub use secret::{Consumer, Secret, Token};
pub use signer::{OAUTH_VERSION, SIGNATURE_METHOD, SignedParams, Signer, hmac_sha1};
pub use token_flow::{AccessToken, RequestToken};
#[cfg(feature = "server")]
pub use verify::{parse_authorization_header, verify};
