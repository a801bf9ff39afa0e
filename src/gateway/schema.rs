//! JSON Schemas built from the catalogue's parameter rules, and the check of call arguments
//! against the same rules, so bad input is refused, naming the parameter, before anything is sent.

use serde_json::{Map, Value, json};

use crate::catalogue::{AuthLevel, Operation, Param, ParamKind, ParamLocation};
use crate::error::Error;

/// The per-call user credentials of 3-legged tools (never logged or echoed).
pub const USER_TOKEN: &str = "userToken";
/// See [`USER_TOKEN`].
pub const USER_SECRET: &str = "userSecret";

/// The JSON Schema of `op`'s typed answer as the tools hand it on (the model's schema from
/// [`crate::catalogue::MODEL_SCHEMAS`], with the `$defs` it refers to), or `None` when its
/// answer is not a typed document.
pub fn output_schema(op: &Operation) -> Option<Map<String, Value>> {
    let (_, root) = crate::catalogue::ANSWER_TYPES
        .iter()
        .find(|(id, _)| *id == op.id)?;
    let model = |name: &str| -> Option<Value> {
        let (_, text) = crate::catalogue::MODEL_SCHEMAS
            .iter()
            .find(|(n, _)| *n == name)?;
        serde_json::from_str(text).ok()
    };
    let Value::Object(mut schema) = model(root)? else {
        return None;
    };
    // Every type the answer reaches, once.
    let mut defs = Map::new();
    let mut pending = vec![Value::Object(schema.clone())];
    while let Some(value) = pending.pop() {
        let mut refs = Vec::new();
        collect_refs(&value, &mut refs);
        for name in refs {
            if !defs.contains_key(&name)
                && let Some(def) = model(&name)
            {
                pending.push(def.clone());
                defs.insert(name, def);
            }
        }
    }
    if !defs.is_empty() {
        schema.insert("$defs".into(), Value::Object(defs));
    }
    Some(schema)
}

/// The type names of every `$ref` in `value`.
fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref")
                && let Some(name) = target.strip_prefix("#/$defs/")
            {
                out.push(name.to_string());
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

fn kind_name(kind: ParamKind) -> &'static str {
    match kind {
        ParamKind::String => "string",
        ParamKind::Integer => "integer",
        ParamKind::Number => "number",
        ParamKind::Boolean => "boolean",
        ParamKind::Array => "array",
        ParamKind::Object => "object",
    }
}

/// The formats the checks apply ([`Param::check`]); another format is not published, since it
/// is not enforced.
const CHECKED_FORMATS: &[&str] = &["int32", "int64", "date", "email", "ipv4"];

/// The `anyOf` JSON Schema gives format `ip` (an IPv4 or an IPv6 address), which it does not
/// name.
fn ip_any_of() -> Value {
    json!([{ "format": "ipv4" }, { "format": "ipv6" }])
}

/// The smallest and largest value an integer parameter can take: its bounds, within the range
/// of the type it is read into (`i32` for `format: int32`, else `i64`).
fn integer_range(p: &Param) -> (i64, i64) {
    let (low, high) = match p.format {
        Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => (i64::MIN, i64::MAX),
    };
    let low = p.minimum.map_or(low, |m| (m.ceil() as i64).max(low));
    let high = p.maximum.map_or(high, |m| (m.floor() as i64).min(high));
    (low, high)
}

/// Whether a string parameter also takes a JSON integer (an id that is all digits: callers
/// write it as a number).
pub fn takes_integer(p: &Param) -> bool {
    p.kind == ParamKind::String && p.pattern == Some("^[0-9]+$")
}

