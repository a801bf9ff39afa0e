//! The `sevendigital` command line: one subcommand per API operation (generated from the spec),
//! `serve` to run the fake 7digital, `mcp` and `gateway`, and downloads written to files.
//!
//! Exit codes: 0 on success, 1 when the API (or the network) answered with an error, 2 for bad
//! usage or bad input, caught before any request is sent.

mod command;
mod files;
mod gateway;

use command::app;

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::ArgMatches;
use sevendigital::cli::Outcome;
use sevendigital::{AuthPlacement, Client, Error};

const ENV_TOKEN: &str = "SEVENDIGITAL_TOKEN";
const ENV_TOKEN_SECRET: &str = "SEVENDIGITAL_TOKEN_SECRET";

#[tokio::main]
async fn main() -> ExitCode {
    let matches = app().get_matches();
    let Some((name, sub)) = matches.subcommand() else {
        return ExitCode::from(2);
    };
    // The servers report each call (one line per tool call or request); a single call only
    // what went wrong. `SEVENDIGITAL_LOG` (a `tracing` filter, e.g. `debug`) overrides.
    init_logging(match name {
        "gateway" | "mcp" | "serve" => "info",
        _ => "warn",
    });
    if name == "serve" {
        return serve(sub).await;
    }
    if name == "completions" {
        if let Some(shell) = sub.get_one::<clap_complete::Shell>("shell") {
            clap_complete::generate(*shell, &mut app(), "sevendigital", &mut std::io::stdout());
        }
        return ExitCode::SUCCESS;
    }
    let client = match client(sub) {
        Ok(client) => client,
        Err(e) => return fail(&e),
    };
    if let Some(code) = gateway::run(&client, name, sub).await {
        return code;
    }
    let sign_url = flag(sub, "sign-url");
    let table = match sub.try_get_one::<String>("format").ok().flatten() {
        Some(format) => format == "table",
        None => std::io::stdout().is_terminal(),
    };
    let outcome = match sevendigital::cli::run(&client, name, sub, sign_url).await {
        Some(Ok(Outcome::File(file))) => files::fetch(file, sub).await,
        Some(outcome) => outcome,
        None => match files::run(&client, name, sub).await {
            Some(outcome) => outcome,
            None => return fail(&Error::invalid_input(name, "is not a known subcommand")),
        },
    };
    match outcome {
        Ok(outcome) => print(outcome, table),
        Err(e) => fail(&e),
    }
}

/// A flag's value, `false` where the subcommand does not have it.
fn flag(matches: &ArgMatches, id: &str) -> bool {
    matches
        .try_get_one::<bool>(id)
        .ok()
        .flatten()
        .copied()
        .unwrap_or(false)
}

/// A text flag's value, `None` where the subcommand does not have it.
fn text<'a>(matches: &'a ArgMatches, id: &str) -> Option<&'a String> {
    matches.try_get_one::<String>(id).ok().flatten()
}

/// The client the global flags and the environment describe.
fn client(matches: &ArgMatches) -> Result<Client, Error> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let key = env("SEVENDIGITAL_CONSUMER_KEY")
        .ok_or_else(|| Error::invalid_input("SEVENDIGITAL_CONSUMER_KEY", "is not set"))?;
    let secret = env("SEVENDIGITAL_CONSUMER_SECRET")
        .ok_or_else(|| Error::invalid_input("SEVENDIGITAL_CONSUMER_SECRET", "is not set"))?;
    let mut builder = Client::builder().consumer(key, secret);
    if let Some(url) = text(matches, "base-url") {
        builder = builder.base_url(url);
    }
    if let Some(url) = text(matches, "download-url") {
        builder = builder.download_url(url);
    }
    if flag(matches, "auth-header") {
        builder = builder.auth_placement(AuthPlacement::Header);
    }
    let client = builder.build()?;
    match (text(matches, "user-token"), text(matches, "user-secret")) {
        (Some(token), Some(secret)) => Ok(client.with_user_token(token, secret)),
        (Some(_), None) => Err(Error::invalid_input(
            "--user-secret",
            "is needed with --user-token",
        )),
        (None, Some(_)) => Err(Error::invalid_input(
            "--user-token",
            "is needed with --user-secret",
        )),
        (None, None) => Ok(client),
    }
}

