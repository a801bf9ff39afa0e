//! The download-service subcommands: partner users, sales, the partner locker, refunds and
//! downloads (with a progress bar on a terminal, resumed when run again).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Arg, ArgAction, ArgMatches, Command};
use futures_util::TryStreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use sevendigital::cli::Outcome;
use sevendigital::download::DownloadOptions;
use sevendigital::download_service::{DownloadRequest, LockerSort, Price};
use sevendigital::{Client, Error};

fn arg(id: &'static str, help: &'static str) -> Arg {
    Arg::new(id).long(id).help(help)
}

fn required(id: &'static str, help: &'static str) -> Arg {
    arg(id, help).required(true)
}

fn user() -> Arg {
    required(
        "user-id",
        "The store's id for the user (up to 255 characters, permanent)",
    )
}

fn country() -> Arg {
    required("country", "ISO 3166-1 alpha-2 code of the user's country")
}

fn output_args(command: Command) -> Command {
    command
        .arg(
            Arg::new("output")
                .short('o')
                .long("file")
                .value_name("FILE")
                .help("Write to FILE")
                .conflicts_with("dir"),
        )
        .arg(
            Arg::new("dir")
                .short('d')
                .long("dir")
                .value_name("DIR")
                .help("Write into DIR (created if missing), under the item's name"),
        )
}

/// The names of the subcommands.
pub const NAMES: &[&str] = &[
    "create-partner-user",
    "log-sale",
    "partner-locker",
    "refund-release",
    "refund-track",
    "download-purchase-zip",
    "download-purchased-release-zip",
    "download-purchased-track",
    "download-locker",
];

/// The subcommands.
pub fn commands() -> Vec<Command> {
    let format = || {
        required(
            "format-id",
            "The format (one of the locker item's formatIds)",
        )
        .value_parser(clap::value_parser!(u32))
    };
    vec![
        Command::new("create-partner-user")
            .about("Create a user for one of the store's customers (user/create)")
            .arg(user())
            .arg(country()),
        Command::new("log-sale")
            .about("Log a sale for the rights-holders report (user/deliveritem); sent once, never retried")
            .arg(user())
            .arg(required("release-id", "The release sold (or the release of the track sold)"))
            .arg(country())
            .arg(required("transaction-id", "The store's transaction id"))
            .arg(required("retail-price", "The price charged, a decimal such as 7.99 (no commas)"))
            .arg(arg("track-id", "The track sold, when only a track"))
            .arg(arg("email-address", "The user's email address"))
            .arg(arg("package-id", "The package (2 = standard)").value_parser(clap::value_parser!(u32)))
            .arg(arg("post-code", "US (or CA) zip code: 12345 or 12345-6789")),
        Command::new("partner-locker")
            .about("Everything a user bought (user/locker), every page")
            .arg(user())
            .arg(country())
            .arg(arg("page-size", "Items per page, 1 to 50").value_parser(clap::value_parser!(u32).range(1..=50)))
            .arg(arg("release-id", "Only this release"))
            .arg(arg("track-id", "Only this track (with --release-id)"))
            .arg(arg("purchase-id", "Only this purchase"))
            .arg(arg("sort", "Order of the items").value_parser([
                "releaseTitle asc",
                "releaseTitle desc",
                "purchaseDate asc",
                "purchaseDate desc",
                "artistName asc",
                "artistName desc",
            ])),
        Command::new("refund-release")
            .about("Log the refund of a release (sales/refund/release), before the 4th of the next month")
            .arg(required("purchase-id", "The purchase id of the sale"))
            .arg(required("release-id", "The release refunded"))
            .arg(country())
            .arg(required("purchase-date", "The sale's date (YYYY-MM-DD or RFC 3339)")),
        Command::new("refund-track")
            .about("Log the refund of a track (sales/refund/track), before the 4th of the next month")
            .arg(required("purchase-id", "The purchase id of the sale"))
            .arg(required("track-id", "The track refunded"))
            .arg(required("purchase-date", "The sale's date (YYYY-MM-DD or RFC 3339)")),
        output_args(
            Command::new("download-purchase-zip")
                .about("Download every track of a purchase as one ZIP file (resumed when run again)")
                .arg(user())
                .arg(required("purchase-id", "The purchase"))
                .arg(country()),
        ),
        output_args(
            Command::new("download-purchased-release-zip")
                .about("Download a purchased release as one ZIP file (resumed when run again)")
                .arg(user())
                .arg(required("release-id", "The release"))
                .arg(format())
                .arg(country()),
        ),
        output_args(
            Command::new("download-purchased-track")
                .about("Download one purchased track (resumed when run again)")
                .arg(user())
                .arg(required("track-id", "The track"))
                .arg(required("release-id", "The release the track appears on"))
                .arg(format())
                .arg(country())
                .arg(arg("error-url", "Where a browser is sent if the download fails")),
        ),
        Command::new("download-locker")
            .about("Download every item of a user's locker into a directory, skipping complete files")
            .arg(user())
            .arg(country())
            .arg(Arg::new("dir").short('d').long("dir").value_name("DIR").required(true).help("The directory"))
            .arg(
                Arg::new("concurrency")
                    .long("concurrency")
                    .value_name("N")
                    .default_value("4")
                    .value_parser(clap::value_parser!(u32).range(1..=32))
                    .help("Downloads in flight at once"),
            )
            .arg(Arg::new("quiet").long("quiet").action(ArgAction::SetTrue).help("No progress bar")),
    ]
}

