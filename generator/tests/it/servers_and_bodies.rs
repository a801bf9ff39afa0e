//! Server variables take their defaults; a body offered as a form and as JSON goes as the one
//! its schema fits; a raw body comes from a file in the CLI, required when the document says so.

use sevendigital_codegen::{Settings, generate};

const DOC: &str = r#"
openapi: 3.0.0
info: {title: B, version: '1'}
servers:
  - url: 'https://{region}.example.com/{version}'
    variables:
      region: {default: eu, enum: [eu, us]}
      version: {default: v2}
paths:
  /flat:
    post:
      operationId: postFlat
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/Flat'}
          application/json:
            schema: {$ref: '#/components/schemas/Flat'}
      responses: {'204': {description: ok}}
  /nested:
    post:
      operationId: postNested
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/Nested'}
          application/json:
            schema: {$ref: '#/components/schemas/Nested'}
      responses: {'204': {description: ok}}
  /upload:
    put:
      operationId: upload
      requestBody:
        required: true
        content:
          application/octet-stream:
            schema: {type: string, format: binary}
      responses: {'204': {description: ok}}
components:
  schemas:
    Flat:
      type: object
      properties:
        name: {type: string}
        tags: {type: array, items: {type: string}}
    Nested:
      type: object
      properties:
        name: {type: string}
        owner: {$ref: '#/components/schemas/Flat'}
"#;

fn entry<'a>(catalogue: &'a str, id: &str) -> &'a str {
    let start = catalogue.find(&format!("id: \"{id}\"")).unwrap();
    let end = catalogue[start..].find("};").unwrap();
    &catalogue[start..start + end]
}

#[test]
fn server_variables_bodies_and_raw_bodies() {
    let files = generate(DOC, &Settings::default()).unwrap();
    let catalogue = files.get("catalogue.rs").unwrap();
    assert!(
        catalogue.contains(r#"DEFAULT_SERVER: Option<&str> = Some("https://eu.example.com/v2")"#),
        "{catalogue}"
    );
    // Form when it can carry the schema; JSON when the schema nests an object.
    assert!(entry(catalogue, "postFlat").contains("BodyEncoding::Form"));
    assert!(entry(catalogue, "postNested").contains("BodyEncoding::Json"));
    // A required raw body: a required --body-file in the CLI (the runtime makes the flag from
    // the catalogue's raw, required body), read before sending.
    let cli = files.get("cli.rs").unwrap();
    assert!(
        cli.contains(r#"cli::args::require(args, "body-file", cli::args::file)?"#),
        "{cli}"
    );
    assert!(!cli.contains("Vec::new()"), "no empty body sent");
}
