//! Any call whose answer is a file, downloaded through a freshly signed URL per attempt.

use std::path::Path;

use tokio::io::AsyncWrite;

use super::{DownloadOptions, Downloaded};
use crate::call::{Call, Endpoint};
use crate::client::Client;
use crate::error::Error;

impl<E: Endpoint + Clone> Call<E> {
    /// Downloads the file this call answers with to `target`, resuming a partial `.part` file
    /// left by an earlier attempt and retrying per the client's retry policy. Every attempt
    /// signs a fresh URL ([`presigned_url`](Call::presigned_url)); the file is renamed into
    /// place only when complete (see [`crate::download`]).
    ///
    /// ```no_run
    /// # async fn demo(client: sevendigital::Client) -> Result<(), sevendigital::Error> {
    /// use sevendigital::download::DownloadOptions;
    /// let done = client
    ///     .download_purchased_track("store-user-42", 123456, 11700062, 17, "GB")
    ///     .download_to(std::path::Path::new("track.mp3"), &DownloadOptions::default())
    ///     .await?;
    /// # let _ = done; Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad input (nothing is sent); [`Error::Download`] when the
    /// file cannot be fetched or written; an API error answer as for any call.
    pub async fn download_to(
        self,
        target: &Path,
        options: &DownloadOptions,
    ) -> Result<Downloaded, Error> {
        let client = self.client.clone();
        self.clone().presigned_url(None)?;
        let options = client.download_options(options);
        let retry = self.overrides.retry.unwrap_or(client.retry_policy());
        super::download_with_resume(
            client.http(),
            || self.clone().presigned_url(None),
            target,
            &options,
            retry,
        )
        .await
    }

    /// Streams the file this call answers with into `writer` (no resuming: a writer cannot be
    /// rewound).
    ///
    /// # Errors
    ///
    /// As for [`download_to`](Call::download_to).
    pub async fn download_to_writer<W: AsyncWrite + Unpin>(
        self,
        writer: &mut W,
        options: &DownloadOptions,
    ) -> Result<Downloaded, Error> {
        let client = self.client.clone();
        self.clone().presigned_url(None)?;
        let options = client.download_options(options);
        super::download_to_writer(
            client.http(),
            || self.clone().presigned_url(None),
            writer,
            &options,
        )
        .await
    }
}

impl Client {
    /// `options` with this client's hooks.
    fn download_options(&self, options: &DownloadOptions) -> DownloadOptions {
        let mut options = options.clone();
        options.hooks = self.hooks().clone();
        options
    }
}
