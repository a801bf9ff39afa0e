//! MCP resources and completions, derived from the catalogue.
//!
//! - **Resource templates**: every read-only `GET` tool signed with the consumer key alone whose
//!   one required parameter is the id of the thing its path names (`releaseId` for
//!   `/release/...`) becomes a template: `sevendigital://{kind}/{id}/{rest}` with its optional
//!   parameters as a query (`/release/tracks` → `sevendigital://release/{releaseId}/tracks{?...}`;
//!   a `details` segment is left out, so `/release/details` is `sevendigital://release/{releaseId}`).
//!   Reading one calls the operation through the gateway's dispatch and answers its JSON.
//! - **Listed resources**: the vocabularies of the catalogue's parameters
//!   (`sevendigital://vocabulary/{parameter}`: each enum's values, and the ISO 3166-1 alpha-2
//!   codes for `country`), answered without any call, and the parameterless read-only
//!   operations (`sevendigital://tag`, `sevendigital://countries`, ...), which make one call.
//! - **Completions**: the values of a template variable or of a tool argument (a `ref/prompt`
//!   naming the tool: MCP has no tool reference), from the parameter's enum or, for
//!   `country`, the ISO codes; prefix-filtered (ignoring case), at most [`MAX_COMPLETIONS`].

use std::sync::OnceLock;

use serde_json::{Map, Value, json};

use super::tools::{self, Source, ToolDef};
use crate::catalogue::{AuthLevel, Method, Param, ParamKind, ParamLocation};

/// The URI scheme of the gateway's resources.
pub const SCHEME: &str = "sevendigital://";
/// The media type every resource is answered in.
pub const JSON_MIME: &str = "application/json";
/// Resources per page of `resources/list` (and templates per page of `resources/templates/list`).
pub const PAGE_SIZE: usize = 50;
/// Most values one completion answers (the MCP limit).
pub const MAX_COMPLETIONS: usize = 100;
/// The first segment of the vocabulary resources.
pub const VOCABULARY: &str = "vocabulary";

/// ISO 3166-1 alpha-2: the officially assigned country codes, the values of every `country`.
pub const COUNTRY_CODES: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// The parameter whose values are [`COUNTRY_CODES`].
pub const COUNTRY: &str = "country";

/// One operation read as a resource: a template when it takes an id or a query, else a listed
/// resource.
#[derive(Debug)]
pub struct ResourceOp {
    /// The tool it calls.
    pub tool: &'static ToolDef,
    /// The first segment of its URI (`release`).
    pub kind: String,
    /// The id variable, the second segment, if any.
    pub id: Option<&'static Param>,
    /// The segments after it, kebab-cased (`tracks`, `top-tracks`).
    pub rest: Vec<String>,
    /// The optional parameters, as query variables.
    pub query: Vec<&'static Param>,
}

impl ResourceOp {
    /// Whether it has variables (so is a template, not a listed resource).
    pub fn is_template(&self) -> bool {
        self.id.is_some() || !self.query.is_empty()
    }

    /// Its RFC 6570 URI template (`sevendigital://release/{releaseId}/tracks{?page,pageSize}`);
    /// for a listed resource, its URI.
    pub fn uri_template(&self) -> String {
        let mut uri = format!("{SCHEME}{}", self.kind);
        if let Some(id) = self.id {
            uri.push_str(&format!("/{{{}}}", id.name));
        }
        for segment in &self.rest {
            uri.push('/');
            uri.push_str(segment);
        }
        if !self.query.is_empty() {
            let names: Vec<&str> = self.query.iter().map(|p| p.name).collect();
            uri.push_str(&format!("{{?{}}}", names.join(",")));
        }
        uri
    }

