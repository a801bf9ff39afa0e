//! The client: configuration, credentials, and the path every generated call takes.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde::de::DeserializeOwned;
use url::Url;

use crate::catalogue::{self, AuthLevel, Method};
use crate::error::Error;
use crate::oauth::{Clock, Consumer, NonceSource, Secret, Signer, Token};
use crate::request::Request;
use crate::retry::RetryPolicy;

/// The 7digital API v1.2 base URL, used when none is configured.
pub const DEFAULT_BASE_URL: &str = match catalogue::DEFAULT_SERVER {
    Some(url) => url,
    None => "https://api.7digital.com/1.2",
};

/// Environment variable holding the consumer key, read by [`Client::from_env`].
pub const ENV_CONSUMER_KEY: &str = "SEVENDIGITAL_CONSUMER_KEY";
/// Environment variable holding the consumer secret, read by [`Client::from_env`].
pub const ENV_CONSUMER_SECRET: &str = "SEVENDIGITAL_CONSUMER_SECRET";
/// Environment variable overriding the base URL, read by [`Client::from_env`].
pub const ENV_BASE_URL: &str = "SEVENDIGITAL_BASE_URL";

/// The query parameter that carries the expiry of a pre-signed URL (Unix time in seconds).
pub const EXPIRES_PARAM: &str = "expires";

/// The most redirects an API call follows (each within its origin, re-signed), and a
/// download follows.
pub const MAX_REDIRECTS: u32 = 5;

/// Where the OAuth parameters go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthPlacement {
    /// In the query string, as 7digital documents (the default).
    #[default]
    Query,
    /// In an `Authorization: OAuth ...` header.
    Header,
}