/// The JSON Schema of one parameter: every rule [`check`] applies, and only those.
pub fn param_schema(p: &Param) -> Value {
    let mut s = Map::new();
    s.insert("type".into(), json!(kind_name(p.kind)));
    if !p.enum_values.is_empty() {
        s.insert("enum".into(), json!(p.enum_values));
    }
    match p.kind {
        ParamKind::Integer => {
            let (low, high) = integer_range(p);
            s.insert("minimum".into(), json!(low));
            s.insert("maximum".into(), json!(high));
        }
        ParamKind::Number => {
            if let Some(v) = p.minimum {
                s.insert("minimum".into(), json!(v));
            }
            if let Some(v) = p.maximum {
                s.insert("maximum".into(), json!(v));
            }
        }
        _ => {}
    }
    if let Some(v) = p.min_length {
        s.insert("minLength".into(), json!(v));
    }
    if let Some(v) = p.max_length {
        s.insert("maxLength".into(), json!(v));
    }
    if let Some(f) = p.format.filter(|f| CHECKED_FORMATS.contains(f)) {
        s.insert("format".into(), json!(f));
    }
    if p.format == Some("ip") {
        s.insert("anyOf".into(), ip_any_of());
    }
    if let Some(pattern) = p.pattern {
        s.insert("pattern".into(), json!(pattern));
    }
    if let Some(d) = p.default {
        s.insert("default".into(), typed(p.kind, d));
    }
    if let Some(e) = p.example {
        s.insert("examples".into(), json!([typed(p.kind, e)]));
    }
    if takes_integer(p) {
        s = Map::from_iter([(
            "anyOf".to_string(),
            json!([s, { "type": "integer", "minimum": 0 }]),
        )]);
    }
    if !p.description.is_empty() {
        s.insert("description".into(), json!(p.description));
    }
    Value::Object(s)
}

/// Text from the catalogue as a JSON value of `kind` (the text itself when it does not parse).
fn typed(kind: ParamKind, text: &str) -> Value {
    match kind {
        ParamKind::Integer | ParamKind::Number | ParamKind::Boolean => {
            serde_json::from_str(text).unwrap_or_else(|_| json!(text))
        }
        _ => json!(text),
    }
}

/// The `inputSchema` of an operation: an object with one property per parameter (and
/// `userToken`/`userSecret` for calls on a user's behalf).
pub fn input_schema(op: &Operation) -> Map<String, Value> {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for p in op.params {
        properties.insert(p.name.to_string(), param_schema_in(op, p));
        if p.required {
            required.push(json!(p.name));
        }
    }
    if op.auth_level() == AuthLevel::ThreeLegged {
        properties.insert(
            USER_TOKEN.into(),
            json!({"type": "string", "minLength": 1, "description": "The user's OAuth access token (default: SEVENDIGITAL_TOKEN)."}),
        );
        properties.insert(
            USER_SECRET.into(),
            json!({"type": "string", "minLength": 1, "description": "The user's OAuth token secret (default: SEVENDIGITAL_TOKEN_SECRET)."}),
        );
    }
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    schema.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    schema.insert("additionalProperties".into(), json!(false));
    if let Some(rules) = rules_schema(op) {
        schema.insert("allOf".into(), json!([{ "anyOf": rules }]));
    }
    if needs_a_field(op) {
        let one_of_the_fields: Vec<Value> = op
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Body)
            .map(|p| json!({ "required": [p.name] }))
            .collect();
        schema.insert("anyOf".into(), Value::Array(one_of_the_fields));
    }
    schema
}

/// Arguments checked against the rules of `op`, as `(wire name, text)` pairs in the spec's
/// order, plus the per-call user credentials if given.
#[derive(Debug, Default)]
pub struct Checked {
    /// The parameters given, as text.
    pub values: Vec<(&'static Param, String)>,
    /// `userToken` and `userSecret`, when both were given.
    pub user: Option<(String, String)>,
}

impl Checked {
    /// The text of parameter `name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(p, _)| p.name == name)
            .map(|(_, v)| v.as_str())
    }

    /// The text of parameter `name`, or empty (for required ones, checked already).
    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_string()
    }
}

