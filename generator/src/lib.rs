//! `sevendigital-codegen` turns an OpenAPI 3.0 document into Rust source:
//!
//! - `models.rs`: a serde type for every component schema, and for inline
//!   objects and string enums met on the way (enums keep unknown values in a
//!   catch-all variant);
//! - `requests.rs`: one method per operation on the client type, returning a
//!   request builder whose required inputs are method arguments and optional
//!   ones chained setters, sent with `.send().await`;
//! - `catalogue.rs`: a static table describing every operation (id, method,
//!   path, tags, summary, security schemes, parameters with their rules,
//!   body encoding, an example response);
//! - `server.rs`: route stubs: a trait with one async method per operation
//!   (answering 501 by default) and a function mounting them all on an
//!   `axum::Router`, inputs validated against the document;
//! - `cli.rs`: the table of subcommands, one per operation (its flags come from the
//!   catalogue), with a function building its call from the parsed flags.
//!
//! Extensions of this project a document may use (all optional):
//!
//! - `x-sevendigital-auth-level` on a security scheme (`consumer-key`, `two-legged`,
//!   `three-legged`): each operation's catalogue entry carries the strongest level of its
//!   schemes (`auth`), a scheme that does not say counting as two-legged;
//! - `x-sevendigital-never-retry: true` on an operation that changes state although its method
//!   is idempotent (`never_retry` in its entry);
//! - `x-sevendigital-catalogue-only: true` on an operation that hand-written code uses: a
//!   catalogue entry (listed in `CATALOGUE_ONLY`, not `OPERATIONS`) and nothing else;
//! - `x-sevendigital-errors` on an operation: a list of `{code, meaning, input}` (an API error
//!   code, optional; a variant of the runtime's `Meaning`; the wire name of the input the error
//!   is reported with), emitted as the `const ERRORS` of its endpoint.
//!
//! A value of the wrong form is an error naming its place in the document.
//!
//! The generated code relies on a small hand-written runtime (the client
//! type, the error type, the request being built, the catalogue's types);
//! [`Settings`] says where those live. Nothing in the generator is specific
//! to one API.
//!
//! ```no_run
//! let spec = std::fs::read_to_string("spec/7digital-api-openapi.yml").unwrap();
//! let files = sevendigital_codegen::generate(&spec, &sevendigital_codegen::Settings::default()).unwrap();
//! files.write_to(std::path::Path::new("generated")).unwrap();
//! ```
//!
//! The module layout follows the concerns: [`parse`] reads the document,
//! [`lower`] resolves it into the [`ir`] description (with [`types`] for
//! schemas and [`examples`] for example values), `emit::*` writes each
//! file, and [`format`](mod@format) checks and formats the output.

mod emit;
pub mod error;
pub mod examples;
pub mod format;
pub mod ir;
pub mod lower;
pub mod merge;
pub mod naming;
pub mod overlay;
pub mod parse;
pub mod refs;
pub mod types;

use std::path::Path;

pub use error::{Error, Result};

