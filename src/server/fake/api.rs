//! The fake's [`Api`](crate::server::Api): every operation of the documents, handed to its
//! handler in [`super::handlers`] (one module per tag of the spec).

use super::Fake;
use super::handlers::{
    ApiResult, artists, basket, cards, lookups, partner, releases, tracks, user,
};
use crate::models::*;
use crate::server::*;

impl Api for Fake {
    async fn get_releases_by_date(
        &self,
        i: GetReleasesByDateInput,
        c: RequestContext,
    ) -> ApiResult<ReleaseListResponse> {
        releases::get_releases_by_date(self, i, c).await
    }

    async fn get_release_details(
        &self,
        i: GetReleaseDetailsInput,
        c: RequestContext,
    ) -> ApiResult<ReleaseDetailsResponse> {
        releases::get_release_details(self, i, c).await
    }

    async fn get_release_editorial(
        &self,
        i: GetReleaseEditorialInput,
        c: RequestContext,
    ) -> ApiResult<EditorialResponse> {
        releases::get_release_editorial(self, i, c).await
    }

    async fn get_release_chart(
        &self,
        i: GetReleaseChartInput,
        c: RequestContext,
    ) -> ApiResult<ChartResponse> {
        releases::get_release_chart(self, i, c).await
    }

    async fn get_release_recommendations(
        &self,
        i: GetReleaseRecommendationsInput,
        c: RequestContext,
    ) -> ApiResult<RecommendationsResponse> {
        releases::get_release_recommendations(self, i, c).await
    }

    async fn search_releases(
        &self,
        i: SearchReleasesInput,
        c: RequestContext,
    ) -> ApiResult<SearchResponse> {
        releases::search_releases(self, i, c).await
    }

    async fn get_release_tracks(
        &self,
        i: GetReleaseTracksInput,
        c: RequestContext,
    ) -> ApiResult<TrackListResponse> {
        releases::get_release_tracks(self, i, c).await
    }

    async fn get_release_tags(
        &self,
        i: GetReleaseTagsInput,
        c: RequestContext,
    ) -> ApiResult<TagListResponse> {
        releases::get_release_tags(self, i, c).await
    }

    async fn match_release_by_id(
        &self,
        i: MatchReleaseByIdInput,
        c: RequestContext,
    ) -> ApiResult<ReleaseDetailsResponse> {
        releases::match_release_by_id(self, i, c).await
    }

    async fn get_new_releases_by_tags(
        &self,
        i: GetNewReleasesByTagsInput,
        c: RequestContext,
    ) -> ApiResult<TaggedResultsResponse> {
        releases::get_new_releases_by_tags(self, i, c).await
    }

    async fn get_top_releases_by_tags(
        &self,
        i: GetTopReleasesByTagsInput,
        c: RequestContext,
    ) -> ApiResult<TaggedResultsResponse> {
        releases::get_top_releases_by_tags(self, i, c).await
    }

    async fn browse_artists(
        &self,
        i: BrowseArtistsInput,
        c: RequestContext,
    ) -> ApiResult<ArtistListResponse> {
        artists::browse_artists(self, i, c).await
    }

    async fn get_artist_chart(
        &self,
        i: GetArtistChartInput,
        c: RequestContext,
    ) -> ApiResult<ChartResponse> {
        artists::get_artist_chart(self, i, c).await
    }

    async fn get_artist_details(
        &self,
        i: GetArtistDetailsInput,
        c: RequestContext,
    ) -> ApiResult<ArtistDetailsResponse> {
        artists::get_artist_details(self, i, c).await
    }

    async fn get_artist_releases(
        &self,
        i: GetArtistReleasesInput,
        c: RequestContext,
    ) -> ApiResult<ReleaseListResponse> {
        artists::get_artist_releases(self, i, c).await
    }

    async fn get_similar_artists(
        &self,
        i: GetSimilarArtistsInput,
        c: RequestContext,
    ) -> ApiResult<ArtistListResponse> {
        artists::get_similar_artists(self, i, c).await
    }

