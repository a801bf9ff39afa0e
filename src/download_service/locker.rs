//! A download-store user's locker: one page, or a stream of every page or item.

use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};

use super::operations::PARTNER_LOCKER;
use super::types::{LockerItem, LockerPage, LockerSort};
use super::{decode_json, send, validate};
use crate::client::Client;
use crate::error::Error;
use crate::request::Request;

/// The page size the API uses when none is asked for.
pub const DEFAULT_PAGE_SIZE: u32 = 10;

impl Client {
    /// The locker of the store's user `user_id` in `country`: every release and track they
    /// bought, one page at a time ([`PartnerLocker::send`]) or as a stream of every item
    /// ([`PartnerLocker::into_stream`]) or page ([`PartnerLocker::into_pages`]).
    ///
    /// `GET /user/locker` (operation `getPartnerLocker`, signed two-legged). Retried like any
    /// read when the client's retry policy allows.
    pub fn partner_locker(
        &self,
        user_id: impl Into<String>,
        country: impl Into<String>,
    ) -> PartnerLocker {
        PartnerLocker {
            client: self.clone(),
            user_id: user_id.into(),
            country: country.into(),
            page: None,
            page_size: None,
            release_id: None,
            track_id: None,
            purchase_id: None,
            sort: None,
        }
    }
}

/// Request builder for `GET /user/locker` (operation `getPartnerLocker`), made by
/// [`Client::partner_locker`].
///
/// Set optional inputs with the chained setters, then call [`send`](Self::send) for one page,
/// or walk every page with [`into_stream`](Self::into_stream) / [`into_pages`](Self::into_pages).
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until you call `.send().await` or stream it"]
pub struct PartnerLocker {
    client: Client,
    user_id: String,
    country: String,
    page: Option<u32>,
    page_size: Option<u32>,
    release_id: Option<String>,
    track_id: Option<String>,
    purchase_id: Option<String>,
    sort: Option<LockerSort>,
}

impl PartnerLocker {
    /// The page to get, from 1 (default 1); a stream starts there.
    ///
    /// Sets `page`.
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// Items per page, 1 to 50 (the API's default is 10).
    ///
    /// Sets `pageSize`.
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Only this release (an empty locker if the user has not bought it).
    ///
    /// Sets `releaseId`.
    pub fn release_id(mut self, release_id: impl Into<String>) -> Self {
        self.release_id = Some(release_id.into());
        self
    }

    /// Only this track; needs [`release_id`](Self::release_id).
    ///
    /// Sets `trackId`.
    pub fn track_id(mut self, track_id: impl Into<String>) -> Self {
        self.track_id = Some(track_id.into());
        self
    }

    /// Only the items of this purchase (the API answers with an error when it has none).
    ///
    /// Sets `purchaseId`.
    pub fn purchase_id(mut self, purchase_id: impl Into<String>) -> Self {
        self.purchase_id = Some(purchase_id.into());
        self
    }

    /// The order of the items (the API's default is release title, ascending).
    ///
    /// Sets `sort` (`purchaseDate desc`).
    pub fn sort(mut self, sort: LockerSort) -> Self {
        self.sort = Some(sort);
        self
    }

    fn request(&self) -> Result<Request, Error> {
        let user_id = validate::user_id(&self.user_id)?;
        let country = validate::country(&self.country)?;
        let mut request = Request::new(&PARTNER_LOCKER);
        request.query("userId", user_id.to_string());
        request.query("country", country);
        if let Some(page) = self.page {
            request.query("page", validate::page(page)?.to_string());
        }
        if let Some(page_size) = self.page_size {
            request.query("pageSize", validate::page_size(page_size)?.to_string());
        }
        if let Some(release_id) = &self.release_id {
            request.query(
                "releaseId",
                validate::id("releaseId", release_id)?.to_string(),
            );
        }
        if let Some(track_id) = &self.track_id {
            if self.release_id.is_none() {
                return Err(Error::invalid_input(
                    "trackId",
                    "filters the locker only together with `releaseId`: set `release_id` too",
                ));
            }
            request.query("trackId", validate::id("trackId", track_id)?.to_string());
        }
        if let Some(purchase_id) = &self.purchase_id {
            request.query(
                "purchaseId",
                validate::id("purchaseId", purchase_id)?.to_string(),
            );
        }
        if let Some(sort) = self.sort {
            request.query("sort", sort.to_string());
        }
        Ok(request)
    }

    /// Checks the inputs and gets one page.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field for a bad input (nothing is sent); otherwise as
    /// for any call (see [`Error`]).
    pub async fn send(self) -> Result<LockerPage, Error> {
        let request = self.request()?;
        let answer = send(&self.client, request).await?;
        decode_json(PARTNER_LOCKER.id, &answer)
    }

    /// Every page, from [`page`](Self::page) (default 1) on, each request naming its `page`.
    /// The stream ends after a page that
    /// is empty or reaches the end (`page * pageSize >= totalItems`; without `totalItems`, a
    /// page shorter than `pageSize`), or after the first error, which it yields.
    pub fn into_pages(self) -> BoxStream<'static, Result<LockerPage, Error>> {
        // Every request of the walk names its page, the first one too.
        let first = self.page.unwrap_or(1);
        stream::unfold(Some(self.page(first)), |state| async move {
            let builder = state?;
            let number = builder.page.unwrap_or(1);
            let asked_size = builder.page_size;
            match builder.clone().send().await {
                Ok(page) => {
                    let size = u64::from(
                        page.page_size
                            .filter(|s| *s > 0)
                            .or(asked_size)
                            .unwrap_or(DEFAULT_PAGE_SIZE),
                    );
                    let last = page.items.is_empty()
                        || match page.total_items {
                            Some(total) => u64::from(number).saturating_mul(size) >= total,
                            None => (page.items.len() as u64) < size,
                        };
                    let next = match number.checked_add(1) {
                        Some(next) if !last => Some(builder.page(next)),
                        _ => None,
                    };
                    Some((Ok(page), next))
                }
                Err(e) => Some((Err(e), None)),
            }
        })
        .boxed()
    }

    /// Every item of every page, in order (see [`into_pages`](Self::into_pages) for where it
    /// starts and stops). An error ends the stream.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// # async fn demo(client: sevendigital::Client) -> Result<(), sevendigital::Error> {
    /// let mut items = client.partner_locker("store-user-42", "GB").page_size(50).into_stream();
    /// while let Some(item) = items.try_next().await? {
    ///     println!("{:?} {:?}", item.purchase_id, item.release.and_then(|r| r.title));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn into_stream(self) -> BoxStream<'static, Result<LockerItem, Error>> {
        self.into_pages()
            .map(|page| {
                let items: Vec<Result<LockerItem, Error>> = match page {
                    Ok(page) => page.items.into_iter().map(Ok).collect(),
                    Err(e) => vec![Err(e)],
                };
                stream::iter(items)
            })
            .flatten()
            .boxed()
    }

    /// The locker items of the sale logged under the store's `transaction_id`, found by walking
    /// the locker (with this builder's filters): how to learn whether a sale whose answer was
    /// lost ([`Error::SaleOutcomeUnknown`]) was logged. Empty when there is none.
    ///
    /// # Errors
    ///
    /// As for [`send`](Self::send), for any page.
    pub async fn find_transaction(self, transaction_id: &str) -> Result<Vec<LockerItem>, Error> {
        self.into_stream()
            .try_filter(|item| {
                std::future::ready(item.transaction_id.as_deref() == Some(transaction_id))
            })
            .try_collect()
            .await
    }
}
