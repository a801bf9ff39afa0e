//! The fake 7digital in a store's own tests: start one per test, give it the catalogue and the
//! failures the test needs, and assert on what the store would see. `cargo test --example
//! fake_in_test` runs the tests below; `cargo run --example fake_in_test` runs the same checks
//! once and prints them.
//!
//! ```sh
//! cargo test --example fake_in_test
//! cargo run --example fake_in_test
//! ```

use sevendigital::server::fake::{Fake, Faults};

/// What a store shows for a release: its title, or why there is none.
async fn release_title(client: &sevendigital::Client, id: u64) -> String {
    match client.get_release_details(id).country("GB").send().await {
        Ok(answer) => answer.release.title.unwrap_or_default(),
        // 2001: 7digital's "resource not found".
        Err(error) if error.code() == Some(2001) => "not in the catalogue".into(),
        Err(error) => format!("7digital is unavailable: {error}"),
    }
}

/// A missing release: any id resolves in the fake, unless it is declared absent.
async fn missing_release_is_reported() -> Result<String, Box<dyn std::error::Error>> {
    let fake = Fake::builder().absent([424242]).start().await?;
    let client = fake.client()?;
    let shown = release_title(&client, 424242).await;
    assert_eq!(shown, "not in the catalogue");
    Ok(shown)
}

/// 7digital failing for a moment: two 503 answers, which the client's default retries absorb.
async fn brief_outage_is_retried() -> Result<String, Box<dyn std::error::Error>> {
    let fake = Fake::builder().start().await?;
    fake.set_faults(Faults {
        error_count: 2,
        ..Faults::default()
    });
    let client = fake.client()?;
    let shown = release_title(&client, 1192901).await;
    assert!(!shown.starts_with("7digital is unavailable"), "{shown}");
    assert_eq!(fake.fake().requests(), 3, "two refusals, then the answer");
    Ok(shown)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("absent release: {}", missing_release_is_reported().await?);
    println!("after two 503s: {}", brief_outage_is_retried().await?);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn missing_release_is_reported() {
        super::missing_release_is_reported().await.unwrap();
    }

    #[tokio::test]
    async fn brief_outage_is_retried() {
        super::brief_outage_is_retried().await.unwrap();
    }
}