    /// The variable called `name`.
    pub fn variable(&self, name: &str) -> Option<&'static Param> {
        self.id
            .into_iter()
            .chain(self.query.iter().copied())
            .find(|p| p.name == name)
    }

    /// The id's value when `segments` (decoded) are this resource's path, or `Some(None)` when
    /// it has no id and they match; `None` when they do not match.
    fn match_path(&self, segments: &[String]) -> Option<Option<String>> {
        let (first, tail) = segments.split_first()?;
        if *first != self.kind {
            return None;
        }
        let (id, tail) = match self.id {
            Some(_) => {
                let (id, tail) = tail.split_first()?;
                if id.is_empty() {
                    return None;
                }
                (Some(id.clone()), tail)
            }
            None => (None, tail),
        };
        (tail == self.rest.as_slice()).then_some(id)
    }
}

/// The literal segments of `op`'s path, or `None` when it has a path parameter other than `id`.
fn literal_segments(path: &str, id: Option<&str>) -> Option<Vec<String>> {
    let mut literals = Vec::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if Some(name) != id {
                return None;
            }
        } else {
            literals.push(tools::kebab(segment));
        }
    }
    Some(literals)
}

/// `tool` as a resource, when it is one (see the module documentation).
fn derive(tool: &'static ToolDef) -> Option<ResourceOp> {
    let op = tool.op;
    let readable = tool.source == Source::Spec
        && tool.hints.read_only
        && !tool.gated
        && op.method == Method::Get
        && op.auth_level() == AuthLevel::ConsumerKey
        && op.body.is_none()
        && op
            .params
            .iter()
            .all(|p| p.location != ParamLocation::Header);
    if !readable {
        return None;
    }
    let required: Vec<&'static Param> = op.params.iter().filter(|p| p.required).collect();
    let query: Vec<&'static Param> = op.params.iter().filter(|p| !p.required).collect();
    match required.as_slice() {
        // A parameterless operation: a listed resource.
        [] if query.is_empty() => {
            let mut literals = literal_segments(op.path, None)?;
            if literals.is_empty() {
                return None;
            }
            let kind = literals.remove(0);
            Some(ResourceOp {
                tool,
                kind,
                id: None,
                rest: literals,
                query,
            })
        }
        [id] if matches!(id.kind, ParamKind::String | ParamKind::Integer)
            && matches!(id.location, ParamLocation::Path | ParamLocation::Query) =>
        {
            let mut literals = literal_segments(op.path, Some(id.name))?;
            if literals.is_empty() {
                return None;
            }
            let kind = literals.remove(0);
            // The id of the thing the path names: `releaseId` under `/release`.
            if id.name != format!("{kind}Id") {
                return None;
            }
            literals.retain(|s| s != "details");
            Some(ResourceOp {
                tool,
                kind,
                id: Some(id),
                rest: literals,
                query,
            })
        }
        _ => None,
    }
}

/// Every operation read as a resource, in catalogue order; an operation whose URI an earlier
/// one already has is left out.
pub fn all() -> &'static [ResourceOp] {
    static ALL: OnceLock<Vec<ResourceOp>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut out: Vec<ResourceOp> = Vec::new();
        for resource in tools::all().iter().filter_map(derive) {
            let template = resource.uri_template();
            if resource.kind != VOCABULARY && !out.iter().any(|r| r.uri_template() == template) {
                out.push(resource);
            }
        }
        out
    })
}

/// The templates: the resources with variables.
pub fn templates() -> impl Iterator<Item = &'static ResourceOp> {
    all().iter().filter(|r| r.is_template())
}

/// A parameter's vocabulary: its values and the tools taking it.
#[derive(Debug, Clone, PartialEq)]
pub struct Vocabulary {
    /// The parameter's wire name.
    pub name: &'static str,
    /// Its values, in the catalogue's order.
    pub values: Vec<&'static str>,
    /// The tools with a parameter of that name.
    pub tools: Vec<String>,
}

impl Vocabulary {
    /// Its URI (`sevendigital://vocabulary/period`).
    pub fn uri(&self) -> String {
        format!("{SCHEME}{VOCABULARY}/{}", self.name)
    }

    /// Its JSON.
    pub fn json(&self) -> Value {
        json!({
            "parameter": self.name,
            "values": self.values,
            "tools": self.tools,
        })
    }
}

/// The values a parameter takes: [`COUNTRY_CODES`] for `country`, else its enum.
pub fn values_of(param: &Param) -> &'static [&'static str] {
    if param.name == COUNTRY {
        COUNTRY_CODES
    } else {
        param.enum_values
    }
}

