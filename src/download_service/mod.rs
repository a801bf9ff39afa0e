//! A download store on 7digital / MassiveMusic: what the generated download-service calls need
//! beside their description.
//!
//! The calls themselves are described in `spec/7digital-download-service.yml` and generated like
//! every other operation (typed builders on [`Client`], catalogue entries, route stubs, CLI
//! subcommands, gateway tools). They are signed two-legged: the store acts for its users by
//! naming them (`userId`), without user access tokens. Their inputs are checked before anything
//! is sent, with the catalogue's rules and [`crate::catalogue::rules`]. This module adds what no document
//! can say: the [`Price`] type, the refund window ([`refund_deadline`],
//! `refund_release(..).sold_at(..)`), the locker as a stream, and downloading a whole locker.
//!
//! # The store flow
//!
//! 1. **Users.** Create each of the store's users once, under the store's own id for them:
//!    [`Client::create_partner_user`]. An id already taken is [`Error::UserAlreadyExists`].
//! 2. **Sales.** Take the payment, then log every sale for the monthly rights-holders report:
//!    [`Client::log_sale`], with the price charged as a [`Price`] (a decimal string, never a
//!    float). The answer's purchase id names the sale in downloads and refunds. A sale is sent
//!    at most once per call and never retried automatically; if its answer is lost, the error is
//!    [`Error::SaleOutcomeUnknown`]: look for the transaction in the locker before logging it
//!    again (`get_partner_locker(..).find_transaction(..)`).
//! 3. **Locker.** Everything a user bought: [`Client::get_partner_locker`], page by page or as a
//!    stream of every item (`.into_stream()`).
//! 4. **Downloads.** Signed URLs on the download host (see [`ClientBuilder::download_url`]) for
//!    a whole purchase, a release or a track: [`Client::download_purchase_zip`],
//!    [`Client::download_purchased_release_zip`], [`Client::download_purchased_track`], with
//!    `.presigned_url(..)`, or fetched to a file with `.download_to(..)`. Each call signs afresh.
//! 5. **Refunds.** Take a refunded release or track out of the report: [`Client::refund_release`],
//!    [`Client::refund_track`]. Only before 00:00 UTC on the 4th day of the month after the sale;
//!    with `.sold_at(date)`, a late refund is refused before it is sent
//!    ([`Error::ReportingPeriodClosed`]). A sale the log does not have is [`Error::SaleNotFound`].
//!    Refunds are never retried automatically.
//!
//! ```no_run
//! use sevendigital::download_service::Price;
//! use sevendigital::models::LockerSort;
//! use sevendigital::prelude::*;
//!
//! # async fn demo() -> Result<(), sevendigital::Error> {
//! let client = sevendigital::Client::builder()
//!     .consumer("KEY", "SECRET")
//!     .download_url("https://downloads.example/1.2")
//!     .build()?;
//! client.create_partner_user("store-user-42", "GB").await?;
//! let sale = client
//!     .log_sale("store-user-42", 11700062, "GB", "tx-1", Price::parse("7.99")?)
//!     .email_address("jane@example.com")
//!     .await?
//!     .purchase;
//! let items: Vec<_> = client
//!     .get_partner_locker("store-user-42", "GB")
//!     .sort(LockerSort::PurchaseDateDesc)
//!     .into_stream()
//!     .try_collect()
//!     .await?;
//! let url = client
//!     .download_purchase_zip("store-user-42", sale.id.as_str(), "GB")
//!     .presigned_url(None)?;
//! client
//!     .refund_release(sale.id.as_str(), 11700062, "GB")
//!     .sold_at(sale.purchase_date.as_deref().unwrap_or_default())?
//!     .await?;
//! # let _ = (items, url); Ok(()) }
//! ```
//!
//! [`Client`]: crate::Client
//! [`Client::create_partner_user`]: crate::Client::create_partner_user
//! [`Client::log_sale`]: crate::Client::log_sale
//! [`Client::get_partner_locker`]: crate::Client::get_partner_locker
//! [`Client::download_purchase_zip`]: crate::Client::download_purchase_zip
//! [`Client::download_purchased_release_zip`]: crate::Client::download_purchased_release_zip
//! [`Client::download_purchased_track`]: crate::Client::download_purchased_track
//! [`Client::refund_release`]: crate::Client::refund_release
//! [`Client::refund_track`]: crate::Client::refund_track
//! [`ClientBuilder::download_url`]: crate::ClientBuilder::download_url
//! [`Error::UserAlreadyExists`]: crate::Error::UserAlreadyExists
//! [`Error::SaleOutcomeUnknown`]: crate::Error::SaleOutcomeUnknown
//! [`Error::ReportingPeriodClosed`]: crate::Error::ReportingPeriodClosed
//! [`Error::SaleNotFound`]: crate::Error::SaleNotFound

mod fetch;
mod locker;
mod price;
mod refund_window;

pub use fetch::LockerDownload;
pub use price::Price;
pub use refund_window::refund_deadline;
#[cfg(feature = "server")]
pub(crate) use refund_window::{deadline_after, format_utc};
