//! Every page of a paged operation as a stream: any generated call whose inputs have a `page`
//! and whose answer holds a page gets [`into_pages`](Call::into_pages),
//! [`into_stream`](Call::into_stream) and [`collect_all`](Call::collect_all).
//!
//! ```no_run
//! use sevendigital::prelude::*;           // TryStreamExt
//! # async fn demo(client: sevendigital::Client) -> Result<(), sevendigital::Error> {
//! let mut releases = client.search_releases("foo fighters").page_size(50).into_stream();
//! while let Some(hit) = releases.try_next().await? {
//!     println!("{:?}", hit.release.and_then(|r| r.title));
//! }
//! let all = client.get_artist_releases(8293).collect_all().await?;
//! # let _ = all; Ok(()) }
//! ```
//!
//! The walk starts at the call's own `page` (default 1), asks for each page in turn, and ends
//! after a page that is empty, that reaches `totalItems` (`page * pageSize >= totalItems`), or,
//! when the answer gives no total, that is shorter than `pageSize`; also when the answer names
//! another page than the one asked for (a server ignoring `page` would repeat itself forever).
//! The first error is the stream's last item.

use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::call::{Call, Endpoint, Output};
use crate::error::Error;

/// The page numbers an answer gives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageNumbers {
    /// This page's number, from 1.
    pub page: Option<i64>,
    /// Items per page.
    pub page_size: Option<i64>,
    /// Items on every page together.
    pub total_items: Option<i64>,
}

/// An answer that holds one page of items (implemented by the generator).
pub trait Page {
    /// One item.
    type Item;
    /// The answer's page numbers.
    fn numbers(&self) -> PageNumbers;
    /// How many items this page holds.
    fn item_count(&self) -> usize;
    /// The items of this page, in order.
    fn into_items(self) -> Vec<Self::Item>;
}

/// The inputs of a paged operation (implemented by the generator).
pub trait Paged: Endpoint {
    /// The page asked for, if set.
    fn page(&self) -> Option<i64>;
    /// Asks for page `page`.
    fn set_page(&mut self, page: i64);
}

impl<E> Call<E>
where
    E: Paged + Clone + Send + Sync + 'static,
    Output<E>: Page + Send + 'static,
    <Output<E> as Page>::Item: Send + 'static,
{
    /// Every page in turn, from this call's page on (see the [module](self) for where it stops).
    pub fn into_pages(self) -> BoxStream<'static, Result<Output<E>, Error>> {
        let first = self.inputs.page().unwrap_or(1);
        stream::unfold(Some((self, first)), |state| async move {
            let (call, number) = state?;
            let mut this = call.clone();
            this.inputs.set_page(number);
            match this.send().await {
                Ok(page) => {
                    let numbers = page.numbers();
                    let next = number
                        .checked_add(1)
                        .filter(|_| !last(&numbers, number, &page))
                        .map(|next| (call, next));
                    Some((Ok(page), next))
                }
                Err(e) => Some((Err(e), None)),
            }
        })
        .boxed()
    }

    /// Every item of every page, in order.
    pub fn into_stream(self) -> BoxStream<'static, Result<<Output<E> as Page>::Item, Error>> {
        self.into_pages()
            .map(|page| {
                let items: Vec<Result<<Output<E> as Page>::Item, Error>> = match page {
                    Ok(page) => page.into_items().into_iter().map(Ok).collect(),
                    Err(e) => vec![Err(e)],
                };
                stream::iter(items)
            })
            .flatten()
            .boxed()
    }

    /// Every item of every page, collected.
    ///
    /// # Errors
    ///
    /// The first error of any page.
    pub async fn collect_all(self) -> Result<Vec<<Output<E> as Page>::Item>, Error> {
        self.into_stream().try_collect().await
    }
}

/// Whether `page`, asked for as page `asked`, is the last.
fn last<P: Page>(numbers: &PageNumbers, asked: i64, page: &P) -> bool {
    let count = i64::try_from(page.item_count()).unwrap_or(i64::MAX);
    if count == 0 || numbers.page.is_some_and(|p| p != asked) {
        return true;
    }
    let size = numbers.page_size.filter(|s| *s > 0);
    match (numbers.total_items, size) {
        (Some(total), Some(size)) => asked.saturating_mul(size) >= total,
        (Some(total), None) => count >= total,
        (None, Some(size)) => count < size,
        (None, None) => false,
    }
}
