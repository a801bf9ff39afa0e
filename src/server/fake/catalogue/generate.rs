//! Items invented for any well-formed id: names, dates, prices and artwork from a stable hash
//! of the id, so two fakes answer alike.

use serde_json::{Value, json};

use super::*;

/// The stable hash of `kind:id` and a purpose (FNV-1a, 64 bits).
pub(super) fn hash(kind: &str, id: u64, purpose: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in kind
        .bytes()
        .chain(*b":")
        .chain(id.to_string().into_bytes())
        .chain(*b":")
        .chain(purpose.bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

pub(super) fn pick<'a>(words: &[&'a str], h: u64) -> &'a str {
    words[(h % words.len() as u64) as usize]
}

const ADJECTIVES: &[&str] = &[
    "Silver", "Electric", "Quiet", "Golden", "Broken", "Midnight", "Velvet", "Northern", "Hollow",
    "Crimson", "Distant", "Paper", "Wild", "Frozen", "Neon", "Gentle", "Restless", "Hidden",
    "Burning", "Lonely", "Bright", "Endless", "Faded", "Secret",
];
const NOUNS: &[&str] = &[
    "River",
    "Echo",
    "Garden",
    "Signal",
    "Harbour",
    "Machine",
    "Lantern",
    "Ocean",
    "Mirror",
    "Summer",
    "Engine",
    "Forest",
    "Window",
    "Horizon",
    "Thunder",
    "Satellite",
    "Valley",
    "Compass",
    "Canyon",
    "Orchard",
    "Shadow",
    "Station",
    "Meadow",
    "Tide",
];
const FIRST_NAMES: &[&str] = &[
    "Ada", "Milo", "Nina", "Otis", "Iris", "Jonah", "Lena", "Rufus", "Cleo", "Felix", "Maya",
    "Hugo",
];
const LAST_NAMES: &[&str] = &[
    "Marsh",
    "Holloway",
    "Finch",
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Castell",
    "Byrne",
    "Tanaka",
    "Abara",
    "Petrov",
    "Quinn",
];

pub(super) fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A 7digital price of `amount` pounds, shaped as the captured prices.
pub(super) fn price(template: &Value, amount: f64) -> Value {
    let mut price = template.clone();
    if !price.is_object() {
        price = json!({});
    }
    let formatted = format!("£{amount:.2}");
    for key in [
        "sevendigitalPrice",
        "recommendedRetailPrice",
        "value",
        "rrp",
    ] {
        if price.get(key).is_some() {
            price[key] = json!(amount);
        }
    }
    for key in ["formattedPrice", "formattedRrp"] {
        if price.get(key).is_some() {
            price[key] = json!(formatted);
        }
    }
    if let Some(currency) = price.get_mut("currency")
        && currency.get("value").is_some()
    {
        currency["value"] = json!("£");
    }
    price
}

/// The artwork path 7digital uses for an id (`00/011/929/0001192901`).
pub(super) fn artwork_path(id: u64) -> String {
    let padded = format!("{id:010}");
    format!(
        "{}/{}/{}/{padded}",
        &padded[0..2],
        &padded[2..5],
        &padded[5..8]
    )
}
/// The artist of generated release `release`.
pub fn artist_of(release: u64) -> u64 {
    (release / 1000).max(1)
}

/// The release of generated track `track`.
pub fn release_of(track: u64) -> u64 {
    (track / 100).max(1)
}

impl Catalogue {
    pub(super) fn generate_artist(&self, id: u64) -> Value {
        let mut artist = self.artist_template.clone();
        let name = if hash("artist", id, "style").is_multiple_of(2) {
            format!(
                "The {} {}s",
                pick(ADJECTIVES, hash("artist", id, "adj")),
                pick(NOUNS, hash("artist", id, "noun"))
            )
        } else {
            format!(
                "{} {}",
                pick(FIRST_NAMES, hash("artist", id, "first")),
                pick(LAST_NAMES, hash("artist", id, "last"))
            )
        };
        let sort_name = match name.strip_prefix("The ") {
            Some(rest) => format!("{rest}, The"),
            None => match name.split_once(' ') {
                Some((first, last)) => format!("{last}, {first}"),
                None => name.clone(),
            },
        };
        let slug = slug(&name);
        artist["id"] = json!(id);
        artist["name"] = json!(name);
        artist["appearsAs"] = json!(name);
        artist["sortName"] = json!(sort_name);
        artist["slug"] = json!(slug);
        artist["url"] = json!(format!("https://www.7digital.com/artist/{slug}"));
        artist["image"] = json!(format!(
            "http://artwork-cdn.7static.com/static/img/artistimages/{}_150.jpg",
            artwork_path(id)
        ));
        artist["popularity"] = json!((hash("artist", id, "pop") % 100) as f64 / 100.0);
        artist["isPlaceholderImage"] = json!(false);
        artist["bio"] =
            json!({"text": format!("{name}: an artist of the fake 7digital catalogue.")});
        artist
    }

