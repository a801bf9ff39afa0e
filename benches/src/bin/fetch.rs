//! Downloads one purchase from a (fake) 7digital with `sevendigital`'s download engine, and
//! prints what it took: `bytes=N seconds=S peak_rss_kib=K`. Used by `benches/download.sh`.
//!
//! Usage: `[DURABLE=0] fetch BASE_URL USER_ID PURCHASE_ID TARGET`

use std::path::Path;
use std::time::Instant;

use sevendigital::download::DownloadOptions;

/// Peak resident memory of this process (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base, user, purchase, target] = args.as_slice() else {
        return Err("usage: fetch BASE_URL USER_ID PURCHASE_ID TARGET".into());
    };
    let client = sevendigital::Client::builder()
        .base_url(base)
        .consumer(
            sevendigital::server::fake::DEFAULT_CONSUMER_KEY,
            sevendigital::server::fake::DEFAULT_CONSUMER_SECRET,
        )
        .build()?;
    let started = Instant::now();
    // DURABLE=0: no fsync before the rename, like `curl -o` (the like-for-like comparison).
    let durable = std::env::var("DURABLE").map_or(true, |v| v != "0");
    let options = DownloadOptions::new().durable(durable);
    let done = client
        .download_purchase_zip(user.as_str(), purchase.as_str(), "GB")
        .download_to(Path::new(target), &options)
        .await?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "bytes={} seconds={seconds:.3} peak_rss_kib={}",
        done.bytes,
        peak_rss_kib()
    );
    Ok(())
}