/// Every parameter name with a vocabulary, sorted by name; a name with several enums gets the
/// union of their values.
pub fn vocabularies() -> &'static [Vocabulary] {
    static ALL: OnceLock<Vec<Vocabulary>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut out: Vec<Vocabulary> = Vec::new();
        for tool in tools::all() {
            for p in tool.op.params {
                let values = values_of(p);
                if values.is_empty() {
                    continue;
                }
                let index = match out.iter().position(|v| v.name == p.name) {
                    Some(i) => i,
                    None => {
                        out.push(Vocabulary {
                            name: p.name,
                            values: Vec::new(),
                            tools: Vec::new(),
                        });
                        out.len() - 1
                    }
                };
                let vocabulary = &mut out[index];
                for value in values {
                    if !vocabulary.values.contains(value) {
                        vocabulary.values.push(value);
                    }
                }
                if !vocabulary.tools.contains(&tool.name) {
                    vocabulary.tools.push(tool.name.clone());
                }
            }
        }
        out.sort_by_key(|v| v.name);
        out
    })
}

/// One listed resource.
#[derive(Debug, Clone, Copy)]
pub enum Listed {
    /// A vocabulary, answered without a call.
    Vocabulary(&'static Vocabulary),
    /// A parameterless operation.
    Operation(&'static ResourceOp),
}

impl Listed {
    /// Its URI.
    pub fn uri(&self) -> String {
        match self {
            Listed::Vocabulary(v) => v.uri(),
            Listed::Operation(r) => r.uri_template(),
        }
    }

    /// Its programmatic name.
    pub fn name(&self) -> String {
        match self {
            Listed::Vocabulary(v) => format!("{VOCABULARY}-{}", v.name),
            Listed::Operation(r) => r.tool.name.clone(),
        }
    }

    /// A one-line description.
    pub fn description(&self) -> String {
        match self {
            Listed::Vocabulary(v) if v.name == COUNTRY => {
                "The values of `country`: ISO 3166-1 alpha-2 country codes (no call is made)."
                    .to_string()
            }
            Listed::Vocabulary(v) => format!(
                "The values of `{}` ({}; no call is made).",
                v.name,
                v.values.join(", ")
            ),
            Listed::Operation(r) => describe(r),
        }
    }
}

/// What a resource of `r` is: the operation's summary and the call it makes.
pub fn describe(r: &ResourceOp) -> String {
    let op = r.tool.op;
    let what = if op.description.is_empty() {
        op.summary
    } else {
        op.description
    };
    format!(
        "{what} Reading it calls {} {} (tool {}).",
        op.method, op.path, r.tool.name
    )
}

/// Every listed resource: the vocabularies, then the parameterless operations.
pub fn listed() -> Vec<Listed> {
    vocabularies()
        .iter()
        .map(Listed::Vocabulary)
        .chain(
            all()
                .iter()
                .filter(|r| !r.is_template())
                .map(Listed::Operation),
        )
        .collect()
}

/// The page of `items` at `cursor` (an offset, as text; none: the first page) and the next
/// page's cursor.
///
/// # Errors
///
/// The reason, when the cursor is not one this server handed out.
pub fn page<T: Clone>(
    items: &[T],
    cursor: Option<&str>,
    size: usize,
) -> Result<(Vec<T>, Option<String>), String> {
    let start = match cursor {
        None => 0,
        Some(c) => c
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= items.len())
            .ok_or_else(|| "unknown cursor".to_string())?,
    };
    let end = (start + size.max(1)).min(items.len());
    let next = (end < items.len()).then(|| end.to_string());
    Ok((items[start..end].to_vec(), next))
}

/// What a URI reads.
#[derive(Debug)]
pub enum Target {
    /// A vocabulary.
    Vocabulary(&'static Vocabulary),
    /// A call of the resource's tool with these arguments.
    Call(&'static ResourceOp, Map<String, Value>),
}

/// Why a URI cannot be read.
#[derive(Debug, PartialEq, Eq)]
pub enum UriError {
    /// No resource has that URI.
    NotFound,
    /// The resource exists but the query is not one it takes: the reason.
    Invalid(String),
}

/// Percent-decodes `s`.
fn decode(s: &str) -> Result<String, UriError> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| UriError::Invalid("the URI is not UTF-8 once decoded".to_string()))
}

/// What `uri` reads.
///
/// # Errors
///
/// [`UriError::NotFound`] when no resource has that URI; [`UriError::Invalid`] for a query
/// parameter the resource does not take, or given twice.
pub fn resolve(uri: &str) -> Result<Target, UriError> {
    let rest = uri.strip_prefix(SCHEME).ok_or(UriError::NotFound)?;
    let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    };
    let segments = path.split('/').map(decode).collect::<Result<Vec<_>, _>>()?;
    if let [first, name] = segments.as_slice()
        && first == VOCABULARY
    {
        if query.is_some() {
            return Err(UriError::Invalid("a vocabulary takes no query".to_string()));
        }
        return vocabularies()
            .iter()
            .find(|v| v.name == name)
            .map(Target::Vocabulary)
            .ok_or(UriError::NotFound);
    }
    let (resource, id) = all()
        .iter()
        .find_map(|r| r.match_path(&segments).map(|id| (r, id)))
        .ok_or(UriError::NotFound)?;
    let mut args = Map::new();
    if let (Some(param), Some(id)) = (resource.id, id) {
        args.insert(param.name.to_string(), Value::String(id));
    }
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let Some(param) = resource.query.iter().find(|p| p.name == key) else {
            return Err(UriError::Invalid(format!(
                "`{}` is not a query parameter of {}",
                crate::text::escape_cut(&key, 40),
                resource.uri_template()
            )));
        };
        if args
            .insert(param.name.to_string(), Value::String(value.into_owned()))
            .is_some()
        {
            return Err(UriError::Invalid(format!(
                "`{}` is given twice",
                param.name
            )));
        }
    }
    Ok(Target::Call(resource, args))
}

