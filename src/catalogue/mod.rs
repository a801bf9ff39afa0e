//! The operation catalogue: what every operation of the API is, generated from the spec,
//! with the facts the documents declare for it decided when generating: its authorisation level
//! (`x-sevendigital-auth-level` on each security scheme), whether it may be retried
//! (`x-sevendigital-never-retry`), and one lazily compiled regular expression per pattern.
//!
//! ```
//! use sevendigital::catalogue::{self, AuthLevel};
//!
//! let op = catalogue::find("getUserLocker").unwrap();
//! assert_eq!(op.path, "/user/locker");
//! assert_eq!(op.auth_level(), AuthLevel::ThreeLegged);
//! assert!(op.safe_to_retry());
//! assert!(!catalogue::find("createBasket").unwrap().safe_to_retry());
//! ```

pub mod rules;

use std::fmt;
use std::sync::LazyLock;

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
    /// `HEAD`
    Head,
    /// `PATCH`
    Patch,
    /// `TRACE`
    Trace,
}

impl Method {
    /// The method's name, upper-case.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// Whether HTTP defines the method as idempotent (RFC 9110 §9.2.2).
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    /// In the URL path, replacing `{name}`.
    Path,
    /// In the query string.
    Query,
    /// As an HTTP header.
    Header,
    /// As a field of the request body.
    Body,
}

/// The JSON type of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamKind {
    /// A string (including enums).
    String,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A list.
    Array,
    /// An object.
    Object,
}

/// One input of an operation, with the rules the spec states for it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Param {
    /// The name on the wire (`pageSize`).
    pub name: &'static str,
    /// The name the caller writes in Rust (`page_size`); empty when it is the wire name.
    pub rust_name: &'static str,
    /// Where it travels.
    pub location: ParamLocation,
    /// Whether the call needs it.
    pub required: bool,
    /// Its JSON type.
    pub kind: ParamKind,
    /// The spec's description (may be empty).
    pub description: &'static str,
    /// The allowed values, when the spec lists them.
    pub enum_values: &'static [&'static str],
    /// Smallest allowed value.
    pub minimum: Option<f64>,
    /// Largest allowed value.
    pub maximum: Option<f64>,
    /// Shortest allowed length.
    pub min_length: Option<u64>,
    /// Longest allowed length.
    pub max_length: Option<u64>,
    /// The spec's `format` (`uuid`, `email`, `int32`, ...).
    pub format: Option<&'static str>,
    /// A regular expression the value must match (the spec's `pattern`).
    pub pattern: Option<&'static str>,
    /// The `pattern`, compiled once on first use (a static of the generated catalogue per
    /// distinct pattern); without it (a `Param` built by hand), the pattern is compiled at each
    /// check.
    pub compiled: Option<&'static Pattern>,
    /// The default the API applies, as text.
    pub default: Option<&'static str>,
    /// An example value, as text.
    pub example: Option<&'static str>,
}

impl Param {
    /// A query parameter with no rules: the base the generated catalogue fills in.
    pub const DEFAULT: Param = Param {
        name: "",
        rust_name: "",
        location: ParamLocation::Query,
        required: false,
        kind: ParamKind::String,
        description: "",
        enum_values: &[],
        minimum: None,
        maximum: None,
        min_length: None,
        max_length: None,
        format: None,
        pattern: None,
        compiled: None,
        default: None,
        example: None,
    };
}

