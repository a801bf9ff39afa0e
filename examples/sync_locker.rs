//! Keep a local copy of a customer's locker in step with 7digital: read every page of the
//! locker as a stream, then tell what is new and what has gone since the last sync. Against a
//! fake 7digital started in this process, where the customer buys two releases between syncs.
//!
//! ```sh
//! cargo run --example sync_locker
//! ```

use std::collections::BTreeSet;

use sevendigital::prelude::*;
use sevendigital::server::fake::Fake;

/// The release ids in the locker of the client's user, every page of it.
async fn locker_ids(user: &sevendigital::Client) -> Result<BTreeSet<i64>, sevendigital::Error> {
    let mut ids = BTreeSet::new();
    let mut entries = user.get_user_locker().page_size(50).into_stream();
    while let Some(entry) = entries.try_next().await? {
        if let Some(id) = entry.release.and_then(|release| release.id) {
            ids.insert(id);
        }
    }
    Ok(ids)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fake = Fake::builder()
        .user_token("jane-token", "jane-secret", "jane")
        .start()
        .await?;
    let user = fake.client()?.with_user_token("jane-token", "jane-secret");

    let before = locker_ids(&user).await?;
    println!("first sync: {} release(s)", before.len());

    // Any release id resolves in the fake's catalogue; these two are bought now.
    for release_id in [1192901, 2231456] {
        user.purchase_user_item(release_id).send().await?;
    }

    let after = locker_ids(&user).await?;
    let added: Vec<_> = after.difference(&before).collect();
    let removed: Vec<_> = before.difference(&after).collect();
    println!(
        "second sync: {} release(s); new {added:?}; gone {removed:?}",
        after.len()
    );
    Ok(())
}
