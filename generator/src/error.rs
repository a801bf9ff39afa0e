//! The generator's error type: every error names the place in the document it comes from.

use std::fmt;

/// An error found while reading or generating from an OpenAPI document.
///
/// `location` names the place in the document (for example
/// `paths./release/search.get.parameters[0]`, or a line and column for a
/// YAML syntax error), so that the author of the document can find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    location: String,
    message: String,
}

impl Error {
    pub(crate) fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            location: location.into(),
            message: message.into(),
        }
    }

    /// Where in the document the problem is.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// What the problem is.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {}: {}", self.location, self.message)
    }
}

impl std::error::Error for Error {}

/// Shorthand for results of the generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;
