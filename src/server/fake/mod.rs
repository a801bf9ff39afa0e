//! A stateful, in-memory fake 7digital (feature `server`), for tests of a store built on this
//! crate, or for trying the API without credentials or network.
//!
//! It implements every operation of the spec through the generated route stubs
//! ([`crate::server::Api`]), including the download service's calls (partner users,
//! the sales log, the partner locker, refunds, downloads with `Range` support) and the OAuth
//! token flow. Any well-formed release, track or artist id resolves to an item generated from
//! the id, consistent across calls; the spec's examples (captured 7digital answers) and a
//! partner's own items ([`FakeBuilder::catalogue`]) keep their data; see [`catalogue`] for
//! the rules, the not-found rule among them. Errors come in 7digital's envelope, JSON or
//! (`Accept: application/xml`) XML: see [`crate::server::ServerError`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let fake = sevendigital::server::fake::Fake::builder().verify_signatures(true).start().await?;
//! let client = fake.client()?;
//! let page = client.search_releases("beatles").send().await?;
//! # let _ = page; Ok(()) }
//! ```
//!
//! Options: signature checks (with replayed nonces and expired URLs refused, see
//! [`auth`]), the size of downloaded files, a clock, pre-registered user tokens,
//! and fault injection ([`Faults`]: latency, a rate of 503 answers, connections closed after
//! N bytes), changeable while it runs.

mod api;
pub mod auth;
pub mod calendar;
pub mod catalogue;
pub mod content;
mod faults;
mod handlers;
mod listen;
pub mod service;
mod store;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;

pub use listen::{
    DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_CONCURRENCY, DEFAULT_MAX_CONNECTIONS, ServeLimits,
};
pub use store::{Faults, MAX_NONCES, Owned, PartnerUser, Sale, State};

pub use catalogue::{Catalogue, CatalogueError};

use crate::oauth::{Clock, SystemClock};
use store::Store;

/// The consumer key the fake accepts unless configured otherwise.
pub const DEFAULT_CONSUMER_KEY: &str = "fake-consumer-key";
/// The consumer secret the fake checks signatures with unless configured otherwise.
pub const DEFAULT_CONSUMER_SECRET: &str = "fake-consumer-secret";
/// The size of a downloaded file unless configured otherwise.
pub const DEFAULT_DOWNLOAD_BYTES: u64 = 1024 * 1024;

/// The fake 7digital: an implementation of [`crate::server::Api`] over an in-memory store.
#[derive(Debug, Clone)]
pub struct Fake {
    store: Arc<Store>,
    limits: ServeLimits,
    catalogue: Arc<Catalogue>,
}

/// Configures a [`Fake`].
#[derive(Debug)]
pub struct FakeBuilder {
    consumer_key: String,
    consumer_secret: String,
    verify_signatures: bool,
    download_bytes: u64,
    clock: Arc<dyn Clock>,
    faults: Faults,
    seed: u64,
    tokens: Vec<(String, String, String)>,
    limits: ServeLimits,
    timestamp_window: Option<Duration>,
    catalogue: Catalogue,
    absent: Vec<u64>,
}

impl Default for FakeBuilder {
    fn default() -> Self {
        FakeBuilder {
            consumer_key: DEFAULT_CONSUMER_KEY.into(),
            consumer_secret: DEFAULT_CONSUMER_SECRET.into(),
            verify_signatures: false,
            download_bytes: DEFAULT_DOWNLOAD_BYTES,
            clock: Arc::new(SystemClock),
            faults: Faults::default(),
            seed: 0x5EED,
            tokens: Vec::new(),
            limits: ServeLimits::default(),
            timestamp_window: None,
            catalogue: Catalogue::new(),
            absent: Vec::new(),
        }
    }
}

impl FakeBuilder {
    /// The consumer credentials the fake accepts.
    pub fn consumer(mut self, key: impl Into<String>, secret: impl Into<String>) -> Self {
        self.consumer_key = key.into();
        self.consumer_secret = secret.into();
        self
    }

    /// Check OAuth signatures, nonces and expiries (default: off, any request is accepted).
    pub fn verify_signatures(mut self, on: bool) -> Self {
        self.verify_signatures = on;
        self
    }

    /// The size of every downloaded file (default 1 MiB).
    pub fn download_bytes(mut self, bytes: u64) -> Self {
        self.download_bytes = bytes;
        self
    }

    /// The fake's clock: sale dates, refund periods, URL expiry (default: the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Faults from the start (see [`FakeHandle::set_faults`] to change them later).
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// The seed of the fault injection's random choices.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// A user access token the fake knows, with its secret, acting for `user_id`.
    pub fn user_token(
        mut self,
        token: impl Into<String>,
        secret: impl Into<String>,
        user_id: impl Into<String>,
    ) -> Self {
        self.tokens
            .push((token.into(), secret.into(), user_id.into()));
        self
    }

    /// Refuse signed requests whose `oauth_timestamp` is further than `window` from the fake's
    /// clock (401, code 7006; default `None`: any timestamp). Every answer carries the fake's
    /// time in its `Date` header, so that with a skewed [`clock`](Self::clock) this simulates a
    /// server whose clock disagrees with the client's. Needs signature checks on.
    pub fn timestamp_window(mut self, window: Option<Duration>) -> Self {
        self.timestamp_window = window;
        self
    }

