//! Downloading everything in a user's locker.

use std::path::{Path, PathBuf};

use futures_util::{StreamExt, TryStreamExt};

use crate::download::{self, DownloadOptions, Downloaded};
use crate::models::PartnerLockerItem;
use crate::{Client, Error};

/// The format downloaded when a locker item lists none (17: MP3 320 kbps).
const DEFAULT_FORMAT_ID: i64 = 17;

/// What became of one locker item in [`Client::download_locker`].
#[derive(Debug)]
pub struct LockerDownload {
    /// The locker item.
    pub item: PartnerLockerItem,
    /// Where its file is (or was to be) written.
    pub path: PathBuf,
    /// `Ok(Some(..))` when downloaded now, `Ok(None)` when the file was already there, or the
    /// error that stopped it.
    pub outcome: Result<Option<Downloaded>, Error>,
}

impl Client {
    /// Downloads every item of a store user's locker into `dir` (created if needed), at most
    /// `concurrency` at a time: a release as `{purchase}-release-{id}.zip`, a track as
    /// `{purchase}-track-{id}.mp3`, in the first format the item lists. Files already in `dir`
    /// are skipped, so running it again finishes an interrupted run.
    ///
    /// # Errors
    ///
    /// The locker's errors, or [`Error::Download`] when `dir` cannot be created; one item's
    /// failure is in its [`LockerDownload::outcome`] and does not stop the others.
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
                resume: None,
                source: Some(Box::new(e)),
            })?;
        let items: Vec<PartnerLockerItem> = self
            .get_partner_locker(user_id, country)
            .into_stream()
            .try_collect()
            .await?;
        let results = futures_util::stream::iter(items)
            .map(|item| async move {
                let outcome = match self.locker_target(user_id, country, &item, dir) {
                    Err(e) => {
                        return LockerDownload {
                            item,
                            path: dir.to_path_buf(),
                            outcome: Err(e),
                        };
                    }
                    Ok((_, path)) if tokio::fs::try_exists(&path).await.unwrap_or(false) => {
                        (Ok(None), path)
                    }
                    Ok((target, path)) => (target.fetch(&path, options).await.map(Some), path),
                };
                LockerDownload {
                    item,
                    path: outcome.1,
                    outcome: outcome.0,
                }
            })
            .buffer_unordered(concurrency.max(1))
            .collect()
            .await;
        Ok(results)
    }

    /// The download call of a locker item and the path of its file in `dir`.
    fn locker_target(
        &self,
        user_id: &str,
        country: &str,
        item: &PartnerLockerItem,
        dir: &Path,
    ) -> Result<(Target, PathBuf), Error> {
        let format_id = item
            .format_ids
            .as_ref()
            .and_then(|ids| ids.first().copied())
            .unwrap_or(DEFAULT_FORMAT_ID);
        let no_release = || Error::invalid_input("releaseId", "the locker item names no release");
        let release_id = item.release_id.clone().ok_or_else(no_release)?;
        let purchase = item.purchase_id.as_deref().unwrap_or("purchase");
        let (target, name) = match &item.track_id {
            Some(track_id) => (
                Target::Track(self.download_purchased_track(
                    user_id,
                    track_id.as_str(),
                    release_id.as_str(),
                    format_id,
                    country,
                )),
                format!("{purchase}-track-{track_id}.mp3"),
            ),
            None => (
                Target::Release(self.download_purchased_release_zip(
                    user_id,
                    release_id.as_str(),
                    format_id,
                    country,
                )),
                format!("{purchase}-release-{release_id}.zip"),
            ),
        };
        let name = download::sanitize_file_name(&name)
            .ok_or_else(|| Error::invalid_input("releaseId", "gives no usable file name"))?;
        Ok((target, dir.join(name)))
    }
}

/// The download of one locker item.
enum Target {
    Release(crate::requests::DownloadPurchasedReleaseZip),
    Track(crate::requests::DownloadPurchasedTrack),
}

impl Target {
    async fn fetch(self, path: &Path, options: &DownloadOptions) -> Result<Downloaded, Error> {
        match self {
            Target::Release(call) => call.download_to(path, options).await,
            Target::Track(call) => call.download_to(path, options).await,
        }
    }
}
