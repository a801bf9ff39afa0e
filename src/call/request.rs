//! A request being assembled by a generated builder, before it is signed and sent.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::catalogue::{BodyEncoding, Operation, Param, ParamLocation};
use crate::error::Error;

/// Characters escaped in a path segment: everything but RFC 3986's unreserved set.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The body of a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// No body.
    None,
    /// `application/x-www-form-urlencoded` pairs (these count in the OAuth signature).
    Form(Vec<(String, String)>),
    /// A JSON document.
    Json(serde_json::Value),
    /// Raw bytes.
    Raw(Vec<u8>),
}

/// The inputs of one call of an operation.
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) operation: &'static Operation,
    path_params: Vec<(&'static str, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Body,
    /// Extra OAuth protocol parameters (`oauth_callback`, `oauth_verifier`), signed with the rest.
    pub(crate) oauth: Vec<(&'static str, String)>,
    /// The first input that could not be encoded, reported when the request is sent.
    problem: Option<(String, String)>,
    /// This call's own timeout and retry policy, in place of the client's.
    pub(crate) overrides: Overrides,
}

/// Per-call settings that replace the client's ([`Call::timeout`](crate::Call::timeout),
/// [`Call::retry`](crate::Call::retry)).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Overrides {
    pub(crate) timeout: Option<std::time::Duration>,
    pub(crate) retry: Option<crate::call::retry::RetryPolicy>,
}

impl Request {
    /// A request for `operation`, with no inputs yet.
    pub fn new(operation: &'static Operation) -> Self {
        Request {
            operation,
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::None,
            oauth: Vec::new(),
            problem: None,
            overrides: Overrides::default(),
        }
    }

    /// Waits at most `timeout` for each attempt of this request, in place of the client's
    /// [`ClientBuilder::timeout`](crate::ClientBuilder::timeout).
    pub fn set_timeout(&mut self, timeout: std::time::Duration) {
        self.overrides.timeout = Some(timeout);
    }

    /// Retries this request per `policy` in place of the client's
    /// [`ClientBuilder::retry`](crate::ClientBuilder::retry). It applies only where retrying
    /// is safe: an operation whose document says it must never be retried is sent once.
    pub fn set_retry(&mut self, policy: crate::call::retry::RetryPolicy) {
        self.overrides.retry = Some(policy);
    }

    /// The operation this request calls.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// Sets a path parameter, replacing `{name}` in the path template.
    pub fn path_param(&mut self, name: &'static str, value: String) {
        self.path_params.push((name, value));
    }

    /// Adds a query parameter (repeat the name for a list).
    pub fn query(&mut self, name: &'static str, value: String) {
        self.query.push((name.to_string(), value));
    }

    /// Sets a header.
    pub fn header(&mut self, name: &'static str, value: String) {
        self.headers.push((name, value));
    }

    /// Adds one field of a form body.
    pub fn form(&mut self, name: &'static str, value: String) {
        match &mut self.body {
            Body::Form(pairs) => pairs.push((name.to_string(), value)),
            _ => self.body = Body::Form(vec![(name.to_string(), value)]),
        }
    }

    /// Sets a whole form body from a flat struct.
    pub fn form_body<T: Serialize>(&mut self, value: &T) {
        match serde_urlencoded::to_string(value) {
            Ok(encoded) => {
                let pairs = url::form_urlencoded::parse(encoded.as_bytes())
                    .into_owned()
                    .collect();
                self.body = Body::Form(pairs);
            }
            Err(e) => self.note_problem("body", format!("cannot be form-encoded: {e}")),
        }
    }

    /// Sets a whole JSON body.
    pub fn json_body<T: Serialize>(&mut self, value: &T) {
        match serde_json::to_value(value) {
            Ok(value) => self.body = Body::Json(value),
            Err(e) => self.note_problem("body", format!("cannot be encoded as JSON: {e}")),
        }
    }

    /// Adds one field of a JSON object body.
    pub fn json_field<T: Serialize>(&mut self, name: &'static str, value: &T) {
        let value = match serde_json::to_value(value) {
            Ok(value) => value,
            Err(e) => return self.note_problem(name, format!("cannot be encoded as JSON: {e}")),
        };
        match &mut self.body {
            Body::Json(serde_json::Value::Object(map)) => {
                map.insert(name.to_string(), value);
            }
            _ => {
                let mut map = serde_json::Map::new();
                map.insert(name.to_string(), value);
                self.body = Body::Json(serde_json::Value::Object(map));
            }
        }
    }

    /// Adds an OAuth protocol parameter of the token flow (`oauth_callback`, `oauth_verifier`);
    /// it is signed and sent with the others. Ignored for calls that are not signed.
    pub fn oauth_param(&mut self, name: &'static str, value: String) {
        self.oauth.push((name, value));
    }

    /// The extra OAuth parameters, as the signer takes them.
    pub(crate) fn oauth_pairs(&self) -> Vec<(&str, &str)> {
        self.oauth.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }

