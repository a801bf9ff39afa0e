//! A download store built on the crate, against the fake 7digital over loopback: the whole
//! flow, the never-retried sale, downloads cut at random bytes and resumed, the locker
//! downloaded with bounded concurrency.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::TryStreamExt;
use sevendigital::download::DownloadOptions;
use sevendigital::download_service::Price;
use sevendigital::oauth::FixedClock;
use sevendigital::server::fake::{Fake, FakeHandle, Faults, content};
use sevendigital::{Error, RetryPolicy};
use sha2::{Digest, Sha256};

/// 2026-11-10T12:00:00Z: sales made now can be refunded until 2026-12-04.
const NOW: u64 = 1_794_312_000;
const RELEASE: &str = "1192901";
const TRACK: &str = "148";

async fn fake(download_bytes: u64) -> FakeHandle {
    Fake::builder()
        .verify_signatures(true)
        .download_bytes(download_bytes)
        .clock(Arc::new(FixedClock(NOW)))
        .start()
        .await
        .unwrap()
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

fn part_of(path: &Path) -> std::path::PathBuf {
    let mut name = path.file_name().unwrap().to_os_string();
    name.push(".part");
    path.with_file_name(name)
}

#[tokio::test]
async fn the_whole_store_flow() {
    let fake = fake(300_000).await;
    let client = fake
        .client_builder()
        .clock(Arc::new(FixedClock(NOW)))
        .build()
        .unwrap();
    let dir = tempdir("flow");

    client
        .create_partner_user("customer-1", "GB")
        .send()
        .await
        .unwrap();
    let err = client
        .create_partner_user("customer-1", "GB")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UserAlreadyExists { .. }), "{err:?}");

    let sale = client
        .log_sale(
            "customer-1",
            RELEASE,
            "GB",
            "order-77",
            Price::parse("7.99").unwrap(),
        )
        .email_address("jane@example.com")
        .send()
        .await
        .unwrap()
        .purchase;
    assert_eq!(sale.transaction_id.as_deref(), Some("order-77"));

    let items: Vec<_> = client
        .get_partner_locker("customer-1", "GB")
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].purchase_id.as_deref(), Some(sale.id.as_str()));

    let target = dir.join("purchase.zip");
    let progress = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&progress);
    let options =
        DownloadOptions::new().on_progress(move |p| seen.lock().unwrap().push((p.done, p.total)));
    let request = client.download_purchase_zip("customer-1", &sale.id, "GB");
    let done = request
        .clone()
        .download_to(&target, &options)
        .await
        .unwrap();
    assert_eq!(done.bytes, 300_000);
    let expected = content::bytes(content::seed(&format!("purchase-{}", sale.id)), 300_000);
    assert_eq!(sha256(&std::fs::read(&target).unwrap()), sha256(&expected));
    assert!(!part_of(&target).exists(), "no .part after success");
    assert_eq!(
        progress.lock().unwrap().last(),
        Some(&(300_000, Some(300_000)))
    );

    // Without the fsync before the rename (like `curl -o`): the same bytes, no .part left.
    let fast = dir.join("fast.zip");
    request
        .clone()
        .download_to(&fast, &DownloadOptions::new().durable(false))
        .await
        .unwrap();
    assert_eq!(sha256(&std::fs::read(&fast).unwrap()), sha256(&expected));
    assert!(!part_of(&fast).exists());

    let date = sale.purchase_date.clone().unwrap();
    client
        .refund_release(&sale.id, RELEASE, "GB")
        .sold_at(&date)
        .unwrap()
        .send()
        .await
        .unwrap();
    let items: Vec<_> = client
        .get_partner_locker("customer-1", "GB")
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert!(items.is_empty(), "the refunded sale left the locker");
    let err = client
        .refund_release(&sale.id, RELEASE, "GB")
        .sold_at(&date)
        .unwrap()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::SaleNotFound { .. }), "{err:?}");
    let err = request
        .clone()
        .download_to(&dir.join("again.zip"), &options)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(2002), "no licence once refunded: {err}");
    assert!(!dir.join("again.zip").exists());
}

