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
use crate::call::{Bytes, Call, Decode, Empty, Endpoint, Json};
use crate::catalogue::{BodyEncoding, Operation, Param, ParamKind, ParamLocation};
use crate::download::{DownloadOptions, Downloaded};
pub use crate::text::escape_controls;
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

/// What [`Dispatch::run`] returns: the call's outcome, once sent.
pub type Dispatched<'a> = BoxFuture<'a, Result<Outcome, Error>>;

/// What a generated builder function returns: its call, built from the arguments and not sent
/// yet, or the input error that stopped it.
pub type Built = Result<Prepared, Error>;

/// One generated subcommand in the table [`DISPATCH`]: its name, its operation, and the
/// function that builds its call from parameters read by wire name, on a client of type `C`
/// (the generated client). The subcommand's flags and help come from the operation's
/// catalogue entry ([`command`]).
pub struct Dispatch<C: 'static = crate::Client> {
    /// The subcommand (`search-releases`).
    pub name: &'static str,
    /// The operation, as the catalogue describes it.
    pub operation: &'static Operation,
    /// Builds the call from `args`.
    pub build: fn(&C, &dyn Args) -> Built,
}

impl<C: 'static> Dispatch<C> {
    /// Builds the call from `args` and sends it; with `sign_url`, its pre-signed URL instead.
    pub fn run<'a>(&self, client: &'a C, args: &'a dyn Args, sign_url: bool) -> Dispatched<'a> {
        match (self.build)(client, args) {
            Ok(call) => call.finish(sign_url),
            Err(error) => Box::pin(futures_util::future::ready(Err(error))),
        }
    }
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
            .field("operation", &self.operation.id)
            .finish_non_exhaustive()
    }
}

/// A call built from arguments, not sent yet (see [`Dispatch::build`]).
pub struct Prepared(Box<dyn Ready>);

impl Prepared {
    /// Wraps a generated call.
    pub fn new<E>(call: Call<E>) -> Self
    where
        E: Endpoint + Clone + Send + Sync + 'static,
        E::Body: Reply,
    {
        Prepared(Box::new(call))
    }

    /// The operation called.
    pub fn operation(&self) -> &'static Operation {
        self.0.operation()
    }

    /// Sends the call (a file's call is handed back unsent, as [`Outcome::File`]); with
    /// `sign_url`, its pre-signed URL instead, or an error for a call that sends a body or
    /// headers, which a URL cannot carry.
    pub fn finish(self, sign_url: bool) -> Dispatched<'static> {
        if !sign_url {
            return self.0.dispatch();
        }
        let operation = self.operation();
        let url = if presignable(operation) {
            self.0.sign().map(Outcome::Url)
        } else {
            Err(cannot_presign(operation.id))
        };
        Box::pin(futures_util::future::ready(url))
    }
}

impl fmt::Debug for Prepared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Prepared")
            .field(&self.operation().id)
            .finish()
    }
}

/// Whether a call of `operation` fits in a URL: no body, no header.
fn presignable(operation: &Operation) -> bool {
    operation.body.is_none()
        && !operation
            .params
            .iter()
            .any(|p| p.location == ParamLocation::Header)
}

/// A [`Prepared`] call of any operation.
trait Ready: Send {
    fn operation(&self) -> &'static Operation;
    fn sign(self: Box<Self>) -> Result<String, Error>;
    fn dispatch(self: Box<Self>) -> Dispatched<'static>;
}

impl<E> Ready for Call<E>
where
    E: Endpoint + Clone + Send + Sync + 'static,
    E::Body: Reply,
{
    fn operation(&self) -> &'static Operation {
        E::OPERATION
    }

    fn sign(self: Box<Self>) -> Result<String, Error> {
        Call::presigned_url(*self, None)
    }

    fn dispatch(self: Box<Self>) -> Dispatched<'static> {
        E::Body::reply(*self)
    }
}

/// What the command line makes of each kind of answer ([`Json`], [`Empty`], [`Bytes`]).
pub trait Reply: Decode + Sized {
    /// Sends `call` and turns its answer into an [`Outcome`] (a file's call is not sent).
    fn reply<E>(call: Call<E>) -> Dispatched<'static>
    where
        E: Endpoint<Body = Self> + Clone + Send + Sync + 'static;
}

impl<T: Serialize + DeserializeOwned + Send + 'static> Reply for Json<T> {
    fn reply<E>(call: Call<E>) -> Dispatched<'static>
    where
        E: Endpoint<Body = Self> + Clone + Send + Sync + 'static,
    {
        Box::pin(async move {
            let value: T = call.send().await?;
            Ok(Outcome::Json(json_value(&value)))
        })
    }
}

