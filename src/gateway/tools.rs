//! The tool table: one entry per catalogue operation (the spec's and the download service's),
//! with its name, REST path and hints, all derived from the catalogue.

use std::sync::OnceLock;

use crate::catalogue::{self, Method, Operation};
use crate::download_service::operations as service;

/// Where an operation comes from, which decides how it is dispatched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// An operation of the OpenAPI spec: dispatched through the generated CLI dispatcher.
    Spec,
    /// A download-service call (`sevendigital::download_service`).
    Service,
    /// A download on the download host: answered with a signed URL (MCP) or bytes (REST).
    Download,
}

/// The MCP tool annotations of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hints {
    /// Changes nothing at 7digital: a `GET` that is [`Operation::safe_to_retry`].
    pub read_only: bool,
    /// Removes or reverses something (refunds, card deletion).
    pub destructive: bool,
    /// Calling twice has the effect of calling once ([`Operation::safe_to_retry`]).
    pub idempotent: bool,
    /// Talks to 7digital, an open world: always `true`.
    pub open_world: bool,
}

/// One operation as a tool and a resource.
#[derive(Debug, Clone)]
pub struct ToolDef {
    /// The tool name: the operation id in kebab case (`searchReleases` → `search-releases`).
    pub name: String,
    /// The catalogue entry.
    pub op: &'static Operation,
    /// How it is dispatched.
    pub source: Source,
    /// Its annotations.
    pub hints: Hints,
    /// Whether it spends money, logs a sale, refunds or changes a user's cards, so is offered
    /// only with `--allow-writes`.
    pub gated: bool,
    /// The REST path under which it is served (axum syntax, `{name}` captures).
    pub rest_path: String,
}

/// Path prefixes of operations that spend money, log sales, refund or change a user's payment
/// cards. Only those that are not read-only (see [`Hints::read_only`]) are gated.
pub const WRITE_GATED: &[&str] = &[
    "/user/purchase/",
    "/basket/completepaypalpurchase",
    "/user/deliveritem",
    "/sales/refund/",
    "/user/payment/card",
];

/// Path prefixes (or suffixes, for `/delete`) of destructive operations.
const DESTRUCTIVE_PREFIXES: &[&str] = &["/sales/refund/"];

/// `searchReleases` → `search-releases`.
pub fn kebab(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 4);
    for (i, c) in id.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with(['-', '/', '{']) {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The hints of `op`, from its method, its path and the never-retry list.
pub fn hints(op: &Operation) -> Hints {
    let read_only = op.method == Method::Get && op.safe_to_retry();
    let destructive = !read_only
        && (op.method == Method::Delete
            || op.path.ends_with("/delete")
            || DESTRUCTIVE_PREFIXES.iter().any(|p| op.path.starts_with(p)));
    Hints {
        read_only,
        destructive,
        idempotent: op.safe_to_retry(),
        open_world: true,
    }
}

/// Whether `op` is offered only with `--allow-writes`.
pub fn gated(op: &Operation) -> bool {
    !hints(op).read_only && WRITE_GATED.iter().any(|p| op.path.starts_with(p))
}

/// The REST path of an operation: `/v1` and the spec's path with each segment kebab-cased
/// (`/release/byDate` → `/v1/release/by-date`); download-service calls that share a path with a
/// spec operation go under `/v1/partner` (`/v1/partner/user/locker`); the downloads keep their
/// download-host path (`/v1/users/{userId}/downloads/purchases/{purchaseId}`).
pub fn rest_path(op: &Operation, source: Source) -> String {
    let kebabed: String = op
        .path
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                segment.to_string()
            } else {
                kebab(segment)
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    match source {
        Source::Service => format!("/v1/partner{kebabed}"),
        Source::Spec | Source::Download => format!("/v1{kebabed}"),
    }
}

fn def(op: &'static Operation, source: Source) -> ToolDef {
    ToolDef {
        name: kebab(op.id),
        op,
        source,
        hints: hints(op),
        gated: gated(op),
        rest_path: rest_path(op, source),
    }
}

/// Every tool: the spec's operations in catalogue order, then the download service's.
pub fn all() -> &'static [ToolDef] {
    static ALL: OnceLock<Vec<ToolDef>> = OnceLock::new();
    ALL.get_or_init(|| {
        let downloads = [
            service::DOWNLOAD_PURCHASE.id,
            service::DOWNLOAD_RELEASE.id,
            service::DOWNLOAD_TRACK.id,
        ];
        let mut all: Vec<ToolDef> = catalogue::OPERATIONS
            .iter()
            .map(|op| def(op, Source::Spec))
            .collect();
        all.extend(service::OPERATIONS.iter().map(|op| {
            let source = if downloads.contains(&op.id) {
                Source::Download
            } else {
                Source::Service
            };
            def(op, source)
        }));
        all
    })
}

/// The tool called `name`.
pub fn find(name: &str) -> Option<&'static ToolDef> {
    all().iter().find(|t| t.name == name)
}
