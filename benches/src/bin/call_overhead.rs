//! Per-call overhead of `sevendigital` against a raw `reqwest` GET of the same URL parsed with
//! `serde_json`, both against the same in-process fake 7digital on 127.0.0.1, interleaved in
//! the same run. Prints the median time per call of each and their ratio (ours / raw), for a
//! consumer-key call (`get_release_details`) and a signed 3-legged call (`get_user_locker`,
//! whose raw reference sends no signature).
//!
//! Usage: `cargo run --release -p sevendigital-benches --bin call_overhead [ROUNDS] [CALLS]`

use std::time::{Duration, Instant};

use sevendigital::server::fake::{DEFAULT_CONSUMER_KEY, Fake};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

async fn raw(http: &reqwest::Client, url: &str) -> Result<serde_json::Value> {
    let body = http
        .get(url)
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    Ok(serde_json::from_slice(&body)?)
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().map_or(Ok(30), |a| a.parse())?;
    let calls: usize = args.next().map_or(Ok(200), |a| a.parse())?;
    // The fake runs on its own runtime thread; the calls are made one at a time from a
    // single-threaded runtime of their own.
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let fake = server.block_on(async {
        Fake::builder()
            .user_token("bench-token", "bench-secret", "bench-user")
            .start()
            .await
    })?;
    let calling = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    calling.block_on(measure(&fake, rounds, calls))?;
    server.block_on(fake.stop());
    Ok(())
}

async fn measure(
    fake: &sevendigital::server::fake::FakeHandle,
    rounds: usize,
    calls: usize,
) -> Result<()> {
    let base = fake.base_url();
    let client = fake.client()?;
    let user = client.with_user_token("bench-token", "bench-secret");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let details = format!(
        "{base}/release/details?releaseId=1192901&oauth_consumer_key={DEFAULT_CONSUMER_KEY}"
    );
    let locker = format!(
        "{base}/user/locker?oauth_consumer_key={DEFAULT_CONSUMER_KEY}&oauth_token=bench-token"
    );

    // Warm-up: connections, caches.
    for _ in 0..calls {
        client.get_release_details("1192901").send().await?;
        user.get_user_locker().send().await?;
        raw(&http, &details).await?;
        raw(&http, &locker).await?;
    }
    let (mut ours, mut reference, mut ours_signed, mut reference_signed) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let start = Instant::now();
        for _ in 0..calls {
            client.get_release_details("1192901").send().await?;
        }
        ours.push(start.elapsed() / calls as u32);
        let start = Instant::now();
        for _ in 0..calls {
            raw(&http, &details).await?;
        }
        reference.push(start.elapsed() / calls as u32);
        let start = Instant::now();
        for _ in 0..calls {
            user.get_user_locker().send().await?;
        }
        ours_signed.push(start.elapsed() / calls as u32);
        let start = Instant::now();
        for _ in 0..calls {
            raw(&http, &locker).await?;
        }
        reference_signed.push(start.elapsed() / calls as u32);
    }
    let report = |name: &str, ours: Vec<Duration>, reference: Vec<Duration>| {
        let (ours, reference) = (median(ours), median(reference));
        println!(
            "RESULT {name}: sevendigital {:.1} µs/call, raw reqwest + serde_json {:.1} µs/call, ratio {:.3} ({rounds} rounds x {calls} calls, medians)",
            ours.as_secs_f64() * 1e6,
            reference.as_secs_f64() * 1e6,
            ours.as_secs_f64() / reference.as_secs_f64()
        );
    };
    report("consumer-key call (get_release_details)", ours, reference);
    report(
        "signed 3-legged call (get_user_locker)",
        ours_signed,
        reference_signed,
    );
    Ok(())
}
