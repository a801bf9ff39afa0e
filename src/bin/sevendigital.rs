//! The `sevendigital` command line.
//!
//! `sevendigital serve` runs the fake 7digital on 127.0.0.1 (see `sevendigital::fake`).

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Command-line tools for the 7digital API.
#[derive(Debug, Parser)]
#[command(name = "sevendigital", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a fake 7digital on 127.0.0.1 and print its base URL; stop with Ctrl-C.
    ///
    /// Consumer key and secret for signature checks come from SEVENDIGITAL_CONSUMER_KEY and
    /// SEVENDIGITAL_CONSUMER_SECRET (defaults: the fake's own).
    Serve {
        /// The port to listen on (0: any free port).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Check OAuth signatures, nonces and URL expiry, answering 401 when wrong.
        #[arg(long)]
        verify_signatures: bool,
        /// The size of every downloaded file, in bytes.
        #[arg(long, default_value_t = sevendigital::fake::DEFAULT_DOWNLOAD_BYTES)]
        download_bytes: u64,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve {
            port,
            verify_signatures,
            download_bytes,
        } => serve(port, verify_signatures, download_bytes).await,
    }
}

async fn serve(port: u16, verify_signatures: bool, download_bytes: u64) -> ExitCode {
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
        .verify_signatures(verify_signatures)
        .download_bytes(download_bytes)
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
        if verify_signatures { "on" } else { "off" }
    );
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("error: cannot wait for Ctrl-C: {e}");
    }
    handle.stop().await;
    eprintln!("stopped");
    ExitCode::SUCCESS
}
