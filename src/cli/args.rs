//! [`Args`]: the parameters of one call by wire name, whatever surface they came from (the
//! command line's parsed flags, the gateway's checked JSON or query), read by the generated
//! dispatcher ([`run`](super::run), [`DISPATCH`](super::DISPATCH)).

use std::str::FromStr;

use serde::de::DeserializeOwned;

use crate::Error;

/// The parameters of one call, looked up by their wire name (`pageSize`).
///
/// The values are text, already checked against the catalogue's rules by the surface that
/// read them; [`Args::spelling`] says how that surface names a parameter, so an error raised
/// while building the call names it in the caller's words (`--page-size` on the command line,
/// `pageSize` over REST and MCP).
pub trait Args: Sync {
    /// The values given for parameter `wire`, as text: none when it is absent, several for a
    /// parameter that repeats (an array).
    fn values(&self, wire: &str) -> Vec<String>;

    /// How the caller spells parameter `wire`.
    fn spelling(&self, wire: &str) -> String;
}

/// The command line's flags: flag `--page-size` holds parameter `pageSize`.
impl Args for clap::ArgMatches {
    fn values(&self, wire: &str) -> Vec<String> {
        match self.try_get_many::<String>(wire) {
            Ok(Some(values)) => values.cloned().collect(),
            _ => Vec::new(),
        }
    }

    fn spelling(&self, wire: &str) -> String {
        format!("--{}", kebab(wire))
    }
}

/// `pageSize` → `page-size` (the generator's flag names, for the names it generates).
pub fn kebab(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len() + 4);
    for (i, c) in wire.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('-') {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '_' {
            out.push('-');
        } else {
            out.push(c);
        }
    }
    out
}

/// The single value of parameter `wire`, if given.
///
/// # Errors
///
/// [`Error::InvalidInput`] naming the parameter as the caller spells it when it was given
/// more than once.
pub fn text(args: &dyn Args, wire: &str) -> Result<Option<String>, Error> {
    let mut values = args.values(wire);
    match values.len() {
        0 => Ok(None),
        1 => Ok(values.pop()),
        _ => Err(Error::invalid_input(
            args.spelling(wire),
            "is given more than once",
        )),
    }
}

/// The value of parameter `wire` parsed as `T`, if given.
///
/// # Errors
///
/// [`Error::InvalidInput`] naming the parameter as the caller spells it when it is given more
/// than once or does not parse.
pub fn parsed<T: FromStr>(args: &dyn Args, wire: &str) -> Result<Option<T>, Error> {
    match text(args, wire)? {
        None => Ok(None),
        Some(value) => value.parse::<T>().map(Some).map_err(|_| {
            Error::invalid_input(
                args.spelling(wire),
                format!("`{}` is not valid", crate::text::escape_cut(&value, 40)),
            )
        }),
    }
}

/// Every value of parameter `wire`, parsed as `T` (an array parameter).
///
/// # Errors
///
/// [`Error::InvalidInput`] naming the parameter as the caller spells it when a value does not
/// parse.
pub fn many<T: FromStr>(args: &dyn Args, wire: &str) -> Result<Option<Vec<T>>, Error> {
    let values = args.values(wire);
    if values.is_empty() {
        return Ok(None);
    }
    values
        .iter()
        .map(|value| {
            value.parse::<T>().map_err(|_| {
                Error::invalid_input(
                    args.spelling(wire),
                    format!("`{}` is not valid", crate::text::escape_cut(value, 40)),
                )
            })
        })
        .collect::<Result<Vec<T>, Error>>()
        .map(Some)
}

/// The value of parameter `wire` holding JSON text, decoded as `T`.
///
/// # Errors
///
/// [`Error::InvalidInput`] naming the parameter as the caller spells it when the text is not
/// valid JSON of the right shape.
pub fn json<T: DeserializeOwned>(args: &dyn Args, wire: &str) -> Result<Option<T>, Error> {
    match text(args, wire)? {
        None => Ok(None),
        Some(value) => super::parse_json(&args.spelling(wire), &value).map(Some),
    }
}

/// The value of parameter `wire` as the enum `T`, decoded from its wire text (so a value the
/// document does not list is kept, as the enum's catch-all variant).
///
/// # Errors
///
/// [`Error::InvalidInput`] naming the parameter as the caller spells it when it is given more
/// than once or `T` refuses it.
pub fn choice<T: DeserializeOwned>(args: &dyn Args, wire: &str) -> Result<Option<T>, Error> {
    match text(args, wire)? {
        None => Ok(None),
        Some(value) => serde_json::from_value(serde_json::Value::String(value))
            .map(Some)
            .map_err(|e| Error::invalid_input(args.spelling(wire), e.to_string())),
    }
}

/// The bytes of the file named by parameter `wire` (`--body-file`, a raw request body).
///
/// # Errors
///
/// [`Error::InvalidInput`] when it is given more than once or the file cannot be read.
pub fn file(args: &dyn Args, wire: &str) -> Result<Option<Vec<u8>>, Error> {
    match text(args, wire)? {
        None => Ok(None),
        Some(path) => super::body_file(&path).map(Some),
    }
}

/// The value `read` (one of the readers above) finds for the required parameter `wire`.
///
/// # Errors
///
/// The reader's error, or [`Error::InvalidInput`] naming the parameter as the caller spells
/// it when it is absent.
pub fn require<T>(
    args: &dyn Args,
    wire: &str,
    read: impl FnOnce(&dyn Args, &str) -> Result<Option<T>, Error>,
) -> Result<T, Error> {
    let value = read(args, wire)?;
    required(args, wire, value)
}

/// `value`, or an input error naming parameter `wire` as the caller spells it.
///
/// # Errors
///
/// [`Error::InvalidInput`] when `value` is `None`.
pub fn required<T>(args: &dyn Args, wire: &str, value: Option<T>) -> Result<T, Error> {
    value.ok_or_else(|| Error::invalid_input(args.spelling(wire), "is required"))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Map(Vec<(&'static str, &'static str)>);

    impl Args for Map {
        fn values(&self, wire: &str) -> Vec<String> {
            self.0
                .iter()
                .filter(|(k, _)| *k == wire)
                .map(|(_, v)| v.to_string())
                .collect()
        }
        fn spelling(&self, wire: &str) -> String {
            format!("<{wire}>")
        }
    }

    #[test]
    fn errors_name_the_parameter_as_the_surface_spells_it() {
        let args = Map(vec![("pageSize", "x"), ("page", "1"), ("page", "2")]);
        let e = parsed::<i64>(&args, "pageSize").unwrap_err().to_string();
        assert!(e.contains("<pageSize>"), "{e}");
        let e = parsed::<i64>(&args, "page").unwrap_err().to_string();
        assert!(e.contains("<page>") && e.contains("more than once"), "{e}");
        let e = required::<i64>(&args, "releaseId", None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("<releaseId>"), "{e}");
        assert_eq!(parsed::<i64>(&args, "absent").unwrap(), None);
        assert_eq!(many::<i64>(&args, "page").unwrap(), Some(vec![1, 2]));
    }

    #[test]
    fn command_line_spelling_is_the_flag() {
        assert_eq!(kebab("pageSize"), "page-size");
        assert_eq!(kebab("releaseId"), "release-id");
        assert_eq!(kebab("q"), "q");
    }
}