impl Param {
    /// The name the caller wrote: the Rust name when there is one, else the wire name.
    pub fn caller_name(&self) -> &'static str {
        if self.rust_name.is_empty() {
            self.name
        } else {
            self.rust_name
        }
    }

    /// Checks that the parameter has a value when it is required (`values` are every value
    /// given for it).
    ///
    /// # Errors
    ///
    /// The reason, without the parameter's name (`is required`).
    pub fn check_present<T>(&self, values: &[T]) -> Result<(), String> {
        if self.required && values.is_empty() {
            return Err("is required".to_string());
        }
        Ok(())
    }

    /// Checks one value, as text, against every rule the document states for the parameter:
    /// type, enum, bounds, length, format and pattern. The one check used by the client before sending,
    /// by the route stubs and the fake, and by the command line.
    ///
    /// # Errors
    ///
    /// The first rule broken, as a reason without the parameter's name
    /// (`` `GBR` is longer than 2 characters``).
    pub fn check(&self, value: &str) -> Result<(), String> {
        let number = self.check_type(value)?;
        if let Some(n) = number {
            self.check_bounds(value, n)?;
        }
        self.check_enum(value)?;
        if !matches!(self.kind, ParamKind::Array | ParamKind::Object) {
            self.check_length(value)?;
        }
        self.check_format(value)?;
        self.check_pattern(value)
    }

    /// The `pattern` rule (an ECMA-style regular expression, matched anywhere in the value
    /// unless anchored). A pattern this crate cannot read is not applied: the server decides.
    fn check_pattern(&self, value: &str) -> Result<(), String> {
        let Some(pattern) = self.pattern else {
            return Ok(());
        };
        let matches = match self.compiled {
            Some(compiled) => compiled.regex().map(|re| re.is_match(value)),
            None => Pattern::compile(pattern).map(|re| re.is_match(value)),
        };
        if matches == Some(false) {
            return Err(format!(
                "`{}` does not have the expected form (pattern `{pattern}`)",
                crate::text::escape_cut(value, 40)
            ));
        }
        Ok(())
    }

    /// The type rule; the value as a number for numeric kinds.
    fn check_type(&self, value: &str) -> Result<Option<f64>, String> {
        match self.kind {
            ParamKind::Integer => value
                .parse::<i64>()
                .map(|n| Some(n as f64))
                .map_err(|_| format!("`{value}` is not an integer")),
            ParamKind::Number => value
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Some)
                .ok_or_else(|| format!("`{value}` is not a number")),
            ParamKind::Boolean if value != "true" && value != "false" => {
                Err(format!("`{value}` is not true or false"))
            }
            ParamKind::Object if serde_json::from_str::<serde_json::Value>(value).is_err() => {
                Err("not valid JSON".to_string())
            }
            _ => Ok(None),
        }
    }

    /// The `minimum` and `maximum` rules.
    fn check_bounds(&self, value: &str, n: f64) -> Result<(), String> {
        if let Some(min) = self.minimum
            && n < min
        {
            return Err(format!("{value} is less than {min}"));
        }
        if let Some(max) = self.maximum
            && n > max
        {
            return Err(format!("{value} is more than {max}"));
        }
        Ok(())
    }

    /// The `enum` rule.
    fn check_enum(&self, value: &str) -> Result<(), String> {
        if !self.enum_values.is_empty() && !self.enum_values.contains(&value) {
            return Err(format!(
                "`{value}` is not one of {}",
                self.enum_values.join(", ")
            ));
        }
        Ok(())
    }

    /// The `minLength` and `maxLength` rules (in characters).
    fn check_length(&self, value: &str) -> Result<(), String> {
        let length = value.chars().count() as u64;
        if let Some(min) = self.min_length
            && length < min
        {
            return Err(format!("`{value}` is shorter than {min} characters"));
        }
        if let Some(max) = self.max_length
            && length > max
        {
            return Err(format!("`{value}` is longer than {max} characters"));
        }
        Ok(())
    }

    /// The `format` rule, for the formats whose text form is fixed (`int32`, `int64`, `date`,
    /// `email`, `ip`, `ipv4`); others (`uri`, `uuid`, `password`, ...) are left to the server,
    /// which is lenient with them (7digital's basket ids are not always UUIDs).
    fn check_format(&self, value: &str) -> Result<(), String> {
        let ok = match self.format {
            Some("int32") => value.parse::<i32>().is_ok(),
            Some("int64") if self.kind == ParamKind::Integer => value.parse::<i64>().is_ok(),
            Some("date") => is_date(value),
            Some("email") => is_email(value),
            Some("ip") => value.parse::<std::net::IpAddr>().is_ok(),
            Some("ipv4") => value.parse::<std::net::Ipv4Addr>().is_ok(),
            _ => true,
        };
        match (ok, self.format) {
            (false, Some(format)) => Err(format!("`{value}` is not a valid {format}")),
            _ => Ok(()),
        }
    }
}

/// A `pattern` of the catalogue, compiled on first use and kept for the life of the process:
/// checks run before every call, and compiling costs more than matching. The generated
/// catalogue has one `static` per distinct pattern; no lock is taken once it is compiled.
pub struct Pattern(LazyLock<Option<regex_lite::Regex>>);

impl Pattern {
    /// A pattern compiled by `compile` when first used.
    pub const fn new(compile: fn() -> Option<regex_lite::Regex>) -> Self {
        Pattern(LazyLock::new(compile))
    }

    /// Compiles `pattern`: `None` when this crate cannot read it (the pattern is then not
    /// applied, and the server decides).
    pub fn compile(pattern: &str) -> Option<regex_lite::Regex> {
        regex_lite::Regex::new(pattern).ok()
    }

    /// The compiled expression (compiling it now if this is its first use).
    pub fn regex(&self) -> Option<&regex_lite::Regex> {
        self.0.as_ref()
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pattern(..)")
    }
}

