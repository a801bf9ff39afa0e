//! Reading an OpenAPI 3.0 document from YAML or JSON text.

use openapiv3::OpenAPI;

use crate::error::{Error, Result};

/// Parses `text` (YAML, or JSON, which is YAML too) into an OpenAPI document.
///
/// A syntax error names its line and column; a document that is valid YAML
/// but not a valid OpenAPI 3.0 document names the path of the offending
/// node (for example `paths./release/search.get.responses`).
pub fn parse(text: &str) -> Result<OpenAPI> {
    let deserializer = serde_yaml::Deserializer::from_str(text);
    let doc: OpenAPI = serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let location = match (inner.location(), path.as_str()) {
            (Some(at), ".") => format!("line {} column {}", at.line(), at.column()),
            (Some(at), _) => format!("{path} (line {} column {})", at.line(), at.column()),
            (None, _) => path,
        };
        Error::new(location, inner.to_string())
    })?;
    if !doc.openapi.starts_with("3.") {
        return Err(Error::new(
            "openapi",
            format!(
                "unsupported OpenAPI version `{}`: only 3.0.x is supported",
                doc.openapi
            ),
        ));
    }
    Ok(doc)
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
        assert!(err.location().contains("paths./a.get.responses"), "{err}");
    }

    #[test]
    fn version_two_is_rejected() {
        let err = parse("openapi: 2.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!(err.location(), "openapi");
    }
}