fn text(m: &ArgMatches, id: &str) -> String {
    m.get_one::<String>(id).cloned().unwrap_or_default()
}

fn opt(m: &ArgMatches, id: &str) -> Option<String> {
    m.get_one::<String>(id).cloned()
}

fn json<T: serde::Serialize>(value: &T) -> Outcome {
    Outcome::Json(sevendigital::cli::json_value(value))
}

/// Runs subcommand `name`, or `None` when it is not one of these.
/// With `sign_url`, a download subcommand prints the signed download URL instead.
pub async fn run(
    client: &Client,
    name: &str,
    m: &ArgMatches,
    sign_url: bool,
) -> Option<Result<Outcome, Error>> {
    if sign_url {
        return Some(match request(m, name) {
            Some((request, _)) => client.download_url(&request).map(Outcome::Url),
            None => Err(Error::invalid_input(
                "--sign-url",
                format!("does not apply to {name}"),
            )),
        });
    }
    Some(match name {
        "create-partner-user" => client
            .create_partner_user(text(m, "user-id"), text(m, "country"))
            .send()
            .await
            .map(|u| json(&u)),
        "log-sale" => log_sale(client, m).await,
        "partner-locker" => locker(client, m).await,
        "refund-release" => client
            .refund_release(
                text(m, "purchase-id"),
                text(m, "release-id"),
                text(m, "country"),
                text(m, "purchase-date"),
            )
            .send()
            .await
            .map(|()| Outcome::Json(serde_json::json!({ "status": "ok" }))),
        "refund-track" => client
            .refund_track(
                text(m, "purchase-id"),
                text(m, "track-id"),
                text(m, "purchase-date"),
            )
            .send()
            .await
            .map(|()| Outcome::Json(serde_json::json!({ "status": "ok" }))),
        "download-purchase-zip" | "download-purchased-release-zip" | "download-purchased-track" => {
            match request(m, name) {
                Some((request, file)) => download(client, &request, m, &file).await,
                None => return None,
            }
        }
        "download-locker" => download_locker(client, m).await,
        _ => return None,
    })
}

/// The download a download subcommand asks for, with the file name to use by default.
fn request(m: &ArgMatches, name: &str) -> Option<(DownloadRequest, String)> {
    let format = || m.get_one::<u32>("format-id").copied().unwrap_or_default();
    Some(match name {
        "download-purchase-zip" => {
            let purchase = text(m, "purchase-id");
            let file = format!("purchase-{purchase}.zip");
            (
                DownloadRequest::purchase(text(m, "user-id"), purchase, text(m, "country")),
                file,
            )
        }
        "download-purchased-release-zip" => {
            let (release, format) = (text(m, "release-id"), format());
            let file = format!("release-{release}-{format}.zip");
            let request =
                DownloadRequest::release(text(m, "user-id"), release, format, text(m, "country"));
            (request, file)
        }
        "download-purchased-track" => {
            let (track, format) = (text(m, "track-id"), format());
            let file = format!("track-{track}-{format}.mp3");
            let request = DownloadRequest::Track {
                user_id: text(m, "user-id"),
                track_id: track,
                release_id: text(m, "release-id"),
                format_id: format,
                country: text(m, "country"),
                error_url: opt(m, "error-url"),
            };
            (request, file)
        }
        _ => return None,
    })
}

async fn log_sale(client: &Client, m: &ArgMatches) -> Result<Outcome, Error> {
    let price = Price::parse(&text(m, "retail-price"))?;
    let mut sale = client.log_sale(
        text(m, "user-id"),
        text(m, "release-id"),
        text(m, "country"),
        text(m, "transaction-id"),
        price,
    );
    if let Some(track) = opt(m, "track-id") {
        sale = sale.track_id(track);
    }
    if let Some(email) = opt(m, "email-address") {
        sale = sale.email_address(email);
    }
    if let Some(package) = m.get_one::<u32>("package-id") {
        sale = sale.package_id(*package);
    }
    if let Some(zip) = opt(m, "post-code") {
        sale = sale.post_code(zip);
    }
    sale.send().await.map(|s| json(&s))
}

