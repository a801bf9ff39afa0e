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
    parse_with_overlays(text, &[])
}

/// Parses `text` like [`parse`], after applying each overlay (`(name, text)` pairs, see
/// [`crate::overlay`]) in order.
///
/// Before the document is read, the `xml` objects of array schemas (which `openapiv3` does not
/// keep) are carried into an `x-xml-item` extension naming the XML element of one item, so that
/// the generated decoder also accepts the wrapped form of such lists (see
/// [`crate::ir::Field::wrapped_item`]).
///
/// # Errors
///
/// As [`parse`], and an overlay's own errors, located at `{name} actions[i]`.
pub fn parse_with_overlays(text: &str, overlays: &[(&str, &str)]) -> Result<OpenAPI> {
    let mut json = read_tree(text)?;
    if let Some(version) = json.get("openapi").and_then(serde_json::Value::as_str)
        && !version.starts_with("3.")
    {
        return Err(unsupported(version));
    }
    for (name, overlay) in overlays {
        crate::overlay::apply(&mut json, name, overlay)?;
    }
    crate::refs::resolve_local_pointers(&mut json)?;
    normalise_type_lists(&mut json);
    carry_xml_item_names(&mut json);
    let doc: OpenAPI = match serde_json::from_value(json.clone()) {
        Ok(doc) => doc,
        Err(whole) => {
            let value =
                serde_yaml::to_value(&json).map_err(|e| Error::new("document", e.to_string()))?;
            return Err(check_document(&value)
                .err()
                .unwrap_or_else(|| Error::new("document", whole.to_string())));
        }
    };
    if !doc.openapi.starts_with("3.") {
        return Err(unsupported(&doc.openapi));
    }
    Ok(doc)
}

/// The document as a JSON tree: a text that starts with `{` is read as JSON (`serde_json`: any
/// string escape, integers past `i64`), anything else as YAML. Both parsers refuse nesting
/// deeper than 128 levels with a located error rather than overflowing the stack.
fn read_tree(text: &str) -> Result<serde_json::Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| {
            Error::new(
                format!("line {} column {}", e.line(), e.column()),
                e.to_string(),
            )
        });
    }
    check_flow_nesting(text)?;
    let yaml: Value = serde_yaml::from_str(text).map_err(|e| {
        let location = match e.location() {
            Some(at) => format!("line {} column {}", at.line(), at.column()),
            None => "document".to_string(),
        };
        Error::new(location, e.to_string())
    })?;
    Ok(to_json(&yaml))
}

/// How deep `{`/`[` may nest in a YAML text before it is refused unread.
pub const MAX_FLOW_NESTING: usize = 256;

/// Refuses a YAML text whose flow collections (`{...}`, `[...]`) nest deeper than
/// [`MAX_FLOW_NESTING`], located at the bracket that goes too deep: the YAML parser reads every
/// event before its own recursion limit applies, in time that grows with the square of the
/// depth (minutes for a 3 MB document). Quoted strings and comments are skipped.
fn check_flow_nesting(text: &str) -> Result<()> {
    let mut depth = 0usize;
    let (mut line, mut column) = (1usize, 0usize);
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
            column = 0;
            comment = false;
            previous = c;
            continue;
        }
        column += 1;
        if comment {
            continue;
        }
        match quote {
            Some('"') if c == '\\' => {
                chars.next();
                column += 1;
            }
            Some(q) if c == q => {
                if q == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                    column += 1;
                } else {
                    quote = None;
                }
            }
            Some(_) => {}
            None => {
                let starts_token =
                    previous.is_whitespace() || matches!(previous, '[' | '{' | ',' | ':');
                match c {
                    '"' | '\'' if starts_token => quote = Some(c),
                    '#' if previous.is_whitespace() => comment = true,
                    '{' | '[' => {
                        depth += 1;
                        if depth > MAX_FLOW_NESTING {
                            return Err(Error::new(
                                format!("line {line} column {column}"),
                                format!("collections nest deeper than {MAX_FLOW_NESTING} levels"),
                            ));
                        }
                    }
                    '}' | ']' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
        }
        previous = c;
    }
    Ok(())
}

fn unsupported(version: &str) -> Error {
    Error::new(
        "openapi",
        format!("unsupported OpenAPI version `{version}`: only 3.0.x is supported"),
    )
}

/// The YAML value as JSON; mapping keys that are not strings (`200:`) become their YAML text.
fn to_json(value: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                J::from(i)
            } else if let Some(u) = n.as_u64() {
                J::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(J::Null, J::Number)
            }
        }
        Value::String(s) => J::String(s.clone()),
        Value::Sequence(items) => J::Array(items.iter().map(to_json).collect()),
        Value::Mapping(map) => J::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Value::String(s) => s.clone(),
                        other => serde_yaml::to_string(other)
                            .map(|s| s.trim_end().to_string())
                            .unwrap_or_default(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        Value::Tagged(tagged) => to_json(&tagged.value),
    }
}

