//! Downloads to files: every subcommand whose answer is a file (the download service's
//! purchases, releases and tracks) writes it to `--file` or into `--dir`, resumed when run again,
//! with a progress bar on a terminal; and `download-locker`, which fetches a whole locker.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};
use indicatif::{ProgressBar, ProgressStyle};
use sevendigital::cli::{FileCall, Outcome};
use sevendigital::download::{DownloadOptions, StopHandle};
use sevendigital::{Client, Error};

/// `--file FILE` and `--dir DIR`, for a subcommand whose answer is a file.
pub fn output_args(command: Command) -> Command {
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

/// The names of the subcommands of this file.
pub const NAMES: &[&str] = &["download-locker"];

/// The subcommands of this file.
pub fn commands() -> Vec<Command> {
    vec![
        Command::new("download-locker")
            .about(
                "Download every item of a user's locker into a directory, skipping complete files",
            )
            .arg(
                Arg::new("user-id")
                    .long("user-id")
                    .required(true)
                    .help("The store's id for the user"),
            )
            .arg(
                Arg::new("country")
                    .long("country")
                    .required(true)
                    .help("ISO 3166-1 alpha-2 code of the user's country"),
            )
            .arg(
                Arg::new("dir")
                    .short('d')
                    .long("dir")
                    .value_name("DIR")
                    .required(true)
                    .help("The directory"),
            )
            .arg(
                Arg::new("concurrency")
                    .long("concurrency")
                    .value_name("N")
                    .default_value("4")
                    .value_parser(clap::value_parser!(u32).range(1..=32))
                    .help("Downloads in flight at once"),
            )
            .arg(
                Arg::new("quiet")
                    .long("quiet")
                    .action(ArgAction::SetTrue)
                    .help("No progress bar"),
            ),
    ]
}

fn text(m: &ArgMatches, id: &str) -> String {
    m.get_one::<String>(id).cloned().unwrap_or_default()
}

/// Runs subcommand `name`, or `None` when it is not one of these.
pub async fn run(client: &Client, name: &str, m: &ArgMatches) -> Option<Result<Outcome, Error>> {
    match name {
        "download-locker" => Some(download_locker(client, m).await),
        _ => None,
    }
}

/// The file name used without `--file`: the last two segments of the call's path and an
/// extension from the answer's media type (`purchases-9001.zip`, `tracks-123456.mp3`).
fn default_name(file: &FileCall) -> Result<String, Error> {
    let url = url::Url::parse(&file.presigned_url()?)
        .map_err(|e| Error::invalid_input("url", e.to_string()))?;
    let segments: Vec<&str> = url
        .path_segments()
        .map(|s| s.filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let stem = match segments.as_slice() {
        [.., kind, id] => format!("{kind}-{id}"),
        [id] => (*id).to_string(),
        [] => file.operation().id.to_string(),
    };
    let extension = match file.operation().file_answer() {
        Some("application/zip") => "zip",
        Some("audio/mpeg") => "mp3",
        Some("audio/flac") => "flac",
        _ => "bin",
    };
    let name = format!("{stem}.{extension}");
    sevendigital::download::sanitize_file_name(&name).ok_or_else(|| {
        Error::invalid_input("--file", "the call gives no usable file name; pass --file")
    })
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

/// How long a download stopped by Ctrl-C may take to flush what it received.
const FLUSH_ON_INTERRUPT: Duration = Duration::from_secs(10);

/// Runs `download` to its end, or, on Ctrl-C, stops it through `stop`, gives it
/// [`FLUSH_ON_INTERRUPT`] to flush what it received into its `.part` files, and returns `None`.
async fn until_interrupted<T>(download: impl Future<Output = T>, stop: &StopHandle) -> Option<T> {
    tokio::pin!(download);
    tokio::select! {
        result = &mut download => Some(result),
        () = interrupted() => {
            stop.stop();
            let _ = tokio::time::timeout(FLUSH_ON_INTERRUPT, download).await;
            None
        }
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
        sevendigital::cli::escape_controls(&path.display().to_string())
    )
}

/// Fetches the file of `file` to the path the flags name (`--file`, `--dir`, else the current
/// directory under a name made from the call), with a progress bar on a terminal; a partial
/// file is resumed when the same command runs again.
pub async fn fetch(file: FileCall, m: &ArgMatches) -> Result<Outcome, Error> {
    let path = target(m, &default_name(&file)?);
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
    let stop = StopHandle::new();
    let options = options.stop_on(&stop);
    let download = file.download_to(&path, &options);
    let result = until_interrupted(download, &stop).await.unwrap_or_else(|| {
        bar.abandon();
        eprintln!("{}", interrupted_line(&path));
        std::process::exit(130);
    });
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
    let stop = StopHandle::new();
    let options = options.stop_on(&stop);
    let download = client.download_locker(&user, &country, &dir, concurrency, &options);
    let results = until_interrupted(download, &stop).await.unwrap_or_else(|| {
        bar.abandon();
        eprintln!(
            "interrupted: partial files are kept in {} as .part; run the same command again to resume",
            sevendigital::cli::escape_controls(&dir.display().to_string())
        );
        std::process::exit(130);
    });
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
