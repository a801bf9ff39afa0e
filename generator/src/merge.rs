//! Several API documents as one API: their operations side by side, their types shared.
//!
//! Operation names must differ between documents (two documents may describe the same path
//! with different contracts, as distinct operations: the route stubs then tell them apart by
//! their parameters). A type name used by two documents must describe the same values in both;
//! otherwise generation fails naming the type and both documents.

use crate::error::{Error, Result};
use crate::ir::Api;

/// Adds the operations and types of `other` (read from the document called `name`) to `api`,
/// which keeps its own title, version, description and server.
///
/// # Errors
///
/// An [`Error`] located in `name` when an operation name of `other` is already taken, or a
/// type name is taken by a different type.
pub fn merge(mut api: Api, other: Api, name: &str) -> Result<Api> {
    for op in other.operations {
        if let Some(taken) = api.operations.iter().find(|o| o.ident == op.ident) {
            return Err(Error::new(
                format!(
                    "{name} paths.{}.{}",
                    op.path,
                    op.method.to_ascii_lowercase()
                ),
                format!(
                    "operation name `{}` is already used by `{} {}` of an earlier document; give one of them another operationId",
                    op.id, taken.method, taken.path
                ),
            ));
        }
        api.operations.push(op);
    }
    api.warnings.extend(other.warnings);
    for def in other.types {
        match api.types.iter().find(|d| d.name() == def.name()) {
            Some(existing) if existing.same_shape(&def) => {}
            Some(_) => {
                return Err(Error::new(
                    format!("{name} components.schemas"),
                    format!(
                        "type `{}` differs from the type of the same name in an earlier document; rename one of them",
                        def.name()
                    ),
                ));
            }
            None => api.types.push(def),
        }
    }
    Ok(api)
}