    async fn search_artists(
        &self,
        i: SearchArtistsInput,
        c: RequestContext,
    ) -> ApiResult<SearchResponse> {
        artists::search_artists(self, i, c).await
    }

    async fn get_artist_top_tracks(
        &self,
        i: GetArtistTopTracksInput,
        c: RequestContext,
    ) -> ApiResult<TrackListResponse> {
        artists::get_artist_top_tracks(self, i, c).await
    }

    async fn get_artist_tags(
        &self,
        i: GetArtistTagsInput,
        c: RequestContext,
    ) -> ApiResult<TagListResponse> {
        artists::get_artist_tags(self, i, c).await
    }

    async fn match_artist_by_id(
        &self,
        i: MatchArtistByIdInput,
        c: RequestContext,
    ) -> ApiResult<ArtistDetailsResponse> {
        artists::match_artist_by_id(self, i, c).await
    }

    async fn get_top_artists_by_tags(
        &self,
        i: GetTopArtistsByTagsInput,
        c: RequestContext,
    ) -> ApiResult<TaggedResultsResponse> {
        artists::get_top_artists_by_tags(self, i, c).await
    }

    async fn get_track_chart(
        &self,
        i: GetTrackChartInput,
        c: RequestContext,
    ) -> ApiResult<ChartResponse> {
        tracks::get_track_chart(self, i, c).await
    }

    async fn get_track_details(
        &self,
        i: GetTrackDetailsInput,
        c: RequestContext,
    ) -> ApiResult<TrackDetailsResponse> {
        tracks::get_track_details(self, i, c).await
    }

    async fn search_tracks(
        &self,
        i: SearchTracksInput,
        c: RequestContext,
    ) -> ApiResult<SearchResponse> {
        tracks::search_tracks(self, i, c).await
    }

    async fn match_track_by_id(
        &self,
        i: MatchTrackByIdInput,
        c: RequestContext,
    ) -> ApiResult<TrackDetailsResponse> {
        tracks::match_track_by_id(self, i, c).await
    }

    async fn get_all_tags(
        &self,
        i: GetAllTagsInput,
        c: RequestContext,
    ) -> ApiResult<TagListResponse> {
        tracks::get_all_tags(self, i, c).await
    }

    async fn get_basket(&self, i: GetBasketInput, c: RequestContext) -> ApiResult<BasketResponse> {
        basket::get_basket(self, i, c).await
    }

    async fn create_basket(
        &self,
        i: CreateBasketInput,
        c: RequestContext,
    ) -> ApiResult<BasketResponse> {
        basket::create_basket(self, i, c).await
    }

    async fn add_basket_item(
        &self,
        i: AddBasketItemInput,
        c: RequestContext,
    ) -> ApiResult<BasketResponse> {
        basket::add_basket_item(self, i, c).await
    }

    async fn remove_basket_item(
        &self,
        i: RemoveBasketItemInput,
        c: RequestContext,
    ) -> ApiResult<BasketResponse> {
        basket::remove_basket_item(self, i, c).await
    }

    async fn apply_basket_voucher(
        &self,
        i: ApplyBasketVoucherInput,
        c: RequestContext,
    ) -> ApiResult<BasketResponse> {
        basket::apply_basket_voucher(self, i, c).await
    }

    async fn add_priced_basket_item(
        &self,
        i: AddPricedBasketItemInput,
        c: RequestContext,
    ) -> ApiResult<BasketResponse> {
        basket::add_priced_basket_item(self, i, c).await
    }

    async fn get_basket_pay_pal_url(
        &self,
        i: GetBasketPayPalUrlInput,
        c: RequestContext,
    ) -> ApiResult<ExpressCheckoutResponse> {
        basket::get_basket_pay_pal_url(self, i, c).await
    }

    async fn complete_basket_pay_pal_purchase(
        &self,
        i: CompleteBasketPayPalPurchaseInput,
        c: RequestContext,
    ) -> ApiResult<PurchaseResponse> {
        basket::complete_basket_pay_pal_purchase(self, i, c).await
    }

