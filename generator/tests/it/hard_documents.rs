//! Documents that used to stop the generator (issue 19's failure classes in APIs.guru's
//! directory) now generate, and input no document should have still fails with a located
//! error instead of a panic or a stack overflow.

use sevendigital_codegen::{Settings, generate};

use crate::generates;

#[test]
fn colliding_operation_names_are_told_apart_with_a_warning() {
    let doc = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /users/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get: {operationId: getUser, responses: {'200': {description: ok}}}
    put: {operationId: getUser, responses: {'200': {description: ok}}}
  /users/{id}/again:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get: {operationId: get_user, responses: {'200': {description: ok}}}
  /user~:
    get: {responses: {'200': {description: ok}}}
    post: {operationId: get /user~, responses: {'200': {description: ok}}}
"#;
    let files = generates(doc);
    let requests = files.get("requests.rs").unwrap();
    for method in [
        "pub fn get_user(",
        "pub fn put_users_id(",
        "pub fn get_users_id_again(",
        "pub fn get_user_2(",
        "pub fn post_user(",
    ] {
        assert!(requests.contains(method), "no `{method}` in:\n{requests}");
    }
    // Each rename is reported, naming both places.
    assert_eq!(files.warnings.len(), 4, "{:#?}", files.warnings);
    assert!(
        files.warnings[0].starts_with("paths./users/{id}.put: operation name `getUser` is already used by paths./users/{id}.get"),
        "{:#?}",
        files.warnings
    );
    // Generating again gives the same names (no hash order).
    assert_eq!(generates(doc), files);
}

#[test]
fn references_into_paths_and_properties_resolve() {
    let doc = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /api/a:
    get:
      operationId: a
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Channel'}}}
  /api/b:
    get:
      operationId: b
      responses:
        '200': {$ref: '#/paths/~1api~1a/get/responses/200'}
components:
  schemas:
    Channel:
      type: object
      properties:
        from:
          oneOf: [{type: string, format: date-time}, {type: integer}]
        to: {$ref: '#/components/schemas/Channel/properties/from/oneOf/0'}
    Alias: {$ref: '#/components/schemas/Channel'}
    User:
      type: object
      properties:
        channel: {$ref: '#/components/schemas/Alias'}
"##;
    let files = generates(doc);
    let models = files.get("models.rs").unwrap();
    assert!(
        models.contains("pub channel: ::std::option::Option<Channel>"),
        "{models}"
    );
    assert!(
        models.contains("pub to: ::std::option::Option<::std::string::String>"),
        "{models}"
    );
    let requests = files.get("requests.rs").unwrap();
    assert!(requests.contains("pub fn b("), "{requests}");
}

#[test]
fn json_documents_are_read_as_json() {
    // A bound past i64 and control characters in strings: valid JSON the YAML parser refused.
    let doc = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\\u0007\", \"version\": \"1\"}, \"paths\": {}, \
        \"components\": {\"schemas\": {\"Big\": {\"type\": \"integer\", \"maximum\": 99999999999999999999999, \
        \"description\": \"tab\\there, bell\\u0007, cr\\r\"}}}}";
    let files = generates(doc);
    assert!(
        files
            .get("models.rs")
            .unwrap()
            .contains("pub type Big = i64;")
    );
    let err = generate(
        "{\"openapi\": \"3.0.3\",\n  \"info\": }",
        &Settings::default(),
    )
    .unwrap_err();
    assert_eq!(err.location(), "line 2 column 11", "{err}");
}

#[test]
fn deep_documents_fail_with_a_located_error_not_a_stack_overflow() {
    for depth in [200, 5_000, 100_000] {
        let mut schema = String::from("{\"type\": \"string\"}");
        // Build iteratively: the test itself must not recurse.
        let mut text = String::with_capacity(depth * 40);
        for _ in 0..depth {
            text.push_str("{\"type\": \"array\", \"items\": ");
        }
        text.push_str(&schema);
        for _ in 0..depth {
            text.push('}');
        }
        schema = text;
        let json = format!(
            "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"Deep\": {schema}}}}}}}"
        );
        let err = generate(&json, &Settings::default()).unwrap_err();
        assert!(err.location().starts_with("line 1 column"), "{err}");
        assert!(err.message().contains("recursion limit"), "{err}");
        let yaml = json.replace("\"openapi\": \"3.0.3\",", "\"openapi\": \"3.0.3\",\n");
        let yaml = format!("# YAML\n{yaml}");
        let started = std::time::Instant::now();
        let err = generate(&yaml, &Settings::default()).unwrap_err();
        assert!(err.location().starts_with("line"), "{err}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{depth} levels of YAML took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn moderately_deep_documents_still_generate() {
    let mut schema = String::from("{\"type\": \"string\"}");
    for _ in 0..40 {
        schema = format!("{{\"type\": \"array\", \"items\": {schema}}}");
    }
    let json = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"Deep\": {schema}}}}}}}"
    );
    let files = generates(&json);
    assert!(files.get("models.rs").unwrap().contains("pub type Deep ="));
}

#[test]
fn a_request_body_without_media_types_is_no_body() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      operationId: send\n      requestBody: {content: {}}\n      responses: {'204': {description: done}}\n";
    let files = generates(doc);
    assert!(files.get("requests.rs").unwrap().contains("pub fn send("));
}
