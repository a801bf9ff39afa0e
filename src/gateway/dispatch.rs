//! JSON in, typed answer out: checked arguments to the generated CLI dispatcher (spec
//! operations) or to `download_service` (partner calls and download URLs).

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::TryStreamExt;
use serde_json::{Value, json};

use super::schema::Checked;
use super::tools::{Source, ToolDef};
use crate::Client;
use crate::catalogue::AuthLevel;
use crate::cli::Outcome;
use crate::download_service::{DownloadRequest, LockerSort, Price};
use crate::error::Error;

/// How long a signed download URL handed out by a tool stays valid.
pub const DOWNLOAD_URL_LIFETIME: Duration = Duration::from_secs(600);

fn commands() -> &'static [clap::Command] {
    static COMMANDS: OnceLock<Vec<clap::Command>> = OnceLock::new();
    COMMANDS.get_or_init(crate::cli::commands)
}

/// The generated subcommand of operation `id`.
fn subcommand(id: &str) -> Option<&'static str> {
    crate::cli::SUBCOMMANDS
        .iter()
        .find(|(_, op)| *op == id)
        .map(|(name, _)| *name)
}

/// Runs `tool` with `checked` arguments on `client` (already carrying the user token, if any).
pub async fn run(client: &Client, tool: &ToolDef, checked: &Checked) -> Result<Value, Error> {
    match tool.source {
        Source::Spec => spec(client, tool, checked).await,
        Source::Service => service(client, tool, checked).await,
        Source::Download => {
            let url = signed_download_url(client, &download_request(tool, checked)?)?;
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

async fn spec(client: &Client, tool: &ToolDef, checked: &Checked) -> Result<Value, Error> {
    let name = subcommand(tool.op.id)
        .ok_or_else(|| Error::invalid_input(tool.name.as_str(), "has no dispatcher"))?;
    let command = commands()
        .iter()
        .find(|c| c.get_name() == name)
        .ok_or_else(|| Error::invalid_input(tool.name.as_str(), "has no dispatcher"))?;
    let mut argv: Vec<String> = vec![name.to_string()];
    for (param, value) in &checked.values {
        let long = command
            .get_arguments()
            .find(|a| a.get_id().as_str() == param.name)
            .and_then(|a| a.get_long())
            .ok_or_else(|| Error::invalid_input(param.name, "is not accepted by the dispatcher"))?;
        argv.push(format!("--{long}={value}"));
    }
    let matches = command
        .clone()
        .no_binary_name(false)
        .try_get_matches_from(argv)
        .map_err(|e| {
            let text = e.to_string();
            let first = text.lines().next().unwrap_or("invalid input").to_string();
            Error::invalid_input(tool.name.as_str(), first)
        })?;
    match crate::cli::run(client, name, &matches, false).await {
        Some(Ok(Outcome::Json(value))) => Ok(value),
        Some(Ok(Outcome::Url(url))) => Ok(json!({ "url": url })),
        Some(Ok(Outcome::Bytes(bytes))) => Ok(json!({ "bytes": bytes.len() })),
        Some(Err(e)) => Err(e),
        None => Err(Error::invalid_input(
            tool.name.as_str(),
            "has no dispatcher",
        )),
    }
}

fn u32_of(checked: &Checked, name: &'static str) -> Result<Option<u32>, Error> {
    checked
        .get(name)
        .map(|v| {
            v.parse::<u32>()
                .map_err(|_| Error::invalid_input(name, "must be a whole number"))
        })
        .transpose()
}

async fn service(client: &Client, tool: &ToolDef, c: &Checked) -> Result<Value, Error> {
    match tool.op.id {
        "createPartnerUser" => client
            .create_partner_user(c.text("userId"), c.text("country"))
            .send()
            .await
            .map(|u| crate::cli::json_value(&u)),
        "logSale" => {
            let price = Price::parse(&c.text("retailPrice"))?;
            let mut sale = client.log_sale(
                c.text("userId"),
                c.text("releaseId"),
                c.text("country"),
                c.text("transactionId"),
                price,
            );
            if let Some(v) = c.get("trackId") {
                sale = sale.track_id(v);
            }
            if let Some(v) = c.get("emailAddress") {
                sale = sale.email_address(v);
            }
            if let Some(v) = u32_of(c, "packageId")? {
                sale = sale.package_id(v);
            }
            if let Some(v) = c.get("postCode") {
                sale = sale.post_code(v);
            }
            sale.send().await.map(|s| crate::cli::json_value(&s))
        }
        "getPartnerLocker" => {
            let mut locker = client.partner_locker(c.text("userId"), c.text("country"));
            if let Some(v) = u32_of(c, "pageSize")? {
                locker = locker.page_size(v);
            }
            if let Some(v) = c.get("releaseId") {
                locker = locker.release_id(v);
            }
            if let Some(v) = c.get("trackId") {
                locker = locker.track_id(v);
            }
            if let Some(v) = c.get("purchaseId") {
                locker = locker.purchase_id(v);
            }
            if let Some(sort) = c.get("sort") {
                locker = locker.sort(LockerSort::from_wire(sort));
            }
            match u32_of(c, "page")? {
                Some(page) => locker
                    .page(page)
                    .send()
                    .await
                    .map(|p| crate::cli::json_value(&p)),
                None => {
                    let items: Vec<_> = locker.into_stream().try_collect().await?;
                    Ok(json!({ "items": crate::cli::json_value(&items) }))
                }
            }
        }
        "refundRelease" => client
            .refund_release(
                c.text("purchaseId"),
                c.text("releaseId"),
                c.text("country"),
                c.text("purchaseDate"),
            )
            .send()
            .await
            .map(|()| json!({ "status": "ok" })),
        "refundTrack" => client
            .refund_track(
                c.text("purchaseId"),
                c.text("trackId"),
                c.text("purchaseDate"),
            )
            .send()
            .await
            .map(|()| json!({ "status": "ok" })),
        _ => Err(Error::invalid_input(
            tool.name.as_str(),
            "has no dispatcher",
        )),
    }
}

/// The download request a download tool's arguments describe.
///
/// # Errors
///
/// [`Error::InvalidInput`] for a bad `formatId`, or a tool that is not a download.
pub fn download_request(tool: &ToolDef, c: &Checked) -> Result<DownloadRequest, Error> {
    let format = || u32_of(c, "formatId").map(Option::unwrap_or_default);
    Ok(match tool.op.id {
        "downloadPurchaseZip" => {
            DownloadRequest::purchase(c.text("userId"), c.text("purchaseId"), c.text("country"))
        }
        "downloadPurchasedReleaseZip" => DownloadRequest::release(
            c.text("userId"),
            c.text("releaseId"),
            format()?,
            c.text("country"),
        ),
        "downloadPurchasedTrack" => DownloadRequest::Track {
            user_id: c.text("userId"),
            track_id: c.text("trackId"),
            release_id: c.text("releaseId"),
            format_id: format()?,
            country: c.text("country"),
            error_url: c.get("errorUrl").map(str::to_string),
        },
        _ => {
            return Err(Error::invalid_input(
                tool.name.as_str(),
                "is not a download",
            ));
        }
    })
}

/// A signed URL for `request` that expires after [`DOWNLOAD_URL_LIFETIME`]: the download
/// service's URL, re-signed with an `expires` parameter.
///
/// # Errors
///
/// [`Error::InvalidInput`] for bad inputs.
pub fn signed_download_url(client: &Client, request: &DownloadRequest) -> Result<String, Error> {
    let signed = client.download_url(request)?;
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
        AuthLevel::TwoLegged,
        Some(DOWNLOAD_URL_LIFETIME),
    )
}
