//! The MCP server: one tool per operation, resources and resource templates derived from the
//! catalogue ([`super::resources`]), completions of template variables and tool arguments, and
//! a log notification after each call, over stdio or streamable HTTP (rmcp).

// MCP logging is deprecated by SEP-2577 but still part of the protocol versions clients speak.
#![allow(deprecated)]

use std::sync::{Arc, Mutex};
use std::time::Instant;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, CompleteRequestParams, CompleteResult,
    CompletionInfo, ContentBlock, Implementation, ListResourceTemplatesResult, ListResourcesResult,
    ListToolsResult, LoggingLevel, LoggingMessageNotificationParam, PaginatedRequestParams,
    ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Reference, Resource,
    ResourceContents, ResourceTemplate, ServerCapabilities, ServerConfig, SetLevelRequestParams,
    Tool, ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, Peer, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Map, Value, json};

use super::resources::{self, Listed, Target, UriError};
use super::tools::{Source, ToolDef};
use super::{Gateway, error_envelope, schema};
use crate::error::Error;

/// The MCP conformance suite's template fixture, offered only with
/// [`Gateway::with_conformance_fixture`]: reading `test://template/{id}/data` answers the id.
pub const CONFORMANCE_TEMPLATE: &str = "test://template/{id}/data";

/// The logger named in the log notifications.
pub const LOGGER: &str = "sevendigital";

/// The MCP tool of `def`: name, title, description, input and output schemas, annotations.
pub fn tool(def: &ToolDef) -> Tool {
    let op = def.op;
    let mut description = if op.description.is_empty() {
        op.summary.to_string()
    } else {
        op.description.to_string()
    };
    description.push_str(&format!(
        "\n\n{} {} (operation {}).",
        op.method, op.path, op.id
    ));
    if def.source == Source::Download {
        description.push_str(" Answers a pre-signed download URL and its expiry, never the bytes.");
    }
    let title = if op.summary.is_empty() {
        def.name.clone()
    } else {
        op.summary.to_string()
    };
    let mut tool = Tool::new(
        def.name.clone(),
        description,
        Arc::new(schema::input_schema(op)),
    );
    tool.title = Some(title.clone());
    tool.annotations = Some(
        ToolAnnotations::with_title(title)
            .read_only(def.hints.read_only)
            .destructive(def.hints.destructive)
            .idempotent(def.hints.idempotent)
            .open_world(def.hints.open_world),
    );
    if def.source == Source::Spec {
        tool.output_schema = schema::output_schema(op).map(Arc::new);
    }
    if def.source == Source::Download {
        let output = json!({
            "type": "object",
            "properties": {
                "url": { "type": "string", "description": "The signed download URL." },
                "expires": { "type": "integer", "description": "Unix time after which the URL is refused." },
                "expiresIn": { "type": "integer", "description": "Seconds the URL stays valid." }
            },
            "required": ["url", "expires"]
        });
        if let Value::Object(map) = output {
            tool.output_schema = Some(Arc::new(map));
        }
    }
    tool
}

/// The MCP server handler of a [`Gateway`]: one per session (its log level is the session's).
#[derive(Debug, Clone)]
pub struct McpServer {
    gateway: Gateway,
    /// The least severe level sent as a log notification (`logging/setLevel`); `info` until set.
    level: Arc<Mutex<LoggingLevel>>,
}

impl McpServer {
    /// A handler serving `gateway`'s tools and resources.
    pub fn new(gateway: Gateway) -> Self {
        McpServer {
            gateway,
            level: Arc::new(Mutex::new(LoggingLevel::Info)),
        }
    }