async fn locker(client: &Client, m: &ArgMatches) -> Result<Outcome, Error> {
    let mut locker = client.partner_locker(text(m, "user-id"), text(m, "country"));
    if let Some(size) = m.get_one::<u32>("page-size") {
        locker = locker.page_size(*size);
    }
    if let Some(release) = opt(m, "release-id") {
        locker = locker.release_id(release);
    }
    if let Some(track) = opt(m, "track-id") {
        locker = locker.track_id(track);
    }
    if let Some(purchase) = opt(m, "purchase-id") {
        locker = locker.purchase_id(purchase);
    }
    if let Some(sort) = opt(m, "sort") {
        locker = locker.sort(LockerSort::from_wire(&sort));
    }
    let items: Vec<_> = locker.into_stream().try_collect().await?;
    Ok(json(&items))
}

/// A progress bar on a terminal (stderr) labelled `label`, nothing when stderr is piped.
fn progress_bar(quiet: bool, label: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
    ) {
        bar.set_style(style);
    }
    bar.set_message(label.to_string());
    bar
}

fn target(m: &ArgMatches, name: &str) -> PathBuf {
    match (m.get_one::<String>("output"), m.get_one::<String>("dir")) {
        (Some(file), _) => PathBuf::from(file),
        (None, Some(dir)) => Path::new(dir).join(name),
        (None, None) => PathBuf::from(name),
    }
}

/// Waits for Ctrl-C; never returns if it cannot be watched.
async fn interrupted() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// The line printed when Ctrl-C stops a download: what is kept, and how to resume.
fn interrupted_line(path: &Path) -> String {
    format!(
        "interrupted: what was received is kept in {}.part; run the same command again to resume",
        sevendigital::text::escape_controls(&path.display().to_string())
    )
}

async fn download(
    client: &Client,
    request: &DownloadRequest,
    m: &ArgMatches,
    name: &str,
) -> Result<Outcome, Error> {
    let path = target(m, name);
    if let Some(dir) = m.get_one::<String>("dir") {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| Error::invalid_input("--dir", format!("cannot create {dir}: {e}")))?;
    }
    let label = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bar = progress_bar(false, &label);
    let shown = bar.clone();
    // The first report of each attempt gives the bytes already on disk (resumed): they are
    // the starting position, not part of this transfer's rate or ETA.
    let started = Arc::new(AtomicBool::new(false));
    let options = DownloadOptions::new().on_progress(move |p| {
        if let Some(total) = p.total {
            shown.set_length(total);
        }
        shown.set_position(p.done);
        if !started.swap(true, Ordering::Relaxed) {
            shown.reset_eta();
            shown.reset_elapsed();
        }
    });
    let result = tokio::select! {
        result = client.download(request, &path, &options) => result,
        () = interrupted() => {
            bar.abandon();
            eprintln!("{}", interrupted_line(&path));
            std::process::exit(130);
        }
    };
    bar.finish_and_clear();
    let done = result?;
    Ok(Outcome::Json(serde_json::json!({
        "path": path.display().to_string(),
        "bytes": done.bytes,
        "resumedFrom": done.resumed_from,
        "suggestedName": done.suggested_name,
        "finalUrl": done.final_url,
    })))
}

async fn download_locker(client: &Client, m: &ArgMatches) -> Result<Outcome, Error> {
    let dir = PathBuf::from(text(m, "dir"));
    let concurrency = m.get_one::<u32>("concurrency").copied().unwrap_or(4) as usize;
    let bar = progress_bar(m.get_flag("quiet"), "locker");
    let shown = bar.clone();
    let options = DownloadOptions::new().on_progress(move |p| {
        shown.set_message(format!("{} bytes", p.done));
        shown.tick();
    });
    let (user, country) = (text(m, "user-id"), text(m, "country"));
    let results = tokio::select! {
        results = client.download_locker(
            &user,
            &country,
            &dir,
            concurrency,
            &options,
        ) => results,
        () = interrupted() => {
            bar.abandon();
            eprintln!(
                "interrupted: partial files are kept in {} as .part; run the same command again to resume",
                sevendigital::text::escape_controls(&dir.display().to_string())
            );
            std::process::exit(130);
        }
    };
    bar.finish_and_clear();
    let report: Vec<serde_json::Value> = results?
        .iter()
        .map(|d| match &d.outcome {
            Ok(Some(done)) => serde_json::json!({ "path": d.path.display().to_string(), "bytes": done.bytes }),
            Ok(None) => serde_json::json!({ "path": d.path.display().to_string(), "skipped": "already complete" }),
            Err(e) => serde_json::json!({ "path": d.path.display().to_string(), "error": e.to_string() }),
        })
        .collect();
    Ok(Outcome::Json(serde_json::Value::Array(report)))
}
