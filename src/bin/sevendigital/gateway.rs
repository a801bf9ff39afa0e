//! `mcp` (an MCP server over stdio) and `gateway` (MCP over streamable HTTP at `/mcp` and a
//! REST adapter under `/v1`): every operation, signed here with the consumer credentials.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Command};
use sevendigital::Client;
use sevendigital::gateway::mcp::McpServer;
use sevendigital::gateway::{Gateway, http};

fn allow_writes() -> Arg {
    Arg::new("allow-writes")
        .long("allow-writes")
        .help("Offer the tools that spend money, log sales, refund or change a user's cards")
        .action(ArgAction::SetTrue)
}

fn conformance_fixture() -> Arg {
    Arg::new("conformance-fixture")
        .long("conformance-fixture")
        .help("Also offer the MCP conformance suite's template fixture (test://template/{id}/data, which answers the id): for testing with @modelcontextprotocol/conformance only")
        .action(ArgAction::SetTrue)
}

/// The subcommands.
pub fn commands() -> Vec<Command> {
    vec![
        Command::new("mcp")
            .about("Serve every operation as an MCP tool over stdio (protocol on stdout, logs on stderr)")
            .arg(allow_writes())
            .arg(conformance_fixture()),
        Command::new("gateway")
            .about("Serve MCP over streamable HTTP at /mcp and a REST adapter under /v1; print the URL; stop with Ctrl-C")
            .arg(
                Arg::new("port")
                    .long("port")
                    .help("The port to listen on (0: any free port)")
                    .default_value("8080")
                    .value_parser(clap::value_parser!(u16)),
            )
            .arg(
                Arg::new("bind")
                    .long("bind")
                    .value_name("ADDR")
                    .help("The address to listen on")
                    .default_value("127.0.0.1")
                    .value_parser(clap::value_parser!(IpAddr)),
            )
            .arg(allow_writes())
            .arg(conformance_fixture()),
    ]
}

/// Runs `mcp` or `gateway`; `None` for any other subcommand.
pub async fn run(client: &Client, name: &str, m: &ArgMatches) -> Option<ExitCode> {
    let flag = |name: &str| {
        m.try_get_one::<bool>(name)
            .ok()
            .flatten()
            .copied()
            .unwrap_or(false)
    };
    let gateway = Gateway::new(client.clone(), flag("allow-writes"))
        .with_conformance_fixture(flag("conformance-fixture"));
    match name {
        "mcp" => {
            eprintln!(
                "sevendigital MCP server on stdio ({} tools); writes {}",
                gateway.tools().count(),
                if gateway.allow_writes() {
                    "allowed"
                } else {
                    "not offered (--allow-writes)"
                }
            );
            Some(match McpServer::new(gateway).serve_stdio().await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: MCP session failed: {e}");
                    ExitCode::from(1)
                }
            })
        }
        "gateway" => Some(serve(gateway, m).await),
        _ => None,
    }
}

async fn serve(gateway: Gateway, m: &ArgMatches) -> ExitCode {
    let ip = m
        .get_one::<IpAddr>("bind")
        .copied()
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let port = m.get_one::<u16>("port").copied().unwrap_or(8080);
    let listener = match tokio::net::TcpListener::bind(SocketAddr::new(ip, port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on {ip}:{port}: {e}");
            return ExitCode::from(2);
        }
    };
    let addr = match listener.local_addr() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("error: cannot read the listening address: {e}");
            return ExitCode::from(2);
        }
    };
    println!("http://{addr}");
    eprintln!(
        "sevendigital gateway at http://{addr}: MCP at /mcp, REST under /v1 (/v1/openapi.json); writes {}; Ctrl-C to stop",
        if gateway.allow_writes() {
            "allowed"
        } else {
            "not offered (--allow-writes)"
        }
    );
    let shutdown = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            eprintln!("error: cannot wait for Ctrl-C: {e}");
        }
    };
    match http::serve(gateway, listener, shutdown).await {
        Ok(()) => {
            eprintln!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: the gateway failed: {e}");
            ExitCode::from(1)
        }
    }
}
