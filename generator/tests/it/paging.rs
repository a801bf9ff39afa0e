//! Paged operations are recognised by shape, in any document: an integer `page` parameter and an
//! answer holding `page`, `pageSize` and lists of one item type, at most two objects deep.

use sevendigital_codegen::{Settings, generate};

const DOC: &str = r#"
openapi: 3.0.0
info: {title: Things, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: page, in: query, schema: {type: integer, format: int32}}
      responses:
        '200':
          description: a page
          content: {application/json: {schema: {$ref: '#/components/schemas/ThingsAnswer'}}}
  /other:
    get:
      operationId: listOther
      parameters:
        - {name: page, in: query, schema: {type: integer}}
      responses:
        '200':
          description: not a page
          content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}
components:
  schemas:
    ThingsAnswer:
      type: object
      properties:
        things: {$ref: '#/components/schemas/ThingPage'}
    ThingPage:
      type: object
      required: [page, pageSize]
      properties:
        page: {type: integer}
        pageSize: {type: integer}
        totalItems: {type: integer}
        thing: {type: array, items: {$ref: '#/components/schemas/Thing'}}
    Thing:
      type: object
      properties: {name: {type: string}}
"#;

#[test]
fn a_page_in_an_optional_object_is_found() {
    let files = generate(DOC, &Settings::default()).unwrap();
    let requests = files.get("requests.rs").unwrap();
    assert!(
        requests.contains("impl runtime::Paged for ListThingsInputs"),
        "{requests}"
    );
    // An `int32` page converts.
    assert!(requests.contains("self.page.map(i64::from)"), "{requests}");
    assert!(requests.contains("impl runtime::Page for models::ThingsAnswer"));
    assert!(requests.contains("type Item = models::Thing;"));
    assert!(
        requests.contains("match self.things.as_ref() {"),
        "{requests}"
    );
    // An answer without page numbers is not walked.
    assert!(!requests.contains("impl runtime::Paged for ListOtherInputs"));
    assert!(!requests.contains("impl runtime::Page for models::Thing "));
}
