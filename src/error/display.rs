//! How an [`Error`] reads: one line, control characters escaped, server text bounded; `{:#}`
//! walks the chain of causes.

use std::fmt;

use super::{Error, MAX_SERVER_TEXT, Resume};

/// Text as Display writes it: escaped and bounded (a no-op for text already bounded).
struct Clean<'a>(&'a str);

impl fmt::Display for Clean<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::text::escape_cut(
            self.0,
            MAX_SERVER_TEXT.saturating_mul(4),
        ))
    }
}

impl fmt::Display for Error {
    /// One line: control characters escaped, server text bounded ([`MAX_SERVER_TEXT`]).
    /// `{}` says this level only; `{:#}` adds every cause, down to the OS error
    /// (`getReleaseDetails: request failed: error sending request to http://127.0.0.1:9: ...:
    /// Connection refused (os error 111)`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = Unescaped(self).to_string();
        f.write_str(&crate::text::escape_controls(&text))?;
        if f.alternate() {
            write_chain(f, std::error::Error::source(self))?;
        }
        Ok(())
    }
}

/// `: cause` for every cause in the chain from `source`, each on the same line (control
/// characters escaped, a cause that repeats the one before left out).
fn write_chain(
    f: &mut fmt::Formatter<'_>,
    mut source: Option<&(dyn std::error::Error + 'static)>,
) -> fmt::Result {
    let mut last = String::new();
    while let Some(cause) = source {
        let text = crate::text::escape_cut(&cause.to_string(), MAX_SERVER_TEXT);
        if !text.is_empty() && !last.contains(&text) {
            write!(f, ": {text}")?;
        }
        last = text;
        source = cause.source();
    }
    Ok(())
}
/// The message before control characters are escaped.
struct Unescaped<'a>(&'a Error);

impl fmt::Display for Unescaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Error::Config { message } => write!(f, "client configuration: {message}"),
            Error::InvalidInput { field, message } => write!(f, "invalid `{field}`: {message}"),
            Error::UserTokenRequired { operation } => write!(
                f,
                "{operation} acts on a user's behalf and needs a user access token: call it on `client.with_user_token(token, token_secret)`"
            ),
            Error::Build { operation, .. } => {
                write!(
                    f,
                    "{operation}: the request could not be built, nothing was sent"
                )
            }
            Error::Transport { operation, .. } => write!(f, "{operation}: request failed"),
            Error::Redirect {
                operation,
                from,
                to,
                reason,
            } => write!(
                f,
                "{operation}: refused a redirect from {} to {}: {}",
                Clean(from),
                Clean(to),
                Clean(reason)
            ),
            Error::TooLarge {
                operation,
                status,
                limit,
            } => write!(
                f,
                "{operation}: the HTTP {status} answer is larger than the limit of {limit} bytes; reading stopped there (raise it with ClientBuilder::max_response_bytes)"
            ),
            Error::Api {
                operation,
                status,
                code,
                message,
                ..
            } => write!(
                f,
                "{operation}: HTTP {status}, 7digital error {code}: {}",
                Clean(message)
            ),
            Error::Http {
                operation,
                status,
                snippet,
                ..
            } => write!(f, "{operation}: HTTP {status}: {}", Clean(snippet)),
            Error::Decode {
                operation,
                status,
                message,
                snippet,
            } => write!(
                f,
                "{operation}: HTTP {status} answer could not be decoded ({}): {}",
                Clean(message),
                Clean(snippet)
            ),
            Error::UserAlreadyExists {
                operation,
                user_id,
                status,
                message,
            } => write!(
                f,
                "{operation}: a user with userId `{user_id}` already exists (HTTP {status}, 7digital error 2003: {message}); user ids are permanent, use the existing user"
            ),
            Error::SaleOutcomeUnknown {
                operation,
                transaction_id,
                reason,
                ..
            } => write!(
                f,
                "{operation}: the sale with transactionId `{transaction_id}` may or may not have been logged ({reason}); it was not retried, since a second attempt could log a second sale: check the user's locker for this purchase or transactionId before trying again"
            ),
            Error::SaleNotFound {
                operation,
                purchase_id,
                status,
                message,
            } => write!(
                f,
                "{operation}: no sale with purchaseId `{purchase_id}` for this item in the sales log (HTTP {status}, 7digital error 2001: {message})"
            ),
            Error::ReportingPeriodClosed {
                operation,
                purchase_id,
                status,
                message,
            } => match status {
                Some(status) => write!(
                    f,
                    "{operation}: the reporting period of purchaseId `{purchase_id}` has closed, the refund cannot be logged (HTTP {status}, 7digital error 2002: {message})"
                ),
                None => write!(
                    f,
                    "{operation}: the reporting period of purchaseId `{purchase_id}` has closed, the refund was not sent: {message}"
                ),
            },
            Error::Download {
                path,
                message,
                resume,
                ..
            } => {
                match path {
                    Some(path) => write!(
                        f,
                        "download to `{}`: {}",
                        Clean(&path.display().to_string()),
                        Clean(message)
                    )?,
                    None => write!(f, "download: {}", Clean(message))?,
                }
                match resume {
                    // Named by its file name: the message already has the target's path.
                    Some(Resume::FromPart { part }) => write!(
                        f,
                        "; `{}` keeps them and the next attempt resumes",
                        Clean(&part.file_name().unwrap_or(part.as_os_str()).to_string_lossy())
                    ),
                    Some(Resume::StartOver) => f.write_str(
                        "; the answer had no validator to resume with (a strong ETag or an old enough Last-Modified), so the next attempt starts over",
                    ),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Build { source, .. } | Error::Transport { source, .. } => Some(source),
            Error::SaleOutcomeUnknown {
                source: Some(source),
                ..
            } => Some(source),
            Error::Download {
                source: Some(source),
                ..
            } => Some(source.as_ref()),
            _ => None,
        }
    }
}
