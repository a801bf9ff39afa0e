//! Sending a download request: the URL checked, redirects followed only where allowed (to
//! another host only over https), each hop within the time limits.

use std::time::{Duration, Instant};

use super::answer::*;
use super::*;
use crate::call::origin::origin;
use crate::call::send::redirect_target;
use crate::client::MAX_REDIRECTS;
use crate::error::Error;
/// The URL `url` gives, checked.
pub(super) fn checked_url<F>(url: &F) -> Result<reqwest::Url, Error>
where
    F: Fn() -> Result<String, Error>,
{
    let text = url()?;
    // The URL is signed: it is not repeated in errors.
    let parsed = reqwest::Url::parse(&text)
        .map_err(|e| Error::invalid_input("url", format!("not a valid URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::invalid_input(
            "url",
            format!(
                "`{}:` URLs cannot be downloaded, only http(s)",
                parsed.scheme()
            ),
        ));
    }
    Ok(parsed)
}

/// Sends a `GET` of `url` with `headers`, following redirects the download policy allows
/// (see [`redirect_allowed`]), waiting at most the idle timeout (and never past the deadline)
/// for each answer's headers. Returns the answer and where it came from (no query).
pub(super) async fn send(
    http: &reqwest::Client,
    url: reqwest::Url,
    headers: HeaderMap,
    options: &DownloadOptions,
    place: Option<&Path>,
    deadline: Option<Instant>,
) -> Result<(reqwest::Response, String), Failure> {
    let first = url.clone();
    let mut current = url;
    let mut hops = 0;
    loop {
        let response = send_one(http, &current, &headers, options, place, deadline).await?;
        // A client that follows redirects itself: check where it ended up.
        if response.url() != &current {
            redirect_allowed(&first, &current, response.url())?;
        }
        let at = response.url().clone();
        let Some(target) = redirect_target(&at, response.status(), response.headers()) else {
            return Ok((response, without_query(&at)));
        };
        let target = target.map_err(|why| refused(&at, why, "invalid redirect"))?;
        redirect_allowed(&first, &at, &target)?;
        hops += 1;
        if hops > MAX_REDIRECTS {
            return Err(refused(
                &at,
                origin(&target),
                &format!("more than {MAX_REDIRECTS} redirects"),
            )
            .into());
        }
        current = target;
    }
}

/// `url` without its query and fragment.
fn without_query(url: &reqwest::Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.into()
}

fn refused(from: &reqwest::Url, to: String, reason: &str) -> Error {
    Error::Redirect {
        operation: OPERATION,
        from: origin(from),
        to,
        reason: reason.to_string(),
    }
}

/// Whether a download that started at `first` may go from `from` to `to`: within the origin,
/// or to another origin over https, or over http between loopback hosts when `first` was a
/// loopback http URL (local tests).
fn redirect_allowed(
    first: &reqwest::Url,
    from: &reqwest::Url,
    to: &reqwest::Url,
) -> Result<(), Failure> {
    if origin(from) == origin(to) {
        return Ok(());
    }
    let loopback = |url: &reqwest::Url| match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    let allowed = match to.scheme() {
        "https" => from.scheme() == "https" || loopback(from),
        "http" => first.scheme() == "http" && loopback(first) && loopback(to),
        _ => false,
    };
    if allowed {
        return Ok(());
    }
    Err(refused(
        from,
        origin(to),
        "downloads follow redirects to another origin only over https (or between loopback hosts, from a loopback http URL)",
    )
    .into())
}

/// One request, waiting at most the idle timeout (and never past the deadline) for the answer.
async fn send_one(
    http: &reqwest::Client,
    url: &reqwest::Url,
    headers: &HeaderMap,
    options: &DownloadOptions,
    place: Option<&Path>,
    deadline: Option<Instant>,
) -> Result<reqwest::Response, Failure> {
    let mut request = http
        .get(url.clone())
        .headers(headers.clone())
        .build()
        .map_err(|e| Failure {
            retry: Again::No,
            error: Error::transport(OPERATION, e),
        })?;
    let mut exchange = crate::client::hooks::Exchange {
        operation: OPERATION,
        attempt: 1,
        elapsed: Duration::ZERO,
    };
    options.hooks.before_send(&exchange, &mut request);
    let sent_at = Instant::now();
    let sending = http.execute(request);
    let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
    let wait = match (options.idle_timeout, left) {
        (Some(idle), Some(left)) => Some(idle.min(left)),
        (idle, left) => idle.or(left),
    };
    let sent = match wait {
        Some(after) => match tokio::time::timeout(after, sending).await {
            Ok(sent) => sent,
            Err(_) => {
                let past_deadline = deadline.is_some_and(|d| Instant::now() >= d);
                let message = match past_deadline {
                    true => format!(
                        "no answer before the download's deadline ({})",
                        show(options.deadline)
                    ),
                    false => format!("no answer within {after:?}"),
                };
                return Err(Failure {
                    error: download_error(place, message, !past_deadline, None),
                    retry: match past_deadline {
                        true => Again::No,
                        false => Again::Backoff,
                    },
                });
            }
        },
        None => sending.await,
    };
    if let Ok(response) = &sent {
        exchange.elapsed = sent_at.elapsed();
        options
            .hooks
            .after_response(&exchange, response.status().as_u16(), response.headers());
    }
    sent.map_err(|e| Failure {
        retry: match e.is_connect() || e.is_timeout() || e.is_request() || e.is_body() {
            true => Again::Backoff,
            false => Again::No,
        },
        error: Error::transport(OPERATION, e),
    })
}

fn show(duration: Option<Duration>) -> String {
    duration.map_or_else(|| "none".to_string(), |d| format!("{d:?}"))
}
