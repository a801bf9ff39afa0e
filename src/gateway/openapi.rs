//! The REST adapter's own OpenAPI 3.1 document, generated from the catalogue.

use serde_json::{Map, Value, json};

use super::Gateway;
use super::schema::param_schema;
use super::tools::Source;
use crate::catalogue::{AuthLevel, ParamLocation};

/// Header carrying a user's access token for 3-legged resources.
pub const USER_TOKEN_HEADER: &str = "x-sevendigital-user-token";
/// Header carrying the user's token secret.
pub const USER_SECRET_HEADER: &str = "x-sevendigital-user-secret";

fn error_response() -> Value {
    json!({
        "description": "The 7digital error envelope, with the upstream HTTP status (400 for input refused before sending, 403 for a write without --allow-writes).",
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorEnvelope" } } }
    })
}

/// The OpenAPI 3.1 document of the resources `gateway` serves.
pub fn document(gateway: &Gateway) -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for tool in gateway.tools() {
        let op = tool.op;
        let mut parameters = Vec::new();
        let mut body_props = Map::new();
        let mut body_required = Vec::new();
        for p in op.params {
            let location = match p.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
                ParamLocation::Body => {
                    body_props.insert(p.name.to_string(), param_schema(p));
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
                parameters.push(json!({ "name": name, "in": "header", "required": false, "description": what, "schema": { "type": "string" } }));
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
            if let Some(example) = op
                .response_example
                .and_then(|e| serde_json::from_str::<Value>(e).ok())
            {
                ok["content"] = json!({ "application/json": { "schema": { "type": "object" }, "example": example } });
            } else {
                ok["content"] = json!({ "application/json": { "schema": { "type": "object" } } });
            }
            responses.insert("200".into(), ok);
        }
        responses.insert("default".into(), error_response());
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
            let mut schema = json!({ "type": "object", "properties": body_props });
            if !body_required.is_empty() {
                schema["required"] = Value::Array(body_required);
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
