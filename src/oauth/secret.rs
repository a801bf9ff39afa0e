//! Credential types whose secret halves never appear in `Debug` or `Display` output.

use std::fmt;

/// A secret string (consumer secret, token secret, ...).
///
/// Its [`Debug`](fmt::Debug) and [`Display`](fmt::Display) implementations print
/// `[redacted]`, never the value, so a `Secret` can sit inside structs that derive
/// `Debug` and be logged safely. Use [`Secret::expose`] to read the value on purpose.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// Returns the secret value. Call sites of this method are the only places a
    /// secret can leak from, which keeps them easy to audit.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// Client credentials (RFC 5849 "client identifier" and "client shared-secret",
/// called consumer key and consumer secret by 7digital).
///
/// The derived `Debug` shows the key but redacts the secret.
#[derive(Clone, Debug)]
pub struct Consumer {
    key: String,
    secret: Secret,
}

impl Consumer {
    /// Builds client credentials from a consumer key and its secret.
    pub fn new(key: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Consumer {
            key: key.into(),
            secret: secret.into(),
        }
    }

    /// The consumer key, sent as `oauth_consumer_key`.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The consumer secret, used only to derive the signing key.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }
}

/// Temporary (request) or token (access) credentials.
///
/// The derived `Debug` shows the token but redacts the secret.
#[derive(Clone, Debug)]
pub struct Token {
    token: String,
    secret: Secret,
}

impl Token {
    /// Builds token credentials from a token and its secret.
    pub fn new(token: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Token {
            token: token.into(),
            secret: secret.into(),
        }
    }

    /// The token, sent as `oauth_token`.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The token secret, used only to derive the signing key.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_is_redacted() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(format!("{s}"), "[redacted]");
        assert_eq!(format!("{s:#?}"), "[redacted]");
        assert_eq!(s.expose(), "hunter2");
        assert_eq!(Secret::from("x").expose(), "x");
        assert_eq!(Secret::from(String::from("y")).clone().expose(), "y");
    }

    #[test]
    fn credentials_debug_is_redacted() {
        let c = Consumer::new("ckey", "csecret-value");
        let t = Token::new("tkey", "tsecret-value");
        for dbg in [
            format!("{c:?}"),
            format!("{c:#?}"),
            format!("{t:?}"),
            format!("{t:#?}"),
        ] {
            assert!(!dbg.contains("secret-value"), "{dbg}");
            assert!(dbg.contains("[redacted]"), "{dbg}");
        }
        assert_eq!(c.key(), "ckey");
        assert_eq!(c.secret().expose(), "csecret-value");
        assert_eq!(t.token(), "tkey");
        assert_eq!(t.secret().expose(), "tsecret-value");
    }
}
