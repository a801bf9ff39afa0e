//! The facts a document declares with this project's extensions are decided when generating:
//! `x-sevendigital-auth-level` (security schemes), `x-sevendigital-never-retry`,
//! `x-sevendigital-catalogue-only` and `x-sevendigital-errors` (operations); and every distinct
//! `pattern` gets one lazily compiled static.

use sevendigital_codegen::{Settings, generate};

const DOC: &str = r#"
openapi: 3.0.0
info: {title: Shop, version: '1'}
security: [{plain: []}]
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: code, in: query, schema: {type: string, pattern: '^[A-Z]{2}$'}}
        - {name: other, in: query, schema: {type: string, pattern: '^[A-Z]{2}$'}}
        - {name: digits, in: query, schema: {type: string, pattern: '^[0-9]+$'}}
      responses: {'200': {description: ok}}
  /items/create:
    get:
      operationId: createItem
      x-sevendigital-never-retry: true
      x-sevendigital-errors:
        - {code: 2003, meaning: UserAlreadyExists, input: itemId}
      security: [{signed: []}, {user: []}]
      parameters:
        - {name: itemId, in: query, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
  /token:
    get:
      operationId: getToken
      x-sevendigital-catalogue-only: true
      security: [{signed: []}]
      responses: {'200': {description: ok}}
  /open:
    get:
      operationId: openCall
      security: []
      responses: {'200': {description: ok}}
  /unsaid:
    get:
      operationId: unsaidCall
      security: [{unsaid: []}]
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    plain: {type: apiKey, in: query, name: key, x-sevendigital-auth-level: consumer-key}
    signed: {type: apiKey, in: query, name: key, x-sevendigital-auth-level: two-legged}
    user: {type: apiKey, in: query, name: key, x-sevendigital-auth-level: three-legged}
    unsaid: {type: apiKey, in: query, name: key}
"#;

/// The catalogue entry of `name` (its `pub static NAME: ... = ... };`).
fn entry<'a>(catalogue: &'a str, name: &str) -> &'a str {
    let start = catalogue
        .find(&format!("pub static {name}:"))
        .unwrap_or_else(|| panic!("no entry {name}"));
    let end = catalogue[start..].find("};").unwrap() + start;
    &catalogue[start..end]
}

#[test]
fn declared_facts_are_in_the_generated_code() {
    let files = generate(DOC, &Settings::default()).unwrap();
    let catalogue = files.get("catalogue.rs").unwrap();
    let auth = |name| {
        let e = entry(catalogue, name);
        let at = e.find("AuthLevel::").unwrap() + "AuthLevel::".len();
        e[at..].split(',').next().unwrap().to_string()
    };
    assert_eq!(auth("LIST_ITEMS"), "ConsumerKey");
    // The strongest of the alternatives.
    assert_eq!(auth("CREATE_ITEM"), "ThreeLegged");
    assert_eq!(auth("GET_TOKEN"), "TwoLegged");
    assert_eq!(auth("OPEN_CALL"), "None");
    // A scheme that does not say is signed rather than sent bare.
    assert_eq!(auth("UNSAID_CALL"), "TwoLegged");

    assert!(entry(catalogue, "CREATE_ITEM").contains("never_retry: true"));
    assert!(entry(catalogue, "LIST_ITEMS").contains("never_retry: false"));

    // Catalogue only: an entry, listed apart, and nothing else anywhere.
    let operations = &catalogue[catalogue.find("pub static OPERATIONS").unwrap()..];
    let operations = &operations[..operations.find("];").unwrap()];
    assert!(!operations.contains("GET_TOKEN"), "{operations}");
    assert!(operations.contains("CREATE_ITEM"));
    let only = &catalogue[catalogue.find("pub static CATALOGUE_ONLY").unwrap()..];
    assert!(only[..only.find("];").unwrap()].contains("GET_TOKEN"));
    for file in ["requests.rs", "server.rs", "cli.rs"] {
        let text = files.get(file).unwrap();
        assert!(
            text.contains("create_item")
                || text.contains("create-item")
                || text.contains("CreateItem"),
            "{file}"
        );
        assert!(
            !text.contains("get_token")
                && !text.contains("GetToken")
                && !text.contains("get-token"),
            "{file} has the catalogue-only operation"
        );
    }

    // The error meanings go onto the operation's endpoint, and only there.
    let requests = files.get("requests.rs").unwrap();
    assert_eq!(requests.matches("const ERRORS").count(), 1);
    assert!(requests.contains("Meaning::UserAlreadyExists"));
    assert!(requests.contains("code: Some(2003)"));

    // Three parameters, two distinct patterns: two statics, the shared one used twice.
    assert_eq!(catalogue.matches("static PATTERN_").count(), 2);
    assert_eq!(catalogue.matches("compiled: Some(&PATTERN_0)").count(), 2);
    assert_eq!(catalogue.matches("compiled: Some(&PATTERN_1)").count(), 1);
}

#[test]
fn a_wrong_extension_is_an_error_naming_its_place() {
    let cases = [
        (
            DOC.replace(
                "x-sevendigital-auth-level: two-legged",
                "x-sevendigital-auth-level: four-legged",
            ),
            "components.securitySchemes.signed.x-sevendigital-auth-level",
        ),
        (
            DOC.replace(
                "x-sevendigital-never-retry: true",
                "x-sevendigital-never-retry: 'yes'",
            ),
            "paths./items/create.get.x-sevendigital-never-retry",
        ),
        (
            DOC.replace("input: itemId", "input: itemID"),
            "paths./items/create.get.x-sevendigital-errors[0].input",
        ),
        (
            DOC.replace("meaning: UserAlreadyExists", "meaning: 'not a name'"),
            "paths./items/create.get.x-sevendigital-errors[0].meaning",
        ),
        (
            DOC.replace("code: 2003", "code: two"),
            "paths./items/create.get.x-sevendigital-errors[0].code",
        ),
    ];
    for (doc, place) in cases {
        let error = generate(&doc, &Settings::default()).unwrap_err();
        assert_eq!(error.location(), place, "{error}");
    }
}
