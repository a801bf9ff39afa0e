//! Applying OpenAPI Overlay documents (OAI Overlay Specification 1.0 and 1.1) to an API document.
//!
//! An overlay is a list of `actions`, each with a JSONPath `target` (RFC 9535) and a modifier:
//!
//! - `remove: true`: every selected node is removed from its parent (`update` and `copy` then
//!   have no effect);
//! - `update`: merged into every selected node (objects key by key, recursively; arrays
//!   concatenated, or the value appended; a primitive replaced by a primitive; any other
//!   combination is an error naming the place);
//! - `copy` (1.1 only, ignored when `update` is given): a JSONPath selecting exactly one node of
//!   the document, merged into every selected node as an `update` would be.
//!
//! An action with no modifier is valid and changes nothing. Actions apply in order.
//!
//! The overlay document itself is checked against the specification's schema for its version
//! (`overlay: 1.0.x` or `1.1.x`): required `info.title`/`info.version`, a non-empty `actions`
//! list of distinct objects, a `target` beginning with `$`, no unknown field but `x-`
//! extensions. Every refusal is located at `{name}`, `{name} info`, `{name} actions[i]` or
//! `{name} actions[i].field`.
//!
//! **Targets that select nothing.** The 1.1 specification says such an action succeeds without
//! changing the document, and that is the default. In *strict* mode it is an error naming the
//! action, so that a change of the underlying document that moves things is caught when
//! generating. Strict mode is on when [`Options::strict_targets`] is set, or when the overlay
//! says so itself with the root extension `x-strict-targets: true` (as this project's own
//! overlay, `spec/7digital-overlay.yml`, does).

use serde_json::Value;
use serde_json_path::JsonPath;

use crate::error::{Error, Result};

/// How overlays are applied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Whether an action whose `target` selects nothing is an error (strict) rather than a
    /// no-op (the specification's behaviour, the default). An overlay can also turn this on for
    /// itself with the root extension `x-strict-targets: true`.
    pub strict_targets: bool,
}

/// The root extension with which an overlay asks for strict targets.
pub const STRICT_TARGETS_EXTENSION: &str = "x-strict-targets";

/// Parses `text` (YAML or JSON) as an overlay and applies its actions to `doc`, with the
/// default [`Options`] (a target that selects nothing is a no-op unless the overlay has
/// `x-strict-targets: true`).
///
/// `name` identifies the overlay in error locations (usually its file name).
///
/// # Errors
///
/// An [`Error`] located in the overlay when it is not a valid Overlay 1.0 or 1.1 document, a
/// target or copy source is not valid JSONPath, a copy source does not select exactly one node,
/// an update is incompatible with the node it is merged into, or (strict mode) a target selects
/// nothing. The document is left partly changed when an action fails.
pub fn apply(doc: &mut Value, name: &str, text: &str) -> Result<()> {
    apply_with(doc, name, text, Options::default())
}

/// As [`apply`], with explicit [`Options`].
///
/// # Errors
///
/// As [`apply`].
pub fn apply_with(doc: &mut Value, name: &str, text: &str, options: Options) -> Result<()> {
    let overlay: Value = serde_yaml::from_str(text).map_err(|e| {
        let at = match e.location() {
            Some(at) => format!("{name} line {} column {}", at.line(), at.column()),
            None => name.to_string(),
        };
        Error::new(at, e.to_string())
    })?;
    apply_value(doc, name, &overlay, options)
}

/// As [`apply_with`], for an overlay already read into a JSON value.
///
/// # Errors
///
/// As [`apply`], except syntax errors.
pub fn apply_value(doc: &mut Value, name: &str, overlay: &Value, options: Options) -> Result<()> {
    let actions = validate(name, overlay)?;
    let strict = options.strict_targets
        || overlay
            .get(STRICT_TARGETS_EXTENSION)
            .and_then(Value::as_bool)
            == Some(true);
    for (i, action) in actions.iter().enumerate() {
        apply_action(doc, action, &format!("{name} actions[{i}]"), strict)?;
    }
    Ok(())
}