    async fn get_user_unlimited_streaming(
        &self,
        i: GetUserUnlimitedStreamingInput,
        c: RequestContext,
    ) -> ApiResult<UnlimitedStreamingResponse> {
        user::get_user_unlimited_streaming(self, i, c).await
    }

    async fn update_user_unlimited_streaming(
        &self,
        i: UpdateUserUnlimitedStreamingInput,
        c: RequestContext,
    ) -> ApiResult<UnlimitedStreamingResponse> {
        user::update_user_unlimited_streaming(self, i, c).await
    }

    async fn get_user_locker(
        &self,
        i: GetUserLockerInput,
        c: RequestContext,
    ) -> ApiResult<LockerResponse> {
        user::get_user_locker(self, i, c).await
    }

    async fn purchase_user_item(
        &self,
        i: PurchaseUserItemInput,
        c: RequestContext,
    ) -> ApiResult<PurchaseResponse> {
        user::purchase_user_item(self, i, c).await
    }

    async fn purchase_user_rrp_item(
        &self,
        i: PurchaseUserRrpItemInput,
        c: RequestContext,
    ) -> ApiResult<PurchaseResponse> {
        user::purchase_user_rrp_item(self, i, c).await
    }

    async fn purchase_user_basket(
        &self,
        i: PurchaseUserBasketInput,
        c: RequestContext,
    ) -> ApiResult<PurchaseResponse> {
        user::purchase_user_basket(self, i, c).await
    }

    async fn purchase_user_priced_item(
        &self,
        i: PurchaseUserPricedItemInput,
        c: RequestContext,
    ) -> ApiResult<PurchaseResponse> {
        user::purchase_user_priced_item(self, i, c).await
    }

    async fn list_user_payment_cards(
        &self,
        i: ListUserPaymentCardsInput,
        c: RequestContext,
    ) -> ApiResult<PaymentCardsResponse> {
        cards::list_user_payment_cards(self, i, c).await
    }

    async fn select_user_payment_card(
        &self,
        i: SelectUserPaymentCardInput,
        c: RequestContext,
    ) -> ApiResult<StatusResponse> {
        cards::select_user_payment_card(self, i, c).await
    }

    async fn delete_user_payment_card(
        &self,
        i: DeleteUserPaymentCardInput,
        c: RequestContext,
    ) -> ApiResult<StatusResponse> {
        cards::delete_user_payment_card(self, i, c).await
    }

    async fn register_user_payment_card(
        &self,
        i: RegisterUserPaymentCardInput,
        c: RequestContext,
    ) -> ApiResult<CardRegistrationResponse> {
        cards::register_user_payment_card(self, i, c).await
    }

    async fn get_user_card_registration(
        &self,
        i: GetUserCardRegistrationInput,
        c: RequestContext,
    ) -> ApiResult<CardRegistrationResponse> {
        cards::get_user_card_registration(self, i, c).await
    }

    async fn deliver_user_item(
        &self,
        i: DeliverUserItemInput,
        c: RequestContext,
    ) -> ApiResult<PurchaseResponse> {
        user::deliver_user_item(self, i, c).await
    }

    async fn signup_user(&self, i: SignupUserInput, c: RequestContext) -> ApiResult<UserResponse> {
        user::signup_user(self, i, c).await
    }

    async fn create_user(&self, i: CreateUserInput, c: RequestContext) -> ApiResult<UserResponse> {
        user::create_user(self, i, c).await
    }

    async fn get_user_details(
        &self,
        i: GetUserDetailsInput,
        c: RequestContext,
    ) -> ApiResult<UserResponse> {
        user::get_user_details(self, i, c).await
    }

    async fn authenticate_user(
        &self,
        i: AuthenticateUserInput,
        c: RequestContext,
    ) -> ApiResult<UserResponse> {
        user::authenticate_user(self, i, c).await
    }

