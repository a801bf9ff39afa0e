//! The command line's library side (feature `cli`): the generated subcommands (one per
//! operation, see [`commands`] and [`run`]) and the helpers they use. The `sevendigital`
//! binary adds global flags, writing downloads to files, output and exit codes.

use std::fmt;
use std::path::Path;

use futures_util::future::BoxFuture;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub mod args;

pub use crate::Error;
use crate::download::{DownloadOptions, Downloaded};
use crate::endpoint::{Call, Endpoint};
pub use args::Args;

/// What a subcommand produced.
#[derive(Debug)]
pub enum Outcome {
    /// A typed answer, as JSON.
    Json(serde_json::Value),
    /// A pre-signed URL (`--sign-url`).
    Url(String),
    /// A call whose answer is a file, not fetched yet: the caller decides where it goes.
    File(FileCall),
}

/// A call whose answer is a file (a download), ready to be fetched to a path, resumably.
pub struct FileCall(Box<dyn FetchFile>);

impl FileCall {
    /// Wraps a generated call.
    pub fn new<E: Endpoint + Clone + Send + Sync + 'static>(call: Call<E>) -> Self {
        FileCall(Box::new(call))
    }

    /// The operation called.
    pub fn operation(&self) -> &'static crate::catalogue::Operation {
        self.0.operation()
    }

    /// A signed URL of the file (see [`Call::presigned_url`]).
    ///
    /// # Errors
    ///
    /// As for [`Call::presigned_url`].
    pub fn presigned_url(&self) -> Result<String, Error> {
        self.0.presigned_url()
    }

    /// Fetches the file to `target` (see [`Call::download_to`]).
    ///
    /// # Errors
    ///
    /// As for [`Call::download_to`].
    pub async fn download_to(
        &self,
        target: &Path,
        options: &DownloadOptions,
    ) -> Result<Downloaded, Error> {
        self.0.download_to(target, options).await
    }
}

impl fmt::Debug for FileCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("FileCall")
            .field(&self.0.operation().id)
            .finish()
    }
}

/// [`Call::download_to`] and [`Call::presigned_url`] of any call.
trait FetchFile: Send + Sync {
    fn operation(&self) -> &'static crate::catalogue::Operation;
    fn presigned_url(&self) -> Result<String, Error>;
    fn download_to<'a>(
        &'a self,
        target: &'a Path,
        options: &'a DownloadOptions,
    ) -> BoxFuture<'a, Result<Downloaded, Error>>;
}

impl<E: Endpoint + Clone + Send + Sync + 'static> FetchFile for Call<E> {
    fn operation(&self) -> &'static crate::catalogue::Operation {
        E::OPERATION
    }

    fn presigned_url(&self) -> Result<String, Error> {
        self.clone().presigned_url(None)
    }

    fn download_to<'a>(
        &'a self,
        target: &'a Path,
        options: &'a DownloadOptions,
    ) -> BoxFuture<'a, Result<Downloaded, Error>> {
        Box::pin(self.clone().download_to(target, options))
    }
}

/// `value`, or an input error naming `name` (clap enforces required flags; this covers the rest).
///
/// # Errors
///
/// [`Error::InvalidInput`] when `value` is `None`.
pub fn required<T>(name: &str, value: Option<T>) -> Result<T, Error> {
    value.ok_or_else(|| Error::invalid_input(name, "is required"))
}

/// The value parser of flag `name` (its wire name) of operation `operation`: the catalogue's
/// one check ([`Param::check`](crate::catalogue::Param::check)), so the command line refuses
/// what the client would, with the same message, then the value parsed into `T`.
pub fn checked<T>(
    operation: &'static str,
    name: &'static str,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: std::str::FromStr + Clone + Send + Sync + 'static,
{
    move |value: &str| {
        if let Some(param) = crate::catalogue::find(operation).and_then(|op| op.param(name)) {
            param.check(value)?;
        }
        value
            .parse::<T>()
            .map_err(|_| format!("`{value}` is not valid"))
    }
}

/// Any serializable value as JSON (`null` if it cannot be represented).
pub fn json_value<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// A model assembled from flags given as a JSON object.
///
/// # Errors
///
/// [`Error::InvalidInput`] naming the body when the flags do not make a valid value.
pub fn from_json<T: DeserializeOwned>(
    object: serde_json::Map<String, serde_json::Value>,
) -> Result<T, Error> {
    serde_json::from_value(serde_json::Value::Object(object))
        .map_err(|e| Error::invalid_input("body", e.to_string()))
}

/// A flag holding JSON text.
///
/// # Errors
///
/// [`Error::InvalidInput`] naming the flag when the text is not valid JSON of the right shape.
pub fn parse_json<T: DeserializeOwned>(name: &str, text: &str) -> Result<T, Error> {
    serde_json::from_str(text)
        .map_err(|e| Error::invalid_input(name, format!("is not valid JSON: {e}")))
}

/// The bytes of the file at `path`, the request body of `--body-file`.
///
/// # Errors
///
/// [`Error::InvalidInput`] for `--body-file` when the file cannot be read.
pub fn body_file(path: &str) -> Result<Vec<u8>, Error> {
    std::fs::read(path)
        .map_err(|e| Error::invalid_input("--body-file", format!("cannot read `{path}`: {e}")))
}

/// The error for `--sign-url` on a call that sends a body.
pub fn cannot_presign(operation: &str) -> Error {
    Error::invalid_input(
        "--sign-url",
        format!("{operation} sends a request body, which a URL cannot carry"),
    )
}

/// What a generated dispatcher function returns: the call's outcome, once sent.
pub type Dispatched<'a> = BoxFuture<'a, Result<Outcome, Error>>;

/// One generated subcommand in the table [`DISPATCH`]: its name, its operation, and the
/// function that builds its call from parameters read by wire name and sends it, on a client
/// of type `C` (the generated client).
pub struct Dispatch<C: 'static = crate::Client> {
    /// The subcommand (`search-releases`).
    pub name: &'static str,
    /// The operation id (`searchReleases`).
    pub operation: &'static str,
    /// Builds the call from `args` and sends it; with `sign_url`, its pre-signed URL instead.
    pub run: for<'a> fn(&'a C, &'a dyn Args, bool) -> Dispatched<'a>,
}

impl<C: 'static> Clone for Dispatch<C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C: 'static> Copy for Dispatch<C> {}

impl<C: 'static> fmt::Debug for Dispatch<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dispatch")
            .field("name", &self.name)
            .field("operation", &self.operation)
            .finish_non_exhaustive()
    }
}

/// The dispatcher of operation `id`.
pub fn dispatcher(id: &str) -> Option<&'static Dispatch> {
    DISPATCH.iter().find(|d| d.operation == id)
}

/// Runs the generated subcommand `name` with `args` (the parsed flags, or any other
/// [`Args`]): sends the call, or with `sign_url` returns its pre-signed URL. `None` when `name`
/// is not generated.
pub async fn run(
    client: &crate::Client,
    name: &str,
    args: &dyn Args,
    sign_url: bool,
) -> Option<Result<Outcome, Error>> {
    let entry = DISPATCH.iter().find(|d| d.name == name)?;
    Some((entry.run)(client, args, sign_url).await)
}

include!(concat!(env!("OUT_DIR"), "/cli.rs"));
