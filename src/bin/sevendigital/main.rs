//! The `sevendigital` command line: one subcommand per API operation (generated from the spec),
//! `serve` to run the fake 7digital, `mcp` and `gateway`, and downloads written to files.
//!
//! Exit codes: 0 on success, 1 when the API (or the network) answered with an error, 2 for bad
//! usage or bad input, caught before any request is sent.

mod files;
mod gateway;

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Command};
use sevendigital::catalogue::{AuthLevel, ParamLocation};
use sevendigital::cli::Outcome;
use sevendigital::{AuthPlacement, Client, Error};

const ENV_TOKEN: &str = "SEVENDIGITAL_TOKEN";
const ENV_TOKEN_SECRET: &str = "SEVENDIGITAL_TOKEN_SECRET";

/// The heading the connection and signing flags are listed under in each subcommand's help.
const CONNECTION: &str = "Connection and signing";
/// The width the grouped subcommand list is laid out in.
const WIDTH: usize = 80;

fn app() -> Command {
    let generated = sevendigital::cli::commands().into_iter().map(|command| {
        let name = command.get_name().to_string();
        let operation = sevendigital::cli::SUBCOMMANDS
            .iter()
            .find(|(sub, _)| *sub == name)
            .and_then(|(_, id)| sevendigital::catalogue::find(id));
        // The spec prefixes every summary with "7digital": say it once, at the top.
        let about = command
            .get_about()
            .map(|a| a.to_string())
            .unwrap_or_default();
        let about = about
            .strip_prefix("7digital ")
            .unwrap_or(&about)
            .to_string();
        let command = command.about(about);
        match operation {
            Some(op) => {
                let presignable = op.body.is_none()
                    && !op
                        .params
                        .iter()
                        .any(|p| p.location == ParamLocation::Header);
                match op.file_answer() {
                    Some(_) => api_flags(
                        files::output_args(command),
                        op.auth_level(),
                        presignable,
                        true,
                    ),
                    None => api_flags(command, op.auth_level(), presignable, false),
                }
            }
            None => api_flags(command, AuthLevel::ThreeLegged, false, false),
        }
    });
    let command = Command::new("sevendigital")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The 7digital API from the command line: every operation, downloads, and a fake to try them against")
        .long_about(
            "The 7digital API from the command line: every operation, downloads, and a fake to try them against.\n\n\
             Consumer credentials come from SEVENDIGITAL_CONSUMER_KEY and SEVENDIGITAL_CONSUMER_SECRET.\n\
             Answers are printed as JSON on stdout (a table with --output table, the default on a terminal); \
             errors as one line on stderr.\n\
             Exit codes: 0 success, 1 API error, 2 bad usage or bad input (nothing sent).",
        )
        .max_term_width(WIDTH)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(serve_command())
        .subcommand(completions_command())
        .subcommands(generated)
        .subcommands(
            files::commands()
                .into_iter()
                .map(|command| api_flags(command, AuthLevel::TwoLegged, false, true)),
        )
        // `mcp` and `gateway` sign every operation, three-legged ones included.
        .subcommands(
            gateway::commands()
                .into_iter()
                .map(|command| api_flags(command, AuthLevel::ThreeLegged, false, true)),
        );
    let command = command.mut_subcommands(wrapped_usage);
    let listing = grouped_subcommands(&command);
    command.help_template(format!(
        "{{about-with-newline}}\n{{usage-heading}} {{usage}}\n\n{listing}\
         Options:\n{{options}}{{after-help}}"
    ))
}

/// The flags of a subcommand that calls the API, under their own heading: only those that
/// apply (`--user-token` for calls on a user's behalf, `--sign-url` where a URL can carry the
/// call, `--download-url` for downloads).
fn api_flags(command: Command, level: AuthLevel, presignable: bool, download: bool) -> Command {
    let flag = |id: &'static str, help: &'static str| {
        Arg::new(id)
            .long(id)
            .value_name(value_name(id))
            .help(help)
            .help_heading(CONNECTION)
    };
    let mut command = command
        .arg(
            flag("base-url", "API base URL [default: the spec's server]")
                .env("SEVENDIGITAL_BASE_URL"),
        )
        .arg(
            flag(
                "auth-header",
                "Sign in the Authorization header, not the query string",
            )
            .action(ArgAction::SetTrue),
        )
        .arg(
            Arg::new("format")
                .long("output")
                .value_name("FORMAT")
                .value_parser(["json", "table"])
                .help("How to print the answer [default: table on a terminal, json otherwise]"),
        );
    if download {
        command = command.arg(
            flag(
                "download-url",
                "Download host base URL [default: the API base URL]",
            )
            .env("SEVENDIGITAL_DOWNLOAD_URL"),
        );
    }
    if level == AuthLevel::ThreeLegged {
        command = command
            .arg(
                flag(
                    "user-token",
                    "A user's OAuth access token, for calls on their behalf",
                )
                .env(ENV_TOKEN)
                .hide_env_values(true),
            )
            .arg(
                flag("user-secret", "The user's OAuth token secret")
                    .env(ENV_TOKEN_SECRET)
                    .hide_env_values(true),
            );
    }
    if presignable {
        command = command.arg(
            flag(
                "sign-url",
                "Print a pre-signed URL for the call instead of making it",
            )
            .action(ArgAction::SetTrue),
        );
    }
    command
}

