//! The fake's catalogue: any well-formed release, track or artist id resolves to an item
//! generated from the id, the same in every run and process; the captured items (the spec's
//! examples, taken from live 7digital answers) and a partner's own items keep their data.
//!
//! # How ids relate
//!
//! Generated items are tied by arithmetic on their ids, so that every call agrees:
//!
//! - release `R` is by artist `max(R / 1000, 1)`; artist `A`'s releases are `A*1000 + 1` to
//!   `A*1000 + m` (`m` from 2 to 6, chosen from `A`);
//! - release `R`'s tracks are `R*100 + 1` to `R*100 + n` (`n` from 6 to 14, chosen from `R`);
//!   track `T` is track number `T % 100` of release `max(T / 100, 1)`.
//!
//! Names, dates, barcodes, ISRCs, durations and prices come from a stable hash of the id
//! (FNV-1a, not the process-random `RandomState`), over word lists fixed in this file.
//!
//! A captured or loaded item keeps its own data and relations: a loaded release's tracks are
//! the loaded tracks that name it (generated ones when none do), an artist's releases the
//! loaded releases that name it (generated ones when none do).
//!
//! # What does not exist (the not-found rule)
//!
//! Answered with 404 and code 2001 ("No releases found with id: ..."), as 7digital answers
//! an unknown id (captures e01, e02): an id that is not a decimal number from 1 to
//! 999999999999999 (15 digits); 0; any multiple of 10000 (`10000`, `1230000`); an id
//! given to [`FakeBuilder::absent`](super::FakeBuilder::absent) (`--absent` on `sevendigital
//! serve`) that no loaded item has; and anything that belongs to an item that does not exist
//! (a track of such a release, a release of such an artist).
//!
//! # Searches, charts and lists
//!
//! Searches, charts, tag lists, recommendations and browsing draw on a fixed pool: the captured
//! and loaded items, and the generated releases of artists 1 to [`POOL_ARTISTS`]. A search finds
//! the items of the pool whose title or artist name holds every word of the query; each result
//! is the item its details call returns.
//!
//! # Loading a partner's items
//!
//! [`Catalogue::load`] (`Fake::builder().catalogue(..)`, `sevendigital serve --catalogue FILE`)
//! reads a JSON object in 7digital's shape:
//! `{"releases": [Release, ...], "tracks": [Track, ...], "artists": [Artist, ...]}`, each
//! item as the `release`, `track` or `artist` of a details answer (any list may be left out).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;

use crate::catalogue as ops;
use crate::server::ServerError;

mod generate;

pub use generate::{artist_of, release_of};
use generate::{hash, release_count, track_count};

/// Artists 1 to this number have their generated releases in the pool that searches and
/// charts draw on.
pub const POOL_ARTISTS: u64 = 24;

/// The largest id the catalogue reads (15 decimal digits), so that `R*100 + n` and
/// `A*1000 + m` never overflow.
const MAX_ID: u64 = 999_999_999_999_999;

/// The kinds of catalogue items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A release.
    Release,
    /// A track.
    Track,
    /// An artist.
    Artist,
}

impl Kind {
    fn plural(self) -> &'static str {
        match self {
            Kind::Release => "releases",
            Kind::Track => "tracks",
            Kind::Artist => "artists",
        }
    }
}

/// A catalogue file that could not be read: what and where, as the file has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueError(String);

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CatalogueError {}

/// The releases, tracks and artists the fake answers with.
#[derive(Debug, Clone)]
pub struct Catalogue {
    releases: BTreeMap<u64, Value>,
    tracks: BTreeMap<u64, Value>,
    artists: BTreeMap<u64, Value>,
    absent: BTreeSet<u64>,
    release_template: Value,
    track_template: Value,
    artist_template: Value,
}

impl Default for Catalogue {
    fn default() -> Self {
        Catalogue::new()
    }
}

/// The example answer of `operation` (taken from captured 7digital answers), as JSON.
fn example(operation: &ops::Operation) -> Value {
    crate::server::response_example(operation.id)
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or(Value::Null)
}

