//! Search the catalogue, page through the hits as a stream, then look at one release's details
//! and tracks, against a fake 7digital started in this process (no credentials, no network).
//!
//! ```sh
//! cargo run --example search_catalogue -- "foo fighters"
//! ```
//!
//! Against the live API, build the client with `sevendigital::Client::from_env()` instead of
//! `fake.client()` (`SEVENDIGITAL_CONSUMER_KEY`, `SEVENDIGITAL_CONSUMER_SECRET`).

use sevendigital::prelude::*;
use sevendigital::server::fake::Fake;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let query = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "foo fighters".into());
    let fake = Fake::start().await?;
    let client = fake.client()?;

    // Every page, fetched as the stream is read; stop after ten hits.
    let mut hits = client
        .search_releases(query.as_str())
        .country("GB")
        .page_size(5)
        .into_stream();
    let mut first = None;
    let mut shown = 0;
    while let Some(hit) = hits.try_next().await? {
        let Some(release) = hit.release else { continue };
        println!(
            "{:>10}  {}",
            release.id.unwrap_or_default(),
            release.title.as_deref().unwrap_or("(untitled)")
        );
        first = first.or(release.id);
        shown += 1;
        if shown == 10 {
            break;
        }
    }
    let Some(release_id) = first else {
        println!("no release matches {query:?}");
        return Ok(());
    };

    let details = client
        .get_release_details(release_id)
        .country("GB")
        .send()
        .await?;
    let artist = details
        .release
        .artist
        .and_then(|a| a.name)
        .unwrap_or_default();
    println!("\nrelease {release_id} by {artist}:");
    let tracks = client.get_release_tracks(release_id).send().await?;
    for track in tracks.tracks.track.unwrap_or_default() {
        println!(
            "  {:>10}  {}",
            track.id.unwrap_or_default(),
            track.title.unwrap_or_default()
        );
    }
    Ok(())
}
