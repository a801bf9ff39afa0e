//! Lowering an OpenAPI document into the [`crate::ir`] description.
//!
//! Supported: path, query and header parameters (an optional cookie parameter is
//! left out and the operation's documentation says so; a required one is an error), request bodies in `application/x-www-form-urlencoded`, JSON or
//! any other media type (sent as raw bytes), and the first 2xx response.
//! Schemas that cannot be typed precisely (`oneOf`, `anyOf`, `not`, free
//! form) become `serde_json::Value`.

use std::collections::HashSet;

use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Response as OaResponse,
    Schema, SchemaKind, StatusCode, Type,
};

use crate::error::{Error, Result};
use crate::examples;
use crate::ir::{
    Api, AuthLevel, Body, BodyShape, Encoding, ErrorMeaning, Location, Operation, Param, Response,
    ResponseKind, TypeRef,
};
use crate::naming;
use crate::types::{self, TypeSpace};

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

/// The level the security scheme `name` declares with `x-sevendigital-auth-level`; two-legged
/// when it does not say (or is not defined), so that the call is signed rather than sent bare.
fn scheme_level(doc: &OpenAPI, name: &str) -> Result<AuthLevel> {
    use openapiv3::SecurityScheme;
    let scheme = doc
        .components
        .as_ref()
        .and_then(|c| c.security_schemes.get(name))
        .and_then(ReferenceOr::as_item);
    let extensions = match scheme {
        Some(SecurityScheme::APIKey { extensions, .. })
        | Some(SecurityScheme::HTTP { extensions, .. })
        | Some(SecurityScheme::OAuth2 { extensions, .. })
        | Some(SecurityScheme::OpenIDConnect { extensions, .. }) => extensions,
        None => return Ok(AuthLevel::TwoLegged),
    };
    let at = format!("components.securitySchemes.{name}.x-sevendigital-auth-level");
    match extensions.get("x-sevendigital-auth-level") {
        None => Ok(AuthLevel::TwoLegged),
        Some(value) => match value.as_str() {
            Some("consumer-key") => Ok(AuthLevel::ConsumerKey),
            Some("two-legged") => Ok(AuthLevel::TwoLegged),
            Some("three-legged") => Ok(AuthLevel::ThreeLegged),
            _ => Err(Error::new(
                at,
                format!("`{value}` is not one of consumer-key, two-legged, three-legged"),
            )),
        },
    }
}

/// The boolean extension `name` of `op` (false when absent).
fn flag(op: &openapiv3::Operation, name: &str, location: &str) -> Result<bool> {
    match op.extensions.get(name) {
        None => Ok(false),
        Some(serde_json::Value::Bool(b)) => Ok(*b),
        Some(other) => Err(Error::new(
            format!("{location}.{name}"),
            format!("`{other}` is not true or false"),
        )),
    }
}

/// The operation's `x-sevendigital-errors`: a list of `{code (optional integer), meaning (a
/// name of the runtime's `Meaning`), input (the wire name of one of its inputs)}`.
fn error_meanings(
    op: &openapiv3::Operation,
    params: &[Param],
    body: Option<&Body>,
    location: &str,
) -> Result<Vec<ErrorMeaning>> {
    const NAME: &str = "x-sevendigital-errors";
    let Some(value) = op.extensions.get(NAME) else {
        return Ok(Vec::new());
    };
    let at = format!("{location}.{NAME}");
    let Some(items) = value.as_array() else {
        return Err(Error::new(at, "not a list"));
    };
    let body_fields: &[Param] = match body.map(|b| &b.shape) {
        Some(BodyShape::Fields(fields)) | Some(BodyShape::Whole { fields, .. }) => fields,
        _ => &[],
    };
    let mut meanings = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("{at}[{i}]");
        let text = |key: &str| item.get(key).and_then(serde_json::Value::as_str);
        let meaning = match text("meaning") {
            Some(m) if !m.is_empty() && m.chars().all(|c| c.is_ascii_alphanumeric()) => m,
            _ => {
                return Err(Error::new(
                    format!("{at}.meaning"),
                    "missing, or not a name (letters and digits)",
                ));
            }
        };
        let Some(input) = text("input") else {
            return Err(Error::new(format!("{at}.input"), "missing or not text"));
        };
        if !params.iter().chain(body_fields).any(|p| p.wire == input) {
            return Err(Error::new(
                format!("{at}.input"),
                format!("`{input}` is not an input of the operation"),
            ));
        }
        let code = match item.get("code") {
            None => None,
            Some(code) => Some(code.as_i64().ok_or_else(|| {
                Error::new(format!("{at}.code"), format!("`{code}` is not an integer"))
            })?),
        };
        meanings.push(ErrorMeaning {
            code,
            meaning: meaning.to_string(),
            input: input.to_string(),
        });
    }
    Ok(meanings)
}

