//! The path of one API call after it is built: redirects followed only within the origin and
//! re-signed, the answer read with a size limit, retries, and one re-signing after a refused
//! timestamp (learning the server's clock offset).

use std::sync::atomic::Ordering;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, DATE, LOCATION, RETRY_AFTER};
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

pub(crate) use crate::call::origin::origin;
use crate::call::request::Request;
use crate::call::retry::{RetryAction, RetryPolicy};
use crate::client::guard::Hop;
use crate::client::hooks::Exchange;
use crate::client::{Client, MAX_REDIRECTS};
use crate::decode::RawResponse;
use crate::error::Error;

/// How much of an error answer's body is read (to find a 7digital error envelope).
const MAX_ERROR_BODY: u64 = 64 * 1024;

/// `url` without its `oauth_*` query parameters (a redirect may echo the old ones).
fn without_oauth(mut url: Url) -> Url {
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !k.starts_with("oauth_"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.set_fragment(None);
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    url
}

/// The target of a redirect answer, when it is one (3xx with a `Location`).
pub(crate) fn redirect_target(
    current: &Url,
    status: StatusCode,
    headers: &reqwest::header::HeaderMap,
) -> Option<Result<Url, String>> {
    if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = headers.get(LOCATION)?;
    let text = match location.to_str() {
        Ok(text) => text,
        Err(_) => return Some(Err("a Location that is not visible ASCII".into())),
    };
    Some(
        current
            .join(text)
            .map_err(|_| "a Location that is not a valid URL".to_string()),
    )
}

fn refused(operation: &'static str, from: &Url, to: String, reason: &str) -> Error {
    tracing::warn!(from = %origin(from), to = %to, reason, "redirect refused");
    Error::Redirect {
        operation,
        from: origin(from),
        to,
        reason: reason.to_string(),
    }
}

/// An answer as read: status, headers, and (the allowed part of) the body.
struct Raw {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: reqwest::header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// What one request gave.
enum Step {
    Response(Raw),
    Redirect(Hop),
}

/// Sends `request`, following same-origin redirects (re-signed), retrying when the catalogue
/// says it is safe (one loop, [`RetryPolicy::run`], fed by [`classify`]), and re-signing once
/// after a refused timestamp; returns the 2xx answer. All of it inside one `sevendigital.call`
/// span (operation, method, path template, attempts, status, 7digital code, duration; never a
/// URL, which carries the signature).
pub(crate) async fn execute(client: &Client, request: Request) -> Result<RawResponse, Error> {
    let op = request.operation;
    let span = tracing::info_span!(
        "sevendigital.call",
        operation = op.id,
        method = op.method.as_str(),
        path = op.path,
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
        code = tracing::field::Empty,
        cached = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
    );
    let started = std::time::Instant::now();
    let result = execute_in_span(client, request)
        .instrument(span.clone())
        .await;
    span.record("duration_ms", started.elapsed().as_millis() as u64);
    match &result {
        Ok(answer) => {
            span.record("status", answer.status);
            span.record("cached", answer.from_cache);
        }
        Err(error) => {
            if let Some(status) = error.status() {
                span.record("status", status);
            }
            if let Some(code) = error.code() {
                span.record("code", code);
            }
            let _entered = span.enter();
            tracing::debug!(kind = ?error.kind(), "call failed");
        }
    }
    result
}

async fn execute_in_span(client: &Client, request: Request) -> Result<RawResponse, Error> {
    let op = request.operation;
    request.check()?;
    let cache = client.cache_for(&request);
    if let Some((cache, key)) = &cache
        && let Some(kept) = cache.get(key, client.now_unix()).await
    {
        return Ok(kept.into_raw());
    }
    let retry = if op.safe_to_retry() {
        request.overrides.retry.unwrap_or(client.retry_policy())
    } else {
        RetryPolicy::none()
    };
    let outcome = retry
        .run(
            |number| attempt(client, &request, number + 1),
            classify,
            None,
        )
        .await;
    let raw = match outcome {
        Ok(raw) => raw,
        Err(Failure::Status(raw)) => {
            return Err(Error::from_answer(
                op.id,
                raw.status,
                &raw.headers,
                &raw.body,
            ));
        }
        Err(Failure::Transport(e)) => {
            return Err(Error::transport(op.id, e));
        }
        Err(Failure::Final(error)) => return Err(error),
    };
    // 7digital also reports failures with a 2xx status and an error envelope.
    if let Some(envelope) = crate::error::envelope::parse_failure(&raw.body) {
        return Err(Error::from_envelope(
            op.id,
            raw.status,
            &raw.headers,
            envelope,
        ));
    }
    let max_age = raw
        .header(CACHE_CONTROL)
        .and_then(crate::client::cache::max_age);
    let answer = RawResponse {
        status: raw.status,
        content_type: raw.header(CONTENT_TYPE).map(str::to_string),
        headers: raw.headers,
        from_cache: false,
        body: raw.body,
    };
    if let (Some((cache, key)), Some(max_age)) = (cache, max_age) {
        let kept = crate::client::cache::CachedResponse::from_raw(&answer);
        cache.put(&key, kept, client.now_unix(), max_age).await;
    }
    Ok(answer)
}

/// How one attempt of a call failed.
enum Failure {
    /// The API answered, with a status other than 2xx.
    Status(Raw),
    /// No answer came.
    Transport(reqwest::Error),
    /// An error no retry can mend (a refused redirect, an answer too large).
    Final(Error),
}

/// What a failed attempt allows: transport failures and 5xx answers may be tried again after
/// the policy's backoff; 429 and 503 after the `Retry-After` they carry (when it is at most
/// [`crate::call::retry::MAX_RETRY_AFTER`]), 429 without one after the backoff; anything else is final.
fn classify(failure: &Failure) -> RetryAction {
    match failure {
        Failure::Transport(e)
            if e.is_connect() || e.is_timeout() || e.is_request() || e.is_body() =>
        {
            RetryAction::Retry
        }
        Failure::Status(raw) if matches!(raw.status, 429 | 503) => raw
            .header(RETRY_AFTER)
            .and_then(|v| crate::call::retry::retry_after(v, std::time::SystemTime::now()))
            .unwrap_or(RetryAction::Retry),
        Failure::Status(raw) if raw.status >= 500 => RetryAction::Retry,
        _ => RetryAction::NoRetry,
    }
}

/// One attempt: the request sent, same-origin redirects followed, and the request signed again
/// (once) with the server's time when it refused the timestamp. The 2xx answer, or how it failed.
async fn attempt(client: &Client, request: &Request, number: u32) -> Result<Raw, Failure> {
    let op = request.operation;
    tracing::Span::current().record("attempt", number);
    if number > 1 {
        tracing::info!(attempt = number, "retrying");
    }
    let guard = client.guard();
    let mut resigned = false;
    let mut hop = Hop::default();
    let mut hops = 0;
    loop {
        let mut http_request = client.http_request(request, &hop).map_err(Failure::Final)?;
        let mut exchange = Exchange {
            operation: op.id,
            attempt: number,
            elapsed: Duration::ZERO,
        };
        client.hooks().before_send(&exchange, &mut http_request);
        let sent_to = http_request.url().clone();
        let method = http_request.method().clone();
        let sent_at = std::time::Instant::now();
        let response = client.http().execute(http_request).await.map_err(|e| {
            tracing::debug!(
                attempt = number,
                timeout = e.is_timeout(),
                connect = e.is_connect(),
                "no answer"
            );
            Failure::Transport(e)
        })?;
        exchange.elapsed = sent_at.elapsed();
        client
            .hooks()
            .after_response(&exchange, response.status().as_u16(), response.headers());
        let raw = match read(op.id, &sent_to, &method, response, guard.max_response_bytes).await {
            Ok(Ok(Step::Redirect(next))) => {
                hops += 1;
                if hops > MAX_REDIRECTS {
                    let to = next.url.as_ref().map_or_else(String::new, origin);
                    return Err(Failure::Final(refused(
                        op.id,
                        &sent_to,
                        to,
                        &format!("more than {MAX_REDIRECTS} redirects"),
                    )));
                }
                hop = next;
                continue;
            }
            Ok(Ok(Step::Response(raw))) => raw,
            Ok(Err(error)) => return Err(Failure::Final(error)),
            Err(e) => return Err(Failure::Transport(e)),
        };
        if !resigned && let Some(offset) = timestamp_refusal(&raw, client.now_unix()) {
            // The server refused the request unprocessed: safe to send again, signed with its time.
            guard.offset.fetch_add(offset, Ordering::Relaxed);
            tracing::warn!(
                offset_seconds = offset,
                "the server refused the OAuth timestamp: signing again with its clock"
            );
            resigned = true;
            continue;
        }
        return match raw.status {
            200..=299 => Ok(raw),
            _ => Err(Failure::Status(raw)),
        };
    }
}

/// Reads one answer: a redirect to follow (or refuse), or the status and body (at most `max`
/// bytes of a 2xx body, the first [`MAX_ERROR_BODY`] bytes of another).
async fn read(
    operation: &'static str,
    sent_to: &Url,
    method: &reqwest::Method,
    mut response: reqwest::Response,
    max: u64,
) -> Result<Result<Step, Error>, reqwest::Error> {
    // A client given by the user may have followed redirects itself: never accept the answer
    // of another origin.
    if origin(response.url()) != origin(sent_to) {
        return Ok(Err(refused(
            operation,
            sent_to,
            origin(response.url()),
            "the HTTP client followed it to another origin itself (build the client given to ClientBuilder::http_client with reqwest::redirect::Policy::none())",
        )));
    }
    let status = response.status();
    if let Some(target) = redirect_target(sent_to, status, response.headers()) {
        let target = match target {
            Ok(target) => target,
            Err(why) => return Ok(Err(refused(operation, sent_to, why, "invalid redirect"))),
        };
        if origin(&target) != origin(sent_to) {
            return Ok(Err(refused(
                operation,
                sent_to,
                origin(&target),
                "API calls follow redirects only within their origin, and their credentials and body never go to another",
            )));
        }
        let as_get = status == StatusCode::SEE_OTHER
            || (matches!(status.as_u16(), 301 | 302)
                && !matches!(*method, reqwest::Method::GET | reqwest::Method::HEAD));
        return Ok(Ok(Step::Redirect(Hop {
            url: Some(without_oauth(target)),
            as_get,
        })));
    }
    let announced = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let success = status.is_success();
    let cap = if success {
        max
    } else {
        MAX_ERROR_BODY.min(max)
    };
    if success && announced.is_some_and(|len| len > cap) {
        return Ok(Err(Error::TooLarge {
            operation,
            status: status.as_u16(),
            limit: cap,
        }));
    }
    let mut body = Vec::with_capacity(
        usize::try_from(announced.unwrap_or(0).min(cap).min(1024 * 1024)).unwrap_or(0),
    );
    while let Some(chunk) = response.chunk().await? {
        let room = usize::try_from(cap)
            .unwrap_or(usize::MAX)
            .saturating_sub(body.len());
        if chunk.len() > room {
            if success {
                return Ok(Err(Error::TooLarge {
                    operation,
                    status: status.as_u16(),
                    limit: cap,
                }));
            }
            body.extend_from_slice(&chunk[..room]);
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Ok(Step::Response(Raw {
        status: status.as_u16(),
        headers: std::mem::take(response.headers_mut()),
        body,
    })))
}

/// When `raw` is a refusal of the request's timestamp (HTTP 401 whose 7digital message or
/// body mentions the timestamp) and carries a `Date`, the seconds to add to the signer's clock
/// (`now`, already shifted by the offset learned so far) to match the server's.
fn timestamp_refusal(raw: &Raw, now: u64) -> Option<i64> {
    if raw.status != 401 {
        return None;
    }
    let says_timestamp = match crate::error::envelope::parse(&raw.body) {
        Some(envelope) => envelope.message.to_ascii_lowercase().contains("timestamp"),
        None => String::from_utf8_lossy(&raw.body)
            .to_ascii_lowercase()
            .contains("timestamp"),
    };
    if !says_timestamp {
        return None;
    }
    let date = httpdate::parse_http_date(raw.header(DATE)?).ok()?;
    let server = date.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    let server = i64::try_from(server).ok()?;
    let now = i64::try_from(now).ok()?;
    let offset = server.saturating_sub(now);
    // A Date within a few seconds says the clocks agree: the refusal is about something else.
    (offset.abs() > 2).then_some(offset)
}

impl Client {
    /// Sends `request` (retrying when the catalogue says it is safe) and returns the status,
    /// content type and body of a 2xx answer; a non-2xx answer becomes an [`Error`].
    /// Redirects, answer size and clock skew: see the [module](self).
    pub(crate) async fn execute(&self, request: Request) -> Result<RawResponse, Error> {
        execute(self, request).await
    }

    /// Sends a hand-built `request` and decodes a JSON answer into `T`: the escape hatch for
    /// calls the spec does not describe. Signed, retried and checked like generated calls.
    ///
    /// # Errors
    ///
    /// As for generated calls: see [`Error`].
    pub async fn execute_json<T: DeserializeOwned>(&self, request: Request) -> Result<T, Error> {
        let op = request.operation.id;
        let answer = self.execute(request).await?;
        crate::decode::decode(op, &answer)
    }

    /// Sends a hand-built `request` and ignores the answer's body.
    ///
    /// # Errors
    ///
    /// As for generated calls: see [`Error`].
    pub async fn execute_empty(&self, request: Request) -> Result<(), Error> {
        self.execute(request).await.map(|_| ())
    }

    /// Sends a hand-built `request` and returns the answer's body.
    ///
    /// # Errors
    ///
    /// As for generated calls: see [`Error`].
    pub async fn execute_bytes(&self, request: Request) -> Result<Vec<u8>, Error> {
        self.execute(request).await.map(|answer| answer.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth_parameters_are_dropped_from_redirects() {
        let url = Url::parse("http://a/x?b=1&oauth_signature=s&oauth_nonce=n#f").unwrap();
        assert_eq!(without_oauth(url).as_str(), "http://a/x?b=1");
        let url = Url::parse("http://a/x?oauth_token=t").unwrap();
        assert_eq!(without_oauth(url).as_str(), "http://a/x");
    }
}