impl Reply for Empty {
    fn reply<E>(call: Call<E>) -> Dispatched<'static>
    where
        E: Endpoint<Body = Self> + Clone + Send + Sync + 'static,
    {
        Box::pin(async move {
            call.send().await?;
            Ok(Outcome::Json(serde_json::Value::Null))
        })
    }
}

impl Reply for Bytes {
    fn reply<E>(call: Call<E>) -> Dispatched<'static>
    where
        E: Endpoint<Body = Self> + Clone + Send + Sync + 'static,
    {
        Box::pin(futures_util::future::ready(Ok(Outcome::File(
            FileCall::new(call),
        ))))
    }
}

/// Sets an optional input when it was given: `request.maybe(value, |r, v| r.page(v))` (for
/// any builder; the generated code imports it).
pub trait Maybe: Sized {
    /// `set(self, value)` when `value` is some, else `self`.
    fn maybe<T>(self, value: Option<T>, set: impl FnOnce(Self, T) -> Self) -> Self {
        match value {
            Some(value) => set(self, value),
            None => self,
        }
    }
}

impl<T> Maybe for T {}

/// A JSON request body assembled from flags, one field at a time.
pub struct Body<'a> {
    args: &'a dyn Args,
    fields: serde_json::Map<String, serde_json::Value>,
}

impl<'a> Body<'a> {
    /// An empty body, to be filled from `args`.
    pub fn new(args: &'a dyn Args) -> Self {
        Body {
            args,
            fields: serde_json::Map::new(),
        }
    }

    /// Sets field `wire` to the value `read` (one of the readers of [`args`]) finds for it,
    /// if any.
    ///
    /// # Errors
    ///
    /// The reader's error.
    pub fn field<T: Serialize>(
        mut self,
        wire: &str,
        read: impl FnOnce(&dyn Args, &str) -> Result<Option<T>, Error>,
    ) -> Result<Self, Error> {
        if let Some(value) = read(self.args, wire)? {
            self.fields.insert(wire.to_string(), json_value(&value));
        }
        Ok(self)
    }

    /// The body as the model `T`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the body when the fields do not make a valid `T`.
    pub fn build<T: DeserializeOwned>(self) -> Result<T, Error> {
        from_json(self.fields)
    }
}

/// The clap subcommand of a [`DISPATCH`] entry, from its operation's catalogue entry: one
/// flag per input (kebab case of its wire name), required ones required, listed values listed,
/// every other value checked by the catalogue's rules; `--body-file` for a raw body.
pub fn command<C>(entry: &Dispatch<C>) -> clap::Command {
    let op = entry.operation;
    let about = if op.summary.is_empty() {
        op.id
    } else {
        op.summary
    };
    let description = if op.description.is_empty() {
        about
    } else {
        op.description
    };
    let security = if op.security.is_empty() {
        String::new()
    } else {
        format!(", {}", op.security.join(" or "))
    };
    let long = format!(
        "{description}\n\n{} {} (operation {}{security})",
        op.method, op.path, op.id
    );
    let mut command = clap::Command::new(entry.name)
        .about(about)
        .long_about(long)
        .args(op.params.iter().map(flag));
    if let Some(body) = op.body.filter(|b| b.encoding == BodyEncoding::Raw) {
        command = command.arg(
            clap::Arg::new("body-file")
                .long("body-file")
                .value_name("FILE")
                .help(format!(
                    "A file holding the request body, sent as `{}`",
                    body.media_type
                ))
                .required(body.required),
        );
    }
    command
}

/// The flag of input `param`.
fn flag(param: &'static Param) -> clap::Arg {
    let long = args::kebab(param.name);
    let value_name = long.replace('-', "_").to_uppercase();
    let help = if param.description.is_empty() {
        format!("The {} parameter", param.name)
    } else {
        param.description.to_string()
    };
    let arg = clap::Arg::new(param.name)
        .long(long)
        .value_name(value_name)
        .help(help)
        .required(param.required);
    let arg = match param.kind {
        _ if !param.enum_values.is_empty() => arg.value_parser(
            clap::builder::PossibleValuesParser::new(param.enum_values.iter().copied()),
        ),
        ParamKind::Integer | ParamKind::Number | ParamKind::String => {
            arg.value_parser(move |value: &str| {
                param.check(value)?;
                Ok::<_, String>(value.to_string())
            })
        }
        ParamKind::Boolean => arg.value_parser(["true", "false"]),
        ParamKind::Array | ParamKind::Object => arg,
    };
    if param.kind == ParamKind::Array {
        arg.action(clap::ArgAction::Append)
    } else {
        arg
    }
}

/// The dispatcher of operation `id`.
pub fn dispatcher(id: &str) -> Option<&'static Dispatch> {
    DISPATCH.iter().find(|d| d.operation.id == id)
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
    Some(entry.run(client, args, sign_url).await)
}

include!(concat!(env!("OUT_DIR"), "/cli.rs"));
