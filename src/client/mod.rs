//! The client: credentials, signing, and the path every generated call takes; its
//! configuration is [`ClientBuilder`].

mod builder;
pub mod cache;
pub(crate) mod guard;
pub mod hooks;

pub use builder::{ClientBuilder, DEFAULT_ACCOUNT_URL};
pub use guard::DEFAULT_MAX_RESPONSE_BYTES;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use url::Url;

use crate::call::request::Request;
use crate::call::retry::RetryPolicy;
use crate::catalogue::{self, AuthLevel, Method, Operation};
use crate::error::Error;
use crate::oauth::{Secret, Signer, Token};

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
    guard: guard::Guard,
    /// Query parameters sent on every call that does not set them (see
    /// [`ClientBuilder::default_param`]).
    defaults: Vec<(String, String)>,
    /// Catalogue answers kept per their `Cache-Control` (see [`ClientBuilder::cache`]).
    cache: Option<Arc<dyn crate::client::cache::Cache>>,
    /// Code run around every request (see [`ClientBuilder::hook`]).
    hooks: crate::client::hooks::Hooks,
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
            .field("defaults", &self.inner.defaults)
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

    /// The base URL of the download host (where the download service's files are fetched);
    /// the API base URL unless
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
    pub(crate) fn guard(&self) -> &guard::Guard {
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

    /// Adds the client's default parameters (see [`ClientBuilder::default_param`]) that apply to
    /// `request` and that it does not carry yet.
    pub(crate) fn apply_defaults(&self, request: &mut Request) {
        for (name, value) in &self.inner.defaults {
            let applies = match request.operation.param(name) {
                Some(param) => param.location == catalogue::ParamLocation::Query,
                // A name no operation declares goes to every call (the generator lists the
                // declared ones, sorted).
                None => catalogue::DECLARED_INPUTS
                    .binary_search(&name.as_str())
                    .is_err(),
            };
            if applies && !request.query.iter().any(|(n, _)| n == name) {
                request.query.push((name.clone(), value.clone()));
            }
        }
    }

    /// The client's cache and the key of `request` in it (the consumer key and the URL), when
    /// the cache is on and the operation's answers may be kept.
    pub(crate) fn cache_for(
        &self,
        request: &Request,
    ) -> Option<(&dyn crate::client::cache::Cache, String)> {
        let cache = self.inner.cache.as_deref()?;
        if !crate::client::cache::applies_to(request.operation) {
            return None;
        }
        let url = self.url(request).ok()?;
        Some((cache, format!("{} {url}", self.consumer_key())))
    }

    /// The client's hooks.
    pub(crate) fn hooks(&self) -> &crate::client::hooks::Hooks {
        &self.inner.hooks
    }

    /// The full URL of a request, with its query string, before signing.
    fn url(&self, request: &Request) -> Result<Url, Error> {
        self.url_on(self.base_for(request.operation), request)
    }

    /// The base URL of `operation`: the download URL for an operation its document puts on a
    /// server of its own (the download-service files), the API base URL otherwise.
    fn base_for(&self, operation: &Operation) -> &Url {
        match operation.server {
            Some(_) => &self.inner.download_url,
            None => &self.inner.base_url,
        }
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
        hop: &guard::Hop,
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
            .timeout(request.overrides.timeout.unwrap_or(self.inner.timeout))
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
        builder.build().map_err(|e| Error::transport(op.id, e))
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
        self.presign_on(self.base_for(request.operation), request, expires_in)
    }

    /// [`Client::presign`] against `base`.
    fn presign_on(
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
}
