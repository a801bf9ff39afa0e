//! Finding a sale in a download-store user's locker (the locker's pages and items stream like
//! every paged operation's, see [`crate::call::paging`]).

use futures_util::TryStreamExt;

use crate::call::Call;
use crate::error::Error;
use crate::models::PartnerLockerItem;
use crate::requests::GetPartnerLockerInputs;

impl Call<GetPartnerLockerInputs> {
    /// The locker items of the sale logged under the store's `transaction_id`, found by walking
    /// the locker (with this builder's filters): how to learn whether a sale whose answer was
    /// lost ([`Error::SaleOutcomeUnknown`]) was logged. Empty when there is none.
    ///
    /// ```no_run
    /// # async fn demo(client: sevendigital::Client) -> Result<(), sevendigital::Error> {
    /// let found = client
    ///     .get_partner_locker("store-user-42", "GB")
    ///     .page_size(50)
    ///     .find_transaction("tx-1")
    ///     .await?;
    /// # let _ = found; Ok(()) }
    /// ```
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