fn id_of(item: &Value) -> Option<u64> {
    match &item["id"] {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A well-formed id: decimal digits only, at most [`MAX_ID`].
fn parse_id(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() || text.len() > 18 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|id| *id <= MAX_ID)
}

impl Catalogue {
    /// The captured items only (the spec's examples); every other well-formed id is generated.
    pub fn new() -> Self {
        let release = example(&ops::GET_RELEASE_DETAILS)["release"].clone();
        let track = example(&ops::GET_TRACK_DETAILS)["track"].clone();
        let artist = example(&ops::GET_ARTIST_DETAILS)["artist"].clone();
        let mut catalogue = Catalogue {
            releases: BTreeMap::new(),
            tracks: BTreeMap::new(),
            artists: BTreeMap::new(),
            absent: BTreeSet::new(),
            release_template: release.clone(),
            track_template: track.clone(),
            artist_template: artist.clone(),
        };
        for (map, item) in [
            (&mut catalogue.releases, release),
            (&mut catalogue.tracks, track),
            (&mut catalogue.artists, artist),
        ] {
            if let Some(id) = id_of(&item) {
                map.insert(id, item);
            }
        }
        catalogue
    }

    /// The captured items and a partner's items from JSON text (see [`load`](Self::load)).
    ///
    /// # Errors
    ///
    /// As [`load`](Self::load).
    pub fn from_json(text: &str) -> Result<Self, CatalogueError> {
        let mut catalogue = Catalogue::new();
        catalogue.load(text)?;
        Ok(catalogue)
    }

    /// Adds a partner's items from JSON text in 7digital's shape (see the module's doc); an
    /// item with the id of a captured or generated one replaces it.
    ///
    /// # Errors
    ///
    /// When the text is not such an object, or an item does not fit 7digital's schema or has
    /// no numeric id; the message names the list and the item's place in it.
    pub fn load(&mut self, text: &str) -> Result<(), CatalogueError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| CatalogueError(format!("not JSON: {e}")))?;
        let Value::Object(lists) = value else {
            return Err(CatalogueError(
                "expected an object with `releases`, `tracks` and/or `artists`".into(),
            ));
        };
        for key in lists.keys() {
            if !matches!(key.as_str(), "releases" | "tracks" | "artists") {
                return Err(CatalogueError(format!(
                    "unknown list `{key}` (expected `releases`, `tracks` or `artists`)"
                )));
            }
        }
        for (key, items) in &lists {
            let Value::Array(items) = items else {
                return Err(CatalogueError(format!("`{key}` is not a list")));
            };
            for (n, item) in items.iter().enumerate() {
                let (template, fits) = match key.as_str() {
                    "releases" => (
                        &self.release_template,
                        check::<crate::models::Release>(item),
                    ),
                    "tracks" => (&self.track_template, check::<crate::models::Track>(item)),
                    _ => (&self.artist_template, check::<crate::models::Artist>(item)),
                };
                fits.and_then(|()| same_types(item, template, ""))
                    .map_err(|e| CatalogueError(format!("{key}[{n}]{e}")))?;
                let id = id_of(item).filter(|id| *id <= MAX_ID).ok_or_else(|| {
                    CatalogueError(format!("{key}[{n}].id: missing or not a number"))
                })?;
                let map = match key.as_str() {
                    "releases" => &mut self.releases,
                    "tracks" => &mut self.tracks,
                    _ => &mut self.artists,
                };
                map.insert(id, item.clone());
            }
        }
        Ok(())
    }

    /// Makes `ids` not exist (of any kind), unless an item with the id is loaded.
    pub fn absent(&mut self, ids: impl IntoIterator<Item = u64>) {
        self.absent.extend(ids);
    }

    fn known(&self, kind: Kind) -> &BTreeMap<u64, Value> {
        match kind {
            Kind::Release => &self.releases,
            Kind::Track => &self.tracks,
            Kind::Artist => &self.artists,
        }
    }

    /// Whether the generated item `id` of `kind` (no captured or loaded one has the id)
    /// does not exist, by the not-found rule.
    fn generated_absent(&self, kind: Kind, id: u64) -> bool {
        if id == 0 || id.is_multiple_of(10_000) || self.absent.contains(&id) {
            return true;
        }
        match kind {
            Kind::Artist => false,
            Kind::Release => !self.exists(Kind::Artist, artist_of(id)),
            Kind::Track => !self.exists(Kind::Release, release_of(id)),
        }
    }

    fn exists(&self, kind: Kind, id: u64) -> bool {
        self.known(kind).contains_key(&id) || !self.generated_absent(kind, id)
    }

    fn lookup(&self, kind: Kind, text: &str) -> Result<Value, ServerError> {
        let missing = || ServerError::no_item(kind.plural(), text.trim());
        let id = parse_id(text).ok_or_else(missing)?;
        if let Some(item) = self.known(kind).get(&id) {
            return Ok(item.clone());
        }
        if self.generated_absent(kind, id) {
            return Err(missing());
        }
        Ok(match kind {
            Kind::Release => self.generate_release(id),
            Kind::Track => self.generate_track(id),
            Kind::Artist => self.generate_artist(id),
        })
    }

    /// The release with this id, or 404 / 2001.
    ///
    /// # Errors
    ///
    /// When it does not exist.
    pub fn release(&self, id: &str) -> Result<Value, ServerError> {
        self.lookup(Kind::Release, id)
    }

    /// The track with this id, or 404 / 2001.
    ///
    /// # Errors
    ///
    /// When it does not exist.
    pub fn track(&self, id: &str) -> Result<Value, ServerError> {
        self.lookup(Kind::Track, id)
    }

    /// The artist with this id, or 404 / 2001.
    ///
    /// # Errors
    ///
    /// When it does not exist.
    pub fn artist(&self, id: &str) -> Result<Value, ServerError> {
        self.lookup(Kind::Artist, id)
    }

    fn by_id(&self, kind: Kind, id: u64) -> Option<Value> {
        self.lookup(kind, &id.to_string()).ok()
    }

    /// The tracks of a release: the known tracks that name it, or its generated tracks.
    ///
    /// # Errors
    ///
    /// When the release does not exist.
    pub fn release_tracks(&self, id: &str) -> Result<Vec<Value>, ServerError> {
        let release = self.release(id)?;
        let rid = id_of(&release).unwrap_or_default();
        let mut named: Vec<Value> = self
            .tracks
            .values()
            .filter(|t| id_of(&t["release"]) == Some(rid))
            .cloned()
            .collect();
        if !named.is_empty() {
            named.sort_by_key(|t| t["trackNumber"].as_i64().unwrap_or(0));
            return Ok(named);
        }
        let count = track_count(rid);
        Ok((1..=count)
            .filter_map(|k| self.by_id(Kind::Track, rid * 100 + k))
            .collect())
    }

    /// The releases of an artist: the known releases that name it, or its generated releases.
    ///
    /// # Errors
    ///
    /// When the artist does not exist.
    pub fn artist_releases(&self, id: &str) -> Result<Vec<Value>, ServerError> {
        let artist = self.artist(id)?;
        let aid = id_of(&artist).unwrap_or_default();
        let named: Vec<Value> = self
            .releases
            .values()
            .filter(|r| id_of(&r["artist"]) == Some(aid))
            .cloned()
            .collect();
        if !named.is_empty() {
            return Ok(named);
        }
        Ok((1..=release_count(aid))
            .filter_map(|j| self.by_id(Kind::Release, aid * 1000 + j))
            .collect())
    }

    /// The pool's releases (see the module's doc), in a fixed order.
    pub fn pool_releases(&self) -> Vec<Value> {
        let mut items: Vec<Value> = self.releases.values().cloned().collect();
        for artist in 1..=POOL_ARTISTS {
            for j in 1..=release_count(artist) {
                let id = artist * 1000 + j;
                if !self.releases.contains_key(&id)
                    && let Some(release) = self.by_id(Kind::Release, id)
                {
                    items.push(release);
                }
            }
        }
        items
    }

    /// The pool's artists, in a fixed order.
    pub fn pool_artists(&self) -> Vec<Value> {
        let mut items: Vec<Value> = self.artists.values().cloned().collect();
        for id in 1..=POOL_ARTISTS {
            if !self.artists.contains_key(&id)
                && let Some(artist) = self.by_id(Kind::Artist, id)
            {
                items.push(artist);
            }
        }
        items
    }

    /// The pool's tracks: the known ones and the first track of each pool release.
    pub fn pool_tracks(&self) -> Vec<Value> {
        let mut items: Vec<Value> = self.tracks.values().cloned().collect();
        for release in self.pool_releases() {
            let rid = id_of(&release).unwrap_or_default();
            if self
                .tracks
                .values()
                .any(|t| id_of(&t["release"]) == Some(rid))
            {
                continue;
            }
            if let Some(track) = self.by_id(Kind::Track, rid * 100 + 1) {
                items.push(track);
            }
        }
        items
    }

    /// Some pool releases chosen from `seed` (recommendations, charts): `count` of them, the
    /// same for the same seed.
    pub fn some_releases(&self, seed: u64, count: usize) -> Vec<Value> {
        let pool = self.pool_releases();
        let start = (hash("pick", seed, "start") % pool.len().max(1) as u64) as usize;
        pool.iter()
            .cycle()
            .skip(start)
            .take(count.min(pool.len()))
            .filter(|r| id_of(r) != Some(seed))
            .cloned()
            .collect()
    }

    /// Some pool artists chosen from `seed`.
    pub fn some_artists(&self, seed: u64, count: usize) -> Vec<Value> {
        let pool = self.pool_artists();
        let start = (hash("pick", seed, "artists") % pool.len().max(1) as u64) as usize;
        pool.iter()
            .cycle()
            .skip(start)
            .take(count.min(pool.len()))
            .filter(|a| id_of(a) != Some(seed))
            .cloned()
            .collect()
    }
}