    /// How long a client may take to send a request's headers (default
    /// [`DEFAULT_HEADER_TIMEOUT`]); an idle kept-alive connection is closed after it too.
    pub fn header_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_timeout = timeout;
        self
    }

    /// How long a client may take to send a whole request body (default
    /// [`DEFAULT_BODY_TIMEOUT`](crate::server::DEFAULT_BODY_TIMEOUT)); answered 408 past it.
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.limits.body_timeout = timeout;
        self
    }

    /// The most requests handled at once (default [`DEFAULT_MAX_CONCURRENCY`]); more are
    /// answered at once with 503 and code 9001.
    pub fn max_concurrency(mut self, requests: usize) -> Self {
        self.limits.max_concurrency = requests.max(1);
        self
    }

    /// The most connections open at once (default [`DEFAULT_MAX_CONNECTIONS`]); a connection
    /// past it is answered 503 and closed.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.limits.max_connections = connections.max(1);
        self
    }

    /// The catalogue the fake answers with (default [`Catalogue::new`]: the captured items,
    /// and an item generated from any other well-formed id). Load a partner's own items with
    /// [`Catalogue::from_json`]; see [`catalogue`] for the id rules and the file's shape.
    pub fn catalogue(mut self, catalogue: Catalogue) -> Self {
        self.catalogue = catalogue;
        self
    }

    /// Ids (of releases, tracks and artists) that do not exist, besides those of the
    /// not-found rule (0 and multiples of 10000): asked for, they are answered with 404 and
    /// code 2001, as are the items that belong to them. A loaded item with such an id exists.
    pub fn absent(mut self, ids: impl IntoIterator<Item = u64>) -> Self {
        self.absent.extend(ids);
        self
    }

    /// The fake, not yet serving.
    pub fn build(mut self) -> Fake {
        self.catalogue.absent(self.absent.iter().copied());
        let mut state = State::default();
        for (token, secret, user) in self.tokens {
            state.tokens.insert(token, (secret, user));
        }
        Fake {
            store: Arc::new(Store::new(
                self.consumer_key,
                self.consumer_secret,
                self.verify_signatures,
                self.download_bytes,
                self.clock,
                state,
                self.faults,
                self.seed,
                self.timestamp_window.map(|w| w.as_secs()),
            )),
            limits: self.limits,
            catalogue: Arc::new(self.catalogue),
        }
    }

    /// Starts the fake on 127.0.0.1 at a free port.
    ///
    /// # Errors
    ///
    /// When no port can be bound.
    pub async fn start(self) -> std::io::Result<FakeHandle> {
        self.build()
            .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
    }
}

impl Fake {
    /// Configures a fake.
    pub fn builder() -> FakeBuilder {
        FakeBuilder::default()
    }

    /// A fake with the defaults, started on 127.0.0.1 at a free port.
    ///
    /// # Errors
    ///
    /// When no port can be bound.
    pub async fn start() -> std::io::Result<FakeHandle> {
        FakeBuilder::default().start().await
    }

    /// The whole fake as an `axum::Router`: the spec's operations, the download-service calls,
    /// signature checks and fault injection.
    pub fn router(&self) -> axum::Router {
        let store = Arc::clone(&self.store);
        crate::server::router(Arc::new(self.clone()))
            .merge(service::routes(Arc::clone(&store)))
            .layer(axum::middleware::from_fn_with_state(
                Arc::clone(&store),
                auth::layer,
            ))
            .layer(axum::middleware::from_fn_with_state(
                Arc::clone(&store),
                faults::layer,
            ))
            .layer(axum::middleware::from_fn_with_state(store, listen::date))
            .layer(axum::middleware::from_fn(crate::server::xml_errors))
    }

    /// Serves the fake at `addr` until the handle is stopped or dropped, within its
    /// [`ServeLimits`] (header and body timeouts, connection and concurrency limits).
    ///
    /// # Errors
    ///
    /// When `addr` cannot be bound.
    pub async fn serve(self, addr: SocketAddr) -> std::io::Result<FakeHandle> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let app = self.router();
        let task = tokio::spawn(listen::run(listener, app, self.limits, stopped));
        Ok(FakeHandle {
            addr,
            fake: self,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The catalogue it answers with.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The limits [`Fake::serve`] applies.
    pub fn limits(&self) -> ServeLimits {
        self.limits
    }

    /// Reads the fake's state (users, sales, refunds, ...).
    pub fn inspect<T>(&self, read: impl FnOnce(&State) -> T) -> T {
        read(&self.store.state())
    }

    /// Replaces the faults injected from now on.
    pub fn set_faults(&self, faults: Faults) {
        self.store.set_faults(faults);
    }

    /// How many requests the fake has received (faulted ones included).
    pub fn requests(&self) -> u64 {
        self.store.requests()
    }
}

/// A running fake. Dropping it stops the server.
#[derive(Debug)]
pub struct FakeHandle {
    addr: SocketAddr,
    fake: Fake,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl FakeHandle {
    /// The base URL to point a client at (`http://127.0.0.1:PORT`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the fake listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The fake behind the server.
    pub fn fake(&self) -> &Fake {
        &self.fake
    }

    /// A client builder aimed at this fake, with its consumer credentials.
    pub fn client_builder(&self) -> crate::ClientBuilder {
        crate::Client::builder().base_url(self.base_url()).consumer(
            self.fake.store.consumer_key.clone(),
            self.fake.store.consumer_secret.clone(),
        )
    }

    /// A client aimed at this fake.
    ///
    /// # Errors
    ///
    /// As [`crate::ClientBuilder::build`].
    pub fn client(&self) -> Result<crate::Client, crate::Error> {
        self.client_builder().build()
    }

    /// Replaces the faults injected from now on.
    pub fn set_faults(&self, faults: Faults) {
        self.fake.set_faults(faults);
    }

    /// Stops the server and waits for it to finish.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for FakeHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