/// A client of the 7digital API. Cheap to clone: clones share one connection pool.
///
/// ```no_run
/// # async fn demo() -> Result<(), sevendigital::Error> {
/// let client = sevendigital::Client::builder()
///     .consumer("KEY", "SECRET")
///     .build()?;
/// let page = client.search_releases("beatles").country("GB").page_size(20).send().await?;
/// let locker = client.with_user_token("TOKEN", "TOKEN_SECRET").get_user_locker().page(2).send().await?;
/// # let _ = (page, locker); Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    user: Option<Token>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    account_url: Url,
    download_url: Url,
    signer: Signer,
    placement: AuthPlacement,
    retry: RetryPolicy,
    timeout: Duration,
    guard: crate::call::Guard,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("download_url", &self.inner.download_url.as_str())
            .field("consumer", self.inner.signer.consumer())
            .field("user", &self.user)
            .field("placement", &self.inner.placement)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder to configure a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: `SEVENDIGITAL_CONSUMER_KEY`,
    /// `SEVENDIGITAL_CONSUMER_SECRET`, and optionally `SEVENDIGITAL_BASE_URL`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the variable that is missing or invalid.
    pub fn from_env() -> Result<Client, Error> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let key = var(ENV_CONSUMER_KEY)
            .ok_or_else(|| Error::config(format!("{ENV_CONSUMER_KEY} is not set")))?;
        let secret = var(ENV_CONSUMER_SECRET)
            .ok_or_else(|| Error::config(format!("{ENV_CONSUMER_SECRET} is not set")))?;
        let mut builder = Client::builder().consumer(key, secret);
        if let Some(url) = var(ENV_BASE_URL) {
            builder = builder.base_url(url);
        }
        builder.build()
    }

    /// The same client acting on behalf of a user, with their OAuth access token and secret;
    /// needed for the operations marked three-legged in the catalogue.
    pub fn with_user_token(
        &self,
        token: impl Into<String>,
        token_secret: impl Into<String>,
    ) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            user: Some(Token::new(token, Secret::new(token_secret))),
        }
    }

    /// The same client without a user token.
    pub fn without_user_token(&self) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            user: None,
        }
    }

    /// The base URL calls are made against.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Where users authorise request tokens (see [`Client::authorise_url`]).
    pub fn account_url(&self) -> &Url {
        &self.inner.account_url
    }

    /// The base URL of the download host that signed download URLs point at
    /// (see [`Client::download_url`]); the API base URL unless
    /// [`ClientBuilder::download_url`] set another.
    pub fn download_base_url(&self) -> &Url {
        &self.inner.download_url
    }

    /// The current time (seconds since the Unix epoch) from the OAuth signer's clock, which
    /// tests replace with [`ClientBuilder::clock`].
    pub(crate) fn now_unix(&self) -> u64 {
        self.inner.signer.now_unix()
    }

    /// The HTTP client calls and downloads go through.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The answer size limit and the learned clock offset.
    pub(crate) fn guard(&self) -> &crate::call::Guard {
        &self.inner.guard
    }

    /// How many seconds the API server's clock is ahead of this machine's (negative: behind),
    /// as learned from the `Date` of an answer refusing a request's OAuth timestamp; 0 until
    /// then. Every request is signed with this offset added to the clock.
    pub fn clock_offset(&self) -> i64 {
        self.inner
            .guard
            .offset
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The retry policy for calls that are safe to retry (downloads included).
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    /// The consumer key.
    pub fn consumer_key(&self) -> &str {
        self.inner.signer.consumer().key()
    }

    /// The user token, if the client acts for a user.
    pub fn user_token(&self) -> Option<&Token> {
        self.user.as_ref()
    }

    /// The full URL of a request, with its query string, before signing.
    fn url(&self, request: &Request) -> Result<Url, Error> {
        self.url_on(&self.inner.base_url, request)
    }

    /// The full URL of a request against `base`, with its query string, before signing.
    fn url_on(&self, base: &Url, request: &Request) -> Result<Url, Error> {
        let path = request.path()?;
        let base = base.as_str().trim_end_matches('/');
        let mut url = Url::parse(&format!("{base}{path}")).map_err(|e| {
            Error::config(format!(
                "base URL `{base}` does not form a valid URL with `{path}`: {e}"
            ))
        })?;
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }
        Ok(url)
    }

    /// Adds the OAuth parameters `level` needs to `url` (query placement), or returns them as an
    /// `Authorization` header value (header placement). A fresh nonce and timestamp every time.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn authorize(
        &self,
        operation: &'static str,
        method: Method,
        level: AuthLevel,
        form: Option<&[(String, String)]>,
        extra: &[(&str, &str)],
        url: &mut Url,
        placement: AuthPlacement,
    ) -> Result<Option<String>, Error> {
        match level {
            AuthLevel::None => Ok(None),
            AuthLevel::ConsumerKey => {
                let key = self.inner.signer.consumer().key();
                match placement {
                    AuthPlacement::Query => {
                        url.query_pairs_mut().append_pair("oauth_consumer_key", key);
                        Ok(None)
                    }
                    AuthPlacement::Header => Ok(Some(format!(
                        "OAuth oauth_consumer_key=\"{}\"",
                        crate::oauth::percent_encode(key)
                    ))),
                }
            }
            AuthLevel::TwoLegged | AuthLevel::ThreeLegged => {
                let token = match level {
                    AuthLevel::ThreeLegged => Some(
                        self.user
                            .as_ref()
                            .ok_or(Error::UserTokenRequired { operation })?,
                    ),
                    _ => None,
                };
                let signed = self
                    .inner
                    .signer
                    .sign(method.as_str(), url, form, token, extra);
                match placement {
                    AuthPlacement::Query => {
                        signed.append_to_url(url);
                        Ok(None)
                    }
                    AuthPlacement::Header => Ok(Some(signed.authorization_header())),
                }
            }
        }
    }

    /// Builds the HTTP request, signed at the operation's level (fresh nonce and timestamp),
    /// for the operation's URL or the one a same-origin redirect (`hop`) pointed at.
    pub(crate) fn http_request(
        &self,
        request: &Request,
        hop: &crate::call::Hop,
    ) -> Result<reqwest::Request, Error> {
        let op = request.operation;
        let mut url = match &hop.url {
            Some(url) => url.clone(),
            None => self.url(request)?,
        };
        let extra = request.oauth_pairs();
        let (sign_method, form) = match hop.as_get {
            true => (Method::Get, None),
            false => (op.method, request.form_pairs()),
        };
        let authorization = self.authorize(
            op.id,
            sign_method,
            op.auth_level(),
            form,
            &extra,
            &mut url,
            self.inner.placement,
        )?;
        let method = reqwest::Method::from_bytes(sign_method.as_str().as_bytes())
            .map_err(|e| Error::config(format!("HTTP method {}: {e}", op.method)))?;
        let mut builder = self
            .inner
            .http
            .request(method, url)
            .timeout(self.inner.timeout)
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(value) = authorization {
            builder = builder.header(AUTHORIZATION, value);
        }
        for (name, value) in &request.headers {
            let value = HeaderValue::from_str(value)
                .map_err(|_| Error::invalid_input(*name, "is not a valid HTTP header value"))?;
            builder = builder.header(*name, value);
        }
        if let Some((media_type, bytes)) = request.body_bytes().filter(|_| !hop.as_get) {
            builder = builder.header(CONTENT_TYPE, media_type).body(bytes);
        }
        builder.build().map_err(|e| Error::Transport {
            operation: op.id,
            source: crate::error::TransportError::new(e),
        })
    }

    /// A complete signed URL for `request` (a GET without body or headers), usable without this
    /// crate, for example handed to a customer's browser. With `expires_in`, an `expires` query
    /// parameter (Unix time, from the signer's clock) is added before signing, so it is covered by
    /// the signature. The OAuth parameters always go in the query, whatever the client's placement.
    ///
    /// Generated builders offer the same through their `presigned_url` method.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the request has a body or headers (a URL cannot carry them),
    /// [`Error::UserTokenRequired`] for a three-legged operation on a client without a user token.
    pub fn presign(
        &self,
        request: &Request,
        expires_in: Option<Duration>,
    ) -> Result<String, Error> {
        self.presign_on(&self.inner.base_url, request, expires_in)
    }

    /// [`Client::presign`] against another base URL (the download host).
    pub(crate) fn presign_on(
        &self,
        base: &Url,
        request: &Request,
        expires_in: Option<Duration>,
    ) -> Result<String, Error> {
        let op = request.operation;
        if request.body_bytes().is_some() {
            return Err(Error::invalid_input(
                "body",
                format!(
                    "{} sends a request body, which a URL cannot carry; only body-less calls can be pre-signed",
                    op.id
                ),
            ));
        }
        if let Some((name, _)) = request.headers.first() {
            return Err(Error::invalid_input(
                *name,
                "is a header, which a URL cannot carry",
            ));
        }
        request.check()?;
        let mut url = self.url_on(base, request)?;
        self.add_expiry(&mut url, expires_in);
        let extra = request.oauth_pairs();
        self.authorize(
            op.id,
            op.method,
            op.auth_level(),
            None,
            &extra,
            &mut url,
            AuthPlacement::Query,
        )?;
        Ok(url.into())
    }

    /// A complete signed URL for any `GET` of `url` (for example a download link on another host),
    /// signed at `level`; see [`Client::presign`] for `expires_in`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `url` is not an absolute http(s) URL,
    /// [`Error::UserTokenRequired`] for [`AuthLevel::ThreeLegged`] without a user token.
    pub fn presign_url(
        &self,
        url: &str,
        level: AuthLevel,
        expires_in: Option<Duration>,
    ) -> Result<String, Error> {
        let mut parsed = Url::parse(url)
            .map_err(|e| Error::invalid_input("url", format!("`{url}` is not a valid URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::invalid_input(
                "url",
                format!("`{url}` is not an http or https URL"),
            ));
        }
        parsed.set_fragment(None);
        self.add_expiry(&mut parsed, expires_in);
        self.authorize(
            "presign_url",
            Method::Get,
            level,
            None,
            &[],
            &mut parsed,
            AuthPlacement::Query,
        )?;
        Ok(parsed.into())
    }

    fn add_expiry(&self, url: &mut Url, expires_in: Option<Duration>) {
        if let Some(after) = expires_in {
            let at = self.inner.signer.now_unix().saturating_add(after.as_secs());
            url.query_pairs_mut()
                .append_pair(EXPIRES_PARAM, &at.to_string());
        }
    }

    /// Sends `request` (retrying when the catalogue says it is safe) and returns the status,
    /// content type and body of a 2xx answer; a non-2xx answer becomes an [`Error`].
    /// Redirects, answer size and clock skew: see [`crate::call`].
    pub(crate) async fn execute(&self, request: Request) -> Result<Answer, Error> {
        crate::call::execute(self, request).await
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

/// A successful answer, as [`Decode`](crate::endpoint::Decode) reads it.
#[derive(Debug)]
pub struct Answer {
    /// The HTTP status (2xx).
    pub(crate) status: u16,
    /// The `Content-Type` header, if any.
    pub(crate) content_type: Option<String>,
    /// The body.
    pub(crate) body: Vec<u8>,
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    account_url: Option<String>,
    download_url: Option<String>,
    consumer: Option<Consumer>,
    user: Option<Token>,
    placement: AuthPlacement,
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
    max_answer_bytes: Option<u64>,
    clock: Option<Arc<dyn Clock>>,
    nonce: Option<Arc<dyn NonceSource>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("download_url", &self.download_url)
            .field("consumer", &self.consumer)
            .field("user", &self.user)
            .field("placement", &self.placement)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The API base URL (default [`DEFAULT_BASE_URL`], the spec's server).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Where users authorise request tokens (default
    /// [`DEFAULT_ACCOUNT_URL`](crate::token_flow::DEFAULT_ACCOUNT_URL)).
    pub fn account_url(mut self, url: impl Into<String>) -> Self {
        self.account_url = Some(url.into());
        self
    }

    /// The base URL of the download host that signed download URLs point at
    /// (see [`Client::download_url`]). Default: the API base URL
    /// ([`DEFAULT_BASE_URL`], `https://api.7digital.com/1.2`, unless
    /// [`base_url`](Self::base_url) set another).
    pub fn download_url(mut self, url: impl Into<String>) -> Self {
        self.download_url = Some(url.into());
        self
    }

    /// The partner's OAuth consumer key and secret (required).
    pub fn consumer(mut self, key: impl Into<String>, secret: impl Into<String>) -> Self {
        self.consumer = Some(Consumer::new(key, Secret::new(secret)));
        self
    }

    /// A user's access token and secret, for operations on the user's behalf
    /// (see also [`Client::with_user_token`]).
    pub fn user_token(mut self, token: impl Into<String>, secret: impl Into<String>) -> Self {
        self.user = Some(Token::new(token, Secret::new(secret)));
        self
    }

    /// Where the OAuth parameters go (default: the query string).
    pub fn auth_placement(mut self, placement: AuthPlacement) -> Self {
        self.placement = placement;
        self
    }

    /// Retries for calls that are safe to retry (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// How long one API call may take, answer included (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default `sevendigital-rs/VERSION`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// A `reqwest` client to use instead of the one the builder makes (its own timeouts and
    /// user agent then apply).
    ///
    /// The client does its own redirect handling: API calls follow redirects only within their
    /// origin, re-signed, and downloads to another host only over https. Build the client given
    /// here with `reqwest::redirect::Policy::none()` (the builder's own client is built so): a
    /// client that follows redirects itself may send a request (form body included) to another
    /// host before this crate sees the redirect. Its answer from another origin is still refused
    /// ([`Error::Redirect`]).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The largest API answer body accepted, in bytes (default
    /// [`DEFAULT_MAX_ANSWER_BYTES`](crate::call::DEFAULT_MAX_ANSWER_BYTES), 8 MiB). It is
    /// checked while the body streams in: a longer answer stops there with [`Error::TooLarge`].
    /// Downloads have their own limit ([`crate::download::DownloadOptions::max_bytes`]).
    pub fn max_answer_bytes(mut self, bytes: u64) -> Self {
        self.max_answer_bytes = Some(bytes);
        self
    }

    /// The source of OAuth timestamps (for tests; default: the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// The source of OAuth nonces (for tests; default: random).
    pub fn nonce_source(mut self, nonce: Arc<dyn NonceSource>) -> Self {
        self.nonce = Some(nonce);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when no consumer is set, the base URL or download URL is not an
    /// absolute `http`/`https` URL, or the HTTP client cannot be created.
    pub fn build(self) -> Result<Client, Error> {
        let consumer = self.consumer.ok_or_else(|| {
            Error::config(format!(
                "no consumer key: call `.consumer(key, secret)` on the builder, or set {ENV_CONSUMER_KEY} and {ENV_CONSUMER_SECRET} and use `Client::from_env()`"
            ))
        })?;
        if consumer.key().trim().is_empty() {
            return Err(Error::config("the consumer key is empty"));
        }
        let raw = self
            .base_url
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        let base_url = parse_base("base URL", &raw)?;
        let download_url = match self.download_url {
            Some(raw) => parse_base("download URL", &raw)?,
            None => base_url.clone(),
        };
        let account_raw = self
            .account_url
            .unwrap_or_else(|| crate::token_flow::DEFAULT_ACCOUNT_URL.to_string());
        let account_url = Url::parse(&account_raw)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && !u.cannot_be_a_base())
            .ok_or_else(|| {
                Error::config(format!(
                    "account URL `{account_raw}` must be an absolute http or https URL"
                ))
            })?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(self.user_agent.unwrap_or_else(|| {
                    concat!("sevendigital-rs/", env!("CARGO_PKG_VERSION")).to_string()
                }))
                .connect_timeout(Duration::from_secs(10))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::config(format!("cannot create the HTTP client: {e}")))?,
        };
        let guard = crate::call::Guard::new(self.max_answer_bytes);
        let clock = self
            .clock
            .unwrap_or_else(|| Arc::new(crate::oauth::SystemClock));
        let mut signer = Signer::new(consumer).with_clock(guard.clock(clock));
        if let Some(nonce) = self.nonce {
            signer = signer.with_nonce(nonce);
        }
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                account_url,
                download_url,
                signer,
                placement: self.placement,
                retry: self.retry.unwrap_or_default(),
                timeout: self.timeout.unwrap_or(Duration::from_secs(30)),
                guard,
            }),
            user: self.user,
        })
    }
}

/// Parses a base URL (`what` names it in errors): absolute http(s), no query or fragment.
fn parse_base(what: &str, raw: &str) -> Result<Url, Error> {
    let url = Url::parse(raw)
        .map_err(|e| Error::config(format!("{what} `{raw}` is not a valid URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(Error::config(format!(
            "{what} `{raw}` must be an absolute http or https URL"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "{what} `{raw}` must not have a query or fragment"
        )));
    }
    Ok(url)
}
