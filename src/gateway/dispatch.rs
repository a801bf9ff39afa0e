//! JSON in, typed answer out: checked arguments to the generated dispatcher of every
//! operation (read by wire name through [`crate::cli::Args`]); a file's operation gives a
//! signed URL.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::schema::Checked;
use super::tools::{Source, ToolDef};
use crate::Client;
use crate::cli::Outcome;
use crate::error::Error;

/// How long a signed download URL handed out by a tool stays valid.
pub const DOWNLOAD_URL_LIFETIME: Duration = Duration::from_secs(600);

/// Runs `tool` with `checked` arguments on `client` (already carrying the user token, if any).
pub async fn run(client: &Client, tool: &ToolDef, checked: &Checked) -> Result<Value, Error> {
    match tool.source {
        Source::Spec => match dispatch(client, tool, checked, false).await? {
            Outcome::Json(value) => Ok(value),
            Outcome::Url(url) => Ok(json!({ "url": url })),
            Outcome::File(file) => Ok(json!({ "url": file.presigned_url()? })),
        },
        Source::Download => {
            let url = signed_download_url(client, tool, checked).await?;
            let expires = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or_default()
                + DOWNLOAD_URL_LIFETIME.as_secs();
            Ok(json!({
                "url": url,
                "expires": expires,
                "expiresIn": DOWNLOAD_URL_LIFETIME.as_secs(),
            }))
        }
    }
}

/// Runs `tool` through its generated dispatcher, reading the checked arguments by wire name
/// (no command line is built or parsed); with `sign_url`, its signed URL instead.
async fn dispatch(
    client: &Client,
    tool: &ToolDef,
    checked: &Checked,
    sign_url: bool,
) -> Result<Outcome, Error> {
    let entry = crate::cli::dispatcher(tool.op.id)
        .ok_or_else(|| Error::invalid_input(tool.name.as_str(), "has no dispatcher"))?;
    entry.run(client, checked, sign_url).await
}

/// A signed URL for the file of `tool` with `checked` arguments that expires after
/// [`DOWNLOAD_URL_LIFETIME`]: the generated call's signed URL, re-signed with an `expires`
/// parameter.
///
/// # Errors
///
/// [`Error::InvalidInput`] for bad inputs.
pub async fn signed_download_url(
    client: &Client,
    tool: &ToolDef,
    checked: &Checked,
) -> Result<String, Error> {
    let Outcome::Url(signed) = dispatch(client, tool, checked, true).await? else {
        return Err(Error::invalid_input(
            tool.name.as_str(),
            "has no signed URL",
        ));
    };
    let mut url =
        url::Url::parse(&signed).map_err(|e| Error::invalid_input("url", e.to_string()))?;
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !k.starts_with("oauth_"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.set_query(None);
    if !kept.is_empty() {
        url.query_pairs_mut().extend_pairs(kept);
    }
    client.presign_url(
        url.as_str(),
        tool.op.auth_level(),
        Some(DOWNLOAD_URL_LIFETIME),
    )
}