    /// Sets a raw body.
    pub fn raw_body(&mut self, bytes: Vec<u8>) {
        self.body = Body::Raw(bytes);
    }

    fn note_problem(&mut self, field: &str, message: String) {
        if self.problem.is_none() {
            self.problem = Some((field.to_string(), message));
        }
    }

    /// Checks every input against the operation's rules with the catalogue's one check
    /// ([`Param::check`]); the client does this before anything is signed or sent.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the input as the caller wrote it (`page_size`), for the
    /// first input that is missing, could not be encoded, or breaks a rule.
    pub fn check(&self) -> Result<(), Error> {
        if let Some((field, message)) = &self.problem {
            return Err(Error::invalid_input(field, message.clone()));
        }
        for param in self.operation.params {
            let Some(values) = self.values(param) else {
                continue;
            };
            let refused = |why: String| Error::invalid_input(param.caller_name(), why);
            param.check_present(&values).map_err(refused)?;
            for value in &values {
                param.check(value).map_err(refused)?;
            }
        }
        crate::catalogue::rules::check(self.operation, &|name| self.value(name)).map_err(
            |(field, why)| {
                let field = self
                    .operation
                    .param(field)
                    .map_or(field, |param| param.caller_name());
                Error::invalid_input(field, why)
            },
        )
    }

    /// The first value given for the input whose wire name is `name`.
    pub(crate) fn value(&self, name: &str) -> Option<String> {
        let param = self.operation.param(name)?;
        self.values(param)?.into_iter().next()
    }

    /// Every value given for `param`, as text; `None` when they cannot be seen (a field of a
    /// raw body).
    fn values(&self, param: &Param) -> Option<Vec<String>> {
        let named = |pairs: &[(String, String)]| -> Vec<String> {
            pairs
                .iter()
                .filter(|(k, _)| k == param.name)
                .map(|(_, v)| v.clone())
                .collect()
        };
        Some(match param.location {
            ParamLocation::Path => self
                .path_params
                .iter()
                .filter(|(k, _)| *k == param.name)
                .map(|(_, v)| v.clone())
                .collect(),
            ParamLocation::Query => named(&self.query),
            ParamLocation::Header => self
                .headers
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(param.name))
                .map(|(_, v)| v.clone())
                .collect(),
            ParamLocation::Body => match &self.body {
                Body::Form(pairs) => named(pairs),
                Body::Json(serde_json::Value::Object(map)) => match map.get(param.name) {
                    None | Some(serde_json::Value::Null) => Vec::new(),
                    Some(serde_json::Value::String(s)) => vec![s.clone()],
                    Some(serde_json::Value::Array(items)) => items
                        .iter()
                        .map(|item| match item {
                            serde_json::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect(),
                    Some(other) => vec![other.to_string()],
                },
                Body::None => Vec::new(),
                // A raw body or a JSON body that is not an object: its fields cannot be seen.
                _ => return None,
            },
        })
    }

    /// The path with every `{name}` replaced by its percent-encoded value.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when an input could not be encoded or a path parameter is empty.
    pub fn path(&self) -> Result<String, Error> {
        if let Some((field, message)) = &self.problem {
            return Err(Error::invalid_input(field, message.clone()));
        }
        let mut path = self.operation.path.to_string();
        for (name, value) in &self.path_params {
            if value.is_empty() {
                return Err(Error::invalid_input(
                    *name,
                    "must not be empty (it is part of the URL path)",
                ));
            }
            let encoded = utf8_percent_encode(value, SEGMENT).to_string();
            path = path.replace(&format!("{{{name}}}"), &encoded);
        }
        Ok(path)
    }

    /// The media type and bytes of the body, if there is one.
    pub fn body_bytes(&self) -> Option<(&'static str, Vec<u8>)> {
        let declared = self.operation.body.map(|b| b.media_type);
        match &self.body {
            Body::None => None,
            Body::Form(pairs) => {
                let encoded = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(pairs)
                    .finish();
                Some((
                    declared.unwrap_or("application/x-www-form-urlencoded"),
                    encoded.into_bytes(),
                ))
            }
            Body::Json(value) => Some((
                declared.unwrap_or("application/json"),
                value.to_string().into_bytes(),
            )),
            Body::Raw(bytes) => Some((
                declared.unwrap_or("application/octet-stream"),
                bytes.clone(),
            )),
        }
    }

    /// The form pairs that count in the OAuth signature (only a form-encoded body counts).
    pub fn form_pairs(&self) -> Option<&[(String, String)]> {
        match (&self.body, self.operation.body.map(|b| b.encoding)) {
            (Body::Form(pairs), Some(BodyEncoding::Form) | None) => Some(pairs),
            _ => None,
        }
    }
}

/// A value as JSON text, for inputs of an object type sent in a query string or a form.
pub fn json_text<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
