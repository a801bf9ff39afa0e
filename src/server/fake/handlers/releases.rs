//! Releases: details, lists, charts, searches and tags of releases.

use super::*;
use crate::catalogue;
use crate::models::*;
use crate::server::fake::Fake;
use crate::server::*;

pub(crate) async fn get_releases_by_date(
    fake: &Fake,
    i: GetReleasesByDateInput,
    _: RequestContext,
) -> ApiResult<ReleaseListResponse> {
    let op = &catalogue::GET_RELEASES_BY_DATE;
    paged(
        op,
        "releases",
        "release",
        fake.catalogue.pool_releases(),
        i.page,
        i.page_size,
    )
}

pub(crate) async fn get_release_details(
    fake: &Fake,
    i: GetReleaseDetailsInput,
    _: RequestContext,
) -> ApiResult<ReleaseDetailsResponse> {
    let op = &catalogue::GET_RELEASE_DETAILS;
    wrapped(op, "release", fake.catalogue.release(&i.release_id)?)
}

pub(crate) async fn get_release_editorial(
    fake: &Fake,
    i: GetReleaseEditorialInput,
    _: RequestContext,
) -> ApiResult<EditorialResponse> {
    fake.catalogue.release(&i.release_id)?;
    typed(
        &catalogue::GET_RELEASE_EDITORIAL,
        example(&catalogue::GET_RELEASE_EDITORIAL),
    )
}

pub(crate) async fn get_release_chart(
    fake: &Fake,
    i: GetReleaseChartInput,
    _: RequestContext,
) -> ApiResult<ChartResponse> {
    listed(
        &catalogue::GET_RELEASE_CHART,
        ("chart", "chartItem", "release"),
        fake.catalogue.some_releases(0, 20),
        i.page,
        i.page_size,
    )
}

pub(crate) async fn get_release_recommendations(
    fake: &Fake,
    i: GetReleaseRecommendationsInput,
    _: RequestContext,
) -> ApiResult<RecommendationsResponse> {
    let release = fake.catalogue.release(&i.release_id)?;
    let seed = id_text(&release).parse().unwrap_or_default();
    listed(
        &catalogue::GET_RELEASE_RECOMMENDATIONS,
        ("recommendations", "recommendedItem", "release"),
        fake.catalogue.some_releases(seed, 5),
        i.page,
        i.page_size,
    )
}

pub(crate) async fn search_releases(
    fake: &Fake,
    i: SearchReleasesInput,
    _: RequestContext,
) -> ApiResult<SearchResponse> {
    search(
        &catalogue::SEARCH_RELEASES,
        "release",
        fake.catalogue.pool_releases(),
        (&i.q, i.page, i.page_size),
    )
}

pub(crate) async fn get_release_tracks(
    fake: &Fake,
    i: GetReleaseTracksInput,
    _: RequestContext,
) -> ApiResult<TrackListResponse> {
    let tracks = fake.catalogue.release_tracks(&i.release_id)?;
    let size = (tracks.len() as i64).max(1);
    paged(
        &catalogue::GET_RELEASE_TRACKS,
        "tracks",
        "track",
        tracks,
        None,
        Some(size),
    )
}

pub(crate) async fn get_release_tags(
    fake: &Fake,
    i: GetReleaseTagsInput,
    _: RequestContext,
) -> ApiResult<TagListResponse> {
    fake.catalogue.release(&i.release_id)?;
    typed(
        &catalogue::GET_RELEASE_TAGS,
        example(&catalogue::GET_RELEASE_TAGS),
    )
}

pub(crate) async fn match_release_by_id(
    fake: &Fake,
    i: MatchReleaseByIdInput,
    _: RequestContext,
) -> ApiResult<ReleaseDetailsResponse> {
    // A 7digital id, or the captured release's barcode.
    let release = match fake.catalogue.release(&i.id) {
        Ok(release) => release,
        Err(error) => {
            let captured = fake.catalogue.release(&fake.default_release_id())?;
            if text(&captured, "barcode") != i.id.trim() {
                return Err(error);
            }
            captured
        }
    };
    wrapped(&catalogue::MATCH_RELEASE_BY_ID, "release", release)
}

pub(crate) async fn get_new_releases_by_tags(
    fake: &Fake,
    i: GetNewReleasesByTagsInput,
    _: RequestContext,
) -> ApiResult<TaggedResultsResponse> {
    listed(
        &catalogue::GET_NEW_RELEASES_BY_TAGS,
        ("taggedResults", "taggedItem", "release"),
        fake.catalogue.some_releases(1, 20),
        i.page,
        i.page_size,
    )
}

pub(crate) async fn get_top_releases_by_tags(
    fake: &Fake,
    i: GetTopReleasesByTagsInput,
    _: RequestContext,
) -> ApiResult<TaggedResultsResponse> {
    listed(
        &catalogue::GET_TOP_RELEASES_BY_TAGS,
        ("taggedResults", "taggedItem", "release"),
        fake.catalogue.some_releases(1, 20),
        i.page,
        i.page_size,
    )
}
