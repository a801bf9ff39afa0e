//! Checking an overlay document against the schema of its version (1.0 or 1.1).

use serde_json::Value;

use super::kind;
use crate::error::{Error, Result};

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

fn expect_string(value: &Value, at: impl Into<String>) -> Result<&str> {
    value
        .as_str()
        .ok_or_else(|| Error::new(at, format!("must be a string, found {}", kind(value))))
}

/// Checks the overlay against the schema of its version; returns its actions.
pub(super) fn validate<'o>(name: &str, overlay: &'o Value) -> Result<&'o [Value]> {
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