/// Where the generated code finds the hand-written runtime, as Rust paths.
///
/// The defaults suit a crate that mounts the generated files as
/// `crate::models`, `crate::requests` and `crate::catalogue`, defines its
/// client as `crate::Client`, and has a `crate::runtime` module providing
/// `Error`, `Request`, `Operation`, `Method`, `Param` (with a `Param::DEFAULT` const), `ParamLocation`,
/// `ParamKind`, `BodyInfo`, `BodyEncoding`, `AuthLevel`, `Pattern` (`Pattern::new(fn)`,
/// `Pattern::compile(&str)`), `ErrorMeaning`, `Meaning` and `json_text`, plus the one call path: a generic
/// `Call<E>` (with `Call::new(&client, inputs)` and the `send`, `presigned_url` and `IntoFuture`
/// every builder gets), the trait `Endpoint` (`type Body`, `const OPERATION`, `fn encode`),
/// the answer kinds `Json<T>`, `Empty` and `Bytes`, and `IntoId` for identifier arguments.
/// `Param` also has a `rust_name`, the name the caller writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The client type the operation methods are added to.
    pub client: String,
    /// The runtime module.
    pub runtime: String,
    /// Where `models.rs` is mounted.
    pub models: String,
    /// Where `catalogue.rs` is mounted.
    pub catalogue: String,
    /// The server runtime used by `server.rs`: `RequestContext`, `ServerError`, `Params`,
    /// `validate`, `respond` and `respond_error`.
    pub server: String,
    /// The command-line runtime used by `cli.rs`: `Dispatch` (the table's entries), `command`
    /// (a catalogue entry's clap subcommand), `Built`, `Prepared`, `Body`, `Args`, `body_file`
    /// and the readers of `args` (`text`, `parsed`, `many`, `json`, `choice`, `require`).
    pub cli: String,
    /// Whether the runtime lives in another crate than the generated code (a crate generating
    /// from its own document against `sevendigital`'s runtime). Request builders are then
    /// newtypes of the runtime's `Call` with their own `send`, `presigned_url` and
    /// `IntoFuture`, since inherent methods cannot be added to another crate's type; otherwise
    /// they are aliases of `Call`.
    pub runtime_in_another_crate: bool,
    /// Whether to emit and format the files on two threads (the default) or on the calling
    /// thread only.
    pub parallel: bool,
    /// The name of the crate the generated code is part of, as users write it (`my_api`): with
    /// it, every client method's documentation has a compiled (`no_run`) example; without it,
    /// none (generated code cannot name its own crate otherwise).
    pub examples_crate: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            client: "crate::Client".into(),
            runtime: "crate::runtime".into(),
            models: "crate::models".into(),
            catalogue: "crate::catalogue".into(),
            server: "crate::server".into(),
            cli: "crate::cli".into(),
            runtime_in_another_crate: false,
            parallel: true,
            examples_crate: None,
        }
    }
}

/// The generated files, by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Files {
    /// `(file name, contents)` pairs, in a fixed order.
    pub files: Vec<(&'static str, String)>,
    /// What the generator changed to make the document generate (see
    /// [`ir::Api::warnings`]); the command-line tool prints them.
    pub warnings: Vec<String>,
}

impl Files {
    /// The contents of the file called `name`, if generated.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| c.as_str())
    }

    /// Writes every file into `dir` (created if needed), leaving a file untouched
    /// when its contents are already the same.
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for (name, contents) in &self.files {
            let path = dir.join(name);
            if std::fs::read_to_string(&path).ok().as_deref() != Some(contents.as_str()) {
                std::fs::write(&path, contents)?;
            }
        }
        Ok(())
    }
}

/// Parses `spec` (YAML or JSON text) and generates every file.
///
/// # Errors
///
/// An [`Error`] naming the place in the document when it is not valid
/// OpenAPI 3.0 or uses something the generator cannot express.
pub fn generate(spec: &str, settings: &Settings) -> Result<Files> {
    generate_with_overlays(spec, &[], settings)
}

/// Parses `spec`, applies each overlay (`(name, text)` pairs: OpenAPI Overlay 1.0 or 1.1 documents,
/// see [`overlay`]) in order, and generates every file from the result.
///
/// # Errors
///
/// As [`generate`]; an overlay's errors (including a target that selects nothing) are located
/// at `{name} actions[i]`.
pub fn generate_with_overlays(
    spec: &str,
    overlays: &[(&str, &str)],
    settings: &Settings,
) -> Result<Files> {
    let doc = parse::parse_with_overlays(spec, overlays)?;
    let api = lower::lower(&doc)?;
    generate_from(&api, settings)
}

/// One input document of [`generate_documents`]: its name (for error locations), its text and
/// the overlays applied to it (`(name, text)` pairs, in order).
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    /// Where the document comes from, used in error locations (a file path).
    pub name: &'a str,
    /// The OpenAPI document (YAML or JSON).
    pub text: &'a str,
    /// OpenAPI Overlay documents applied to it before it is read.
    pub overlays: &'a [(&'a str, &'a str)],
}

