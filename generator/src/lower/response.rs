//! The response an operation is typed by: its first success, JSON, bytes or nothing.

use openapiv3::{ReferenceOr, Response as OaResponse, StatusCode};

use super::{component_key, is_json};
use crate::error::{Error, Result};
use crate::examples;
use crate::ir::{Response, ResponseKind, TypeRef};
use crate::types::TypeSpace;

pub(super) fn lower_response(
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
