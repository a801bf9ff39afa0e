//! The OAuth 1.0a token flow, which the v1.2 spec does not describe: a request token, the user's
//! authorisation at 7digital, then an access token for calls on the user's behalf. The three
//! steps are described in `spec/7digital-oauth.yml` ([`REQUEST_TOKEN`], [`AUTHORISE`],
//! [`ACCESS_TOKEN`] are its generated catalogue entries); this module adds what a document cannot
//! say: which token signs the exchange, and how the answer's token is read.
//!
//! ```no_run
//! # async fn demo() -> Result<(), sevendigital::Error> {
//! let client = sevendigital::Client::from_env()?;
//! let request_token = client.request_token(Some("https://store.example/callback")).await?;
//! // Send the user here; 7digital redirects back to the callback with `oauth_verifier`.
//! let url = client.authorise_url(&request_token, Some("https://store.example/callback"));
//! # let verifier = "from-the-callback";
//! let access = client.access_token(&request_token, Some(verifier)).await?;
//! let user = client.with_access_token(&access);
//! let locker = user.get_user_locker().send().await?;
//! # let _ = (url, locker); Ok(()) }
//! ```

use quick_xml::events::Event;
use url::Url;

use crate::call::request::Request;
use crate::client::Client;
use crate::error::{Error, snippet};
use crate::oauth::Secret;

/// `GET oauth/requesttoken`, signed with the consumer key and secret (`spec/7digital-oauth.yml`).
pub use crate::catalogue::OAUTH_REQUEST_TOKEN as REQUEST_TOKEN;

/// `GET oauth/accesstoken`, signed with the consumer credentials and the authorised request token
/// (`spec/7digital-oauth.yml`).
pub use crate::catalogue::OAUTH_ACCESS_TOKEN as ACCESS_TOKEN;

/// The page on 7digital's account site where the user authorises a request token
/// (`spec/7digital-oauth.yml`): not an API call, a URL for the user's browser.
pub use crate::catalogue::OAUTH_AUTHORISE as AUTHORISE;

pub use crate::client::DEFAULT_ACCOUNT_URL;

/// A temporary token the user authorises at 7digital.
#[derive(Debug, Clone)]
pub struct RequestToken {
    /// The token (public: it goes in the authorisation URL).
    pub token: String,
    /// The token secret, used to sign the exchange.
    pub secret: Secret,
}

/// A user's access token, for calls on the user's behalf.
#[derive(Debug, Clone)]
pub struct AccessToken {
    /// The token.
    pub token: String,
    /// The token secret.
    pub secret: Secret,
}

impl Client {
    /// Gets a request token (`oauth/requesttoken`), with the URL 7digital sends the user back to.
    ///
    /// # Errors
    ///
    /// As for any call; [`Error::Decode`] when the answer holds no token.
    pub async fn request_token(&self, callback: Option<&str>) -> Result<RequestToken, Error> {
        let mut request = Request::new(&REQUEST_TOKEN);
        if let Some(callback) = callback {
            request.oauth_param(
                protocol_param(&REQUEST_TOKEN, "oauth_callback"),
                callback.into(),
            );
        }
        let body = self.execute_bytes(request).await?;
        let (token, secret) =
            parse_token(&body).ok_or_else(|| no_token(REQUEST_TOKEN.id, &body))?;
        Ok(RequestToken { token, secret })
    }

    /// The page where the user authorises `token` ([`AUTHORISE`] on the account URL):
    /// `{account_url}/{consumer key}/oauth/authorise?oauth_token=...&oauth_callback=...`.
    pub fn authorise_url(&self, token: &RequestToken, callback: Option<&str>) -> Url {
        let mut url = self.account_url().clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty();
            for segment in AUTHORISE.path.split('/').filter(|s| !s.is_empty()) {
                // The one path parameter of the page is the consumer key.
                segments.push(if segment.starts_with('{') {
                    self.consumer_key()
                } else {
                    segment
                });
            }
        }
        {
            let mut query = url.query_pairs_mut();
            query.append_pair(protocol_param(&AUTHORISE, "oauth_token"), &token.token);
            if let Some(callback) = callback {
                query.append_pair(protocol_param(&AUTHORISE, "oauth_callback"), callback);
            }
        }
        url
    }

    /// Exchanges an authorised request token for the user's access token (`oauth/accesstoken`),
    /// with the verifier 7digital passed to the callback, when there is one. Never retried:
    /// a request token can be exchanged once.
    ///
    /// # Errors
    ///
    /// As for any call; [`Error::Decode`] when the answer holds no token.
    pub async fn access_token(
        &self,
        token: &RequestToken,
        verifier: Option<&str>,
    ) -> Result<AccessToken, Error> {
        let mut request = Request::new(&ACCESS_TOKEN);
        if let Some(verifier) = verifier {
            request.oauth_param(
                protocol_param(&ACCESS_TOKEN, "oauth_verifier"),
                verifier.into(),
            );
        }
        let signer = self.with_user_token(token.token.clone(), token.secret.expose());
        let body = signer.execute_bytes(request).await?;
        let (token, secret) = parse_token(&body).ok_or_else(|| no_token(ACCESS_TOKEN.id, &body))?;
        Ok(AccessToken { token, secret })
    }

    /// The same client acting for the user who owns `token`.
    pub fn with_access_token(&self, token: &AccessToken) -> Client {
        self.with_user_token(token.token.clone(), token.secret.expose())
    }
}