    pub(super) fn generate_release(&self, id: u64) -> Value {
        let mut release = self.release_template.clone();
        let artist = self
            .by_id(Kind::Artist, artist_of(id))
            .unwrap_or_else(|| self.generate_artist(artist_of(id)));
        let title = format!(
            "{} {}",
            pick(ADJECTIVES, hash("release", id, "adj")),
            pick(NOUNS, hash("release", id, "noun"))
        );
        let tracks = track_count(id);
        let single = tracks <= 6;
        let year = 1990 + hash("release", id, "year") % 35;
        let month = 1 + hash("release", id, "month") % 12;
        let day = 1 + hash("release", id, "day") % 28;
        let date = format!("{year}-{month:02}-{day:02}T00:00:00Z");
        let amount = if single { 2.49 } else { 7.99 };
        let slug = slug(&title);
        let artist_slug = artist["slug"].as_str().unwrap_or_default().to_string();
        let duration: u64 = (1..=tracks).map(|k| track_seconds(id * 100 + k)).sum();
        release["id"] = json!(id);
        release["title"] = json!(title);
        release["version"] = json!("");
        release["type"] = json!(if single { "Single" } else { "Album" });
        release["barcode"] = json!(format!(
            "{:013}",
            hash("release", id, "upc") % 10_000_000_000_000
        ));
        release["year"] = json!(year.to_string());
        release["explicitContent"] = json!(hash("release", id, "explicit").is_multiple_of(7));
        release["slug"] = json!(slug);
        release["url"] = json!(format!(
            "https://www.7digital.com/artist/{artist_slug}/release/{slug}-{id}"
        ));
        release["image"] = json!(format!(
            "http://artwork-cdn.7static.com/static/img/sleeveart/{}_50.jpg",
            artwork_path(id)
        ));
        release["releaseDate"] = json!(date);
        release["addedDate"] = json!(date);
        release["price"] = price(&release["price"], amount);
        if let Some(packages) = release["download"]["packages"].as_array_mut() {
            for package in packages {
                package["price"] = price(&package["price"], amount);
            }
        }
        if let Some(download) = release.get_mut("download") {
            download["releaseDate"] = json!(date);
            download["previewDate"] = json!(date);
        }
        for key in ["subscriptionStreaming", "adSupportedStreaming"] {
            if let Some(streaming) = release.get_mut(key) {
                streaming["releaseDate"] = json!(date);
            }
        }
        if release.get("streamingReleaseDate").is_some() {
            release["streamingReleaseDate"] = json!(date);
        }
        release["cline"] = json!(format!("(C) {year} Fake Records"));
        release["pline"] = json!(format!("(P) {year} Fake Records"));
        release["popularity"] = json!((hash("release", id, "pop") % 100) as f64 / 100.0);
        release["duration"] = json!(duration);
        release["trackCount"] = json!(tracks);
        release["artist"] = artist;
        release
    }

    pub(super) fn generate_track(&self, id: u64) -> Value {
        let mut track = self.track_template.clone();
        let release_id = release_of(id);
        let release = self
            .by_id(Kind::Release, release_id)
            .unwrap_or_else(|| self.generate_release(release_id));
        let number = (id % 100).max(1);
        let title = format!(
            "{} of the {}",
            pick(NOUNS, hash("track", id, "noun")),
            pick(NOUNS, hash("track", id, "of"))
        );
        let letters: String = (0..3)
            .map(|i| char::from(b'A' + (hash("track", id, &format!("isrc{i}")) % 26) as u8))
            .collect();
        track["id"] = json!(id);
        track["title"] = json!(title);
        track["version"] = json!("");
        track["trackNumber"] = json!(number);
        track["duration"] = json!(track_seconds(id));
        track["explicitContent"] = release["explicitContent"].clone();
        track["isrc"] = json!(format!(
            "GB{letters}{:02}{:05}",
            hash("track", id, "year") % 100,
            hash("track", id, "isrc") % 100_000
        ));
        if track.get("price").is_some() {
            track["price"] = price(&track["price"], 0.99);
        }
        if track.get("slug").is_some() {
            track["slug"] = json!(slug(&title));
        }
        track["artist"] = release["artist"].clone();
        track["release"] = release;
        track
    }
}

/// The number of tracks of generated release `id` (6 to 14).
pub(super) fn track_count(id: u64) -> u64 {
    6 + hash("release", id, "tracks") % 9
}

/// The number of releases of generated artist `id` (2 to 6).
pub(super) fn release_count(id: u64) -> u64 {
    2 + hash("artist", id, "releases") % 5
}

/// The length of generated track `id` in seconds (2 to 6 minutes).
pub(super) fn track_seconds(id: u64) -> u64 {
    120 + hash("track", id, "seconds") % 240
}
