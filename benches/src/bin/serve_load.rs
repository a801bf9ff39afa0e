//! A load test of `sevendigital serve` over 127.0.0.1: starts the binary, opens CONNECTIONS
//! keep-alive connections that send `GET /tag` back to back for SECONDS, ROUNDS times, and
//! prints requests per second, p50/p99 latency, errors, and the server's resident memory
//! (VmRSS from /proc) before, after each round, and after an idle pause. Linux only.
//!
//!   cargo build --release --features cli --bin sevendigital
//!   cargo run --release -p sevendigital-benches --bin serve_load -- \
//!       [--bin target/release/sevendigital] [--connections 1000] [--seconds 10] [--rounds 3]
//!
//! Bounded: at most 10,000 connections, 60 s a round, 10 rounds; loopback only.

use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

struct Args {
    bin: String,
    connections: usize,
    seconds: u64,
    rounds: usize,
}

fn args() -> Args {
    let mut args = Args {
        bin: "target/release/sevendigital".into(),
        connections: 1000,
        seconds: 10,
        rounds: 3,
    };
    let list: Vec<String> = std::env::args().skip(1).collect();
    for pair in list.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_default();
        match pair[0].as_str() {
            "--bin" => args.bin = value,
            "--connections" => args.connections = value.parse().unwrap_or(1000).clamp(1, 10_000),
            "--seconds" => args.seconds = value.parse().unwrap_or(10).clamp(1, 60),
            "--rounds" => args.rounds = value.parse().unwrap_or(3).clamp(1, 10),
            other => {
                eprintln!("unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    args
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// One connection: requests back to back until `until`; returns latencies (µs) and errors.
async fn worker(addr: String, until: Instant) -> (Vec<u32>, u64) {
    let mut latencies = Vec::new();
    let mut errors = 0;
    let Ok(stream) = TcpStream::connect(&addr).await else {
        return (latencies, 1);
    };
    let _ = stream.set_nodelay(true);
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    let request =
        format!("GET /tag?oauth_consumer_key=fake-consumer-key HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    let mut line = String::new();
    let mut body = Vec::new();
    while Instant::now() < until {
        let started = Instant::now();
        if write.write_all(request.as_bytes()).await.is_err() {
            errors += 1;
            break;
        }
        let mut length = 0usize;
        let mut status_ok = false;
        let mut first = true;
        loop {
            line.clear();
            match read.read_line(&mut line).await {
                Ok(0) | Err(_) => return (latencies, errors + 1),
                Ok(_) => {}
            }
            if first {
                status_ok = line.starts_with("HTTP/1.1 200");
                first = false;
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        body.resize(length, 0);
        if read.read_exact(&mut body).await.is_err() {
            return (latencies, errors + 1);
        }
        if status_ok {
            latencies.push(u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX));
        } else {
            errors += 1;
        }
    }
    (latencies, errors)
}

#[tokio::main]
async fn main() {
    let args = args();
    let mut child = match tokio::process::Command::new(&args.bin)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            eprintln!("cannot start {}: {e} (build it first)", args.bin);
            std::process::exit(2);
        }
    };
    let pid = child.id().unwrap_or(0);
    let mut out = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut base = String::new();
    let _ = out.read_line(&mut base).await;
    let addr = base.trim().trim_start_matches("http://").to_string();
    tokio::time::sleep(Duration::from_millis(300)).await;
    println!(
        "serve at {addr}; {} connections, {} s a round, {} rounds",
        args.connections, args.seconds, args.rounds
    );
    println!("RSS before: {} KiB", rss_kib(pid));
    for round in 1..=args.rounds {
        let until = Instant::now() + Duration::from_secs(args.seconds);
        let started = Instant::now();
        let tasks: Vec<_> = (0..args.connections)
            .map(|_| tokio::spawn(worker(addr.clone(), until)))
            .collect();
        let mut latencies = Vec::new();
        let mut errors = 0;
        for task in tasks {
            if let Ok((mut l, e)) = task.await {
                latencies.append(&mut l);
                errors += e;
            }
        }
        let elapsed = started.elapsed().as_secs_f64();
        latencies.sort_unstable();
        let pick = |q: f64| {
            latencies
                .get(((latencies.len() as f64 - 1.0) * q).round() as usize)
                .map_or(0.0, |&us| f64::from(us) / 1000.0)
        };
        println!(
            "round {round}: {} requests in {elapsed:.1} s = {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, {errors} errors; RSS after {} KiB",
            latencies.len(),
            latencies.len() as f64 / elapsed,
            pick(0.5),
            pick(0.99),
            rss_kib(pid)
        );
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    println!("RSS after 3 s idle: {} KiB", rss_kib(pid));
    let _ = child.kill().await;
}
