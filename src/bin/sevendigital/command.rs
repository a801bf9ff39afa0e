//! The command line's clap command: global flags, the generated API subcommands with their
//! connection and signing flags, the grouped help, `completions` and `serve`.

use clap::{Arg, ArgAction, Command};
use sevendigital::catalogue::{AuthLevel, ParamLocation};

use super::*;

/// The heading the connection and signing flags are listed under in each subcommand's help.
const CONNECTION: &str = "Connection and signing";
/// The width the grouped subcommand list is laid out in.
const WIDTH: usize = 80;

/// The whole command: global flags and every subcommand.
pub(super) fn app() -> Command {
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
