//! Tracks and tags: track details, charts and searches, and the tag list.

use super::*;
use crate::catalogue;
use crate::models::*;
use crate::server::fake::Fake;
use crate::server::*;

pub(crate) async fn get_track_chart(
    fake: &Fake,
    i: GetTrackChartInput,
    _: RequestContext,
) -> ApiResult<ChartResponse> {
    listed(
        &catalogue::GET_TRACK_CHART,
        ("chart", "chartItem", "track"),
        fake.catalogue.pool_tracks().into_iter().take(20).collect(),
        i.page,
        i.page_size,
    )
}

pub(crate) async fn get_track_details(
    fake: &Fake,
    i: GetTrackDetailsInput,
    _: RequestContext,
) -> ApiResult<TrackDetailsResponse> {
    wrapped(
        &catalogue::GET_TRACK_DETAILS,
        "track",
        fake.catalogue.track(&i.track_id)?,
    )
}

pub(crate) async fn search_tracks(
    fake: &Fake,
    i: SearchTracksInput,
    _: RequestContext,
) -> ApiResult<SearchResponse> {
    search(
        &catalogue::SEARCH_TRACKS,
        "track",
        fake.catalogue.pool_tracks(),
        (&i.q, i.page, i.page_size),
    )
}

pub(crate) async fn match_track_by_id(
    fake: &Fake,
    i: MatchTrackByIdInput,
    _: RequestContext,
) -> ApiResult<TrackDetailsResponse> {
    // A 7digital id resolves as in details; a partner's own id matches the captured track.
    let track = match fake.catalogue.track(&i.id) {
        Ok(track) => track,
        Err(_) => fake.catalogue.track(&fake.default_track_id())?,
    };
    wrapped(&catalogue::MATCH_TRACK_BY_ID, "track", track)
}

pub(crate) async fn get_all_tags(
    _fake: &Fake,
    _: GetAllTagsInput,
    _: RequestContext,
) -> ApiResult<TagListResponse> {
    typed(&catalogue::GET_ALL_TAGS, example(&catalogue::GET_ALL_TAGS))
}
