//! Validation of a request's inputs against the catalogue's rules, and typed access to them.

use std::str::FromStr;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{RequestContext, ServerError};
use crate::catalogue::{BodyEncoding, Operation, Param, ParamLocation};
use crate::error::codes;

/// The inputs of a request, checked against the operation's parameters.
///
/// Query and form parameter names match without regard to ASCII case, as 7digital matches them
/// (its Node SDK sends `releaseid`, its C# SDK `releaseId`).
#[derive(Debug)]
pub struct Params<'a> {
    operation: &'static Operation,
    context: &'a RequestContext,
    form: Vec<(String, String)>,
    json: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Checks every parameter of `operation` in `context`: presence (code 1001), type, enum and
/// bounds (code 1002).
///
/// # Errors
///
/// The first problem found, naming the parameter.
pub fn validate<'a>(
    operation: &'static Operation,
    context: &'a RequestContext,
) -> Result<Params<'a>, ServerError> {
    let encoding = operation.body.map(|b| b.encoding);
    let form = if encoding == Some(BodyEncoding::Form) {
        context.form()
    } else {
        Vec::new()
    };
    let json = match encoding {
        Some(BodyEncoding::Json) if !context.body.is_empty() => {
            match serde_json::from_slice(&context.body) {
                Ok(serde_json::Value::Object(map)) => Some(map),
                _ => return Err(ServerError::invalid_parameter("body", "not a JSON object")),
            }
        }
        _ => None,
    };
    // An empty form is a form with no fields: its required fields are checked one by one
    // below, so only a required body of another encoding can be missing as a whole.
    if let Some(body) = operation.body
        && body.required
        && body.encoding != BodyEncoding::Form
        && context.body.is_empty()
        && !operation
            .params
            .iter()
            .any(|p| p.location == ParamLocation::Body)
    {
        return Err(ServerError::missing_parameter("body"));
    }
    let params = Params {
        operation,
        context,
        form,
        json,
    };
    for param in operation.params {
        let values = params.values(param);
        if values.is_empty() {
            if param.required {
                return Err(ServerError::missing_parameter(param.name));
            }
            continue;
        }
        for value in values {
            check(param, &value)?;
        }
    }
    crate::catalogue::rules::check(operation, &|name| {
        let param = operation.param(name)?;
        params.values(param).into_iter().next()
    })
    .map_err(|(field, why)| ServerError::invalid_parameter(field, why))?;
    Ok(params)
}

/// Checks one value against a parameter's rules: the catalogue's one check
/// ([`Param::check`]), reported as code 1002.
fn check(param: &Param, value: &str) -> Result<(), ServerError> {
    param
        .check(value)
        .map_err(|why| ServerError::invalid_parameter(param.name, why))
}

