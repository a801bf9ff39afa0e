//! A download store's whole flow, against a fake 7digital started in this process: no
//! credentials and no network needed.
//!
//! ```sh
//! cargo run --example download_store
//! ```
//!
//! Against the live API, build the client with `Client::from_env()` instead of `fake.client()`.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::TryStreamExt;
use sevendigital::download::DownloadOptions;
use sevendigital::download_service::Price;
use sevendigital::server::fake::Fake;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fake = Fake::builder()
        .verify_signatures(true)
        .download_bytes(8 * 1024 * 1024)
        .start()
        .await?;
    println!("fake 7digital at {} (signatures checked)", fake.base_url());
    let client = fake.client()?;

    let found = client
        .search_releases("foo fighters")
        .country("GB")
        .send()
        .await?;
    let release = found
        .search_results
        .search_result
        .unwrap_or_default()
        .into_iter()
        .find_map(|hit| hit.release)
        .ok_or("nothing found")?;
    let release_id = release.id.map(|id| id.to_string()).unwrap_or_default();
    println!(
        "1. catalogue: found \"{}\" (release {release_id}) at {}",
        release.title.unwrap_or_default(),
        release
            .price
            .and_then(|p| p.formatted_price)
            .unwrap_or_default()
    );

    client
        .create_partner_user("customer-42", "GB")
        .send()
        .await?;
    println!("2. created user customer-42 (GB)");

    let sale = client
        .log_sale(
            "customer-42",
            &release_id,
            "GB",
            "order-1001",
            Price::parse("7.99")?,
        )
        .email_address("jane@example.com")
        .send()
        .await?
        .purchase;
    println!("3. logged the sale of order-1001: purchase {}", sale.id);

    let items: Vec<_> = client
        .get_partner_locker("customer-42", "GB")
        .into_stream()
        .try_collect()
        .await?;
    let ids: Vec<&str> = items
        .iter()
        .filter_map(|i| i.purchase_id.as_deref())
        .collect();
    println!(
        "4. locker: {} item(s), purchase(s) {}",
        items.len(),
        ids.join(", ")
    );

    let dir = std::env::temp_dir().join("sevendigital-demo");
    std::fs::create_dir_all(&dir)?;
    let target = dir.join(format!("purchase-{}.zip", sale.id));
    let shown = Arc::new(AtomicU64::new(0));
    let options = DownloadOptions::new().on_progress(move |p| {
        let percent = p.total.filter(|t| *t > 0).map_or(0, |t| p.done * 100 / t);
        if percent >= shown.load(Ordering::Relaxed) + 10 || p.total == Some(p.done) {
            shown.store(percent, Ordering::Relaxed);
            print!("\r5. downloading: {percent:3}% ({} bytes)", p.done);
            let _ = std::io::stdout().flush();
        }
    });
    let done = client
        .download_purchase_zip("customer-42", &sale.id, "GB")
        .download_to(&target, &options)
        .await?;
    println!("\n   saved {} ({} bytes)", target.display(), done.bytes);

    let date = sale.purchase_date.clone().unwrap_or_default();
    client
        .refund_release(&sale.id, &release_id, "GB")
        .sold_at(&date)?
        .send()
        .await?;
    let items: Vec<_> = client
        .get_partner_locker("customer-42", "GB")
        .into_stream()
        .try_collect()
        .await?;
    println!(
        "6. refunded purchase {}: the locker now has {} item(s)",
        sale.id,
        items.len()
    );

    fake.stop().await;
    Ok(())
}
