//! The origin of a URL (`scheme://host:port`), the unit redirects and errors are judged by.

use url::Url;

/// `scheme://host:port` of a URL, for comparisons and errors (never the path or query, which
/// may carry a signature).
pub(crate) fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}