/// The completion of `prefix` among `values`: the matching values (ignoring case), at most
/// [`MAX_COMPLETIONS`], and how many match.
pub fn complete_values(values: &[&str], prefix: &str) -> (Vec<String>, usize) {
    let prefix = prefix.to_lowercase();
    let matching: Vec<String> = values
        .iter()
        .filter(|v| v.to_lowercase().starts_with(&prefix))
        .map(|v| v.to_string())
        .collect();
    let total = matching.len();
    (matching.into_iter().take(MAX_COMPLETIONS).collect(), total)
}

/// The parameter of template `uri_template` called `name`.
pub fn template_variable(uri_template: &str, name: &str) -> Option<&'static Param> {
    templates()
        .find(|r| r.uri_template() == uri_template)
        .and_then(|r| r.variable(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template_of(tool: &str) -> String {
        all()
            .iter()
            .find(|r| r.tool.name == tool)
            .map(ResourceOp::uri_template)
            .unwrap_or_else(|| panic!("{tool} is no resource"))
    }

    #[test]
    fn templates_are_derived_from_the_catalogue() {
        assert_eq!(
            template_of("get-release-details"),
            "sevendigital://release/{releaseId}{?country}"
        );
        assert_eq!(
            template_of("get-release-tracks"),
            "sevendigital://release/{releaseId}/tracks"
        );
        assert_eq!(
            template_of("get-artist-details"),
            "sevendigital://artist/{artistId}"
        );
        assert_eq!(
            template_of("get-artist-releases"),
            "sevendigital://artist/{artistId}/releases{?type,page,pageSize}"
        );
        assert_eq!(
            template_of("get-track-details"),
            "sevendigital://track/{trackId}{?country}"
        );
        assert_eq!(template_of("get-countries"), "sevendigital://countries");
        assert_eq!(template_of("get-all-tags"), "sevendigital://tag");
        assert_eq!(
            template_of("get-payment-card-types"),
            "sevendigital://payment/card/type"
        );
        let listed: Vec<String> = listed().iter().map(Listed::uri).collect();
        assert!(listed.contains(&"sevendigital://vocabulary/country".to_string()));
        assert!(listed.contains(&"sevendigital://vocabulary/period".to_string()));
        // Writes, user calls, searches and downloads are no resources.
        for tool in [
            "search-releases",
            "get-user-locker",
            "purchase-user-item",
            "add-basket-item",
            "create-basket",
            "download-purchased-track",
            "match-release-by-id",
        ] {
            assert!(
                all().iter().all(|r| r.tool.name != tool),
                "{tool} is a resource"
            );
        }
        // Every URI is its own.
        let mut uris: Vec<String> = all().iter().map(ResourceOp::uri_template).collect();
        uris.sort();
        uris.dedup();
        assert_eq!(uris.len(), all().len());
        assert!(templates().count() >= 8, "{uris:?}");
    }

    #[test]
    fn uris_resolve_to_calls_with_their_arguments() {
        let Ok(Target::Call(r, args)) = resolve("sevendigital://release/123/tracks") else {
            panic!("no call");
        };
        assert_eq!(r.tool.name, "get-release-tracks");
        assert_eq!(args.get("releaseId"), Some(&json!("123")));
        let Ok(Target::Call(r, args)) = resolve("sevendigital://release/1%2023?country=GB") else {
            panic!("no call");
        };
        assert_eq!(r.tool.name, "get-release-details");
        assert_eq!(args.get("releaseId"), Some(&json!("1 23")));
        assert_eq!(args.get("country"), Some(&json!("GB")));
        assert!(matches!(
            resolve("sevendigital://release/123?bogus=1"),
            Err(UriError::Invalid(_))
        ));
        assert!(matches!(
            resolve("sevendigital://release/123?country=GB&country=FR"),
            Err(UriError::Invalid(_))
        ));
        assert_eq!(
            resolve("sevendigital://release/123/nothing").err(),
            Some(UriError::NotFound)
        );
        assert_eq!(
            resolve("test://template/1/data").err(),
            Some(UriError::NotFound)
        );
        assert_eq!(
            resolve("sevendigital://release").err(),
            Some(UriError::NotFound)
        );
        let Ok(Target::Vocabulary(v)) = resolve("sevendigital://vocabulary/period") else {
            panic!("no vocabulary");
        };
        assert_eq!(v.values, ["day", "week", "month", "year"]);
    }

    #[test]
    fn vocabularies_cover_enums_and_countries() {
        let names: Vec<&str> = vocabularies().iter().map(|v| v.name).collect();
        for name in ["country", "period", "type"] {
            assert!(names.contains(&name), "{names:?}");
        }
        let country = vocabularies().iter().find(|v| v.name == "country").unwrap();
        assert_eq!(country.values.len(), 249);
        assert!(country.tools.contains(&"get-release-details".to_string()));
    }

    #[test]
    fn completions_are_prefix_filtered_and_capped() {
        let (values, total) = complete_values(COUNTRY_CODES, "g");
        assert!(values.iter().all(|v| v.starts_with('G')));
        assert!(values.contains(&"GB".to_string()));
        assert_eq!(total, values.len());
        let (values, total) = complete_values(COUNTRY_CODES, "");
        assert_eq!(values.len(), MAX_COMPLETIONS);
        assert_eq!(total, 249);
        let p = template_variable(
            "sevendigital://artist/{artistId}/releases{?type,page,pageSize}",
            "type",
        )
        .unwrap();
        assert_eq!(complete_values(values_of(p), "s").0, ["single"]);
    }

    #[test]
    fn pages_follow_cursors() {
        let items: Vec<usize> = (0..7).collect();
        let (first, next) = page(&items, None, 3).unwrap();
        assert_eq!(first, [0, 1, 2]);
        let (second, next) = page(&items, next.as_deref(), 3).unwrap();
        assert_eq!(second, [3, 4, 5]);
        let (last, next) = page(&items, next.as_deref(), 3).unwrap();
        assert_eq!((last, next), (vec![6], None));
        assert!(page(&items, Some("x"), 3).is_err());
        assert!(page(&items, Some("8"), 3).is_err());
    }
}
