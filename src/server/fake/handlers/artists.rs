//! Artists: details, releases, charts, searches and tags of artists.

use super::*;
use crate::catalogue;
use crate::models::*;
use crate::server::fake::Fake;
use crate::server::*;
use serde_json::Value;

pub(crate) async fn browse_artists(
    fake: &Fake,
    i: BrowseArtistsInput,
    _: RequestContext,
) -> ApiResult<ArtistListResponse> {
    let letter = i.letter.to_lowercase();
    let items: Vec<Value> = fake
        .catalogue
        .pool_artists()
        .into_iter()
        .filter(|artist| {
            let names = [text(artist, "sortName"), text(artist, "name")];
            names
                .iter()
                .any(|n| !n.is_empty() && n.to_lowercase().starts_with(&letter))
        })
        .collect();
    paged(
        &catalogue::BROWSE_ARTISTS,
        "artists",
        "artist",
        items,
        i.page,
        i.page_size,
    )
}

pub(crate) async fn get_artist_chart(
    fake: &Fake,
    i: GetArtistChartInput,
    _: RequestContext,
) -> ApiResult<ChartResponse> {
    listed(
        &catalogue::GET_ARTIST_CHART,
        ("chart", "chartItem", "artist"),
        fake.catalogue.some_artists(0, 20),
        i.page,
        i.page_size,
    )
}

pub(crate) async fn get_artist_details(
    fake: &Fake,
    i: GetArtistDetailsInput,
    _: RequestContext,
) -> ApiResult<ArtistDetailsResponse> {
    wrapped(
        &catalogue::GET_ARTIST_DETAILS,
        "artist",
        fake.catalogue.artist(&i.artist_id)?,
    )
}

pub(crate) async fn get_artist_releases(
    fake: &Fake,
    i: GetArtistReleasesInput,
    _: RequestContext,
) -> ApiResult<ReleaseListResponse> {
    let items: Vec<Value> = fake
        .catalogue
        .artist_releases(&i.artist_id)?
        .into_iter()
        .filter(|release| {
            i.type_
                .as_ref()
                .is_none_or(|t| text(release, "type").eq_ignore_ascii_case(t.as_str()))
        })
        .collect();
    paged(
        &catalogue::GET_ARTIST_RELEASES,
        "releases",
        "release",
        items,
        i.page,
        i.page_size,
    )
}

pub(crate) async fn get_similar_artists(
    fake: &Fake,
    i: GetSimilarArtistsInput,
    _: RequestContext,
) -> ApiResult<ArtistListResponse> {
    let artist = fake.catalogue.artist(&i.artist_id)?;
    let seed = id_text(&artist).parse().unwrap_or_default();
    paged(
        &catalogue::GET_SIMILAR_ARTISTS,
        "artists",
        "artist",
        fake.catalogue.some_artists(seed, 5),
        i.page,
        i.page_size,
    )
}

pub(crate) async fn search_artists(
    fake: &Fake,
    i: SearchArtistsInput,
    _: RequestContext,
) -> ApiResult<SearchResponse> {
    search(
        &catalogue::SEARCH_ARTISTS,
        "artist",
        fake.catalogue.pool_artists(),
        (&i.q, i.page, i.page_size),
    )
}

pub(crate) async fn get_artist_top_tracks(
    fake: &Fake,
    i: GetArtistTopTracksInput,
    _: RequestContext,
) -> ApiResult<TrackListResponse> {
    let releases = fake.catalogue.artist_releases(&i.artist_id)?;
    let tracks: Vec<Value> = releases
        .iter()
        .filter_map(|r| fake.catalogue.release_tracks(&id_text(r)).ok())
        .flatten()
        .take(20)
        .collect();
    paged(
        &catalogue::GET_ARTIST_TOP_TRACKS,
        "tracks",
        "track",
        tracks,
        i.page,
        i.page_size,
    )
}

pub(crate) async fn get_artist_tags(
    fake: &Fake,
    i: GetArtistTagsInput,
    _: RequestContext,
) -> ApiResult<TagListResponse> {
    fake.catalogue.artist(&i.artist_id)?;
    typed(
        &catalogue::GET_ARTIST_TAGS,
        example(&catalogue::GET_ARTIST_TAGS),
    )
}

pub(crate) async fn match_artist_by_id(
    fake: &Fake,
    i: MatchArtistByIdInput,
    _: RequestContext,
) -> ApiResult<ArtistDetailsResponse> {
    // A 7digital id resolves as in details; a partner's own id matches the captured artist.
    let artist = match fake.catalogue.artist(&i.id) {
        Ok(artist) => artist,
        Err(_) => fake.catalogue.artist(&fake.default_artist_id())?,
    };
    wrapped(&catalogue::MATCH_ARTIST_BY_ID, "artist", artist)
}

pub(crate) async fn get_top_artists_by_tags(
    fake: &Fake,
    i: GetTopArtistsByTagsInput,
    _: RequestContext,
) -> ApiResult<TaggedResultsResponse> {
    listed(
        &catalogue::GET_TOP_ARTISTS_BY_TAGS,
        ("taggedResults", "taggedItem", "artist"),
        fake.catalogue.some_artists(1, 20),
        i.page,
        i.page_size,
    )
}