/// The feature set an overlay document declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V1_0,
    V1_1,
}

fn is_extension(key: &str) -> bool {
    key.starts_with("x-")
}

fn parse_version(overlay: &Value, name: &str) -> Result<Version> {
    let at = format!("{name} overlay");
    let version = match overlay.get("overlay") {
        None => {
            return Err(Error::new(
                name,
                "missing `overlay: 1.0.0` (or 1.1.0): not an OpenAPI Overlay document",
            ));
        }
        Some(Value::String(version)) => version,
        Some(other) => {
            return Err(Error::new(
                at,
                format!("must be a string such as \"1.1.0\", found {}", kind(other)),
            ));
        }
    };
    let mut parts = version.split('.');
    let (major, minor, patch) = (parts.next(), parts.next(), parts.next());
    let patch_ok = patch.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && parts.next().is_none();
    match (major, minor) {
        (Some("1"), Some("0")) if patch_ok => Ok(Version::V1_0),
        (Some("1"), Some("1")) if patch_ok => Ok(Version::V1_1),
        (Some("1"), Some("0" | "1")) => Err(Error::new(
            at,
            format!("`{version}` is not a version of the form 1.0.N or 1.1.N"),
        )),
        _ => Err(Error::new(
            at,
            format!("unsupported Overlay version `{version}`: only 1.0.x and 1.1.x are supported"),
        )),
    }
}

/// What a JSON value is, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn expect_string(value: &Value, at: impl Into<String>) -> Result<&str> {
    value
        .as_str()
        .ok_or_else(|| Error::new(at, format!("must be a string, found {}", kind(value))))
}

/// Checks the overlay against the schema of its version; returns its actions.
fn validate<'o>(name: &str, overlay: &'o Value) -> Result<&'o [Value]> {
    let Value::Object(root) = overlay else {
        return Err(Error::new(
            name,
            format!(
                "an Overlay document must be a mapping, found {}",
                kind(overlay)
            ),
        ));
    };
    let version = parse_version(overlay, name)?;
    for key in root.keys() {
        if !matches!(key.as_str(), "overlay" | "info" | "extends" | "actions") && !is_extension(key)
        {
            return Err(Error::new(
                format!("{name} {key}"),
                format!(
                    "unknown field `{key}` (an Overlay document has `overlay`, `info`, `extends`, `actions` and `x-` extensions)"
                ),
            ));
        }
    }
    let info_at = format!("{name} info");
    match root.get("info") {
        None => {
            return Err(Error::new(
                info_at,
                "missing `info` (with `title` and `version`)",
            ));
        }
        Some(Value::Object(info)) => {
            for field in ["title", "version"] {
                match info.get(field) {
                    None => {
                        return Err(Error::new(
                            format!("{info_at}.{field}"),
                            format!("missing `{field}`"),
                        ));
                    }
                    Some(value) => {
                        expect_string(value, format!("{info_at}.{field}"))?;
                    }
                }
            }
            for (key, value) in info {
                match key.as_str() {
                    "title" | "version" => {}
                    "description" if version == Version::V1_1 => {
                        expect_string(value, format!("{info_at}.description"))?;
                    }
                    _ if is_extension(key) => {}
                    _ => {
                        return Err(Error::new(
                            format!("{info_at}.{key}"),
                            format!("unknown field `{key}` in `info` for this Overlay version"),
                        ));
                    }
                }
            }
        }
        Some(other) => {
            return Err(Error::new(
                info_at,
                format!("must be a mapping, found {}", kind(other)),
            ));
        }
    }
    if let Some(extends) = root.get("extends") {
        expect_string(extends, format!("{name} extends"))?;
    }
    let actions_at = format!("{name} actions");
    let actions = match root.get("actions") {
        None => return Err(Error::new(actions_at, "missing `actions`")),
        Some(Value::Array(actions)) => actions,
        Some(other) => {
            return Err(Error::new(
                actions_at,
                format!("must be a list, found {}", kind(other)),
            ));
        }
    };
    if actions.is_empty() {
        return Err(Error::new(actions_at, "must hold at least one action"));
    }
    for (i, action) in actions.iter().enumerate() {
        let at = format!("{name} actions[{i}]");
        validate_action(action, &at, version)?;
        if let Some(first) = actions[..i].iter().position(|earlier| earlier == action) {
            return Err(Error::new(
                at,
                format!("is the same action as actions[{first}]: actions must be distinct"),
            ));
        }
    }
    Ok(actions)
}