/// OpenAPI 3.1's `type: [T, "null"]` (left in some converted documents) as 3.0 says it:
/// `type: T, nullable: true`; a list of several types is dropped (any value). Only a `type`
/// whose value is a list of strings is touched. Boolean schemas among `properties` or as
/// `items` become `{}` (`true`) or are dropped (`false` property).
fn normalise_type_lists(node: &mut serde_json::Value) {
    // Each node with whether it is the `properties` map of a schema (whose keys are property
    // names, any of which may be `type`, `items` or `properties`).
    let mut stack = vec![(node, false)];
    while let Some((node, is_properties)) = stack.pop() {
        match node {
            serde_json::Value::Object(map) => {
                if is_properties {
                    // JSON Schema's boolean schemas where openapiv3 wants an object: a property
                    // `true` accepts anything (`{}`), a property `false` can never be present.
                    map.retain(|_, v| v.as_bool() != Some(false));
                    for value in map.values_mut() {
                        if value.as_bool() == Some(true) {
                            *value = serde_json::Value::Object(Default::default());
                        }
                        stack.push((value, false));
                    }
                    continue;
                }
                if let Some(serde_json::Value::Array(types)) = map.get("type")
                    && types.iter().all(serde_json::Value::is_string)
                {
                    let names: Vec<String> = types
                        .iter()
                        .filter_map(serde_json::Value::as_str)
                        .map(str::to_string)
                        .collect();
                    let nullable = names.iter().any(|t| t == "null");
                    let real: Vec<&String> = names.iter().filter(|t| *t != "null").collect();
                    match real.as_slice() {
                        [one] => {
                            map.insert("type".into(), serde_json::Value::String((*one).clone()));
                        }
                        _ => {
                            map.shift_remove("type");
                        }
                    }
                    if nullable {
                        map.insert("nullable".into(), serde_json::Value::Bool(true));
                    }
                }
                if let Some(items) = map.get_mut("items")
                    && items.is_boolean()
                {
                    *items = serde_json::Value::Object(Default::default());
                }
                for (key, value) in map.iter_mut() {
                    stack.push((value, key == "properties"));
                }
            }
            serde_json::Value::Array(items) => stack.extend(items.iter_mut().map(|v| (v, false))),
            _ => {}
        }
    }
}

/// For every array schema whose `xml` says `wrapped: true`, records the XML name of one item
/// (from `items.xml.name`, or the `xml.name` of the component `items` refers to) as
/// `x-xml-item`.
fn carry_xml_item_names(doc: &mut serde_json::Value) {
    let components = doc
        .pointer("/components/schemas")
        .cloned()
        .unwrap_or_default();
    walk_xml(doc, &components);
}

fn walk_xml(node: &mut serde_json::Value, components: &serde_json::Value) {
    match node {
        serde_json::Value::Object(map) => {
            let wrapped = map
                .get("xml")
                .and_then(|x| x.get("wrapped"))
                .and_then(serde_json::Value::as_bool)
                == Some(true);
            if wrapped && !map.contains_key("x-xml-item") {
                let items = map.get("items");
                let own = items
                    .and_then(|i| i.pointer("/xml/name"))
                    .and_then(serde_json::Value::as_str);
                let referred = items
                    .and_then(|i| i.get("$ref"))
                    .and_then(serde_json::Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    .and_then(|key| components.get(key))
                    .and_then(|c| c.pointer("/xml/name"))
                    .and_then(serde_json::Value::as_str);
                if let Some(name) = own.or(referred) {
                    let name = serde_json::Value::String(name.to_string());
                    map.insert("x-xml-item".to_string(), name);
                }
            }
            for value in map.values_mut() {
                walk_xml(value, components);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                walk_xml(item, components);
            }
        }
        _ => {}
    }
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
    fn flow_nesting_is_bounded_outside_strings_and_comments() {
        let brackets = "[".repeat(300);
        let quoted =
            format!("a: \"{brackets}\"\nb: '{brackets}'\nc: 1 # {brackets}\nd: it's {{x: 1}}\n");
        assert!(check_flow_nesting(&quoted).is_ok());
        let deep = format!("a: {brackets}");
        let err = check_flow_nesting(&deep).unwrap_err();
        assert_eq!(err.location(), "line 1 column 260");
    }

    #[test]
    fn type_lists_become_nullable_types() {
        let mut doc = serde_json::json!({"a": {"type": ["string", "null"]}, "b": {"type": ["integer"]},
            "c": {"type": ["string", "integer"]}, "d": {"type": {"type": "string"}},
            "e": {"properties": {"x": false, "y": true}, "items": true},
            "f": {"properties": {"properties": {"readOnly": true, "type": "object"}, "type": {"type": ["string"]}}}});
        normalise_type_lists(&mut doc);
        assert_eq!(
            doc,
            serde_json::json!({"a": {"type": "string", "nullable": true}, "b": {"type": "integer"},
            "c": {}, "d": {"type": {"type": "string"}}, "e": {"properties": {"y": {}}, "items": {}},
            "f": {"properties": {"properties": {"readOnly": true, "type": "object"}, "type": {"type": "string"}}}})
        );
    }

    #[test]
    fn version_two_is_rejected() {
        let err = parse("openapi: 2.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!(err.location(), "openapi");
    }
}
