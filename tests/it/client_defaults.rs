//! Client-wide default parameters: set once on the builder, sent where they apply, overridden
//! per call, checked when the client is built.

use sevendigital::{Client, Error, catalogue};

fn client() -> Client {
    Client::builder()
        .base_url("http://127.0.0.1:9")
        .consumer("key", "secret")
        .default_param("country", "GB")
        .default_param("shopId", "34")
        .default_param("usageTypes", "download")
        .build()
        .unwrap()
}

/// The query of a URL, without the OAuth parameters.
fn query(url: &str) -> Vec<(String, String)> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .filter(|(k, _)| !k.starts_with("oauth_"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn defaults_are_sent_where_they_apply_and_calls_override_them() {
    let client = client();
    let url = client.search_releases("x").presigned_url(None).unwrap();
    assert_eq!(
        query(&url),
        pairs(&[
            ("q", "x"),
            ("country", "GB"),
            ("shopId", "34"),
            ("usageTypes", "download")
        ])
    );
    // The call's own value wins, and is not sent twice.
    let url = client
        .search_releases("x")
        .country("US")
        .presigned_url(None)
        .unwrap();
    assert_eq!(
        query(&url),
        pairs(&[
            ("q", "x"),
            ("country", "US"),
            ("shopId", "34"),
            ("usageTypes", "download")
        ])
    );
    // An operation that does not take `country` (while others do) does not get it; the
    // parameters no operation declares go everywhere.
    let op = catalogue::find("getAllTags").unwrap();
    assert!(op.param("country").is_none());
    let url = client.get_all_tags().presigned_url(None).unwrap();
    assert_eq!(
        query(&url),
        pairs(&[("shopId", "34"), ("usageTypes", "download")])
    );
    // Without defaults, nothing is added.
    let bare = Client::builder()
        .base_url("http://127.0.0.1:9")
        .consumer("key", "secret")
        .build()
        .unwrap();
    let url = bare.search_releases("x").presigned_url(None).unwrap();
    assert_eq!(query(&url), pairs(&[("q", "x")]));
}

#[test]
fn a_default_is_checked_when_the_client_is_built() {
    let err = Client::builder()
        .consumer("key", "secret")
        .default_param("country", "GBR")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("`country`"), "{err}");
    assert!(err.to_string().contains("longer than 2"), "{err}");
    let err = Client::builder()
        .consumer("key", "secret")
        .default_param("oauth_token", "x")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    // Setting a name again replaces it.
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .consumer("key", "secret")
        .default_param("country", "GB")
        .default_param("country", "FR")
        .build()
        .unwrap();
    let url = client.search_releases("x").presigned_url(None).unwrap();
    assert_eq!(query(&url), pairs(&[("q", "x"), ("country", "FR")]));
    assert!(format!("{client:?}").contains("FR"));
}