/// The name of `operation`'s parameter `name`, as its document declares it (the name is
/// checked against the document by the tests of this module).
fn protocol_param(operation: &crate::catalogue::Operation, name: &'static str) -> &'static str {
    operation.param(name).map_or(name, |p| p.name)
}

fn no_token(operation: &'static str, body: &[u8]) -> Error {
    Error::Decode {
        operation,
        status: 200,
        message: "no oauth_token and oauth_token_secret in the answer".into(),
        snippet: snippet(body),
    }
}

/// Finds `oauth_token` and `oauth_token_secret` in an answer: JSON (at any depth), XML
/// (elements of those names) or `application/x-www-form-urlencoded`.
pub(crate) fn parse_token(body: &[u8]) -> Option<(String, Secret)> {
    let start = body.iter().position(|b| !b.is_ascii_whitespace())?;
    let (token, secret) = match body[start] {
        b'{' => from_json(&serde_json::from_slice(body).ok()?)?,
        b'<' => from_xml(body)?,
        _ => {
            let pairs: Vec<(String, String)> =
                url::form_urlencoded::parse(body).into_owned().collect();
            let find = |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            };
            (find("oauth_token")?, find("oauth_token_secret")?)
        }
    };
    if token.is_empty() || secret.is_empty() {
        return None;
    }
    Some((token, Secret::new(secret)))
}

fn from_json(value: &serde_json::Value) -> Option<(String, String)> {
    let object = value.as_object()?;
    if let (Some(token), Some(secret)) =
        (object.get("oauth_token"), object.get("oauth_token_secret"))
    {
        return Some((token.as_str()?.to_string(), secret.as_str()?.to_string()));
    }
    object.values().find_map(from_json)
}

fn from_xml(body: &[u8]) -> Option<(String, String)> {
    let mut reader = quick_xml::Reader::from_reader(body);
    reader.config_mut().trim_text(true);
    let mut buf = Vec::new();
    let (mut token, mut secret, mut current) = (None, None, None::<Vec<u8>>);
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) => current = Some(e.local_name().as_ref().to_vec()),
            Event::End(_) => current = None,
            Event::Text(t) => {
                let text = t.decode().ok()?.into_owned();
                match current.as_deref() {
                    Some(b"oauth_token") => token = Some(text),
                    Some(b"oauth_token_secret") => secret = Some(text),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Some((token?, secret?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{AuthLevel, Method, ParamLocation};

    #[test]
    fn the_flow_is_the_documents() {
        assert_eq!(
            (REQUEST_TOKEN.method, REQUEST_TOKEN.path),
            (Method::Get, "/oauth/requesttoken")
        );
        assert_eq!(REQUEST_TOKEN.auth_level(), AuthLevel::TwoLegged);
        assert!(REQUEST_TOKEN.safe_to_retry());
        assert_eq!(ACCESS_TOKEN.path, "/oauth/accesstoken");
        assert_eq!(ACCESS_TOKEN.auth_level(), AuthLevel::ThreeLegged);
        assert!(
            !ACCESS_TOKEN.safe_to_retry(),
            "a request token is exchanged once"
        );
        assert_eq!(AUTHORISE.auth_level(), AuthLevel::None);
        assert_eq!(AUTHORISE.server, Some(DEFAULT_ACCOUNT_URL));
        for (op, name) in [
            (&REQUEST_TOKEN, "oauth_callback"),
            (&ACCESS_TOKEN, "oauth_verifier"),
            (&AUTHORISE, "oauth_token"),
            (&AUTHORISE, "oauth_callback"),
        ] {
            let param = op
                .param(name)
                .unwrap_or_else(|| panic!("{}: {name}", op.id));
            assert_eq!(param.location, ParamLocation::Query, "{}: {name}", op.id);
        }
        // Catalogue entries only: no client method, command, route stub or tool.
        for op in [&REQUEST_TOKEN, &ACCESS_TOKEN, &AUTHORISE] {
            assert!(crate::catalogue::find(op.id).is_none(), "{}", op.id);
            assert!(crate::catalogue::CATALOGUE_ONLY.contains(&op), "{}", op.id);
        }
    }

    #[test]
    fn token_answers_in_every_form() {
        let json = br#"{"status":"ok","oauth_request_token":{"oauth_token":"TK","oauth_token_secret":"SC"}}"#;
        let xml = br#"<?xml version="1.0"?><response status="ok"><oauth_access_token><oauth_token>TK</oauth_token><oauth_token_secret>SC</oauth_token_secret></oauth_access_token></response>"#;
        let form = b"oauth_token=TK&oauth_token_secret=SC&oauth_callback_confirmed=true";
        for body in [&json[..], &xml[..], &form[..]] {
            let (token, secret) = parse_token(body).unwrap();
            assert_eq!((token.as_str(), secret.expose()), ("TK", "SC"));
        }
        assert!(parse_token(br#"{"status":"ok"}"#).is_none());
        assert!(parse_token(b"<response><oauth_token>x</oauth_token></response>").is_none());
        assert!(parse_token(b"oauth_token=&oauth_token_secret=").is_none());
        assert!(parse_token(b"").is_none());
    }
}
