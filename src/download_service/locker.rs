//! A download-store user's locker as a stream of every page or item.

use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::endpoint::Call;
use crate::error::Error;
use crate::models::{PartnerLockerItem, PartnerLockerResponse};
use crate::requests::GetPartnerLockerInputs;

/// The page size 7digital uses when none is asked for.
const DEFAULT_PAGE_SIZE: i64 = 10;

impl Call<GetPartnerLockerInputs> {
    /// Every page, from the builder's `page` (default 1) on, each request naming its `page`.
    /// The stream ends after a page that is empty or reaches the end
    /// (`page * pageSize >= totalItems`; without `totalItems`, a page shorter than `pageSize`),
    /// or after the first error, which it yields.
    pub fn into_pages(self) -> BoxStream<'static, Result<PartnerLockerResponse, Error>> {
        let (_, request) = self.clone().into_request();
        let first: i64 = request
            .value("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        stream::unfold(Some((self, first)), |state| async move {
            let (call, number) = state?;
            match call.clone().page(number).send().await {
                Ok(page) => {
                    let size = match page.page_size {
                        size if size > 0 => size,
                        _ => DEFAULT_PAGE_SIZE,
                    };
                    let count = page.items.as_ref().map_or(0, Vec::len);
                    let last = count == 0
                        || match page.total_items {
                            Some(total) => number.saturating_mul(size) >= total,
                            None => (count as i64) < size,
                        };
                    let next = match number.checked_add(1) {
                        Some(next) if !last => Some((call, next)),
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
    /// use sevendigital::prelude::*;
    /// # async fn demo(client: sevendigital::Client) -> Result<(), sevendigital::Error> {
    /// let mut items = client.get_partner_locker("store-user-42", "GB").page_size(50).into_stream();
    /// while let Some(item) = items.try_next().await? {
    ///     println!("{:?} {:?}", item.purchase_id, item.release.and_then(|r| r.title));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn into_stream(self) -> BoxStream<'static, Result<PartnerLockerItem, Error>> {
        self.into_pages()
            .map(|page| {
                let items: Vec<Result<PartnerLockerItem, Error>> = match page {
                    Ok(page) => page.items.unwrap_or_default().into_iter().map(Ok).collect(),
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
    /// As for [`send`](Call::send), for any page.
    pub async fn find_transaction(
        self,
        transaction_id: &str,
    ) -> Result<Vec<PartnerLockerItem>, Error> {
        self.into_stream()
            .try_filter(|item| {
                std::future::ready(item.transaction_id.as_deref() == Some(transaction_id))
            })
            .try_collect()
            .await
    }
}