/// `command` with its usage line wrapped to [`WIDTH`] columns (clap does not wrap it): the
/// required flags, then `[OPTIONS]`.
fn wrapped_usage(command: Command) -> Command {
    let mut parts = vec![format!("sevendigital {}", command.get_name())];
    if command.get_arguments().any(|a| !a.is_required_set()) {
        parts.push("[OPTIONS]".to_string());
    }
    for arg in command.get_arguments().filter(|a| a.is_required_set()) {
        let value = arg.get_value_names().and_then(|v| v.first()).map_or_else(
            || arg.get_id().to_string().to_uppercase(),
            |v| v.to_string(),
        );
        match (arg.get_long(), arg.get_short()) {
            (Some(long), _) => parts.push(format!("--{long} <{value}>")),
            (None, Some(short)) => parts.push(format!("-{short} <{value}>")),
            (None, None) => parts.push(format!("<{value}>")),
        }
    }
    if command.has_subcommands() {
        parts.push("<COMMAND>".to_string());
    }
    let prefix = "Usage: ".len();
    let mut usage = String::new();
    let mut column = prefix;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 && column + 1 + part.len() > WIDTH {
            usage.push('\n');
            usage.push_str(&" ".repeat(prefix + 4));
            column = prefix + 4;
        } else if i > 0 {
            usage.push(' ');
            column += 1;
        }
        usage.push_str(part);
        column += part.len();
    }
    command.override_usage(usage)
}

/// The placeholder shown for a flag's value.
fn value_name(id: &str) -> &'static str {
    match id {
        "base-url" | "download-url" => "URL",
        "user-token" => "TOKEN",
        _ => "SECRET",
    }
}

/// The top-level list of subcommands, grouped under the spec's tags (then the download store
/// and the tools), each summary wrapped to [`WIDTH`] columns.
fn grouped_subcommands(command: &Command) -> String {
    let mut groups: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name();
        let group = match sevendigital::cli::SUBCOMMANDS
            .iter()
            .find(|(s, _)| *s == name)
        {
            Some((_, id)) => sevendigital::catalogue::find(id)
                .and_then(|op| op.tags.first())
                .map_or_else(
                    || "Other operations".to_string(),
                    |t| format!("{t} commands"),
                ),
            None if files::NAMES.contains(&name) => "Download service commands".to_string(),
            None => "Tools".to_string(),
        };
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, list)) => list.push((name.to_string(), about)),
            None => groups.push((group, vec![(name.to_string(), about)])),
        }
    }
    // The tools first, as clap lists them; the API by tag; the download store last.
    groups.sort_by_key(|(g, _)| match g.as_str() {
        "Tools" => 0,
        "Download service commands" => 2,
        _ => 1,
    });
    let indent = command
        .get_subcommands()
        .map(|s| s.get_name().len())
        .max()
        .unwrap_or(0)
        .min(34)
        + 4;
    let mut out = String::new();
    for (group, list) in groups {
        out.push_str(&group);
        out.push_str(":\n");
        for (name, about) in list {
            let mut line = format!("  {name}");
            if line.len() + 2 > indent {
                out.push_str(&line);
                out.push('\n');
                line.clear();
            }
            for word in about.split_whitespace() {
                let pad = indent.saturating_sub(line.len());
                if line.len() < indent {
                    line.push_str(&" ".repeat(pad));
                } else if line.len() + 1 + word.len() > WIDTH {
                    out.push_str(&line);
                    out.push('\n');
                    line = " ".repeat(indent);
                } else {
                    line.push(' ');
                }
                line.push_str(word);
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

fn completions_command() -> Command {
    Command::new("completions")
        .about("Print a shell completion script")
        .long_about(
            "Print a shell completion script. For bash:\n\n  \
             sevendigital completions bash > ~/.local/share/bash-completion/completions/sevendigital",
        )
        .arg(
            Arg::new("shell")
                .value_name("SHELL")
                .required(true)
                .value_parser(clap::value_parser!(clap_complete::Shell))
                .help("The shell"),
        )
}

fn serve_command() -> Command {
    Command::new("serve")
        .about("Run a fake 7digital on 127.0.0.1 and print its base URL; stop with Ctrl-C")
        .long_about(
            "Run a fake 7digital on 127.0.0.1 and print its base URL; stop with Ctrl-C.\n\n\
             Consumer key and secret for signature checks come from SEVENDIGITAL_CONSUMER_KEY and \
             SEVENDIGITAL_CONSUMER_SECRET (defaults: the fake's own).",
        )
        .arg(
            Arg::new("port")
                .long("port")
                .help("The port to listen on (0: any free port)")
                .default_value("8080")
                .value_parser(clap::value_parser!(u16)),
        )
        .arg(
            Arg::new("verify-signatures")
                .long("verify-signatures")
                .help("Check OAuth signatures, nonces and URL expiry")
                .action(ArgAction::SetTrue),
        )
        .arg(
            Arg::new("download-bytes")
                .long("download-bytes")
                .help("The size of every downloaded file, in bytes")
                .default_value("1048576")
                .value_parser(clap::value_parser!(u64)),
        )
        .arg(
            Arg::new("catalogue")
                .long("catalogue")
                .value_name("FILE")
                .help("Load your own releases, tracks and artists from a JSON file in 7digital's shape: {\"releases\": [...], \"tracks\": [...], \"artists\": [...]}"),
        )
        .arg(
            Arg::new("absent")
                .long("absent")
                .value_name("IDS")
                .help("Ids that do not exist (comma-separated), besides 0 and multiples of 10000")
                .value_delimiter(',')
                .value_parser(clap::value_parser!(u64)),
        )
}

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