#[tokio::test]
async fn a_sale_is_sent_once_whatever_happens_to_the_answer() {
    let fake = fake(1000).await;
    let client = fake
        .client_builder()
        .retry(RetryPolicy::new(
            5,
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(2),
        ))
        .build()
        .unwrap();
    client.create_partner_user("u", "GB").send().await.unwrap();
    let log = || {
        client
            .log_sale("u", RELEASE, "GB", "tx-9", Price::parse("1.00").unwrap())
            .send()
    };

    // 503: the sale is not logged, and not retried.
    fake.set_faults(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    let before = fake.fake().requests();
    let err = log().await.unwrap_err();
    assert_eq!(fake.fake().requests() - before, 1, "sent once");
    assert!(matches!(err, Error::SaleOutcomeUnknown { .. }), "{err:?}");
    assert!(err.to_string().contains("check the user's locker"), "{err}");

    // The connection drops while the answer comes back: logged once, never twice.
    fake.set_faults(Faults {
        cut_after_bytes: Some(0),
        ..Faults::default()
    });
    let before = fake.fake().requests();
    let err = log().await.unwrap_err();
    assert_eq!(fake.fake().requests() - before, 1, "sent once");
    assert!(matches!(err, Error::SaleOutcomeUnknown { .. }), "{err:?}");
    fake.set_faults(Faults::default());
    assert_eq!(
        fake.fake().inspect(|s| s.sales.len()),
        1,
        "exactly one sale in the log"
    );

    // And the advice works: the sale is found in the locker by its transaction id.
    let found = client
        .get_partner_locker("u", "GB")
        .find_transaction("tx-9")
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
}

#[tokio::test]
async fn downloads_cut_at_random_bytes_resume_to_identical_files() {
    const SIZE: u64 = 200_000;
    let fake = fake(SIZE).await;
    let quick = RetryPolicy::new(
        2,
        std::time::Duration::from_millis(1),
        std::time::Duration::from_millis(5),
    );
    let client = fake.client_builder().retry(quick).build().unwrap();
    client.create_partner_user("u", "GB").send().await.unwrap();
    let sale = client
        .log_sale("u", RELEASE, "GB", "t", Price::parse("0").unwrap())
        .send()
        .await
        .unwrap()
        .purchase;
    let request = client.download_purchase_zip("u", &sale.id, "GB");
    let expected = sha256(&content::bytes(
        content::seed(&format!("purchase-{}", sale.id)),
        SIZE,
    ));
    let dir = tempdir("resume");

    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    let resumed = Arc::new(AtomicU64::new(0));
    for i in 0..100 {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let cut = 1 + rng % (SIZE - 1);
        fake.set_faults(Faults {
            cut_after_bytes: Some(cut),
            cut_count: Some(1),
            ..Faults::default()
        });
        let target = dir.join(format!("file-{i}.zip"));
        let done = request
            .clone()
            .download_to(&target, &DownloadOptions::new())
            .await
            .unwrap();
        assert_eq!(
            done.resumed_from, cut,
            "download {i} resumed where the cut left it"
        );
        resumed.fetch_add(1, Ordering::SeqCst);
        assert_eq!(
            sha256(&std::fs::read(&target).unwrap()),
            expected,
            "download {i} (cut at {cut})"
        );
        assert!(!part_of(&target).exists(), "download {i} left a .part");
    }
    assert_eq!(resumed.load(Ordering::SeqCst), 100);

    // Without retries, a cut download fails: no target, the .part kept for later.
    let once = fake
        .client_builder()
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    fake.set_faults(Faults {
        cut_after_bytes: Some(5_000),
        cut_count: Some(1),
        ..Faults::default()
    });
    let target = dir.join("failed.zip");
    let err = once
        .download_purchase_zip("u", &sale.id, "GB")
        .download_to(&target, &DownloadOptions::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Download { .. }), "{err:?}");
    assert!(!target.exists(), "no target after a failure");
    assert_eq!(std::fs::metadata(part_of(&target)).unwrap().len(), 5_000);
    // A later call resumes it.
    let done = once
        .download_purchase_zip("u", &sale.id, "GB")
        .download_to(&target, &DownloadOptions::new())
        .await
        .unwrap();
    assert_eq!(done.resumed_from, 5_000);
    assert_eq!(sha256(&std::fs::read(&target).unwrap()), expected);
}

#[tokio::test]
async fn the_locker_downloads_with_bounded_concurrency_and_skips_complete_files() {
    let fake = fake(50_000).await;
    let client = fake
        .client_builder()
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    client.create_partner_user("u", "GB").send().await.unwrap();
    for tx in ["a", "b"] {
        client
            .log_sale("u", RELEASE, "GB", tx, Price::parse("9.99").unwrap())
            .send()
            .await
            .unwrap();
    }
    client
        .log_sale("u", RELEASE, "GB", "c", Price::parse("0.99").unwrap())
        .track_id(TRACK)
        .send()
        .await
        .unwrap();
    let dir = tempdir("locker");

    // One answer is cut: that item fails, the others do not.
    let cut_one_download = Faults {
        cut_after_bytes: Some(100),
        cut_count: Some(1),
        cut_only: Some("/downloads/".into()),
        ..Faults::default()
    };
    fake.set_faults(cut_one_download);
    let first = client
        .download_locker("u", "GB", &dir, 2, &DownloadOptions::new())
        .await
        .unwrap();
    fake.set_faults(Faults::default());
    let failed = first.iter().filter(|d| d.outcome.is_err()).count();
    assert_eq!(first.len(), 3);
    assert_eq!(failed, 1, "exactly the cut item failed: {first:#?}");

    let second = client
        .download_locker("u", "GB", &dir, 2, &DownloadOptions::new())
        .await
        .unwrap();
    let downloaded = second
        .iter()
        .filter(|d| matches!(d.outcome, Ok(Some(_))))
        .count();
    let skipped = second
        .iter()
        .filter(|d| matches!(d.outcome, Ok(None)))
        .count();
    assert_eq!(
        (downloaded, skipped),
        (1, 2),
        "the failed one is fetched, the complete ones skipped"
    );
    for d in &second {
        assert_eq!(
            std::fs::metadata(&d.path).unwrap().len(),
            50_000,
            "{}",
            d.path.display()
        );
    }
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("store-flow-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
