//! Errors a server answers with, in 7digital's JSON error envelope.

use std::fmt;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::codes;

/// An error answer: HTTP status, 7digital error code and message, sent as
/// `{"status":"error","error":{"code":...,"message":"..."}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    /// The HTTP status.
    pub status: u16,
    /// The 7digital error code.
    pub code: i64,
    /// The message.
    pub message: String,
}

impl ServerError {
    /// An error with any status, code and message.
    pub fn new(status: u16, code: i64, message: impl Into<String>) -> Self {
        ServerError {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400, code 1001: a required parameter is missing.
    pub fn missing_parameter(name: &str) -> Self {
        ServerError::new(
            400,
            codes::MISSING_PARAMETER,
            format!("Missing parameter {name}"),
        )
    }

    /// 400, code 1002: a parameter has an invalid value.
    pub fn invalid_parameter(name: &str, why: impl fmt::Display) -> Self {
        ServerError::new(
            400,
            codes::INVALID_PARAMETER,
            format!("Invalid parameter value for {name}: {why}"),
        )
    }

    /// 404, code 2001: the named resource does not exist.
    pub fn not_found(what: impl fmt::Display) -> Self {
        ServerError::new(404, codes::NOT_FOUND, format!("{what} not found"))
    }

    /// 501, code 9001: the operation is not implemented by this server.
    pub fn not_implemented(operation: &str) -> Self {
        ServerError::new(
            501,
            codes::UNEXPECTED,
            format!("Not implemented: {operation}"),
        )
    }

    /// The JSON envelope.
    pub fn envelope(&self) -> String {
        serde_json::json!({
            "status": "error",
            "error": { "code": self.code, "message": self.message },
        })
        .to_string()
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "HTTP {}, error {}: {}",
            self.status, self.code, self.message
        )
    }
}

impl std::error::Error for ServerError {}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (
            status,
            [("content-type", "application/json")],
            self.envelope(),
        )
            .into_response()
    }
}
