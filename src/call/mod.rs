//! The one call path of every operation: a generated builder holds its inputs (an
//! [`Endpoint`]), and [`Call`] sends it, pre-signs it or awaits it, for all operations at once.
//!
//! ```no_run
//! # async fn demo(client: sevendigital::Client) -> Result<(), sevendigital::Error> {
//! let page = client.search_releases("beatles").country("GB").send().await?;
//! let same = client.search_releases("beatles").country("GB").await?;     // IntoFuture
//! let url = client.get_release_details(1192901).presigned_url(None)?;
//! # let _ = (page, same, url); Ok(()) }
//! ```

pub(crate) mod origin;
pub mod paging;
pub mod request;
mod response;
pub mod retry;
pub(crate) mod send;

pub use crate::decode::RawResponse;
pub use request::Request;
pub use response::Response;
pub use retry::RetryPolicy;

use std::borrow::Cow;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::catalogue::Operation;
use crate::catalogue::rules::ErrorMeaning;
use crate::client::Client;
use crate::error::Error;

/// The inputs of one operation, as a generated builder holds them.
pub trait Endpoint {
    /// How the answer is read.
    type Body: Decode;
    /// The operation, as the catalogue describes it.
    const OPERATION: &'static Operation;
    /// What some of its error answers mean (its document's `x-sevendigital-errors`), applied
    /// by [`Call::send`]; none unless the generator sets them.
    const ERRORS: &'static [ErrorMeaning] = &[];
    /// Puts every input into `request` (checking is the client's job, before sending).
    fn encode(self, request: &mut Request);
}

/// How a successful answer becomes a value.
pub trait Decode {
    /// The value.
    type Value;
    /// Reads the answer of `operation`.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the answer cannot be read.
    #[doc(hidden)]
    fn decode(operation: &'static str, answer: RawResponse) -> Result<Self::Value, Error>;
}

/// A JSON (or XML) answer decoded into `T`.
#[derive(Debug)]
pub struct Json<T>(PhantomData<fn() -> T>);

/// An answer whose body is ignored.
#[derive(Debug)]
pub struct Empty;

/// An answer whose body is returned as bytes.
#[derive(Debug)]
pub struct Bytes;

impl<T: DeserializeOwned> Decode for Json<T> {
    type Value = T;
    fn decode(operation: &'static str, answer: RawResponse) -> Result<T, Error> {
        crate::decode::decode(operation, &answer)
    }
}

impl Decode for Empty {
    type Value = ();
    fn decode(_: &'static str, _: RawResponse) -> Result<(), Error> {
        Ok(())
    }
}

impl Decode for Bytes {
    type Value = Vec<u8>;
    fn decode(_: &'static str, answer: RawResponse) -> Result<Vec<u8>, Error> {
        Ok(answer.body)
    }
}

/// The value a call of `E` gives.
pub type Output<E> = <<E as Endpoint>::Body as Decode>::Value;

/// A call of an operation being set up: the client plus the operation's inputs. Set optional
/// inputs with the generated setters, then [`send`](Call::send) it or `.await` it.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until you call `.send().await` (or `.await` it)"]
pub struct Call<E> {
    pub(crate) client: Client,
    pub(crate) inputs: E,
    pub(crate) overrides: crate::call::request::Overrides,
}

/// What a call is made through: the [`Client`], or a type of code generated from another API
/// document that holds one (generated methods are inherent, so they need a type of their crate).
pub trait AsClient {
    /// The client.
    fn as_client(&self) -> &Client;
}

impl AsClient for Client {
    fn as_client(&self) -> &Client {
        self
    }
}

impl<E: Endpoint> Call<E> {
    /// A call of `E` with `inputs`, made through `client`.
    pub fn new(client: &(impl AsClient + ?Sized), inputs: E) -> Self {
        Call {
            client: client.as_client().clone(),
            inputs,
            overrides: crate::call::request::Overrides::default(),
        }
    }

    /// The operation called.
    pub fn operation(&self) -> &'static Operation {
        E::OPERATION
    }

    /// The inputs, for setters generated outside this crate (see the generator's
    /// `Settings::runtime_in_another_crate`).
    #[doc(hidden)]
    pub fn inputs_mut(&mut self) -> &mut E {
        &mut self.inputs
    }

