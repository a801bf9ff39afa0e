//! The tool table: one entry per catalogue operation (the v1.2 spec's and the download
//! service's), with its name, REST path and hints, all derived from the catalogue.

use std::sync::OnceLock;

use crate::catalogue::{self, Method, Operation};

/// Where an operation comes from, which decides how it is dispatched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// An API call: dispatched through the generated CLI dispatcher, answered with its JSON.
    Spec,
    /// An operation whose answer is a file (a download): answered with a signed URL (MCP) or
    /// the file (REST).
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
/// (`/release/byDate` → `/v1/release/by-date`). An operation whose method and path an earlier
/// operation already has goes under its first tag (`/v1/download-service/user/locker` for the
/// download service's locker, beside the v1.2 `/v1/user/locker`).
pub fn rest_path(op: &Operation) -> String {
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
    let shadowed = catalogue::OPERATIONS
        .iter()
        .take_while(|other| other.id != op.id)
        .any(|other| other.path == op.path && other.method == op.method);
    match (shadowed, op.tags.first()) {
        (true, Some(tag)) => format!(
            "/v1/{}{kebabed}",
            kebab(&tag.replace(' ', "-").to_ascii_lowercase())
        ),
        (true, None) => format!("/v1/{}{kebabed}", kebab(op.id)),
        (false, _) => format!("/v1{kebabed}"),
    }
}

fn def(op: &'static Operation) -> ToolDef {
    let source = match op.file_answer() {
        Some(_) => Source::Download,
        None => Source::Spec,
    };
    ToolDef {
        name: kebab(op.id),
        op,
        source,
        hints: hints(op),
        gated: gated(op),
        rest_path: rest_path(op),
    }
}

/// Every tool, in catalogue order.
pub fn all() -> &'static [ToolDef] {
    static ALL: OnceLock<Vec<ToolDef>> = OnceLock::new();
    ALL.get_or_init(|| catalogue::OPERATIONS.iter().copied().map(def).collect())
}

/// The tool called `name`.
pub fn find(name: &str) -> Option<&'static ToolDef> {
    all().iter().find(|t| t.name == name)
}
