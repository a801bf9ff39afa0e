//! Lowering an OpenAPI document into the [`crate::ir`] description.
//!
//! Supported: path, query and header parameters (an optional cookie parameter is
//! left out and the operation's documentation says so; a required one is an error), request bodies in `application/x-www-form-urlencoded`, JSON or
//! any other media type (sent as raw bytes), and the first 2xx response.
//! Schemas that cannot be typed precisely (`oneOf`, `anyOf`, `not`, free
//! form) become `serde_json::Value`.

use std::collections::HashSet;

use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr};

use crate::error::{Error, Result};
use crate::examples;
use crate::ir::{Api, AuthLevel, Location, Operation, Param, TypeRef};
use crate::naming;
use crate::types::{self, TypeSpace};

mod body;
mod extensions;
mod params;
mod response;

use body::lower_body;
use extensions::{error_meanings, flag, scheme_level};
use params::{check_path_template, resolve_parameter};
use response::lower_response;

/// Names that request builders use for themselves, so parameters must not.
const RESERVED: &[&str] = &["client", "send"];

/// Builds the API description from a parsed document.
pub fn lower(doc: &OpenAPI) -> Result<Api> {
    let mut space = TypeSpace::new(doc)?;
    let mut operations = Vec::new();
    let mut names = OperationNames::default();
    let mut warnings = Vec::new();
    for (path, item) in doc.paths.iter() {
        let location = format!("paths.{path}");
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                return Err(Error::new(
                    location,
                    format!("path item references (`{reference}`) are not supported"),
                ));
            }
        };
        for (method, op) in item.iter() {
            let location = format!("{location}.{method}");
            let wanted = op
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{method} {path}"));
            let id = names.claim(&wanted, method, path, &location, &mut warnings);
            let mut lowered = lower_operation(
                &mut space,
                &id,
                path,
                method,
                &item.parameters,
                op,
                &location,
            )?;
            lowered.server = op
                .servers
                .first()
                .or(item.servers.first())
                .map(|s| s.url.clone());
            operations.push(lowered);
        }
    }
    Ok(Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        server: doc.servers.first().map(server_url),
        operations,
        types: space.into_defs(),
        warnings,
    })
}

/// The operation names taken so far, in each case the generated code uses them (method,
/// builder type, catalogue constant), and where each was taken.
#[derive(Default)]
struct OperationNames {
    taken: std::collections::HashMap<String, String>,
}

impl OperationNames {
    fn keys(id: &str) -> [String; 3] {
        [
            format!("s:{}", naming::snake(id)),
            format!("p:{}", naming::pascal(id)),
            format!("c:{}", naming::shouty(id)),
        ]
    }

    fn holder(&self, id: &str) -> Option<&String> {
        Self::keys(id).iter().find_map(|k| self.taken.get(k))
    }

    /// The name operation `method path` (at `location`) gets: `wanted` when free; else one made
    /// of its method and path; else that with a numeric suffix. A changed name is reported in
    /// `warnings`, naming both places.
    fn claim(
        &mut self,
        wanted: &str,
        method: &str,
        path: &str,
        location: &str,
        warnings: &mut Vec<String>,
    ) -> String {
        let id = match self.holder(wanted) {
            None => wanted.to_string(),
            Some(first) => {
                let first = first.clone();
                let mut candidate = format!("{method} {path}");
                let mut n = 2;
                while self.holder(&candidate).is_some() {
                    candidate = format!("{method} {path} {n}");
                    n += 1;
                }
                warnings.push(format!(
                    "{location}: operation name `{wanted}` is already used by {first}; this one is called `{}`",
                    naming::snake(&candidate)
                ));
                candidate
            }
        };
        for key in Self::keys(&id) {
            self.taken
                .entry(key)
                .or_insert_with(|| location.to_string());
        }
        id
    }
}

