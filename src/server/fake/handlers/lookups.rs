//! Lookups: countries, translations, IP to country, editorial lists, ids by URL, payment card types and vouchers.

use super::*;
use crate::catalogue;
use crate::models::*;
use crate::server::fake::Fake;
use crate::server::*;
use serde_json::json;

pub(crate) async fn get_countries(
    _fake: &Fake,
    _: GetCountriesInput,
    _: RequestContext,
) -> ApiResult<CountriesResponse> {
    typed(
        &catalogue::GET_COUNTRIES,
        example(&catalogue::GET_COUNTRIES),
    )
}

pub(crate) async fn get_translations(
    _fake: &Fake,
    _: GetTranslationsInput,
    _: RequestContext,
) -> ApiResult<TranslationsResponse> {
    typed(
        &catalogue::GET_TRANSLATIONS,
        example(&catalogue::GET_TRANSLATIONS),
    )
}

pub(crate) async fn resolve_country_for_ip(
    _fake: &Fake,
    i: ResolveCountryForIpInput,
    _: RequestContext,
) -> ApiResult<GeoIpLookupResponse> {
    if i.ip.parse::<std::net::Ipv4Addr>().is_err() {
        return Err(ServerError::invalid_parameter(
            "ip",
            format!("`{}` is not an IPv4 address", i.ip),
        ));
    }
    let op = &catalogue::RESOLVE_COUNTRY_FOR_IP;
    let mut answer = example(op);
    answer["GeoIpLookup"]["ipaddress"] = json!(i.ip);
    typed(op, answer)
}

pub(crate) async fn get_editorial_list(
    _fake: &Fake,
    _: GetEditorialListInput,
    _: RequestContext,
) -> ApiResult<EditorialListResponse> {
    typed(
        &catalogue::GET_EDITORIAL_LIST,
        example(&catalogue::GET_EDITORIAL_LIST),
    )
}

pub(crate) async fn get_artist_id_by_url(
    fake: &Fake,
    i: GetArtistIdByUrlInput,
    _: RequestContext,
) -> ApiResult<ArtistDetailsResponse> {
    let artist = fake.catalogue.artist(&fake.default_artist_id())?;
    if text(&artist, "url") != i.url {
        return Err(ServerError::not_found(format!("Artist at {}", i.url)));
    }
    wrapped(&catalogue::GET_ARTIST_ID_BY_URL, "artist", artist)
}

pub(crate) async fn get_release_id_by_url(
    fake: &Fake,
    i: GetReleaseIdByUrlInput,
    _: RequestContext,
) -> ApiResult<ReleaseDetailsResponse> {
    let release = fake.catalogue.release(&fake.default_release_id())?;
    if text(&release, "url") != i.url {
        return Err(ServerError::not_found(format!("Release at {}", i.url)));
    }
    wrapped(&catalogue::GET_RELEASE_ID_BY_URL, "release", release)
}

pub(crate) async fn get_payment_card_types(
    _fake: &Fake,
    _: GetPaymentCardTypesInput,
    _: RequestContext,
) -> ApiResult<CardTypesResponse> {
    typed(
        &catalogue::GET_PAYMENT_CARD_TYPES,
        example(&catalogue::GET_PAYMENT_CARD_TYPES),
    )
}

pub(crate) async fn get_payment_voucher_details(
    _fake: &Fake,
    i: GetPaymentVoucherDetailsInput,
    _: RequestContext,
) -> ApiResult<VoucherResponse> {
    let op = &catalogue::GET_PAYMENT_VOUCHER_DETAILS;
    let mut answer = example(op);
    if text(&answer["voucher"], "code") != i.voucher_code {
        return Err(ServerError::not_found(format!(
            "Voucher {}",
            i.voucher_code
        )));
    }
    answer["voucher"]["redeemed"] = json!(false);
    typed(op, answer)
}