/// Every `{name}` in the path template must be a declared path parameter, and back.
fn check_path_template(path: &str, params: &[Param], location: &str) -> Result<()> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            return Err(Error::new(
                location,
                format!("unclosed `{{` in path `{path}`"),
            ));
        };
        names.push(&rest[start + 1..start + len]);
        rest = &rest[start + len + 1..];
    }
    for name in &names {
        if !params
            .iter()
            .any(|p| p.location == Location::Path && p.wire == *name)
        {
            return Err(Error::new(
                format!("{location}.parameters"),
                format!(
                    "path `{path}` has `{{{name}}}` but no path parameter `{name}` is declared"
                ),
            ));
        }
    }
    for p in params.iter().filter(|p| p.location == Location::Path) {
        if !names.contains(&p.wire.as_str()) {
            return Err(Error::new(
                format!("{location}.parameters"),
                format!(
                    "path parameter `{}` does not appear in path `{path}`",
                    p.wire
                ),
            ));
        }
    }
    Ok(())
}

fn resolve_parameter<'d>(
    doc: &'d OpenAPI,
    p: &'d ReferenceOr<Parameter>,
    location: &str,
) -> Result<(&'d Parameter, Option<String>)> {
    match p {
        ReferenceOr::Item(param) => Ok((param, None)),
        ReferenceOr::Reference { reference } => {
            let key = component_key(reference, "parameters", location)?;
            match doc.components.as_ref().and_then(|c| c.parameters.get(key)) {
                Some(ReferenceOr::Item(param)) => Ok((param, Some(key.to_string()))),
                _ => Err(Error::new(
                    location,
                    format!("unresolved reference `{reference}`"),
                )),
            }
        }
    }
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

/// Whether a form can carry `schema`: an object whose properties are scalars or lists of
/// scalars (a form has no nesting).
fn form_can_carry(
    space: &TypeSpace<'_>,
    schema: Option<&ReferenceOr<Schema>>,
    location: &str,
) -> bool {
    let Some(schema) = schema else {
        return true;
    };
    let Ok(schema) = space.resolve(schema, location) else {
        return true;
    };
    let nested = |s: &ReferenceOr<Box<Schema>>| -> bool {
        let resolved = match s {
            ReferenceOr::Item(item) => Some(item.as_ref()),
            ReferenceOr::Reference { reference } => space
                .doc()
                .components
                .as_ref()
                .and_then(|c| {
                    c.schemas
                        .get(reference.trim_start_matches("#/components/schemas/"))
                })
                .and_then(|s| s.as_item()),
        };
        match resolved.map(|s| &s.schema_kind) {
            Some(SchemaKind::Type(Type::Object(_))) => true,
            Some(SchemaKind::Type(Type::Array(array))) => {
                array.items.as_ref().is_some_and(|items| match items {
                    ReferenceOr::Reference { .. } => true,
                    ReferenceOr::Item(item) => {
                        matches!(item.schema_kind, SchemaKind::Type(Type::Object(_)))
                    }
                })
            }
            Some(
                SchemaKind::AllOf { .. } | SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. },
            ) => true,
            _ => false,
        }
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => !object.properties.values().any(nested),
        _ => true,
    }
}

fn lower_body(
    space: &mut TypeSpace<'_>,
    body: &ReferenceOr<RequestBody>,
    type_name: &str,
    taken: &mut HashSet<String>,
    location: &str,
) -> Result<Option<Body>> {
    let doc = space.doc();
    let body = match body {
        ReferenceOr::Item(body) => body,
        ReferenceOr::Reference { reference } => {
            let key = component_key(reference, "requestBodies", location)?;
            match doc
                .components
                .as_ref()
                .and_then(|c| c.request_bodies.get(key))
            {
                Some(ReferenceOr::Item(body)) => body,
                _ => {
                    return Err(Error::new(
                        location,
                        format!("unresolved reference `{reference}`"),
                    ));
                }
            }
        }
    };
    // A body that declares no media type (`content: {}`) says nothing to send: no body.
    if body.content.is_empty() {
        return Ok(None);
    }
    // The form the document offers, unless its schema nests objects and JSON is offered too:
    // then JSON, which can carry them.
    let form = body
        .content
        .iter()
        .find(|(m, _)| m.starts_with("application/x-www-form-urlencoded"));
    let json = body.content.iter().find(|(m, _)| is_json(m));
    let form = form.filter(|(_, media)| {
        json.is_none() || form_can_carry(space, media.schema.as_ref(), location)
    });
    let (media_type, media) = form
        .or(json)
        .or_else(|| body.content.first())
        .ok_or_else(|| {
            Error::new(
                format!("{location}.content"),
                "request body declares no media type",
            )
        })?;
    let encoding = if media_type.starts_with("application/x-www-form-urlencoded") {
        Encoding::Form
    } else if is_json(media_type) {
        Encoding::Json
    } else {
        Encoding::Raw
    };
    let at = format!("{location}.content.{media_type}.schema");
    let shape = match (&media.schema, encoding) {
        (_, Encoding::Raw) | (None, _) => BodyShape::Raw {
            ident: naming::unique("body".into(), taken),
        },
        (Some(ReferenceOr::Item(inline)), _) if has_properties(inline) => BodyShape::Fields(
            body_fields(space, inline, type_name, body.required, taken, &at)?,
        ),
        (Some(schema), _) => {
            let ty = space.type_of(schema, &format!("{type_name}Body"), &at)?;
            let resolved = space.resolve(schema, &at)?;
            let fields = if has_properties(resolved) {
                body_fields(
                    space,
                    resolved,
                    type_name,
                    body.required,
                    &mut HashSet::new(),
                    &at,
                )?
            } else {
                Vec::new()
            };
            BodyShape::Whole {
                ident: naming::unique("body".into(), taken),
                ty,
                fields,
            }
        }
    };
    Ok(Some(Body {
        media_type: media_type.clone(),
        encoding,
        required: body.required,
        doc: body.description.clone(),
        shape,
    }))
}

