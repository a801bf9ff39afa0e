//! 7digital's error codes, as its documentation names them: the one place they are written.
//!
//! The same number can mean different things on different calls (2002 is "no licence" on a
//! download and "reporting period closed" on a refund), so each meaning has its own name.

/// 1001: a required parameter is missing.
pub const MISSING_PARAMETER: i64 = 1001;
/// 1002: a parameter has an invalid value.
pub const INVALID_PARAMETER: i64 = 1002;
/// 2001: the resource does not exist (on a refund: the sale is not in the sales log).
pub const NOT_FOUND: i64 = 2001;
/// 2002 on a refund: the sale is outside the current reporting period.
pub const REPORTING_PERIOD_CLOSED: i64 = 2002;
/// 2002 on a download: no licence for the request (unknown purchase, or not the user's).
pub const NO_LICENCE: i64 = 2002;
/// 2003: a user with this user id already exists.
pub const USER_ALREADY_EXISTS: i64 = 2003;
/// 3001: the user's credentials are wrong.
pub const AUTHENTICATION_FAILED: i64 = 3001;
/// 3012: the voucher cannot be applied to the basket (what 7digital sends for an invalid
/// voucher code: capture `e04-voucher-invalid.xml`).
pub const INVALID_VOUCHER: i64 = 3012;
/// 7001: unknown or missing consumer key.
pub const UNKNOWN_CONSUMER: i64 = 7001;
/// 7002: unknown or missing user token.
pub const UNKNOWN_TOKEN: i64 = 7002;
/// 7003: the OAuth signature is not valid.
pub const INVALID_SIGNATURE: i64 = 7003;
/// 7004: the OAuth nonce was already used.
pub const NONCE_USED: i64 = 7004;
/// 7005: the pre-signed URL has expired.
pub const URL_EXPIRED: i64 = 7005;
/// 7006: the OAuth timestamp is too far from the server's clock.
pub const TIMESTAMP_REFUSED: i64 = 7006;
/// 9001: an unexpected error on the server.
pub const UNEXPECTED: i64 = 9001;
