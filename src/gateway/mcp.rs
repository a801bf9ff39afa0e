//! The MCP server: one tool per operation, over stdio or streamable HTTP (rmcp).

use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Map, Value, json};

use super::tools::{Source, ToolDef};
use super::{Gateway, error_envelope, schema};

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

/// The MCP server handler of a [`Gateway`].
#[derive(Debug, Clone)]
pub struct McpServer {
    gateway: Gateway,
}

impl McpServer {
    /// A handler serving `gateway`'s tools.
    pub fn new(gateway: Gateway) -> Self {
        McpServer { gateway }
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
}

impl ServerHandler for McpServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("sevendigital", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "The 7digital API: one tool per operation, signed server-side. Tools acting on a user's behalf take userToken/userSecret (or use the server's SEVENDIGITAL_TOKEN). Download tools answer a pre-signed URL.",
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
        _context: RequestContext<RoleServer>,
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
        let result = match self.gateway.call(&request.name, args).await {
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
}