fn check<T: serde::de::DeserializeOwned>(item: &Value) -> Result<(), String> {
    let text = item.to_string();
    let mut de = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize::<_, T>(&mut de)
        .map(|_| ())
        .map_err(|e| format!(".{}: {}", e.path(), e.inner()))
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Whether every member `item` shares with the captured `template` has the captured type
/// (null allowed; an id may be a number or a numeric string); `at` is the path so far.
fn same_types(item: &Value, template: &Value, at: &str) -> Result<(), String> {
    let (Value::Object(item), Value::Object(template)) = (item, template) else {
        return Ok(());
    };
    for (key, value) in item {
        let Some(want) = template.get(key) else {
            continue;
        };
        let path = format!("{at}.{key}");
        let numeric_text = key == "id" && value.as_str().is_some_and(|s| s.parse::<u64>().is_ok());
        if value.is_null() || want.is_null() || numeric_text {
            continue;
        }
        if json_type(value) != json_type(want) {
            return Err(format!(
                "{path}: {} where 7digital sends {}",
                json_type(value),
                json_type(want)
            ));
        }
        same_types(value, want, &path)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_fixed() {
        // FNV-1a of the empty string is its offset basis; any change to the hash shows here.
        assert_eq!(hash("release", 1, "adj"), hash("release", 1, "adj"));
        assert_ne!(hash("release", 1, "adj"), hash("release", 2, "adj"));
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in b"a" {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        assert_eq!(h, 0xaf63_dc4c_8601_ec8c, "FNV-1a of \"a\"");
    }

    #[test]
    fn ids_that_do_not_exist() {
        let c = Catalogue::new();
        for id in [
            "0",
            "10000",
            "missing",
            "-1",
            "1e3",
            "",
            "1234567890123456789",
        ] {
            assert!(c.release(id).is_err(), "{id}");
        }
        assert!(c.track("1000005").is_err(), "track of release 10000");
        assert!(c.release("10000001").is_err(), "release of artist 10000");
        assert!(c.release("10000").is_err());
        let e = c.release("missing").unwrap_err();
        assert_eq!(
            (e.status, e.code, e.message.as_str()),
            (404, 2001, "No releases found with id: missing")
        );
    }
}
