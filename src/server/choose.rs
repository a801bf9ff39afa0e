//! Which operation a request is for, when several share its path and method (the v1.2 spec's
//! `deliverUserItem` and the download service's `logSale` are both `GET /user/deliveritem`).

use crate::catalogue::{Operation, Param, ParamLocation};
use crate::server::RequestContext;

/// The index in `operations` (which share a path and method) of the operation `context` is
/// for: the first whose own required parameters (required by it, declared by no other) the
/// request carries at least one of; otherwise the first that has no such parameters; otherwise
/// the first. The route stubs use it, and so does anything that must know the operation before
/// the stubs run (the fake's signature check).
pub fn choose(operations: &[&Operation], context: &RequestContext) -> usize {
    let own = |i: usize| -> Vec<&'static Param> {
        operations[i]
            .params
            .iter()
            .filter(|p| p.required && p.location != ParamLocation::Path)
            .filter(|p| {
                operations
                    .iter()
                    .enumerate()
                    .all(|(j, other)| j == i || other.param(p.name).is_none())
            })
            .collect()
    };
    let carries = |p: &Param| match p.location {
        ParamLocation::Header => context.header(p.name).is_some(),
        _ => context.value(p.name).is_some(),
    };
    let owns: Vec<Vec<&Param>> = (0..operations.len()).map(own).collect();
    owns.iter()
        .position(|params| params.iter().any(|p| carries(p)))
        .or_else(|| owns.iter().position(Vec::is_empty))
        .unwrap_or(0)
}