fn print(outcome: Outcome, table: bool) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let written = match outcome {
        Outcome::Json(value) if table => {
            let mut rows = Vec::new();
            flatten("", &value, &mut rows);
            let width = rows
                .iter()
                .map(|(k, _)| k.chars().count())
                .max()
                .unwrap_or(0);
            rows.iter()
                .try_for_each(|(key, value)| writeln!(out, "{key:width$}  {value}"))
        }
        Outcome::Json(value) => {
            let text = serde_json::to_string_pretty(&value).unwrap_or_default();
            writeln!(out, "{text}")
        }
        Outcome::Url(url) => writeln!(out, "{url}"),
        // Fetched to a file before printing.
        Outcome::File(file) => writeln!(out, "{file:?}"),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write the answer: {e}");
            ExitCode::from(1)
        }
    }
}

/// The scalars of `value` as `(path, value)` rows: `searchResults.searchResult[0].release.id`.
fn flatten(path: &str, value: &serde_json::Value, rows: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                let key = sevendigital::cli::escape_controls(key);
                let path = if path.is_empty() {
                    key
                } else {
                    format!("{path}.{key}")
                };
                flatten(&path, value, rows);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                flatten(&format!("{path}[{i}]"), value, rows);
            }
        }
        serde_json::Value::String(text) => {
            rows.push((path.to_string(), sevendigital::cli::escape_controls(text)));
        }
        other => rows.push((path.to_string(), other.to_string())),
    }
}

/// Prints `error` and its causes as one line and picks the exit code: 2 for what was caught before sending.
fn fail(error: &Error) -> ExitCode {
    match error {
        Error::UserTokenRequired { operation } => eprintln!(
            "error: {operation} acts on a user's behalf: pass --user-token and --user-secret (or set {ENV_TOKEN} and {ENV_TOKEN_SECRET})"
        ),
        // The message may quote the server: one line, no control characters.
        _ => eprintln!(
            "error: {}",
            sevendigital::cli::escape_controls(&format!("{error:#}"))
        ),
    }
    match error {
        Error::InvalidInput { .. } | Error::Config { .. } | Error::UserTokenRequired { .. } => {
            ExitCode::from(2)
        }
        _ => ExitCode::from(1),
    }
}

async fn serve(matches: &ArgMatches) -> ExitCode {
    let port = matches.get_one::<u16>("port").copied().unwrap_or(8080);
    let verify = matches.get_flag("verify-signatures");
    let bytes = matches
        .get_one::<u64>("download-bytes")
        .copied()
        .unwrap_or(sevendigital::server::fake::DEFAULT_DOWNLOAD_BYTES);
    let var = |name: &str, default: &str| {
        std::env::var(name)
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| default.to_string())
    };
    let key = var(
        "SEVENDIGITAL_CONSUMER_KEY",
        sevendigital::server::fake::DEFAULT_CONSUMER_KEY,
    );
    let secret = var(
        "SEVENDIGITAL_CONSUMER_SECRET",
        sevendigital::server::fake::DEFAULT_CONSUMER_SECRET,
    );
    let mut catalogue = sevendigital::server::fake::Catalogue::new();
    if let Some(path) = matches.get_one::<String>("catalogue") {
        let loaded = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| catalogue.load(&text).map_err(|e| e.to_string()));
        if let Err(e) = loaded {
            eprintln!(
                "error: --catalogue {path}: {}",
                sevendigital::cli::escape_controls(&e)
            );
            return ExitCode::from(2);
        }
    }
    let absent: Vec<u64> = matches
        .get_many::<u64>("absent")
        .map(|ids| ids.copied().collect())
        .unwrap_or_default();
    let fake = sevendigital::server::fake::Fake::builder()
        .consumer(key, secret)
        .verify_signatures(verify)
        .download_bytes(bytes)
        .catalogue(catalogue)
        .absent(absent)
        .build();
    let handle = match fake.serve(SocketAddr::from(([127, 0, 0, 1], port))).await {
        Ok(handle) => handle,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{port}: {e}");
            return ExitCode::from(2);
        }
    };
    println!("{}", handle.base_url());
    eprintln!(
        "fake 7digital serving at {} (signature checks {}); Ctrl-C to stop",
        handle.base_url(),
        if verify { "on" } else { "off" }
    );
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("error: cannot wait for Ctrl-C: {e}");
    }
    handle.stop().await;
    eprintln!("stopped");
    ExitCode::SUCCESS
}

/// Log lines on stderr, from `tracing` events, filtered by `SEVENDIGITAL_LOG` or `default`.
fn init_logging(default: &str) {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_env("SEVENDIGITAL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
}