    /// Serves MCP on stdin/stdout until the client closes the connection. Nothing but protocol
    /// is written on stdout.
    ///
    /// # Errors
    ///
    /// When the session cannot start or ends abnormally.
    pub async fn serve_stdio(self) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let running = self.serve(rmcp::transport::stdio()).await?;
        running.waiting().await?;
        Ok(())
    }

    /// Whether a message at `level` is sent under the session's level.
    fn logs(&self, level: LoggingLevel) -> bool {
        let set = self.level.lock().map(|l| *l).unwrap_or(LoggingLevel::Info);
        severity(level) >= severity(set)
    }

    /// The log notification of a call of `tool` (when the session's level lets it through):
    /// the operation, the outcome, the HTTP status and 7digital error code of a failure, the
    /// duration. Never arguments, answers, messages or URLs, so never a secret.
    async fn log_call(
        &self,
        peer: &Peer<RoleServer>,
        tool: &str,
        via: &str,
        result: &Result<Value, Error>,
        started: Instant,
    ) {
        let operation = super::tools::find(tool).map(|t| t.op.id);
        let mut data = json!({
            "event": via,
            "tool": crate::text::escape_cut(tool, 80),
            "operation": operation,
            "durationMs": (started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0,
        });
        let level = match result {
            Ok(_) => {
                data["outcome"] = json!("ok");
                LoggingLevel::Info
            }
            Err(e) => {
                let (status, envelope) = error_envelope(e);
                data["outcome"] = json!("error");
                data["status"] = json!(status);
                data["code"] = envelope["error"]["code"].clone();
                if let Error::InvalidInput { field, .. } = e {
                    data["parameter"] = json!(crate::text::escape_cut(field, 80));
                }
                // Refused or answered by 7digital: the caller's to fix. Anything else: ours.
                if status < 500 {
                    LoggingLevel::Warning
                } else {
                    LoggingLevel::Error
                }
            }
        };
        if self.logs(level) {
            let message = LoggingMessageNotificationParam::new(level, data).with_logger(LOGGER);
            // A client gone away misses its log line: nothing else to do.
            let _ = peer.notify_logging_message(message).await;
        }
    }

    /// Calls `tool` through the gateway and logs the outcome to the client.
    async fn call_logged(
        &self,
        peer: &Peer<RoleServer>,
        tool: &str,
        via: &str,
        args: Map<String, Value>,
    ) -> Result<Value, Error> {
        let started = Instant::now();
        let result = self.gateway.call(tool, args).await;
        self.log_call(peer, tool, via, &result, started).await;
        result
    }

    /// The completion of `argument` (its value so far: `prefix`) of `reference`.
    fn completion(&self, reference: &Reference, argument: &str, prefix: &str) -> CompletionInfo {
        let param = match reference {
            Reference::Resource(r) => resources::template_variable(&r.uri, argument),
            // MCP has no tool reference: a prompt reference naming a tool completes its
            // arguments (this server has no prompts).
            Reference::Prompt(p) => self
                .gateway
                .tool(&p.name)
                .ok()
                .and_then(|t| t.op.param(argument)),
            _ => None,
        };
        let values = param.map_or(&[][..], resources::values_of);
        let (values, total) = resources::complete_values(values, prefix);
        let has_more = total > values.len();
        let total = Some(u32::try_from(total).unwrap_or(u32::MAX));
        // At most MAX_COMPLETIONS values, so never refused.
        CompletionInfo::with_pagination(values, total, has_more).unwrap_or_default()
    }
}

/// The order of the log levels, least severe first.
fn severity(level: LoggingLevel) -> u8 {
    match level {
        LoggingLevel::Debug => 0,
        LoggingLevel::Info => 1,
        LoggingLevel::Notice => 2,
        LoggingLevel::Warning => 3,
        LoggingLevel::Error => 4,
        LoggingLevel::Critical => 5,
        LoggingLevel::Alert => 6,
        LoggingLevel::Emergency => 7,
    }
}

/// The MCP error of a failed resource read: the 7digital error envelope as its data.
fn read_error(uri: &str, e: &Error) -> ErrorData {
    let (status, envelope) = error_envelope(e);
    let message = format!(
        "{}: {}",
        crate::text::escape_cut(uri, 200),
        envelope["error"]["errorMessage"]
            .as_str()
            .unwrap_or("failed")
    );
    match status {
        404 => ErrorData::resource_not_found(message, Some(envelope)),
        400 => ErrorData::invalid_params(message, Some(envelope)),
        _ => ErrorData::internal_error(message, Some(envelope)),
    }
}