/// Generates one set of files from several documents: the first gives the API's title and
/// default server; every document's operations and types go in (see [`merge`](mod@merge) for
/// the naming rules).
///
/// # Errors
///
/// As [`generate_with_overlays`] for each document, located at its name; and the clashes
/// [`merge::merge`] reports.
pub fn generate_documents(documents: &[Document<'_>], settings: &Settings) -> Result<Files> {
    let mut merged: Option<ir::Api> = None;
    for document in documents {
        let located =
            |e: Error| Error::new(format!("{} {}", document.name, e.location()), e.message());
        let doc = parse::parse_with_overlays(document.text, document.overlays).map_err(located)?;
        let api = lower::lower(&doc).map_err(located)?;
        merged = Some(match merged {
            None => api,
            Some(first) => merge::merge(first, api, document.name)?,
        });
    }
    let Some(api) = merged else {
        return Err(Error::new("generator", "no document to generate from"));
    };
    generate_from(&api, settings)
}

/// Generates every file from an already lowered API description.
///
/// # Errors
///
/// An [`Error`] when a settings path is not a Rust path.
pub fn generate_from(api: &ir::Api, settings: &Settings) -> Result<Files> {
    // Operations marked `x-sevendigital-catalogue-only` get a catalogue entry and nothing else.
    let surface_only;
    let full = api;
    let api = if api.operations.iter().any(|op| op.catalogue_only) {
        surface_only = ir::Api {
            operations: api
                .operations
                .iter()
                .filter(|op| !op.catalogue_only)
                .cloned()
                .collect(),
            title: api.title.clone(),
            version: api.version.clone(),
            description: api.description.clone(),
            server: api.server.clone(),
            types: api.types.clone(),
            warnings: api.warnings.clone(),
        };
        &surface_only
    } else {
        api
    };
    // The three files are independent: emit and format them on two threads
    // (token streams are not `Send`, so each thread builds its own).
    let emit_requests = || -> Result<(String, String)> {
        let paths = emit::requests::Paths {
            client: emit::path_tokens(&settings.client)?,
            runtime: emit::path_tokens(&settings.runtime)?,
            models: emit::path_tokens(&settings.models)?,
            catalogue: emit::path_tokens(&settings.catalogue)?,
            newtype_builders: settings.runtime_in_another_crate,
            examples_crate: settings.examples_crate.clone(),
        };
        let mut requests = emit::requests::emit(api, &paths);
        requests.extend(emit::paging::emit(api));
        let requests = format::format("requests.rs", requests)?;
        let cli_paths = emit::cli::Paths {
            client: paths.client.clone(),
            cli: emit::path_tokens(&settings.cli)?,
            models: paths.models.clone(),
            catalogue: paths.catalogue.clone(),
        };
        let cli = format::format("cli.rs", emit::cli::emit(api, &cli_paths))?;
        Ok((requests, cli))
    };
    let emit_others = || -> Result<(String, String, String)> {
        let runtime = emit::path_tokens(&settings.runtime)?;
        let models = format::format("models.rs", emit::models::emit(api, &settings.runtime))?;
        let mut catalogue = emit::catalogue::emit(full, &runtime);
        catalogue.extend(emit::schemas::emit(api));
        let catalogue = format::format("catalogue.rs", catalogue)?;
        let server_paths = emit::server::Paths {
            server: emit::path_tokens(&settings.server)?,
            models: emit::path_tokens(&settings.models)?,
            catalogue: emit::path_tokens(&settings.catalogue)?,
        };
        let server = format::format("server.rs", emit::server::emit(api, &server_paths))?;
        Ok((models, catalogue, server))
    };
    let (requests, others) = if !settings.parallel {
        (emit_requests(), emit_others())
    } else {
        std::thread::scope(|scope| {
            let requests = scope.spawn(emit_requests);
            let others = emit_others();
            let requests = requests.join().unwrap_or_else(|_| {
                Err(Error::new(
                    "generator",
                    "the requests emitter panicked; this is a bug",
                ))
            });
            (requests, others)
        })
    };
    let (models, catalogue, server) = others?;
    let (requests, cli) = requests?;
    Ok(Files {
        files: vec![
            ("models.rs", models),
            ("requests.rs", requests),
            ("catalogue.rs", catalogue),
            ("server.rs", server),
            ("cli.rs", cli),
        ],
        warnings: api.warnings.clone(),
    })
}
