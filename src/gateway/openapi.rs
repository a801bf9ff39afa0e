//! The REST adapter's own OpenAPI 3.1 document, generated from the catalogue.

use serde_json::{Map, Value, json};

use super::Gateway;
use super::schema::{param_schema, param_schema_in};
use super::tools::Source;
use crate::catalogue::{AuthLevel, ParamLocation};

/// Header carrying a user's access token for 3-legged resources.
pub const USER_TOKEN_HEADER: &str = "x-sevendigital-user-token";
/// Header carrying the user's token secret.
pub const USER_SECRET_HEADER: &str = "x-sevendigital-user-secret";

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorEnvelope" } } }
    })
}

/// The error answers of every operation: status and what it means. Every error body is the
/// 7digital error envelope (`#/components/schemas/ErrorEnvelope`).
const ERRORS: &[(&str, &str)] = &[
    (
        "400",
        "An input refused before anything is sent (naming the parameter), or refused by 7digital.",
    ),
    ("404", "7digital has no such item."),
    (
        "502",
        "7digital or the download host could not be reached, or answered what the gateway cannot read.",
    ),
    (
        "default",
        "Any other status 7digital answers, with its error envelope.",
    ),
];

/// The OpenAPI 3.1 document of the resources `gateway` serves.
pub fn document(gateway: &Gateway) -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for tool in gateway.tools() {
        let op = tool.op;
        let mut parameters = Vec::new();
        let mut body_props = Map::new();
        let mut body_required = Vec::new();
        // An operation with rules between its query parameters publishes them as one object
        // (form style, exploded: the same query string), which can carry the rules.
        let rules = super::schema::rules_schema(op);
        let mut query_props = Map::new();
        let mut query_required = Vec::new();
        for p in op.params {
            let location = match p.location {
                ParamLocation::Path => "path",
                ParamLocation::Query if rules.is_some() => {
                    query_props.insert(p.name.to_string(), param_schema(p));
                    if p.required {
                        query_required.push(json!(p.name));
                    }
                    continue;
                }
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
                ParamLocation::Body => {
                    body_props.insert(p.name.to_string(), param_schema_in(op, p));
                    if p.required {
                        body_required.push(json!(p.name));
                    }
                    continue;
                }
            };
            let mut parameter = json!({
                "name": p.name,
                "in": location,
                "required": p.required || p.location == ParamLocation::Path,
                "schema": param_schema(p),
            });
            if !p.description.is_empty() {
                parameter["description"] = json!(p.description);
            }
            parameters.push(parameter);
        }
        if let Some(rules) = rules {
            parameters.push(json!({
                "name": "query",
                "in": "query",
                "style": "form",
                "explode": true,
                "required": !query_required.is_empty(),
                "description": "The query parameters, with the rules between them (anyOf).",
                "schema": {
                    "type": "object",
                    "properties": query_props,
                    "required": query_required,
                    "additionalProperties": false,
                    "anyOf": rules
                }
            }));
        }
        if op.auth_level() == AuthLevel::ThreeLegged {
            for (name, what) in [
                (
                    USER_TOKEN_HEADER,
                    "The user's OAuth access token (default: the gateway's SEVENDIGITAL_TOKEN).",
                ),
                (
                    USER_SECRET_HEADER,
                    "The user's OAuth token secret (default: the gateway's SEVENDIGITAL_TOKEN_SECRET).",
                ),
            ] {
                parameters.push(json!({ "name": name, "in": "header", "required": false, "description": what, "schema": { "type": "string", "minLength": 1 } }));
            }
        }
        let mut responses = Map::new();
        if tool.source == Source::Download {
            parameters.push(json!({
                "name": "redirect", "in": "query", "required": false,
                "description": "`true`: answer 302 to the signed URL instead of streaming the bytes.",
                "schema": { "type": "boolean", "default": false }
            }));
            parameters.push(json!({
                "name": "Range", "in": "header", "required": false,
                "description": "Passed on to the download host.",
                "schema": { "type": "string" }
            }));
            responses.insert("200".into(), json!({ "description": "The file, streamed from the download host.", "content": { "application/octet-stream": { "schema": { "type": "string", "contentMediaType": "application/octet-stream" } } } }));
            responses.insert(
                "206".into(),
                json!({ "description": "The range asked for." }),
            );
            responses.insert(
                "302".into(),
                json!({ "description": "With `redirect=true`: the signed URL in `Location`." }),
            );
        } else {
            let mut ok = json!({ "description": "The typed answer, as JSON." });
            if let Some(example) = crate::server::response_example(op.id)
                .and_then(|e| serde_json::from_str::<Value>(e).ok())
            {
                ok["content"] = json!({ "application/json": { "schema": { "type": "object" }, "example": example } });
            } else {
                ok["content"] = json!({ "application/json": { "schema": { "type": "object" } } });
            }
            responses.insert("200".into(), ok);
        }
        for (status, what) in ERRORS {
            responses.insert((*status).into(), error_response(what));
        }
        if op.auth_level() == AuthLevel::ThreeLegged {
            responses.insert(
                "401".into(),
                error_response("No user token (or only half of one: a token without its secret, or the other way round), or 7digital refused it."),
            );
        }
        if tool.gated {
            responses.insert(
                "403".into(),
                error_response("A write tool, and the gateway was started without --allow-writes."),
            );
        }
        let mut operation = json!({
            "operationId": op.id,
            "summary": op.summary,
            "description": op.description,
            "tags": op.tags,
            "parameters": parameters,
            "responses": responses,
            "x-mcp-tool": tool.name,
            "x-read-only": tool.hints.read_only,
        });
        if !body_props.is_empty() {
            // Unknown fields are refused (naming them), so none is allowed.
            let mut schema = json!({ "type": "object", "properties": body_props, "additionalProperties": false });
            if !body_required.is_empty() {
                schema["required"] = Value::Array(body_required);
            }
            if super::schema::needs_a_field(op) {
                schema["minProperties"] = json!(1);
            }
            operation["requestBody"] = json!({
                "required": op.body.is_some_and(|b| b.required),
                "content": {
                    "application/x-www-form-urlencoded": { "schema": schema.clone() },
                    "application/json": { "schema": schema }
                }
            });
        }
        let method = op.method.as_str().to_ascii_lowercase();
        let entry = paths
            .entry(tool.rest_path.clone())
            .or_insert_with(|| json!({}));
        if entry.get(&method).is_none() {
            entry[method] = operation;
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "sevendigital gateway",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Every 7digital operation as a REST resource, signed server-side. Paths: /v1 and the spec's path with each segment kebab-cased; an operation whose method and path an earlier one has goes under its first tag (/v1/download-service/user/locker); downloads at /v1/users/{userId}/downloads/..."
        },
        "paths": paths,
        "components": { "schemas": { "ErrorEnvelope": {
            "type": "object",
            "properties": {
                "status": { "const": "error" },
                "error": { "type": "object", "properties": { "code": { "type": "integer" }, "errorMessage": { "type": "string" } }, "required": ["code", "errorMessage"] }
            },
            "required": ["status", "error"]
        } } }
    })
}