/// The cursor of a list request.
fn cursor(request: &Option<PaginatedRequestParams>) -> Option<&str> {
    request.as_ref().and_then(|r| r.cursor.as_deref())
}

impl ServerHandler for McpServer {
    fn get_info(&self) -> ServerConfig {
        let capabilities = ServerCapabilities::builder()
            .enable_logging()
            .enable_completions()
            .enable_resources()
            .enable_tools()
            .build();
        ServerConfig::new(capabilities)
            .with_server_info(Implementation::new("sevendigital", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "The 7digital API: one tool per operation, signed server-side. Tools acting on a user's behalf take userToken/userSecret (or use the server's SEVENDIGITAL_TOKEN). Download tools answer a pre-signed URL. Resources: sevendigital://release/{releaseId} and the other templates read catalogue data as JSON; sevendigital://vocabulary/{parameter} lists a parameter's values. Completions: template variables, and tool arguments through a prompt reference naming the tool. A log notification follows each call.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult {
            tools: self.gateway.tools().map(tool).collect(),
            ..Default::default()
        })
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.gateway.tool(name).ok().map(tool)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        if super::tools::find(&request.name).is_none() {
            return Err(ErrorData::invalid_params(
                format!(
                    "unknown tool {}",
                    crate::text::escape_controls(&request.name)
                ),
                None,
            ));
        }
        let args: Map<String, Value> = request.arguments.unwrap_or_default();
        let result = match self
            .call_logged(&context.peer, &request.name, "tools/call", args)
            .await
        {
            Ok(value) => {
                let text = value.to_string();
                let structured = match value {
                    Value::Object(_) => value,
                    // structuredContent must be an object.
                    other => json!({ "result": other }),
                };
                let mut result = CallToolResult::success(vec![ContentBlock::text(text)]);
                result.structured_content = Some(structured);
                result
            }
            Err(e) => {
                // The 7digital error envelope as text (no structured content: it would not
                // match the tool's output schema).
                let (_, envelope) = error_envelope(&e);
                CallToolResult::error(vec![ContentBlock::text(envelope.to_string())])
            }
        };
        Ok(result.into())
    }

    async fn list_resources(
        &self,
        request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        let (listed, next) =
            resources::page(&resources::listed(), cursor(&request), resources::PAGE_SIZE)
                .map_err(|e| ErrorData::invalid_params(e, None))?;
        let resources = listed
            .iter()
            .map(|item: &Listed| {
                Resource::new(item.uri(), item.name())
                    .with_description(item.description())
                    .with_mime_type(resources::JSON_MIME)
            })
            .collect();
        Ok(ListResourcesResult {
            resources,
            next_cursor: next,
            ..Default::default()
        })
    }