fn has_properties(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty())
}

fn body_fields(
    space: &mut TypeSpace<'_>,
    schema: &Schema,
    type_name: &str,
    body_required: bool,
    taken: &mut HashSet<String>,
    location: &str,
) -> Result<Vec<Param>> {
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return Ok(Vec::new());
    };
    let mut fields = Vec::new();
    for (wire, prop) in &object.properties {
        let at = format!("{location}.properties.{wire}");
        let resolved = space.resolve_boxed(prop, &at)?;
        let as_ref = match prop {
            ReferenceOr::Item(s) => ReferenceOr::Item((**s).clone()),
            ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                reference: reference.clone(),
            },
        };
        let ty = space.type_of(
            &as_ref,
            &format!("{type_name}{}", naming::pascal(wire)),
            &at,
        )?;
        let mut ident = naming::snake(wire);
        if taken.contains(&ident) {
            ident = format!("body_{ident}");
        }
        fields.push(Param {
            wire: wire.clone(),
            ident: naming::unique(ident, taken),
            location: Location::Body,
            required: body_required && object.required.contains(wire),
            ty,
            doc: resolved.schema_data.description.clone(),
            example: examples::of_boxed(space.doc(), prop),
            constraints: types::constraints(resolved),
        });
    }
    Ok(fields)
}

fn lower_response(
    space: &mut TypeSpace<'_>,
    op: &openapiv3::Operation,
    type_name: &str,
    location: &str,
) -> Result<Response> {
    let doc = space.doc();
    let success = op
        .responses
        .responses
        .iter()
        .filter_map(|(code, r)| match code {
            StatusCode::Code(c) if (200..300).contains(c) => Some((*c, r)),
            StatusCode::Range(2) => Some((200, r)),
            _ => None,
        })
        .min_by_key(|(c, _)| *c)
        .or_else(|| op.responses.default.as_ref().map(|r| (200, r)));
    let Some((status, response)) = success else {
        return Ok(Response {
            status: 200,
            media_type: None,
            kind: ResponseKind::Empty,
            doc: None,
            example: None,
        });
    };
    let at = format!("{location}.responses.{status}");
    let response: &OaResponse = match response {
        ReferenceOr::Item(r) => r,
        ReferenceOr::Reference { reference } => {
            let key = component_key(reference, "responses", &at)?;
            match doc.components.as_ref().and_then(|c| c.responses.get(key)) {
                Some(ReferenceOr::Item(r)) => r,
                _ => {
                    return Err(Error::new(
                        at,
                        format!("unresolved reference `{reference}`"),
                    ));
                }
            }
        }
    };
    let json = response.content.iter().find(|(m, _)| is_json(m));
    let (media_type, kind, example) = match (json, response.content.first()) {
        (Some((media_type, media)), _) => {
            let (ty, example) = match &media.schema {
                Some(schema) => (
                    space.type_of(
                        schema,
                        &format!("{type_name}Response"),
                        &format!("{at}.content.{media_type}.schema"),
                    )?,
                    media
                        .example
                        .clone()
                        .or_else(|| examples::of_ref(space.doc(), schema)),
                ),
                None => (TypeRef::Json, media.example.clone()),
            };
            (Some(media_type.clone()), ResponseKind::Json(ty), example)
        }
        (None, Some((media_type, _))) => (Some(media_type.clone()), ResponseKind::Bytes, None),
        (None, None) => (None, ResponseKind::Empty, None),
    };
    Ok(Response {
        status,
        media_type,
        kind,
        doc: Some(response.description.clone()).filter(|d| !d.is_empty()),
        example,
    })
}
