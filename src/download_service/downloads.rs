//! Signed download URLs on the download host.

use super::operations::{DOWNLOAD_PURCHASE, DOWNLOAD_RELEASE, DOWNLOAD_TRACK};
use super::validate;
use crate::client::Client;
use crate::error::Error;
use crate::request::Request;

/// What to download: a whole purchase, a purchased release or one purchased track. Turned into a
/// signed URL by [`Client::download_url`].
///
/// ```
/// use sevendigital::download_service::DownloadRequest;
///
/// let zip = DownloadRequest::purchase("store-user-42", "9001", "GB");
/// let track = DownloadRequest::Track {
///     user_id: "store-user-42".into(),
///     track_id: "123456".into(),
///     release_id: "11700062".into(),
///     format_id: 17,
///     country: "GB".into(),
///     error_url: Some("https://store.example/download-failed".into()),
/// };
/// # let _ = (zip, track);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DownloadRequest {
    /// Every track of a purchase, as one ZIP file:
    /// `users/{userId}/downloads/purchases/{purchaseId}?country=..`.
    Purchase {
        /// The store's user id.
        user_id: String,
        /// 7digital's purchase id (from the logged sale or the locker).
        purchase_id: String,
        /// ISO 3166-1 alpha-2 code of the user's country.
        country: String,
    },
    /// Every track of a purchased release, as one ZIP file:
    /// `users/{userId}/downloads/releases/{releaseId}?formatId=..&country=..`.
    Release {
        /// The store's user id.
        user_id: String,
        /// The release bought.
        release_id: String,
        /// The format (one of the locker item's `formatIds`).
        format_id: u32,
        /// ISO 3166-1 alpha-2 code of the user's country.
        country: String,
    },
    /// One purchased track:
    /// `users/{userId}/downloads/tracks/{trackId}?releaseId=..&formatId=..&country=..&errorUrl=..`.
    Track {
        /// The store's user id.
        user_id: String,
        /// The track bought.
        track_id: String,
        /// The release the track appears on.
        release_id: String,
        /// The format (one of the locker item's `formatIds`).
        format_id: u32,
        /// ISO 3166-1 alpha-2 code of the user's country.
        country: String,
        /// Where the user's browser is sent if the download fails.
        error_url: Option<String>,
    },
}

impl DownloadRequest {
    /// A whole purchase as one ZIP file.
    pub fn purchase(
        user_id: impl Into<String>,
        purchase_id: impl Into<String>,
        country: impl Into<String>,
    ) -> Self {
        DownloadRequest::Purchase {
            user_id: user_id.into(),
            purchase_id: purchase_id.into(),
            country: country.into(),
        }
    }

    /// A purchased release as one ZIP file.
    pub fn release(
        user_id: impl Into<String>,
        release_id: impl Into<String>,
        format_id: u32,
        country: impl Into<String>,
    ) -> Self {
        DownloadRequest::Release {
            user_id: user_id.into(),
            release_id: release_id.into(),
            format_id,
            country: country.into(),
        }
    }

    /// One purchased track, without an error URL.
    pub fn track(
        user_id: impl Into<String>,
        track_id: impl Into<String>,
        release_id: impl Into<String>,
        format_id: u32,
        country: impl Into<String>,
    ) -> Self {
        DownloadRequest::Track {
            user_id: user_id.into(),
            track_id: track_id.into(),
            release_id: release_id.into(),
            format_id,
            country: country.into(),
            error_url: None,
        }
    }

    /// The request, inputs checked.
    fn request(&self) -> Result<Request, Error> {
        let user_id = match self {
            DownloadRequest::Purchase { user_id, .. }
            | DownloadRequest::Release { user_id, .. }
            | DownloadRequest::Track { user_id, .. } => user_id,
        };
        // A URL path segment of `.` or `..` (also percent-encoded) would be resolved away.
        if matches!(user_id.as_str(), "." | "..") {
            return Err(Error::invalid_input(
                "userId",
                "`.` and `..` cannot be sent as a URL path segment",
            ));
        }
        match self {
            DownloadRequest::Purchase {
                user_id,
                purchase_id,
                country,
            } => {
                let mut request = Request::new(&DOWNLOAD_PURCHASE);
                request.path_param("userId", validate::user_id(user_id)?.to_string());
                request.path_param(
                    "purchaseId",
                    validate::id("purchaseId", purchase_id)?.to_string(),
                );
                request.query("country", validate::country(country)?);
                Ok(request)
            }
            DownloadRequest::Release {
                user_id,
                release_id,
                format_id,
                country,
            } => {
                let mut request = Request::new(&DOWNLOAD_RELEASE);
                request.path_param("userId", validate::user_id(user_id)?.to_string());
                request.path_param(
                    "releaseId",
                    validate::id("releaseId", release_id)?.to_string(),
                );
                request.query("formatId", format_id.to_string());
                request.query("country", validate::country(country)?);
                Ok(request)
            }
            DownloadRequest::Track {
                user_id,
                track_id,
                release_id,
                format_id,
                country,
                error_url,
            } => {
                let mut request = Request::new(&DOWNLOAD_TRACK);
                request.path_param("userId", validate::user_id(user_id)?.to_string());
                request.path_param("trackId", validate::id("trackId", track_id)?.to_string());
                request.query(
                    "releaseId",
                    validate::id("releaseId", release_id)?.to_string(),
                );
                request.query("formatId", format_id.to_string());
                request.query("country", validate::country(country)?);
                if let Some(error_url) = error_url {
                    request.query(
                        "errorUrl",
                        validate::http_url("errorUrl", error_url)?.to_string(),
                    );
                }
                Ok(request)
            }
        }
    }
}

impl Client {
    /// A complete signed URL (two-legged: consumer key and secret) for `download` on the
    /// download host ([`Client::download_base_url`]), usable without this crate. No call is made.
    /// Each call signs afresh (new nonce and timestamp): call it once per HTTP attempt.
    ///
    /// ```
    /// use sevendigital::download_service::DownloadRequest;
    ///
    /// let client = sevendigital::Client::builder()
    ///     .consumer("KEY", "SECRET")
    ///     .download_url("https://downloads.example/1.2")
    ///     .build()?;
    /// let url = client.download_url(&DownloadRequest::release("store-user-42", "11700062", 17, "gb"))?;
    /// assert!(url.starts_with(
    ///     "https://downloads.example/1.2/users/store-user-42/downloads/releases/11700062?formatId=17&country=GB&oauth_"
    /// ));
    /// # Ok::<(), sevendigital::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field for a bad input.
    pub fn download_url(&self, download: &DownloadRequest) -> Result<String, Error> {
        let request = download.request()?;
        self.presign_on(self.download_base_url(), &request, None)
    }
}