    async fn list_resource_templates(
        &self,
        request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        let mut templates: Vec<ResourceTemplate> = resources::templates()
            .map(|r| {
                let op = r.tool.op;
                let mut template = ResourceTemplate::new(r.uri_template(), r.tool.name.clone())
                    .with_description(resources::describe(r))
                    .with_mime_type(resources::JSON_MIME);
                if !op.summary.is_empty() {
                    template = template.with_title(op.summary);
                }
                template
            })
            .collect();
        if self.gateway.conformance_fixture() {
            templates.push(
                ResourceTemplate::new(CONFORMANCE_TEMPLATE, "conformance-template")
                    .with_description("The MCP conformance suite's fixture: answers the id given.")
                    .with_mime_type(resources::JSON_MIME),
            );
        }
        let (resource_templates, next) =
            resources::page(&templates, cursor(&request), resources::PAGE_SIZE)
                .map_err(|e| ErrorData::invalid_params(e, None))?;
        Ok(ListResourceTemplatesResult {
            resource_templates,
            next_cursor: next,
            ..Default::default()
        })
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let uri = request.uri;
        let text = match resources::resolve(&uri) {
            Ok(Target::Vocabulary(v)) => v.json().to_string(),
            Ok(Target::Call(r, args)) => self
                .call_logged(&context.peer, &r.tool.name, "resources/read", args)
                .await
                .map_err(|e| read_error(&uri, &e))?
                .to_string(),
            Err(UriError::Invalid(reason)) => {
                return Err(ErrorData::invalid_params(
                    format!("{}: {reason}", crate::text::escape_cut(&uri, 200)),
                    None,
                ));
            }
            Err(UriError::NotFound) => match conformance_fixture(&self.gateway, &uri) {
                Some(id) => json!({ "id": id }).to_string(),
                None => {
                    return Err(ErrorData::resource_not_found(
                        format!("no resource {}", crate::text::escape_cut(&uri, 200)),
                        Some(json!({ "uri": crate::text::escape_cut(&uri, 200) })),
                    ));
                }
            },
        };
        let contents = ResourceContents::text(text, uri).with_mime_type(resources::JSON_MIME);
        Ok(ReadResourceResult::new(vec![contents]).into())
    }

    async fn complete(
        &self,
        request: CompleteRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CompleteResult, ErrorData> {
        let completion = self.completion(
            &request.r#ref,
            &request.argument.name,
            &request.argument.value,
        );
        Ok(CompleteResult::new(completion))
    }

    async fn set_level(
        &self,
        request: SetLevelRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        if let Ok(mut level) = self.level.lock() {
            *level = request.level;
        }
        Ok(())
    }
}

/// The id of `uri` when the conformance fixture is offered and `uri` is one of its URIs.
fn conformance_fixture(gateway: &Gateway, uri: &str) -> Option<String> {
    if !gateway.conformance_fixture() {
        return None;
    }
    let id = uri
        .strip_prefix("test://template/")?
        .strip_suffix("/data")?;
    (!id.is_empty() && !id.contains('/')).then(|| crate::text::escape_cut(id, 200))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> crate::Client {
        crate::Client::builder()
            .base_url("http://127.0.0.1:9")
            .consumer("key", "secret")
            .build()
            .unwrap()
    }

    #[test]
    fn the_conformance_fixture_is_offered_only_when_asked() {
        let off = Gateway::new(client(), false);
        assert_eq!(conformance_fixture(&off, "test://template/123/data"), None);
        let on = off.with_conformance_fixture(true);
        assert!(on.conformance_fixture());
        assert_eq!(
            conformance_fixture(&on, "test://template/123/data").as_deref(),
            Some("123")
        );
        for uri in [
            "test://template//data",
            "test://template/1/2/data",
            "test://template/1",
        ] {
            assert_eq!(conformance_fixture(&on, uri), None, "{uri}");
        }
    }

    #[test]
    fn read_errors_map_to_mcp_codes() {
        let refused = read_error(
            "sevendigital://release/x",
            &Error::invalid_input("releaseId", "is bad"),
        );
        assert_eq!(refused.code, rmcp::model::ErrorCode::INVALID_PARAMS);
        assert!(refused.message.contains("releaseId"), "{}", refused.message);
    }

    #[test]
    fn levels_filter_by_severity() {
        let server = McpServer::new(Gateway::new(client(), false));
        assert!(server.logs(LoggingLevel::Info));
        assert!(!server.logs(LoggingLevel::Debug));
        *server.level.lock().unwrap() = LoggingLevel::Warning;
        assert!(!server.logs(LoggingLevel::Info));
        assert!(server.logs(LoggingLevel::Warning));
        assert!(server.logs(LoggingLevel::Error));
        // A clone (rmcp's per-request handle) shares the session's level.
        assert!(!server.clone().logs(LoggingLevel::Info));
    }
}