    async fn find_users(&self, i: FindUsersInput, c: RequestContext) -> ApiResult<UsersResponse> {
        user::find_users(self, i, c).await
    }

    async fn update_user(&self, i: UpdateUserInput, c: RequestContext) -> ApiResult<UserResponse> {
        user::update_user(self, i, c).await
    }

    async fn get_countries(
        &self,
        i: GetCountriesInput,
        c: RequestContext,
    ) -> ApiResult<CountriesResponse> {
        lookups::get_countries(self, i, c).await
    }

    async fn get_translations(
        &self,
        i: GetTranslationsInput,
        c: RequestContext,
    ) -> ApiResult<TranslationsResponse> {
        lookups::get_translations(self, i, c).await
    }

    async fn resolve_country_for_ip(
        &self,
        i: ResolveCountryForIpInput,
        c: RequestContext,
    ) -> ApiResult<GeoIpLookupResponse> {
        lookups::resolve_country_for_ip(self, i, c).await
    }

    async fn get_editorial_list(
        &self,
        i: GetEditorialListInput,
        c: RequestContext,
    ) -> ApiResult<EditorialListResponse> {
        lookups::get_editorial_list(self, i, c).await
    }

    async fn get_artist_id_by_url(
        &self,
        i: GetArtistIdByUrlInput,
        c: RequestContext,
    ) -> ApiResult<ArtistDetailsResponse> {
        lookups::get_artist_id_by_url(self, i, c).await
    }

    async fn get_release_id_by_url(
        &self,
        i: GetReleaseIdByUrlInput,
        c: RequestContext,
    ) -> ApiResult<ReleaseDetailsResponse> {
        lookups::get_release_id_by_url(self, i, c).await
    }

    async fn get_payment_card_types(
        &self,
        i: GetPaymentCardTypesInput,
        c: RequestContext,
    ) -> ApiResult<CardTypesResponse> {
        lookups::get_payment_card_types(self, i, c).await
    }

    async fn get_payment_voucher_details(
        &self,
        i: GetPaymentVoucherDetailsInput,
        c: RequestContext,
    ) -> ApiResult<VoucherResponse> {
        lookups::get_payment_voucher_details(self, i, c).await
    }

    async fn create_partner_user(
        &self,
        i: CreatePartnerUserInput,
        c: RequestContext,
    ) -> ApiResult<PartnerUserResponse> {
        partner::create_partner_user(self, i, c).await
    }

    async fn log_sale(&self, i: LogSaleInput, c: RequestContext) -> ApiResult<LoggedSaleResponse> {
        partner::log_sale(self, i, c).await
    }

    async fn get_partner_locker(
        &self,
        i: GetPartnerLockerInput,
        c: RequestContext,
    ) -> ApiResult<PartnerLockerResponse> {
        partner::get_partner_locker(self, i, c).await
    }

    async fn refund_release(
        &self,
        i: RefundReleaseInput,
        c: RequestContext,
    ) -> ApiResult<StatusResponse> {
        partner::refund_release(self, i, c).await
    }

    async fn refund_track(
        &self,
        i: RefundTrackInput,
        c: RequestContext,
    ) -> ApiResult<StatusResponse> {
        partner::refund_track(self, i, c).await
    }

    async fn download_purchase_zip(
        &self,
        i: DownloadPurchaseZipInput,
        c: RequestContext,
    ) -> ApiResult<axum::response::Response> {
        partner::download_purchase_zip(self, i, c).await
    }

    async fn download_purchased_release_zip(
        &self,
        i: DownloadPurchasedReleaseZipInput,
        c: RequestContext,
    ) -> ApiResult<axum::response::Response> {
        partner::download_purchased_release_zip(self, i, c).await
    }

    async fn download_purchased_track(
        &self,
        i: DownloadPurchasedTrackInput,
        c: RequestContext,
    ) -> ApiResult<axum::response::Response> {
        partner::download_purchased_track(self, i, c).await
    }
}
