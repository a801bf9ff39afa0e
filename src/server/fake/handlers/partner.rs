//! The download service: partner users, the sales log, the partner locker, refunds and purchased files.

use super::*;
use crate::models::*;
use crate::server::fake::Fake;
use crate::server::*;

// The download service (`spec/7digital-download-service.yml`), in `service.rs`.

pub(crate) async fn create_partner_user(
    fake: &Fake,
    i: CreatePartnerUserInput,
    _: RequestContext,
) -> ApiResult<PartnerUserResponse> {
    crate::server::fake::service::create_user(&fake.store, i)
}

pub(crate) async fn log_sale(
    fake: &Fake,
    i: LogSaleInput,
    _: RequestContext,
) -> ApiResult<LoggedSaleResponse> {
    crate::server::fake::service::log_sale(&fake.store, i, &fake.catalogue)
}

pub(crate) async fn get_partner_locker(
    fake: &Fake,
    i: GetPartnerLockerInput,
    _: RequestContext,
) -> ApiResult<PartnerLockerResponse> {
    crate::server::fake::service::locker(&fake.store, i, &fake.catalogue)
}

pub(crate) async fn refund_release(
    fake: &Fake,
    i: RefundReleaseInput,
    _: RequestContext,
) -> ApiResult<StatusResponse> {
    crate::server::fake::service::refund_release(&fake.store, i)
}

pub(crate) async fn refund_track(
    fake: &Fake,
    i: RefundTrackInput,
    _: RequestContext,
) -> ApiResult<StatusResponse> {
    crate::server::fake::service::refund_track(&fake.store, i)
}

pub(crate) async fn download_purchase_zip(
    fake: &Fake,
    i: DownloadPurchaseZipInput,
    c: RequestContext,
) -> ApiResult<axum::response::Response> {
    crate::server::fake::service::download_purchase(&fake.store, i, &c)
}

pub(crate) async fn download_purchased_release_zip(
    fake: &Fake,
    i: DownloadPurchasedReleaseZipInput,
    c: RequestContext,
) -> ApiResult<axum::response::Response> {
    crate::server::fake::service::download_release(&fake.store, i, &c)
}

pub(crate) async fn download_purchased_track(
    fake: &Fake,
    i: DownloadPurchasedTrackInput,
    c: RequestContext,
) -> ApiResult<axum::response::Response> {
    crate::server::fake::service::download_track(&fake.store, i, &c)
}
