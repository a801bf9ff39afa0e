//! Parameters by reference, and the path template checked against the path parameters.

use openapiv3::{OpenAPI, Parameter, ReferenceOr};

use super::component_key;
use crate::error::{Error, Result};
use crate::ir::{Location, Param};

/// Every `{name}` in the path template must be a declared path parameter, and back.
pub(super) fn check_path_template(path: &str, params: &[Param], location: &str) -> Result<()> {
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

pub(super) fn resolve_parameter<'d>(
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
