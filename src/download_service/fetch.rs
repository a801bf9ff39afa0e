//! Downloading what a store's users bought: a purchase, release or track to a file or a
//! writer (streamed, resumable, retried), or a user's whole locker with bounded concurrency.

use std::path::{Path, PathBuf};

use futures_util::{StreamExt, TryStreamExt};
use tokio::io::AsyncWrite;

use super::{DownloadRequest, LockerItem};
use crate::download::{self, DownloadOptions, Downloaded};
use crate::{Client, Error};

/// The format downloaded when a locker item lists none.
const DEFAULT_FORMAT_ID: u32 = 17;

/// What became of one locker item in [`Client::download_locker`].
#[derive(Debug)]
pub struct LockerDownload {
    /// The item.
    pub item: LockerItem,
    /// Where it is (or would have been) written.
    pub path: PathBuf,
    /// The download, `Ok(None)` when the file was already complete and skipped.
    pub outcome: Result<Option<Downloaded>, Error>,
}

impl Client {
    /// Downloads `request` to the file `target`: streamed in constant memory into
    /// `target.part` and renamed when complete, resuming a `.part` left by an earlier attempt,
    /// retried per the client's retry policy (downloads are idempotent). Each attempt is signed
    /// afresh.
    ///
    /// # Errors
    ///
    /// An invalid request ([`Error::InvalidInput`]), an API error (such as 2002, no licence),
    /// or [`Error::Download`] when the body could not be received whole; `target` then does not
    /// exist and the `.part` keeps what was received.
    pub async fn download(
        &self,
        request: &DownloadRequest,
        target: &Path,
        options: &DownloadOptions,
    ) -> Result<Downloaded, Error> {
        self.download_url(request)?;
        download::download_with_resume(
            self.http(),
            || self.download_url(request),
            target,
            options,
            self.retry_policy(),
        )
        .await
    }

    /// Downloads `request` into `writer`, streamed (no resume: a writer cannot be rewound).
    ///
    /// # Errors
    ///
    /// As [`Client::download`].
    pub async fn download_to_writer<W: AsyncWrite + Unpin>(
        &self,
        request: &DownloadRequest,
        writer: &mut W,
        options: &DownloadOptions,
    ) -> Result<Downloaded, Error> {
        self.download_url(request)?;
        download::download_to_writer(self.http(), || self.download_url(request), writer, options)
            .await
    }

    /// Downloads every item of a user's locker into `dir` (created if needed), at most
    /// `concurrency` at a time: a release item as `{purchaseId}-release-{releaseId}.zip`, a track
    /// as `{purchaseId}-track-{trackId}.mp3`. A file already there is complete (downloads are
    /// renamed into place only when whole) and is skipped. One failing item does not stop the
    /// others: each item's outcome is reported.
    ///
    /// # Errors
    ///
    /// Only when the locker itself cannot be read or `dir` cannot be created; per-item failures
    /// are in the results.
    pub async fn download_locker(
        &self,
        user_id: &str,
        country: &str,
        dir: &Path,
        concurrency: usize,
        options: &DownloadOptions,
    ) -> Result<Vec<LockerDownload>, Error> {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| Error::Download {
                path: Some(dir.to_path_buf()),
                message: "cannot create the directory".to_string(),
                retryable: false,
                source: Some(Box::new(e)),
            })?;
        let items: Vec<LockerItem> = self
            .partner_locker(user_id, country)
            .into_stream()
            .try_collect()
            .await?;
        let results = futures_util::stream::iter(items)
            .map(|item| async move {
                let Some((request, path)) = locker_target(user_id, country, &item, dir) else {
                    let outcome = Err(Error::invalid_input(
                        "releaseId",
                        "the locker item names no release to download",
                    ));
                    return LockerDownload {
                        item,
                        path: dir.to_path_buf(),
                        outcome,
                    };
                };
                let outcome = if tokio::fs::try_exists(&path).await.unwrap_or(false) {
                    Ok(None)
                } else {
                    self.download(&request, &path, options).await.map(Some)
                };
                LockerDownload {
                    item,
                    path,
                    outcome,
                }
            })
            .buffer_unordered(concurrency.max(1))
            .collect()
            .await;
        Ok(results)
    }
}

/// The download and file name of a locker item (`None` when the item names no release).
fn locker_target(
    user_id: &str,
    country: &str,
    item: &LockerItem,
    dir: &Path,
) -> Option<(DownloadRequest, PathBuf)> {
    let format_id = item
        .format_ids
        .first()
        .copied()
        .unwrap_or(DEFAULT_FORMAT_ID);
    let release_id = item.release_id.clone()?;
    let purchase = item.purchase_id.as_deref().unwrap_or("purchase");
    let (request, name) = match &item.track_id {
        Some(track_id) => (
            DownloadRequest::track(user_id, track_id.clone(), release_id, format_id, country),
            format!("{purchase}-track-{track_id}.mp3"),
        ),
        None => (
            DownloadRequest::release(user_id, release_id.clone(), format_id, country),
            format!("{purchase}-release-{release_id}.zip"),
        ),
    };
    let name = download::sanitize_file_name(&name)?;
    Some((request, dir.join(name)))
}
