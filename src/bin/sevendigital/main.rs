//! The `sevendigital` command line: one subcommand per API operation (generated from the spec),
//! `serve` to run the fake 7digital, and the download-service calls.
//!
//! Exit codes: 0 on success, 1 when the API (or the network) answered with an error, 2 for bad
//! usage or bad input, caught before any request is sent.

mod gateway;
mod service;

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Command};
use sevendigital::cli::Outcome;
use sevendigital::{AuthPlacement, Client, Error};

const ENV_TOKEN: &str = "SEVENDIGITAL_TOKEN";
const ENV_TOKEN_SECRET: &str = "SEVENDIGITAL_TOKEN_SECRET";

fn app() -> Command {
    let global =
        |id: &'static str, help: &'static str| Arg::new(id).long(id).help(help).global(true);
    Command::new("sevendigital")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The 7digital API from the command line: every operation, downloads, and a fake to try them against")
        .long_about(
            "The 7digital API from the command line: every operation, downloads, and a fake to try them against.\n\n\
             Consumer credentials come from SEVENDIGITAL_CONSUMER_KEY and SEVENDIGITAL_CONSUMER_SECRET.\n\
             Answers are printed as JSON on stdout; errors as one line on stderr.\n\
             Exit codes: 0 success, 1 API error, 2 bad usage or bad input (nothing sent).",
        )
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(global("base-url", "API base URL [default: the spec's server]").env("SEVENDIGITAL_BASE_URL"))
        .arg(global("download-url", "Download host base URL [default: the API base URL]").env("SEVENDIGITAL_DOWNLOAD_URL"))
        .arg(global("user-token", "A user's OAuth access token, for calls on their behalf").env(ENV_TOKEN))
        .arg(global("user-secret", "The user's OAuth token secret").env(ENV_TOKEN_SECRET).hide_env_values(true))
        .arg(global("auth-header", "Sign in the Authorization header instead of the query string").action(ArgAction::SetTrue))
        .arg(global("sign-url", "Print a pre-signed URL for the call instead of making it").action(ArgAction::SetTrue))
        .subcommand(serve_command())
        .subcommands(gateway::commands())
        .subcommands(sevendigital::cli::commands())
        .subcommands(service::commands())
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
}

#[tokio::main]
async fn main() -> ExitCode {
    let matches = app().get_matches();
    let Some((name, sub)) = matches.subcommand() else {
        return ExitCode::from(2);
    };
    if name == "serve" {
        return serve(sub).await;
    }
    let client = match client(&matches) {
        Ok(client) => client,
        Err(e) => return fail(&e),
    };
    if let Some(code) = gateway::run(&client, name, sub).await {
        return code;
    }
    let sign_url = matches.get_flag("sign-url");
    let outcome = match sevendigital::cli::run(&client, name, sub, sign_url).await {
        Some(outcome) => outcome,
        None if sign_url => {
            return fail(&Error::invalid_input(
                "--sign-url",
                format!("does not apply to {name}"),
            ));
        }
        None => match service::run(&client, name, sub).await {
            Some(outcome) => outcome,
            None => return fail(&Error::invalid_input(name, "is not a known subcommand")),
        },
    };
    match outcome {
        Ok(outcome) => print(outcome),
        Err(e) => fail(&e),
    }
}

/// The client the global flags and the environment describe.
fn client(matches: &ArgMatches) -> Result<Client, Error> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let key = env("SEVENDIGITAL_CONSUMER_KEY")
        .ok_or_else(|| Error::invalid_input("SEVENDIGITAL_CONSUMER_KEY", "is not set"))?;
    let secret = env("SEVENDIGITAL_CONSUMER_SECRET")
        .ok_or_else(|| Error::invalid_input("SEVENDIGITAL_CONSUMER_SECRET", "is not set"))?;
    let mut builder = Client::builder().consumer(key, secret);
    if let Some(url) = matches.get_one::<String>("base-url") {
        builder = builder.base_url(url);
    }
    if let Some(url) = matches.get_one::<String>("download-url") {
        builder = builder.download_url(url);
    }
    if matches.get_flag("auth-header") {
        builder = builder.auth_placement(AuthPlacement::Header);
    }
    let client = builder.build()?;
    match (
        matches.get_one::<String>("user-token"),
        matches.get_one::<String>("user-secret"),
    ) {
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

fn print(outcome: Outcome) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let written = match outcome {
        Outcome::Json(value) => {
            let text = serde_json::to_string_pretty(&value).unwrap_or_default();
            writeln!(out, "{text}")
        }
        Outcome::Url(url) => writeln!(out, "{url}"),
        Outcome::Bytes(bytes) => out.write_all(&bytes),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write the answer: {e}");
            ExitCode::from(1)
        }
    }
}

/// Prints `error` as one line and picks the exit code: 2 for what was caught before sending.
fn fail(error: &Error) -> ExitCode {
    match error {
        Error::UserTokenRequired { operation } => eprintln!(
            "error: {operation} acts on a user's behalf: pass --user-token and --user-secret (or set {ENV_TOKEN} and {ENV_TOKEN_SECRET})"
        ),
        // The message may quote the server: one line, no control characters.
        _ => eprintln!(
            "error: {}",
            sevendigital::text::escape_controls(&error.to_string())
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
        .unwrap_or(sevendigital::fake::DEFAULT_DOWNLOAD_BYTES);
    let var = |name: &str, default: &str| {
        std::env::var(name)
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| default.to_string())
    };
    let key = var(
        "SEVENDIGITAL_CONSUMER_KEY",
        sevendigital::fake::DEFAULT_CONSUMER_KEY,
    );
    let secret = var(
        "SEVENDIGITAL_CONSUMER_SECRET",
        sevendigital::fake::DEFAULT_CONSUMER_SECRET,
    );
    let fake = sevendigital::fake::Fake::builder()
        .consumer(key, secret)
        .verify_signatures(verify)
        .download_bytes(bytes)
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