    /// This call itself: what a generated builder that wraps a call gives back (so that code
    /// generated either way can write `.into_call()`).
    pub fn into_call(self) -> Self {
        self
    }

    /// The request with every input in place (and the client's default parameters), and the
    /// client to send it with.
    pub fn into_request(self) -> (Client, Request) {
        let mut request = Request::new(E::OPERATION);
        self.inputs.encode(&mut request);
        self.client.apply_defaults(&mut request);
        request.overrides = self.overrides;
        (self.client, request)
    }

    /// Waits at most `timeout` for each attempt of this call (connecting, sending and reading
    /// the answer), in place of the client's [`ClientBuilder::timeout`](crate::ClientBuilder::timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.overrides.timeout = Some(timeout);
        self
    }

    /// Retries this call per `policy` in place of the client's
    /// [`ClientBuilder::retry`](crate::ClientBuilder::retry) (`RetryPolicy::none()` sends it
    /// once). It applies only where retrying is safe: an operation its document marks as never
    /// to be retried (one that changes something) is sent once whatever the policy.
    pub fn retry(mut self, policy: crate::call::retry::RetryPolicy) -> Self {
        self.overrides.retry = Some(policy);
        self
    }

    /// Checks the inputs against the operation's rules, sends the request and decodes the answer.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the input when one breaks a rule of the catalogue
    /// (nothing is sent); otherwise an [`Error`] when the call cannot be made, when the API
    /// answers with an error (its HTTP status and 7digital error code are kept), or when the
    /// answer cannot be decoded.
    pub async fn send(self) -> Result<Output<E>, Error> {
        self.send_response().await.map(Response::into_inner)
    }

    /// As [`send`](Call::send), and also gives the HTTP status and headers of the answer.
    ///
    /// # Errors
    ///
    /// As for [`send`](Call::send).
    pub async fn send_response(self) -> Result<Response<Output<E>>, Error> {
        let (client, request) = self.into_request();
        // The values the errors are reported with (none, and no allocation, for most operations).
        let kept: Vec<Option<String>> = E::ERRORS
            .iter()
            .map(|meaning| request.value(meaning.input))
            .collect();
        let result = match client.execute(request).await {
            Ok(mut answer) => {
                let status = answer.status;
                let from_cache = answer.from_cache;
                let headers = std::mem::take(&mut answer.headers);
                E::Body::decode(E::OPERATION.id, answer)
                    .map(|value| Response::new(status, headers, from_cache, value))
            }
            Err(error) => Err(error),
        };
        if E::ERRORS.is_empty() {
            return result;
        }
        result.map_err(|error| crate::catalogue::rules::after_error(E::ERRORS, &kept, error))
    }

    /// A complete signed URL for this call, usable without this crate (for example handed to a
    /// browser); with `expires_in`, it carries an expiry covered by the signature. See
    /// [`Client::presign`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when an input breaks a rule or the call has a body or headers (a
    /// URL carries neither), [`Error::UserTokenRequired`] when a user token is missing.
    pub fn presigned_url(self, expires_in: Option<Duration>) -> Result<String, Error> {
        let (client, request) = self.into_request();
        client.presign(&request, expires_in)
    }
}

impl<E> IntoFuture for Call<E>
where
    E: Endpoint + Send + 'static,
    Output<E>: Send,
{
    type Output = Result<Output<E>, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// An identifier argument: text, or an integer (`get_release_details(1192901)`).
pub trait IntoId {
    /// The identifier as sent.
    fn into_id(self) -> String;
}

impl IntoId for String {
    fn into_id(self) -> String {
        self
    }
}

impl IntoId for &str {
    fn into_id(self) -> String {
        self.to_string()
    }
}

impl IntoId for &String {
    fn into_id(self) -> String {
        self.clone()
    }
}

impl IntoId for Cow<'_, str> {
    fn into_id(self) -> String {
        self.into_owned()
    }
}

macro_rules! integer_ids {
    ($($t:ty),*) => {$(
        impl IntoId for $t {
            fn into_id(self) -> String {
                self.to_string()
            }
        }
    )*};
}

integer_ids!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize
);
