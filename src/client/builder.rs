//! [`ClientBuilder`]: the configuration of a [`Client`], checked once when it is built.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use super::{
    AuthPlacement, Client, DEFAULT_BASE_URL, ENV_CONSUMER_KEY, ENV_CONSUMER_SECRET, Inner,
};
use crate::call::retry::RetryPolicy;
use crate::error::Error;
use crate::oauth::{Clock, Consumer, NonceSource, Secret, Signer, Token};

/// Where users authorise request tokens, unless the client is configured otherwise
/// (see [`Client::authorise_url`]).
pub const DEFAULT_ACCOUNT_URL: &str = "https://account.7digital.com";

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
    max_response_bytes: Option<u64>,
    clock: Option<Arc<dyn Clock>>,
    nonce: Option<Arc<dyn NonceSource>>,
    defaults: Vec<(String, String)>,
    cache: Option<Arc<dyn crate::client::cache::Cache>>,
    hooks: Vec<Arc<dyn crate::client::hooks::Hook>>,
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
            .field("defaults", &self.defaults)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A query parameter the store sends on every call, set once here and overridable per call
    /// (`country`, `shopId`, `usageTypes`, as 7digital's own SDKs offer):
    ///
    /// - a parameter some operations declare (`country`) is sent to those operations, when the
    ///   call does not set it itself (`.country("US")` wins);
    /// - a parameter no operation declares (`shopId`, `usageTypes`) is sent on every call.
    ///
    /// Setting the same name again replaces its value.
    ///
    /// ```
    /// let client = sevendigital::Client::builder()
    ///     .consumer("KEY", "SECRET")
    ///     .default_param("country", "GB")
    ///     .default_param("shopId", "34")
    ///     .build()?;
    /// # let _ = client; Ok::<(), sevendigital::Error>(())
    /// ```
    ///
    /// [`build`](Self::build) refuses a value that breaks the rules of an operation declaring it.
    pub fn default_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let (name, value) = (name.into(), value.into());
        self.defaults.retain(|(n, _)| *n != name);
        self.defaults.push((name, value));
        self
    }

    /// Keeps catalogue answers in memory for as long as their `Cache-Control: max-age` says,
    /// within `limits` (see [`crate::client::cache`]). Off by default: every call goes to the API.
    pub fn cache(mut self, limits: crate::client::cache::CacheLimits) -> Self {
        self.cache = Some(Arc::new(crate::client::cache::MemoryCache::new(limits)));
        self
    }

    /// Keeps catalogue answers in `cache` (for example a `RedisCache`, feature `redis`, shared
    /// by several servers), per the same rules as [`cache`](Self::cache).
    pub fn cache_with(mut self, cache: Arc<dyn crate::client::cache::Cache>) -> Self {
        self.cache = Some(cache);
        self
    }

    /// Runs `hook` around every HTTP request the client sends, downloads included (see
    /// [`crate::client::hooks`]). Hooks run in the order they are added.
    pub fn hook(mut self, hook: Arc<dyn crate::client::hooks::Hook>) -> Self {
        self.hooks.push(hook);
        self
    }

    /// The API base URL (default [`DEFAULT_BASE_URL`], the spec's server).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Where users authorise request tokens (default
    /// [`DEFAULT_ACCOUNT_URL`]).
    pub fn account_url(mut self, url: impl Into<String>) -> Self {
        self.account_url = Some(url.into());
        self
    }

    /// The base URL of the download host: where the operations whose document gives them a
    /// server of their own (the download service's files) are sent and signed for. Default: the API base URL
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
    /// [`DEFAULT_MAX_RESPONSE_BYTES`](crate::client::DEFAULT_MAX_RESPONSE_BYTES), 8 MiB). It is
    /// checked while the body streams in: a longer answer stops there with [`Error::TooLarge`].
    /// Downloads have their own limit ([`crate::download::DownloadOptions::max_bytes`]).
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = Some(bytes);
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
            .unwrap_or_else(|| DEFAULT_ACCOUNT_URL.to_string());
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
            None => {
                let builder = reqwest::Client::builder()
                    .user_agent(self.user_agent.unwrap_or_else(|| {
                        concat!("sevendigital-rs/", env!("CARGO_PKG_VERSION")).to_string()
                    }))
                    .connect_timeout(Duration::from_secs(10))
                    .redirect(reqwest::redirect::Policy::none());
                // The feature `native-tls` chooses the platform's TLS over rustls.
                #[cfg(feature = "native-tls")]
                let builder = builder.use_native_tls();
                builder
                    .build()
                    .map_err(|e| Error::config(format!("cannot create the HTTP client: {e}")))?
            }
        };
        for (name, value) in &self.defaults {
            check_default(name, value)?;
        }
        let guard = super::guard::Guard::new(self.max_response_bytes);
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
                defaults: self.defaults,
                cache: self.cache,
                hooks: crate::client::hooks::Hooks::new(self.hooks),
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

/// Refuses a default parameter that is empty or that breaks the rules of an operation declaring
/// it as a query parameter.
fn check_default(name: &str, value: &str) -> Result<(), Error> {
    if name.is_empty() || name.starts_with("oauth_") {
        return Err(Error::config(format!(
            "default parameter `{name}`: not a name a call can carry"
        )));
    }
    let declared = crate::catalogue::OPERATIONS
        .iter()
        .filter_map(|op| op.param(name))
        .find(|p| p.location == crate::catalogue::ParamLocation::Query);
    if let Some(param) = declared {
        param
            .check(value)
            .map_err(|why| Error::config(format!("default parameter `{name}`: {why}")))?;
    }
    Ok(())
}