/// The checked arguments, read by the generated dispatcher by wire name; an error names a
/// parameter as REST and MCP callers write it (`pageSize`).
impl crate::cli::Args for Checked {
    fn values(&self, wire: &str) -> Vec<String> {
        self.values
            .iter()
            .filter(|(p, _)| p.name == wire)
            .flat_map(|(p, text)| match p.kind {
                // An array travels as JSON text: its items, each as text.
                ParamKind::Array => match serde_json::from_str::<Vec<Value>>(text) {
                    Ok(items) => items
                        .into_iter()
                        .map(|item| match item {
                            Value::String(s) => s,
                            other => other.to_string(),
                        })
                        .collect(),
                    Err(_) => vec![text.clone()],
                },
                _ => vec![text.clone()],
            })
            .collect()
    }

    fn spelling(&self, wire: &str) -> String {
        wire.to_string()
    }
}

/// Whether `op` needs a body with at least one field: its body is required (a form body with no
/// field is no body at all).
pub fn needs_a_field(op: &Operation) -> bool {
    op.body.is_some_and(|b| b.required)
        && op.params.iter().any(|p| p.location == ParamLocation::Body)
}

/// The rules between the inputs of `op` that [`crate::catalogue::rules::check`] applies before sending,
/// as JSON Schema over the object of its arguments (`anyOf` branches), or `None` when it has
/// none:
///
/// - `getPartnerLocker`: a `trackId` only with a `releaseId`;
/// - `logSale`: a `postCode` only with country `US` (five digits first: a ZIP code) or `CA`
///   (a Canadian postal code, not a ZIP code).
///
/// The contract test (`tests/it/gateway_contract.rs`) checks that what this says is what is
/// refused.
pub fn rules_schema(op: &Operation) -> Option<Value> {
    const ZIP: &str = "^[0-9]{5}";
    // The schema no value matches (`false`, spelled for OpenAPI 3.0 readers too): the
    // property is absent.
    let never = json!({ "not": {} });
    if op.id == crate::catalogue::GET_PARTNER_LOCKER.id {
        return Some(json!([
            { "properties": { "trackId": never } },
            { "required": ["releaseId"] }
        ]));
    }
    if op.id == crate::catalogue::LOG_SALE.id {
        return Some(json!([
            { "properties": { "postCode": never } },
            {
                "required": ["postCode", "country"],
                "properties": {
                    "country": { "pattern": "^[Uu][Ss]$" },
                    "postCode": { "pattern": ZIP }
                }
            },
            {
                "required": ["postCode", "country"],
                "properties": {
                    "country": { "pattern": "^[Cc][Aa]$" },
                    "postCode": { "not": { "pattern": ZIP } }
                }
            }
        ]));
    }
    None
}

/// Whether an empty value of `p` is refused: a text field of a body that needs a field (an
/// empty field is read as no field, which would leave the body empty).
fn refuses_empty(op: &Operation, p: &Param) -> bool {
    needs_a_field(op)
        && p.location == ParamLocation::Body
        && p.kind == ParamKind::String
        && p.min_length.is_none()
}

/// The JSON Schema of parameter `p` of `op`: [`param_schema`], with the rules that depend on
/// the operation.
pub fn param_schema_in(op: &Operation, p: &Param) -> Value {
    let mut schema = param_schema(p);
    if refuses_empty(op, p) {
        schema["minLength"] = json!(1);
    }
    schema
}