fn lower_operation(
    space: &mut TypeSpace<'_>,
    id: &str,
    path: &str,
    method: &str,
    shared_params: &[ReferenceOr<Parameter>],
    op: &openapiv3::Operation,
    location: &str,
) -> Result<Operation> {
    let doc = space.doc();
    let id = id.to_string();
    let type_name = naming::pascal(&id);
    let mut taken: HashSet<String> = RESERVED.iter().map(|s| s.to_string()).collect();

    // Path-level parameters first; an operation-level one of the same name and place replaces it.
    let mut declared: Vec<(&Parameter, String, Option<String>)> = Vec::new();
    for (i, p) in shared_params.iter().enumerate() {
        let at = format!("paths.{path}.parameters[{i}]");
        let (param, component) = resolve_parameter(doc, p, &at)?;
        declared.push((param, at, component));
    }
    for (i, p) in op.parameters.iter().enumerate() {
        let at = format!("{location}.parameters[{i}]");
        let (param, component) = resolve_parameter(doc, p, &at)?;
        let data = param.parameter_data_ref();
        declared.retain(|(d, _, _)| {
            !(d.parameter_data_ref().name == data.name
                && std::mem::discriminant(*d) == std::mem::discriminant(param))
        });
        declared.push((param, at, component));
    }

    let mut params = Vec::new();
    let mut unsent = Vec::new();
    for (param, at, component) in declared {
        let data = param.parameter_data_ref();
        let location_kind = match param {
            Parameter::Path { .. } => Location::Path,
            Parameter::Query { .. } => Location::Query,
            Parameter::Header { .. } => Location::Header,
            // Cookies belong to a browser session, not to an API client: an optional one is
            // left out (and said so in the operation's documentation), a required one is an
            // error, since the call could not be made.
            Parameter::Cookie { .. } if data.required => {
                return Err(Error::new(
                    at,
                    format!(
                        "required cookie parameter `{}` is not supported: the generated client sends no cookies",
                        data.name
                    ),
                ));
            }
            Parameter::Cookie { .. } => {
                unsent.push(format!("`{}`", data.name));
                continue;
            }
        };
        let hint =
            component.unwrap_or_else(|| format!("{type_name}{}", naming::pascal(&data.name)));
        let (ty, constraints, example) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let resolved = space.resolve(schema, &at)?;
                let ty = space.type_of(schema, &hint, &format!("{at}.schema"))?;
                let example = data
                    .example
                    .clone()
                    .or_else(|| examples::of_ref(space.doc(), schema));
                (ty, types::constraints(resolved), example)
            }
            ParameterSchemaOrContent::Content(_) => {
                (TypeRef::String, Default::default(), data.example.clone())
            }
        };
        params.push(Param {
            wire: data.name.clone(),
            ident: naming::unique(naming::snake(&data.name), &mut taken),
            location: location_kind,
            required: data.required || location_kind == Location::Path,
            ty,
            doc: data.description.clone(),
            example,
            constraints,
        });
    }
    check_path_template(path, &params, location)?;

    let body = match &op.request_body {
        Some(body) => lower_body(
            space,
            body,
            &type_name,
            &mut taken,
            &format!("{location}.requestBody"),
        )?,
        None => None,
    };
    let response = lower_response(space, op, &type_name, location)?;
    let mut error_statuses: Vec<u16> = op
        .responses
        .responses
        .keys()
        .filter_map(|code| match code {
            openapiv3::StatusCode::Code(c) if (400..600).contains(c) => Some(*c),
            _ => None,
        })
        .collect();
    error_statuses.sort_unstable();

    let security = op
        .security
        .as_ref()
        .or(doc.security.as_ref())
        .map(|reqs| {
            let mut names: Vec<String> = Vec::new();
            for name in reqs.iter().flat_map(|r| r.keys()) {
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
            names
        })
        .unwrap_or_default();
    let mut auth = AuthLevel::None;
    for name in &security {
        auth = auth.max(scheme_level(doc, name)?);
    }
    let never_retry = flag(op, "x-sevendigital-never-retry", location)?;
    let catalogue_only = flag(op, "x-sevendigital-catalogue-only", location)?;
    let error_meanings = error_meanings(op, &params, body.as_ref(), location)?;

    Ok(Operation {
        ident: naming::snake(&id),
        const_name: naming::shouty(&id),
        type_name,
        id,
        method: method.to_ascii_uppercase(),
        path: path.to_string(),
        tags: op.tags.clone(),
        summary: op.summary.clone(),
        description: match (unsent.is_empty(), &op.description) {
            (true, description) => description.clone(),
            (false, description) => Some(format!(
                "{}{}Not sent by this client: cookie parameter{} {}.",
                description.as_deref().unwrap_or(""),
                if description.is_some() { "\n\n" } else { "" },
                if unsent.len() > 1 { "s" } else { "" },
                unsent.join(", ")
            )),
        },
        deprecated: op.deprecated,
        security,
        auth,
        never_retry,
        catalogue_only,
        error_meanings,
        params,
        body,
        response,
        error_statuses,
        server: None,
    })
}

fn component_key<'r>(reference: &'r str, kind: &str, location: &str) -> Result<&'r str> {
    reference
        .strip_prefix(&format!("#/components/{kind}/"))
        .ok_or_else(|| {
            Error::new(
                location,
                format!("unsupported reference `{reference}`: expected `#/components/{kind}/...`"),
            )
        })
}

fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// A server's URL with each `{variable}` replaced by its default (the client's base URL can be
/// set to any other value).
fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    url
}