/// The same static: a generated catalogue has one per distinct pattern.
impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// An address with a local part, one `@` and a domain, no spaces (`format: email`; what the
/// mailbox accepts is the server's to say).
fn is_email(value: &str) -> bool {
    match value.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !value.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// `YYYY-MM-DD` with a month and day in range.
fn is_date(value: &str) -> bool {
    let b = value.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) {
        return false;
    }
    if !digits(8..10) {
        return false;
    }
    let month = (b[5] - b'0') * 10 + (b[6] - b'0');
    let day = (b[8] - b'0') * 10 + (b[9] - b'0');
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyEncoding {
    /// `application/x-www-form-urlencoded`
    Form,
    /// JSON
    Json,
    /// Raw bytes of the declared media type.
    Raw,
}

/// The request body of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyInfo {
    /// The media type sent as `Content-Type`.
    pub media_type: &'static str,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// Whether the call needs a body.
    pub required: bool,
}

/// One operation of the API.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Operation {
    /// The spec's `operationId` (`searchReleases`).
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, relative to the base URL (`/users/{id}/update`).
    pub path: &'static str,
    /// The spec's tags.
    pub tags: &'static [&'static str],
    /// The spec's summary (may be empty).
    pub summary: &'static str,
    /// The spec's description (may be empty).
    pub description: &'static str,
    /// The names of the security schemes that authorise it (alternatives).
    pub security: &'static [&'static str],
    /// How it must be authorised: the strongest level its security schemes declare
    /// (`x-sevendigital-auth-level`), decided when generating.
    pub auth: AuthLevel,
    /// Whether its document marks it `x-sevendigital-never-retry`: it changes state at
    /// 7digital although its method is idempotent (a retry could create a second basket, add
    /// an item twice, log a second sale or exchange a request token twice).
    pub never_retry: bool,
    /// Path, query and header parameters, then body fields, in the spec's order.
    pub params: &'static [Param],
    /// The request body, if any.
    pub body: Option<BodyInfo>,
    /// The HTTP status of a success.
    pub success_status: u16,
    /// The HTTP statuses of the error answers the document lists (each in 7digital's error
    /// envelope, `ErrorResponse`), in order; empty when it lists none.
    pub error_statuses: &'static [u16],
    /// The operation's own server, when its document gives it one apart from the API's (the
    /// download-service files): the client sends it to its download URL
    /// ([`ClientBuilder::download_url`](crate::ClientBuilder::download_url)).
    pub server: Option<&'static str>,
}

/// How a call must be authorised (7digital's three levels of OAuth 1.0a).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuthLevel {
    /// No authorisation at all (no operation of the 7digital spec is at this level).
    None,
    /// The partner's consumer key only (scheme `oauth1`, the spec's default): catalogue calls.
    ConsumerKey,
    /// Signed with the consumer key and secret (scheme `oauth1_two_legged`): partner-scoped calls.
    TwoLegged,
    /// Signed with the consumer credentials and a user's access token and secret
    /// (scheme `oauth1_three_legged`): calls on a user's behalf.
    ThreeLegged,
}

impl Operation {
    /// The authorisation level ([`Operation::auth`]).
    pub fn auth_level(&self) -> AuthLevel {
        self.auth
    }

    /// Whether the call may be retried automatically: its HTTP method is idempotent and its
    /// document does not mark it `x-sevendigital-never-retry`.
    pub fn safe_to_retry(&self) -> bool {
        self.method.is_idempotent() && !self.never_retry
    }

    /// The media type of its answer when that is a file (a download), not a document to decode.
    pub fn file_answer(&self) -> Option<&'static str> {
        FILE_ANSWERS
            .iter()
            .find(|(id, _)| *id == self.id)
            .map(|(_, media_type)| *media_type)
    }

    /// The parameter or body field called `name` (its wire name).
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// The operation whose `operationId` is `id`.
pub fn find(id: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().copied().find(|op| op.id == id)
}

#[cfg(test)]
mod tests {
    use super::Param;

    fn with_pattern(pattern: &'static str) -> Param {
        Param {
            name: "country",
            pattern: Some(pattern),
            ..Param::DEFAULT
        }
    }

    #[test]
    fn a_pattern_refuses_what_it_does_not_match_every_time() {
        let param = with_pattern("^[A-Za-z]{2}$");
        for _ in 0..2 {
            assert_eq!(param.check("GB"), Ok(()));
            assert_eq!(
                param.check("GBR"),
                Err("`GBR` does not have the expected form (pattern `^[A-Za-z]{2}$`)".to_string())
            );
        }
    }

    #[test]
    fn an_unreadable_pattern_is_left_to_the_server() {
        let param = with_pattern("(?<=x)y");
        assert_eq!(param.check("anything"), Ok(()));
    }

    #[test]
    fn an_unanchored_pattern_matches_anywhere() {
        let param = with_pattern("\\S");
        assert_eq!(param.check("  a "), Ok(()));
        assert!(param.check("   ").is_err());
    }
}