fn validate_action(action: &Value, at: &str, version: Version) -> Result<()> {
    let Value::Object(fields) = action else {
        return Err(Error::new(
            at,
            format!("an action must be a mapping, found {}", kind(action)),
        ));
    };
    match fields.get("target") {
        None => return Err(Error::new(at, "missing `target`")),
        Some(target) => {
            let target = expect_string(target, format!("{at}.target"))?;
            if !target.starts_with('$') {
                return Err(Error::new(
                    format!("{at}.target"),
                    format!("`{target}` is not a JSONPath query: it must begin with `$`"),
                ));
            }
        }
    }
    for (key, value) in fields {
        match key.as_str() {
            "target" | "update" => {}
            "description" => {
                expect_string(value, format!("{at}.description"))?;
            }
            "remove" => {
                if !value.is_boolean() {
                    return Err(Error::new(
                        format!("{at}.remove"),
                        format!("must be true or false, found {}", kind(value)),
                    ));
                }
            }
            "copy" if version == Version::V1_1 => {
                expect_string(value, format!("{at}.copy"))?;
            }
            "copy" => {
                return Err(Error::new(
                    format!("{at}.copy"),
                    "`copy` is an Overlay 1.1 action; this overlay says `overlay: 1.0.x`",
                ));
            }
            _ if is_extension(key) => {}
            _ => {
                return Err(Error::new(
                    format!("{at}.{key}"),
                    format!(
                        "unknown field `{key}` (an action has `target`, `description`, `update`, `remove`{}, and `x-` extensions)",
                        if version == Version::V1_1 {
                            ", `copy`"
                        } else {
                            ""
                        }
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Parses a JSONPath query. A query RFC 9535 refuses only because a dot-notation name holds a
/// `-` (`$.paths.*.get[?@.x-oai-traits.paged]`, as in the Overlay specification's own
/// examples) is read with those names in brackets (`@['x-oai-traits']`).
fn parse_path(text: &str, at: String) -> Result<JsonPath> {
    JsonPath::parse(text).or_else(|e| {
        bracket_dashed_names(text)
            .and_then(|fixed| JsonPath::parse(&fixed).ok())
            .ok_or_else(|| Error::new(at, format!("`{text}` is not valid JSONPath: {e}")))
    })
}

/// `text` with each dot-notation member name holding a `-` written in bracket notation, or
/// `None` when there is none. String literals are left alone.
fn bracket_dashed_names(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut changed = false;
    let mut quote: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            out.push(c);
            if c == '\\' && i + 1 < chars.len() {
                out.push(chars[i + 1]);
                i += 1;
            } else if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if c == '\'' || c == '"' {
            quote = Some(c);
            out.push(c);
            i += 1;
            continue;
        }
        let name_start = |ch: char| ch.is_alphabetic() || ch == '_' || !ch.is_ascii();
        if c == '.' && i + 1 < chars.len() && name_start(chars[i + 1]) {
            let start = i + 1;
            let mut end = start;
            while end < chars.len()
                && (chars[end].is_alphanumeric()
                    || matches!(chars[end], '_' | '-')
                    || !chars[end].is_ascii())
            {
                end += 1;
            }
            let name: String = chars[start..end].iter().collect();
            if name.contains('-') {
                // `..name` keeps its descendant dot; `.name` loses it.
                if i > 0 && chars[i - 1] == '.' {
                    out.push('.');
                }
                out.push_str(&format!("['{name}']"));
                changed = true;
            } else {
                out.push('.');
                out.push_str(&name);
            }
            i = end;
            continue;
        }
        out.push(c);
        i += 1;
    }
    changed.then_some(out)
}

fn apply_action(doc: &mut Value, action: &Value, at: &str, strict: bool) -> Result<()> {
    let target = action.get("target").and_then(Value::as_str).unwrap_or("$");
    let path = parse_path(target, format!("{at}.target"))?;
    let pointers: Vec<String> = path
        .query_located(doc)
        .locations()
        .map(|p| p.to_json_pointer())
        .collect();
    if pointers.is_empty() {
        if strict {
            return Err(Error::new(
                format!("{at}.target"),
                format!("`{target}` selects nothing in the document (strict targets)"),
            ));
        }
        return Ok(());
    }
    if action.get("remove").and_then(Value::as_bool) == Some(true) {
        // Last first, so that removing an array element does not shift the others.
        for pointer in pointers.iter().rev() {
            remove_at(doc, pointer, at)?;
        }
        return Ok(());
    }
    let (value, field) = if let Some(update) = action.get("update") {
        (update.clone(), "update")
    } else if let Some(source) = action.get("copy").and_then(Value::as_str) {
        let copy_at = format!("{at}.copy");
        let source_path = parse_path(source, copy_at.clone())?;
        let found = source_path.query(doc).all();
        match found.as_slice() {
            [one] => ((*one).clone(), "copy"),
            [] => {
                return Err(Error::new(
                    copy_at,
                    format!("`{source}` selects nothing in the document: nothing to copy"),
                ));
            }
            many => {
                return Err(Error::new(
                    copy_at,
                    format!(
                        "`{source}` selects {} nodes; a copy source must select exactly one",
                        many.len()
                    ),
                ));
            }
        }
    } else {
        return Ok(());
    };
    let selected_kinds: std::collections::BTreeSet<u8> = pointers
        .iter()
        .filter_map(|p| doc.pointer(p))
        .map(shape)
        .collect();
    if selected_kinds.len() > 1 {
        return Err(Error::new(
            format!("{at}.target"),
            format!(
                "`{target}` selects a mix of objects, arrays and primitives; an `{field}` needs them all of one kind"
            ),
        ));
    }
    for pointer in &pointers {
        if let Some(node) = doc.pointer_mut(pointer) {
            merge_selected(node, &value, &format!("{at}.{field}"), pointer)?;
        }
    }
    Ok(())
}

/// 0 for objects, 1 for arrays, 2 for primitives.
fn shape(value: &Value) -> u8 {
    match value {
        Value::Object(_) => 0,
        Value::Array(_) => 1,
        _ => 2,
    }
}

/// Merges an action's value into one selected node: into an object, an object; onto an array,
/// an array concatenated or any other value appended; over a primitive, a primitive.
fn merge_selected(node: &mut Value, value: &Value, at: &str, pointer: &str) -> Result<()> {
    match node {
        Value::Object(_) if value.is_object() => merge(node, value, at, pointer),
        Value::Object(_) => Err(Error::new(
            at,
            format!(
                "the node at `{}` is a mapping: only a mapping can be merged into it, not {}",
                display_pointer(pointer),
                kind(value)
            ),
        )),
        Value::Array(items) => {
            match value {
                Value::Array(more) => items.extend(more.iter().cloned()),
                other => items.push(other.clone()),
            }
            Ok(())
        }
        primitive => {
            if value.is_object() || value.is_array() {
                return Err(Error::new(
                    at,
                    format!(
                        "the node at `{}` is {}: only a primitive value can replace it, not {}",
                        display_pointer(pointer),
                        kind(primitive),
                        kind(value)
                    ),
                ));
            }
            *primitive = value.clone();
            Ok(())
        }
    }
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() { "/" } else { pointer }
}

/// Merges `update` into `node` key by key: a primitive replaces a primitive, arrays are
/// concatenated, objects merged recursively; any other pair is an error naming the key's place.
fn merge(node: &mut Value, update: &Value, at: &str, pointer: &str) -> Result<()> {
    let (Value::Object(node), Value::Object(update)) = (node, update) else {
        return Ok(());
    };
    for (key, value) in update {
        let here = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
        match node.get_mut(key) {
            None => {
                node.insert(key.clone(), value.clone());
            }
            Some(existing) => match (existing, value) {
                (existing @ Value::Object(_), Value::Object(_)) => {
                    merge(existing, value, at, &here)?;
                }
                (Value::Array(items), Value::Array(more)) => items.extend(more.iter().cloned()),
                (existing, value)
                    if !existing.is_object()
                        && !existing.is_array()
                        && !value.is_object()
                        && !value.is_array() =>
                {
                    *existing = value.clone();
                }
                (existing, value) => {
                    return Err(Error::new(
                        at,
                        format!(
                            "cannot merge {} into {} at `{here}`: a primitive replaces a primitive, a list extends a list, a mapping merges into a mapping",
                            kind(value),
                            kind(existing)
                        ),
                    ));
                }
            },
        }
    }
    Ok(())
}

fn remove_at(doc: &mut Value, pointer: &str, at: &str) -> Result<()> {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return Err(Error::new(
            format!("{at}.target"),
            "cannot remove the document itself",
        ));
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(index) = key.parse::<usize>()
                && index < items.len()
            {
                items.remove(index);
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const HEAD: &str = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\n";
    const HEAD_11: &str = "overlay: 1.1.0\ninfo: {title: t, version: '1'}\n";

    fn run(doc: Value, overlay: &str) -> Result<Value> {
        let mut doc = doc;
        apply(&mut doc, "o.yml", overlay)?;
        Ok(doc)
    }

    #[test]
    fn update_merges_and_remove_removes() {
        let doc = json!({"a": {"b": 1, "c": [1]}, "d": [{"x": 1}, {"x": 2}]});
        let out = run(
            doc,
            &format!("{HEAD}actions:\n  - target: $.a\n    update: {{b: 2, c: [2], e: 3}}\n  - target: $.d[?@.x == 1]\n    remove: true\n"),
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"a": {"b": 2, "c": [1, 2], "e": 3}, "d": [{"x": 2}]})
        );
    }

    #[test]
    fn a_target_that_selects_nothing_is_a_no_op_unless_strict() {
        let overlay = format!(
            "{HEAD}actions:\n  - target: $.a\n    update: 2\n  - target: $.missing\n    update: 1\n"
        );
        assert_eq!(run(json!({"a": 1}), &overlay).unwrap(), json!({"a": 2}));
        let mut doc = json!({"a": 1});
        let err = apply_with(
            &mut doc,
            "o.yml",
            &overlay,
            Options {
                strict_targets: true,
            },
        )
        .unwrap_err();
        assert_eq!(err.location(), "o.yml actions[1].target");
        assert!(err.message().contains("selects nothing"), "{err}");
        // The overlay can ask for it itself.
        let own = overlay.replacen("actions:", "x-strict-targets: true\nactions:", 1);
        let err = run(json!({"a": 1}), &own).unwrap_err();
        assert_eq!(err.location(), "o.yml actions[1].target");
    }

    #[test]
    fn bad_documents_are_refused_at_their_place() {
        let cases: &[(&str, &str)] = &[
            ("actions: [{target: $}]", "o.yml"),
            (
                "overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $}]",
                "o.yml overlay",
            ),
            (
                "overlay: 1.0.0\ninfo: {title: t}\nactions: [{target: $}]",
                "o.yml info.version",
            ),
            (
                "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: []",
                "o.yml actions",
            ),
            (
                "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, remove: maybe}]",
                "o.yml actions[0].remove",
            ),
            (
                "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, copy: $.a}]",
                "o.yml actions[0].copy",
            ),
            (
                "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, updat: 1}]",
                "o.yml actions[0].updat",
            ),
            (
                "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions: [{target: a}]",
                "o.yml actions[0].target",
            ),
            (
                "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions: [{target: '$..['}]",
                "o.yml actions[0].target",
            ),
            (
                "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions: [{target: $.a}, {target: $.a}]",
                "o.yml actions[1]",
            ),
        ];
        for (overlay, location) in cases {
            let err = run(json!({"a": 1}), overlay).unwrap_err();
            assert_eq!(err.location(), *location, "{overlay}: {err}");
        }
    }

    #[test]
    fn remove_wins_over_update_and_no_modifier_changes_nothing() {
        let doc = json!({"a": {"b": 1}, "c": 1});
        let out = run(
            doc,
            &format!("{HEAD}actions:\n  - target: $.a\n    update: {{z: 1}}\n    remove: true\n  - target: $.c\n"),
        )
        .unwrap();
        assert_eq!(out, json!({"c": 1}));
    }

    #[test]
    fn arrays_take_appended_values_and_mismatches_are_located() {
        let out = run(
            json!({"tags": ["a"]}),
            &format!("{HEAD}actions:\n  - target: $.tags\n    update: b\n"),
        )
        .unwrap();
        assert_eq!(out, json!({"tags": ["a", "b"]}));
        let err = run(
            json!({"a": {"b": 1}}),
            &format!("{HEAD}actions:\n  - target: $.a\n    update: {{b: {{c: 1}}}}\n"),
        )
        .unwrap_err();
        assert_eq!(err.location(), "o.yml actions[0].update");
        assert!(err.message().contains("/a/b"), "{err}");
        let err = run(
            json!({"a": {"b": 1}}),
            &format!("{HEAD}actions:\n  - target: $.a\n    update: 3\n"),
        )
        .unwrap_err();
        assert_eq!(err.location(), "o.yml actions[0].update");
    }

    #[test]
    fn copy_merges_one_node_into_the_targets() {
        let doc = json!({"paths": {"/a": {"get": {"x": 1}}, "/b": {"put": {}}}});
        let out = run(
            doc.clone(),
            &format!("{HEAD_11}actions:\n  - target: $.paths['/b']\n    copy: $.paths['/a']\n"),
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"paths": {"/a": {"get": {"x": 1}}, "/b": {"put": {}, "get": {"x": 1}}}})
        );
        // `update` wins over `copy`.
        let out = run(
            doc.clone(),
            &format!("{HEAD_11}actions:\n  - target: $.paths['/b']\n    copy: $.paths['/a']\n    update: {{y: 1}}\n"),
        )
        .unwrap();
        assert_eq!(out["paths"]["/b"], json!({"put": {}, "y": 1}));
        let err = run(
            doc.clone(),
            &format!("{HEAD_11}actions:\n  - target: $.paths['/b']\n    copy: $.paths.*\n"),
        )
        .unwrap_err();
        assert_eq!(err.location(), "o.yml actions[0].copy");
        assert!(err.message().contains("selects 2 nodes"), "{err}");
        let err = run(
            doc,
            &format!("{HEAD_11}actions:\n  - target: $.paths['/b']\n    copy: $.nothing\n"),
        )
        .unwrap_err();
        assert_eq!(err.location(), "o.yml actions[0].copy");
    }

    #[test]
    fn dashed_names_in_dot_notation_are_read() {
        assert_eq!(
            bracket_dashed_names("$.paths.*.get[?@.x-oai-traits.paged]").as_deref(),
            Some("$.paths.*.get[?@['x-oai-traits'].paged]")
        );
        assert_eq!(
            bracket_dashed_names("$..x-a[?@.b == 'c.d-e']").as_deref(),
            Some("$..['x-a'][?@.b == 'c.d-e']")
        );
        assert_eq!(bracket_dashed_names("$.a.b"), None);
        let out = run(
            json!({"a": {"x-t": {"p": true}, "q": 1}, "b": {"q": 1}}),
            &format!("{HEAD}actions:\n  - target: $[?@.x-t.p]\n    update: {{q: 2}}\n"),
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"a": {"x-t": {"p": true}, "q": 2}, "b": {"q": 1}})
        );
    }

    #[test]
    fn keys_with_slashes_are_removed() {
        let doc = json!({"paths": {"/a/b": {"get": 1}, "/c": {}}});
        let out = run(
            doc,
            &format!("{HEAD}actions:\n  - target: \"$.paths['/a/b']\"\n    remove: true\n"),
        )
        .unwrap();
        assert_eq!(out, json!({"paths": {"/c": {}}}));
    }
}
