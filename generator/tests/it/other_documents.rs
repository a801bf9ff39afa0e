//! The generator works on other OpenAPI documents, not only 7digital's: a small pet store
//! with path parameters, a JSON body, an integer enum-free schema, a DELETE without content,
//! an operation without operationId, and a name that is a Rust keyword.

use sevendigital_codegen::{Settings, generate};

use crate::assert_parses;

const PETSTORE: &str = r#"
openapi: 3.0.0
info: {title: Pets, version: '2'}
servers: [{url: 'https://pets.example/v2'}]
paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: integer, format: int32}}
    get:
      operationId: showPetById
      parameters:
        - {name: type, in: query, schema: {type: string, enum: [cat, dog, 'sea-lion']}}
      responses:
        '200':
          description: A pet
          content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
    delete:
      responses: {'204': {description: gone}}
  /pets:
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses: {'201': {description: created}}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, format: int64}
        name: {type: string, example: Rex}
        tags: {type: array, items: {type: string}}
        extra: {type: object, additionalProperties: {type: integer}}
"#;

#[test]
fn petstore_generates_valid_rust() {
    let files = generate(PETSTORE, &Settings::default()).unwrap();
    let models = files.get("models.rs").unwrap();
    let requests = files.get("requests.rs").unwrap();
    let catalogue = files.get("catalogue.rs").unwrap();
    assert_parses(&files);
    let server = files.get("server.rs").unwrap();
    assert!(server.contains("pub trait Api"), "{server}");
    assert!(
        server.contains(".route(\n            \"/pets/{petId}\",\n            axum::routing::MethodRouter::new()\n                .get(handle_show_pet_by_id::<A>)\n                .delete(handle_delete_pets_pet_id::<A>),"),
        "one route per path with every method:\n{server}"
    );
    assert!(models.contains("pub struct Pet {"), "{models}");
    assert!(
        models.contains("pub id: i64,"),
        "required fields are not optional:\n{models}"
    );
    assert!(
        models.contains("pub tags: ::std::option::Option<::std::vec::Vec<::std::string::String>>,")
    );
    assert!(models.contains("::std::collections::BTreeMap<::std::string::String, i64>"));
    assert!(models.contains("pub enum ShowPetByIdType {"), "{models}");
    assert!(models.contains("SeaLion,"), "{models}");
    assert!(models.contains("Unknown(::std::string::String),"));
    assert!(
        requests.contains("pub fn show_pet_by_id(&self, pet_id: i32) -> ShowPetById"),
        "{requests}"
    );
    assert!(
        requests.contains("pub fn type_(mut self, type_: models::ShowPetByIdType) -> Self"),
        "{requests}"
    );
    assert!(
        requests.contains("pub fn delete_pets_pet_id(&self, pet_id: i32)"),
        "{requests}"
    );
    assert!(
        requests.contains("pub fn create_pet(&self, body: models::Pet)"),
        "{requests}"
    );
    assert!(
        requests.contains("request.json_body(&self.body);"),
        "{requests}"
    );
    assert!(
        requests.contains("type Body = runtime::Empty;"),
        "{requests}"
    );
    assert!(
        catalogue.contains(
            "pub const DEFAULT_SERVER: Option<&str> = Some(\"https://pets.example/v2\");"
        )
    );
    assert!(
        catalogue.contains("security: &[],"),
        "no security in the document means none"
    );
}

#[test]
fn settings_paths_are_used() {
    let settings = Settings {
        client: "my::Api".into(),
        runtime: "my::rt".into(),
        models: "my::types".into(),
        catalogue: "my::ops".into(),
        server: "my::srv".into(),
        cli: "my::cmd".into(),
        runtime_in_another_crate: false,
        parallel: true,
        examples_crate: None,
    };
    let files = generate(PETSTORE, &settings).unwrap();
    let server = files.get("server.rs").unwrap();
    assert!(server.contains("use my::srv as server;"), "{server}");
    let cli = files.get("cli.rs").unwrap();
    assert!(cli.contains("use my::cmd as cli;"), "{cli}");
    assert!(cli.contains("client: &my::Api"), "{cli}");
    assert!(cli.contains("cli::Dispatch<my::Api>"), "{cli}");
    assert!(cli.contains("use my::ops as catalogue;"), "{cli}");
    assert!(
        cli.contains("name: \"show-pet-by-id\",\n        operation: &catalogue::SHOW_PET_BY_ID,"),
        "{cli}"
    );
    let requests = files.get("requests.rs").unwrap();
    assert!(requests.contains("impl my::Api {"));
    assert!(
        requests.contains("= &catalogue::SHOW_PET_BY_ID;")
            && requests.contains("use my::rt as runtime;")
            && requests.contains("use my::ops as catalogue;"),
        "{requests}"
    );
    assert!(
        requests.contains("body: models::Pet") && requests.contains("use my::types as models;")
    );
    let bad = Settings {
        client: "not a path".into(),
        ..Settings::default()
    };
    assert_eq!(generate(PETSTORE, &bad).unwrap_err().location(), "settings");
}

#[test]
fn adding_an_operation_adds_a_method() {
    let extra = PETSTORE.replace(
        "components:",
        "  /pets/count:\n    get:\n      operationId: countPets\n      responses: {'200': {description: n, content: {application/json: {schema: {type: integer}}}}}\ncomponents:",
    );
    let before = generate(PETSTORE, &Settings::default()).unwrap();
    let after = generate(&extra, &Settings::default()).unwrap();
    assert!(!before.get("requests.rs").unwrap().contains("fn count_pets"));
    assert!(
        after
            .get("requests.rs")
            .unwrap()
            .contains("pub fn count_pets(&self) -> CountPets")
    );
    assert!(
        after
            .get("catalogue.rs")
            .unwrap()
            .contains("pub static COUNT_PETS")
    );
}

/// Client methods come in one `impl` block per tag, each with a heading; with
/// `examples_crate`, each method whose required inputs can be spelled has a compiled example.
#[test]
fn methods_are_grouped_by_tag_with_examples() {
    let doc = r#"
openapi: 3.0.0
info: {title: T, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      tags: [Alpha]
      parameters:
        - {name: id, in: query, required: true, schema: {type: string}, example: a-1}
      responses: {'204': {description: ok}}
  /b:
    get:
      operationId: getB
      tags: [Beta]
      parameters:
        - {name: n, in: query, required: true, schema: {type: integer}, example: 7}
      responses: {'204': {description: ok}}
  /c:
    get:
      operationId: getC
      tags: [Alpha]
      responses: {'204': {description: ok}}
"#;
    let plain = generate(doc, &Settings::default()).unwrap();
    let requests = plain.get("requests.rs").unwrap();
    assert_eq!(
        requests.matches("impl crate::Client {").count(),
        2,
        "{requests}"
    );
    assert!(requests.contains(
        "/// # Alpha\n///\n/// The operations the document tags `Alpha`.\nimpl crate::Client {"
    ));
    assert!(requests.contains("/// # Beta"));
    assert!(
        !requests.contains("```no_run"),
        "no examples without a crate name"
    );
    let with = Settings {
        examples_crate: Some("my_api".into()),
        ..Settings::default()
    };
    let requests = generate(doc, &with)
        .unwrap()
        .get("requests.rs")
        .unwrap()
        .to_string();
    assert!(
        requests.contains("let answer = client.get_a(\"a-1\").await?;"),
        "{requests}"
    );
    assert!(requests.contains("let answer = client.get_b(7).await?;"));
    assert!(
        requests
            .contains("# async fn example(client: my_api::Client) -> Result<(), my_api::Error> {")
    );
}
