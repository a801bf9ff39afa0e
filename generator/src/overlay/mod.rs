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

use crate::error::{Error, Result};

mod action;
mod path;
mod validate;

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
    let actions = validate::validate(name, overlay)?;
    let strict = options.strict_targets
        || overlay
            .get(STRICT_TARGETS_EXTENSION)
            .and_then(Value::as_bool)
            == Some(true);
    for (i, action) in actions.iter().enumerate() {
        action::apply_action(doc, action, &format!("{name} actions[{i}]"), strict)?;
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::path::bracket_dashed_names;
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