/// Checks `args` against the rules of `op`.
///
/// # Errors
///
/// [`Error::InvalidInput`] naming the first parameter that breaks a rule (unknown, missing,
/// wrong type, not in the enum, out of bounds, wrong length).
pub fn check(op: &'static Operation, args: &Map<String, Value>) -> Result<Checked, Error> {
    let three_legged = op.auth_level() == AuthLevel::ThreeLegged;
    for name in args.keys() {
        let credential = three_legged && (name == USER_TOKEN || name == USER_SECRET);
        if !credential && op.param(name).is_none() {
            return Err(Error::invalid_input(
                name.as_str(),
                format!("is not a parameter of {}", op.id),
            ));
        }
    }
    let mut checked = Checked::default();
    if three_legged {
        let get = |name: &str| -> Result<Option<String>, Error> {
            match args.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
                Some(_) => Err(Error::invalid_input(name, "must be a non-empty string")),
            }
        };
        checked.user = match (get(USER_TOKEN)?, get(USER_SECRET)?) {
            (Some(t), Some(s)) => Some((t, s)),
            (None, None) => None,
            (Some(_), None) => {
                return Err(Error::invalid_input(
                    USER_SECRET,
                    "is needed with userToken",
                ));
            }
            (None, Some(_)) => {
                return Err(Error::invalid_input(
                    USER_TOKEN,
                    "is needed with userSecret",
                ));
            }
        };
    }
    for p in op.params {
        match args.get(p.name) {
            None => {
                if p.required {
                    return Err(Error::invalid_input(p.name, "is required"));
                }
            }
            // Not a value of the published type: leave the parameter out instead.
            Some(Value::Null) => {
                return Err(Error::invalid_input(
                    p.name,
                    format!("must be a {}, not null", kind_name(p.kind)),
                ));
            }
            Some(value) => {
                let text = check_value(p, value)?;
                if text.is_empty() && refuses_empty(op, p) {
                    return Err(Error::invalid_input(
                        p.name,
                        "must not be empty (an empty field is no field)",
                    ));
                }
                checked.values.push((p, text));
            }
        }
    }
    if needs_a_field(op)
        && !checked
            .values
            .iter()
            .any(|(p, _)| p.location == ParamLocation::Body)
    {
        return Err(Error::invalid_input(
            "body",
            format!("{} needs at least one field", op.id),
        ));
    }
    Ok(checked)
}

fn check_value(p: &Param, value: &Value) -> Result<String, Error> {
    let bad = |message: String| Error::invalid_input(p.name, message);
    let text = match (p.kind, value) {
        (ParamKind::String, Value::String(s)) => s.clone(),
        // An all-digits id: a number to most callers.
        (ParamKind::String, Value::Number(n)) if takes_integer(p) && n.is_u64() => n.to_string(),
        (ParamKind::String, _) => return Err(bad("must be a string".into())),
        (ParamKind::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        // JSON Schema counts `12.0` as an integer.
        (ParamKind::Integer, Value::Number(n))
            if n.as_f64()
                .is_some_and(|f| f.fract() == 0.0 && f.abs() < 9.2e18) =>
        {
            format!("{}", n.as_f64().unwrap_or_default() as i64)
        }
        (ParamKind::Integer, Value::String(s)) => s.clone(),
        (ParamKind::Integer, _) => return Err(bad("must be an integer".into())),
        (ParamKind::Number, Value::Number(n)) => n.to_string(),
        (ParamKind::Number, Value::String(s)) => s.clone(),
        (ParamKind::Number, _) => return Err(bad("must be a number".into())),
        (ParamKind::Boolean, Value::Bool(b)) => b.to_string(),
        (ParamKind::Boolean, Value::String(s)) => s.clone(),
        (ParamKind::Boolean, _) => return Err(bad("must be true or false".into())),
        (ParamKind::Array, Value::Array(_)) | (ParamKind::Object, Value::Object(_)) => {
            value.to_string()
        }
        (ParamKind::Array, _) => return Err(bad("must be an array".into())),
        (ParamKind::Object, _) => return Err(bad("must be an object".into())),
    };
    if p.kind == ParamKind::Integer {
        let (low, high) = integer_range(p);
        match text.parse::<i128>() {
            Ok(n) if n < i128::from(low) => return Err(bad(format!("must be at least {low}"))),
            Ok(n) if n > i128::from(high) => return Err(bad(format!("must be at most {high}"))),
            Ok(_) => {}
            Err(_) => {
                return Err(bad(format!(
                    "`{}` is not an integer",
                    crate::text::escape_cut(&text, 40)
                )));
            }
        }
    }
    // Then the catalogue's one check, as the client applies it: type, bounds, enum, length,
    // format, pattern; the reason is the same on every surface.
    p.check(&text).map_err(bad)?;
    Ok(text)
}