impl Params<'_> {
    /// Every value sent for `param`, as text.
    fn values(&self, param: &Param) -> Vec<String> {
        match param.location {
            ParamLocation::Path => self
                .context
                .path_value(param.name)
                .map(str::to_string)
                .into_iter()
                .collect(),
            ParamLocation::Query => self
                .context
                .query
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(param.name))
                .map(|(_, v)| v.clone())
                .collect(),
            ParamLocation::Header => self
                .context
                .header(param.name)
                .map(str::to_string)
                .into_iter()
                .collect(),
            ParamLocation::Body => match &self.json {
                Some(map) => match map.get(param.name) {
                    None | Some(serde_json::Value::Null) => Vec::new(),
                    Some(serde_json::Value::String(s)) => vec![s.clone()],
                    Some(other) => vec![other.to_string()],
                },
                None => self
                    .form
                    .iter()
                    .filter(|(k, _)| k.eq_ignore_ascii_case(param.name))
                    .map(|(_, v)| v.clone())
                    .collect(),
            },
        }
    }

    fn first(&self, name: &str) -> Option<String> {
        let param = self.operation.param(name)?;
        self.values(param).into_iter().next()
    }

    /// A value parsed from its text (`None` when absent).
    ///
    /// # Errors
    ///
    /// Code 1002 when it does not parse.
    pub fn parsed<T: FromStr>(&self, name: &str) -> Result<Option<T>, ServerError> {
        self.first(name)
            .map(|v| {
                v.parse().map_err(|_| {
                    ServerError::invalid_parameter(name, format!("`{v}` is not valid"))
                })
            })
            .transpose()
    }

    /// Every value of a repeated parameter, parsed (`None` when absent).
    ///
    /// # Errors
    ///
    /// Code 1002 when one does not parse.
    pub fn list<T: FromStr>(&self, name: &str) -> Result<Option<Vec<T>>, ServerError> {
        let Some(param) = self.operation.param(name) else {
            return Ok(None);
        };
        let values = self.values(param);
        if values.is_empty() {
            return Ok(None);
        }
        values
            .into_iter()
            .map(|v| {
                v.parse().map_err(|_| {
                    ServerError::invalid_parameter(name, format!("`{v}` is not valid"))
                })
            })
            .collect::<Result<Vec<T>, _>>()
            .map(Some)
    }

    /// A value sent as JSON text (objects in a query or form).
    ///
    /// # Errors
    ///
    /// Code 1002 when it is not valid JSON of the expected shape.
    pub fn json<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, ServerError> {
        self.first(name)
            .map(|v| serde_json::from_str(&v).map_err(|e| ServerError::invalid_parameter(name, e)))
            .transpose()
    }

    /// The whole form body decoded into `T` (`None` when there is no body and `T` has
    /// required fields).
    ///
    /// # Errors
    ///
    /// Code 1002 when it does not decode.
    pub fn form_body<T: DeserializeOwned>(&self) -> Result<Option<T>, ServerError> {
        if self.context.body.is_empty() {
            // An empty form is a form with no fields: a body whose fields are all optional.
            return Ok(serde_urlencoded::from_str("").ok());
        }
        // Field names as the operation spells them, whatever case the client used.
        let fields: Vec<(String, String)> = url::form_urlencoded::parse(&self.context.body)
            .into_owned()
            .map(|(k, v)| {
                let name = self
                    .operation
                    .params
                    .iter()
                    .find(|p| p.location == ParamLocation::Body && p.name.eq_ignore_ascii_case(&k))
                    .map_or(k.clone(), |p| p.name.to_string());
                (name, v)
            })
            .collect();
        let encoded = serde_urlencoded::to_string(&fields)
            .map_err(|e| ServerError::invalid_parameter("body", e))?;
        serde_urlencoded::from_str(&encoded)
            .map(Some)
            .map_err(|e| ServerError::invalid_parameter("body", e))
    }

    /// The whole JSON body decoded into `T` (`None` when there is no body).
    ///
    /// # Errors
    ///
    /// Code 1002 when it does not decode.
    pub fn json_body<T: DeserializeOwned>(&self) -> Result<Option<T>, ServerError> {
        if self.context.body.is_empty() {
            return Ok(None);
        }
        serde_json::from_slice(&self.context.body)
            .map(Some)
            .map_err(|e| ServerError::invalid_parameter("body", e))
    }

    /// The raw body.
    pub fn raw_body(&self) -> Vec<u8> {
        self.context.body.to_vec()
    }

    /// `value`, or code 1001 naming `name` when it is absent.
    ///
    /// # Errors
    ///
    /// Code 1001 when `value` is `None`.
    pub fn required<T>(name: &str, value: Option<T>) -> Result<T, ServerError> {
        value.ok_or_else(|| ServerError::missing_parameter(name))
    }
}

/// The answer for a handler's result: the operation's success status with the value as JSON,
/// or the error's envelope.
pub fn respond<T: Serialize>(operation: &Operation, result: Result<T, ServerError>) -> Response {
    match result {
        Ok(value) => match serde_json::to_vec(&value) {
            Ok(body) => {
                let status =
                    StatusCode::from_u16(operation.success_status).unwrap_or(StatusCode::OK);
                (status, [("content-type", "application/json")], body).into_response()
            }
            Err(e) => ServerError::new(
                500,
                codes::UNEXPECTED,
                format!("cannot encode the answer: {e}"),
            )
            .into_response(),
        },
        Err(error) => error.into_response(),
    }
}

/// The answer of an operation whose success is a file or other raw body: the implementation's
/// own response (status, headers, streamed body), or its error in the API's envelope.
pub fn respond_raw(result: Result<Response, ServerError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

/// The answer for an error found before the handler ran.
pub fn respond_error(error: ServerError) -> Response {
    error.into_response()
}
