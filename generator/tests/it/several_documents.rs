//! Several documents generate one API: operations side by side, shared types once, two
//! operations on one path told apart, an operation on its own server, clashes reported.

use sevendigital_codegen::{Document, Settings, generate_documents};

const SHOP: &str = r#"
openapi: 3.0.0
info: {title: Shop, version: '1'}
servers: [{url: 'https://shop.example/v1'}]
paths:
  /item:
    get:
      operationId: getItem
      parameters:
        - {name: itemId, in: query, required: true, schema: {type: string}}
      responses:
        '200':
          description: an item
          content: {application/json: {schema: {$ref: '#/components/schemas/Status'}}}
components:
  schemas:
    Status:
      type: object
      required: [status]
      properties: {status: {type: string}}
"#;

const PARTNER: &str = r#"
openapi: 3.0.0
info: {title: Partner, version: '1'}
paths:
  /item:
    get:
      operationId: getPartnerItem
      parameters:
        - {name: partnerId, in: query, required: true, schema: {type: string, pattern: '^[0-9]+$'}}
      responses:
        '200':
          description: the partner's item
          content: {application/json: {schema: {$ref: '#/components/schemas/Status'}}}
  /files/{id}:
    servers: [{url: 'https://files.example'}]
    get:
      operationId: getFile
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: the file
          content: {application/zip: {schema: {type: string, format: binary}}}
components:
  schemas:
    Status:
      type: object
      required: [status]
      properties: {status: {type: string}}
"#;

fn documents<'a>(first: &'a str, second: &'a str) -> [Document<'a>; 2] {
    [
        Document {
            name: "shop.yml",
            text: first,
            overlays: &[],
        },
        Document {
            name: "partner.yml",
            text: second,
            overlays: &[],
        },
    ]
}

#[test]
fn operations_of_both_documents_are_generated_once_each() {
    let files = generate_documents(&documents(SHOP, PARTNER), &Settings::default()).unwrap();
    let requests = files.get("requests.rs").unwrap();
    assert!(requests.contains("pub fn get_item("));
    assert!(requests.contains("pub fn get_partner_item("));
    assert!(requests.contains("pub fn get_file("));
    let models = files.get("models.rs").unwrap();
    assert_eq!(
        models.matches("pub struct Status {").count(),
        1,
        "shared type once"
    );

    let catalogue = files.get("catalogue.rs").unwrap();
    assert!(
        catalogue.contains(r#"pattern: Some("^[0-9]+$")"#),
        "{catalogue}"
    );
    assert!(catalogue.contains(r#"server: Some("https://files.example")"#));
    assert!(
        catalogue.contains(r#"FILE_ANSWERS: &[(&str, &str)] = &[("getFile", "application/zip")]"#)
    );
    assert!(
        catalogue.contains(r#"DEFAULT_SERVER: Option<&str> = Some("https://shop.example/v1")"#)
    );

    // One route for `GET /item`, choosing between the two operations.
    let server = files.get("server.rs").unwrap();
    assert_eq!(server.matches(r#""/item","#).count(), 1, "{server}");
    assert!(server.contains("async fn choose_get_item_or_get_partner_item<A: Api>("));
    assert!(server.contains("&[&catalogue::GET_ITEM, &catalogue::GET_PARTNER_ITEM]"));
    assert!(server.contains("0 => handle_get_item::<A>(state, context).await,"));
    assert!(server.contains("_ => handle_get_partner_item::<A>(state, context).await,"));
    // The file's answer is the implementation's own response (streamed, ranges).
    assert!(server.contains("Result<axum::response::Response, server::ServerError>"));
    assert!(server.contains("server::respond_raw(api.get_file(input, context).await)"));
    // The command line hands a file's call back to the caller, unsent.
    let cli = files.get("cli.rs").unwrap();
    assert!(cli.contains("Ok(cli::Prepared::new(request.into_call()))"));
}

#[test]
fn clashes_between_documents_are_errors_naming_the_document() {
    let same_name = PARTNER.replace("getPartnerItem", "getItem");
    let err = generate_documents(&documents(SHOP, &same_name), &Settings::default()).unwrap_err();
    assert_eq!(err.location(), "partner.yml paths./item.get");
    assert!(err.message().contains("operation name `getItem`"), "{err}");

    let other_status = PARTNER.replace(
        "properties: {status: {type: string}}\n\"#",
        "properties: {status: {type: integer}}\n\"#",
    );
    let other_status = other_status.replace(
        "      required: [status]\n      properties: {status: {type: string}}",
        "      required: [status]\n      properties: {status: {type: integer}}",
    );
    let err =
        generate_documents(&documents(SHOP, &other_status), &Settings::default()).unwrap_err();
    assert!(err.to_string().contains("type `Status` differs"), "{err}");
    assert!(err.location().starts_with("partner.yml"), "{err}");

    // An error inside the second document is located in it.
    let broken = PARTNER.replace("in: path", "in: nowhere");
    let err = generate_documents(&documents(SHOP, &broken), &Settings::default()).unwrap_err();
    assert!(err.location().starts_with("partner.yml"), "{err}");
}
