//! Reading an OpenAPI 3.0 document from YAML or JSON text.
//!
//! A document that does not parse is examined again piece by piece, so that
//! the error names the place of the problem (`paths./a.get.parameters[0]`)
//! even where `openapiv3`'s flattened types hide it from serde.

use openapiv3::{
    Info, OpenAPI, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
    SecurityScheme, Server,
};
use serde::de::DeserializeOwned;
use serde_yaml::Value;

use crate::error::{Error, Result};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Parses `text` (YAML, or JSON, which is YAML too) into an OpenAPI document.
///
/// # Errors
///
/// A syntax error names its line and column; a document that is valid YAML
/// but not a valid OpenAPI 3.0 document names the path of the offending
/// node (for example `paths./release/search.get.responses`).
pub fn parse(text: &str) -> Result<OpenAPI> {
    let doc: OpenAPI = match serde_yaml::from_str(text) {
        Ok(doc) => doc,
        Err(whole) => return Err(locate(text, whole)),
    };
    if !doc.openapi.starts_with("3.") {
        return Err(Error::new(
            "openapi",
            format!(
                "unsupported OpenAPI version `{}`: only 3.0.x is supported",
                doc.openapi
            ),
        ));
    }
    Ok(doc)
}

/// Finds where a document that failed to parse as a whole goes wrong.
fn locate(text: &str, whole: serde_yaml::Error) -> Error {
    let value: Value = match serde_yaml::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            let location = match e.location() {
                Some(at) => format!("line {} column {}", at.line(), at.column()),
                None => "document".to_string(),
            };
            return Error::new(location, e.to_string());
        }
    };
    if let Some(version) = value.get("openapi").and_then(Value::as_str)
        && !version.starts_with("3.")
    {
        return Error::new(
            "openapi",
            format!("unsupported OpenAPI version `{version}`: only 3.0.x is supported"),
        );
    }
    check_document(&value)
        .err()
        .unwrap_or_else(|| Error::new("document", whole.to_string()))
}

/// Checks that a node deserializes as one OpenAPI type.
type Check = fn(&Value, &str) -> Result<()>;

fn check<T: DeserializeOwned>(value: &Value, location: &str) -> Result<()> {
    serde_yaml::from_value::<T>(value.clone())
        .map(|_| ())
        .map_err(|e| Error::new(location, e.to_string()))
}

fn entries<'v>(value: &'v Value, location: &str) -> Result<Vec<(String, &'v Value)>> {
    let map = value
        .as_mapping()
        .ok_or_else(|| Error::new(location, "expected a mapping"))?;
    Ok(map
        .iter()
        .map(|(k, v)| {
            (
                k.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{k:?}")),
                v,
            )
        })
        .collect())
}

fn check_document(doc: &Value) -> Result<()> {
    if !doc.is_mapping() {
        return Err(Error::new(
            "document",
            "expected a mapping at the top of the document",
        ));
    }
    for key in ["openapi", "info", "paths"] {
        if doc.get(key).is_none() {
            return Err(Error::new("document", format!("missing `{key}`")));
        }
    }
    check::<Info>(&doc["info"], "info")?;
    if let Some(servers) = doc.get("servers") {
        check::<Vec<Server>>(servers, "servers")?;
    }
    if let Some(components) = doc.get("components") {
        let kinds: [(&str, Check); 5] = [
            ("schemas", check::<ReferenceOr<Schema>>),
            ("parameters", check::<ReferenceOr<Parameter>>),
            ("requestBodies", check::<ReferenceOr<RequestBody>>),
            ("responses", check::<ReferenceOr<Response>>),
            ("securitySchemes", check::<ReferenceOr<SecurityScheme>>),
        ];
        for (kind, check_one) in kinds {
            if let Some(section) = components.get(kind) {
                for (name, item) in entries(section, &format!("components.{kind}"))? {
                    check_one(item, &format!("components.{kind}.{name}"))?;
                }
            }
        }
    }
    for (path, item) in entries(&doc["paths"], "paths")? {
        let at = format!("paths.{path}");
        if item.get("$ref").is_none() {
            for (key, value) in entries(item, &at)? {
                if key == "parameters" {
                    check_parameters(value, &format!("{at}.parameters"))?;
                } else if METHODS.contains(&key.as_str()) {
                    check_operation(value, &format!("{at}.{key}"))?;
                }
            }
        }
        check::<ReferenceOr<PathItem>>(item, &at)?;
    }
    check::<OpenAPI>(doc, "document")
}

fn check_parameters(value: &Value, location: &str) -> Result<()> {
    let list = value
        .as_sequence()
        .ok_or_else(|| Error::new(location, "expected a list of parameters"))?;
    for (i, param) in list.iter().enumerate() {
        check::<ReferenceOr<Parameter>>(param, &format!("{location}[{i}]"))?;
    }
    Ok(())
}

fn check_operation(op: &Value, location: &str) -> Result<()> {
    if let Some(params) = op.get("parameters") {
        check_parameters(params, &format!("{location}.parameters"))?;
    }
    if let Some(body) = op.get("requestBody") {
        check::<ReferenceOr<RequestBody>>(body, &format!("{location}.requestBody"))?;
    }
    match op.get("responses") {
        Some(responses) => {
            for (code, response) in entries(responses, &format!("{location}.responses"))? {
                check::<ReferenceOr<Response>>(response, &format!("{location}.responses.{code}"))?;
            }
        }
        None => return Err(Error::new(location, "missing `responses`")),
    }
    check::<Operation>(op, location)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_names_line() {
        let err = parse("openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
        assert!(err.location().contains("line"), "{err}");
    }

    #[test]
    fn structural_error_names_path() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 12\n";
        let err = parse(text).unwrap_err();
        assert_eq!(err.location(), "paths./a.get.responses", "{err}");
    }

    #[test]
    fn bad_parameter_names_its_index() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: a, in: query, schema: {type: string}}\n        - {name: b, in: nowhere, schema: {type: string}}\n      responses: {}\n";
        let err = parse(text).unwrap_err();
        assert_eq!(err.location(), "paths./a.get.parameters[1]", "{err}");
    }

    #[test]
    fn version_two_is_rejected() {
        let err = parse("openapi: 2.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!(err.location(), "openapi");
    }
}
