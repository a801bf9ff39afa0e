//! Issue 12: schema constructs beyond plain objects generate typed code, not `serde_json::Value`.
//! Each test generates a small document and checks that every file parses as Rust and that
//! the models contain the expected types.

use sevendigital_codegen::{Settings, generate};

use crate::{assert_parses, generates};

const HEAD: &str =
    "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n";

/// The generated `models.rs` of a document whose `components.schemas` are `schemas`
/// (indented by six spaces), after checking that every generated file parses.
fn models_of(schemas: &str) -> String {
    let doc = format!("{HEAD}{schemas}");
    let files = generates(&doc);
    files.get("models.rs").unwrap().to_string()
}

fn has(models: &str, needle: &str) {
    assert!(models.contains(needle), "missing `{needle}` in:\n{models}");
}

#[test]
fn all_of_merges_into_one_struct() {
    let models = models_of(
        "    Pet:
      type: object
      required: [id]
      properties:
        id: {type: integer, format: int64}
        name: {type: string}
    Dog:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - type: object
          required: [bark]
          properties:
            bark: {type: boolean}
",
    );
    has(&models, "pub struct Dog {");
    has(&models, "pub id: i64,");
    has(
        &models,
        "pub name: ::std::option::Option<::std::string::String>,",
    );
    has(&models, "pub bark: bool,");
}

#[test]
fn one_of_is_an_untagged_enum_with_a_catch_all() {
    let models = models_of(
        "    Cat:
      type: object
      properties: {meow: {type: boolean}}
    Dog:
      type: object
      properties: {bark: {type: boolean}}
    Animal:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
",
    );
    has(&models, "#[serde(untagged)]\npub enum Animal {");
    has(&models, "Cat(Cat),");
    has(&models, "Dog(Dog),");
    has(&models, "Other(::serde_json::Value),");
    has(&models, "impl crate::runtime::Lenient for Animal {}");
}

#[test]
fn any_of_of_scalars_and_inline_objects() {
    let models = models_of(
        "    IdOrName:
      anyOf:
        - {type: string}
        - {type: integer}
        - type: object
          properties: {id: {type: integer}}
",
    );
    has(&models, "pub enum IdOrName {");
    has(&models, "String(::std::string::String),");
    has(&models, "Integer(i64),");
    has(&models, "IdOrNameVariant2(IdOrNameVariant2),");
    has(&models, "pub struct IdOrNameVariant2 {");
}

#[test]
fn additional_properties_beside_properties_is_a_flattened_map() {
    let models = models_of(
        "    Labels:
      type: object
      properties: {name: {type: string}}
      additionalProperties: {type: integer}
    Loose:
      type: object
      properties: {name: {type: string}}
      additionalProperties: true
",
    );
    has(
        &models,
        "#[serde(flatten)]\n    pub additional_properties: ::std::collections::BTreeMap<::std::string::String, i64>,",
    );
    has(
        &models,
        "pub additional_properties: ::std::collections::BTreeMap<\n        ::std::string::String,\n        ::serde_json::Value,\n    >,",
    );
}

#[test]
fn direct_recursion_is_boxed() {
    let models = models_of(
        "    Node:
      type: object
      required: [parent]
      properties:
        parent: {$ref: '#/components/schemas/Node'}
        next: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
",
    );
    has(&models, "pub parent: ::std::boxed::Box<Node>,");
    has(
        &models,
        "pub next: ::std::option::Option<::std::boxed::Box<Node>>,",
    );
    has(
        &models,
        "pub children: ::std::option::Option<::std::vec::Vec<Node>>,",
    );
}

#[test]
fn schema_names_cannot_shadow_the_prelude() {
    let mut schemas = String::new();
    for name in ["Option", "Result", "Vec", "String", "Box"] {
        schemas.push_str(&format!(
            "    {name}:\n      type: object\n      properties: {{x: {{type: integer}}}}\n"
        ));
    }
    schemas.push_str(
        "    User:
      type: object
      properties:
        name: {type: string}
        tags: {type: array, items: {type: string}}
        kind: {type: string, enum: [a, b]}
        option: {$ref: '#/components/schemas/Option'}
",
    );
    let models = models_of(&schemas);
    has(&models, "pub struct Option {");
    has(&models, "pub struct String {");
    has(
        &models,
        "pub tags: ::std::option::Option<::std::vec::Vec<::std::string::String>>,",
    );
    has(&models, "pub option: ::std::option::Option<Option>,");
    // Every use of a prelude name as a type or path goes through `::std`.
    let code: std::string::String = models.split_whitespace().collect::<Vec<_>>().join(" ");
    for name in ["Option", "Result", "Vec", "String", "Box"] {
        for marker in [format!("{name}<"), format!("{name}::"), format!("({name})")] {
            for (at, _) in code.match_indices(&marker) {
                let before = &code[..at];
                assert!(
                    before.ends_with("::"),
                    "bare `{marker}` at …{}",
                    &code[at.saturating_sub(60)..(at + 40).min(code.len())]
                );
            }
        }
    }
}

#[test]
fn required_name_without_property_is_accepted() {
    let models = models_of(
        "    Thing:
      type: object
      properties: {a: {type: string}}
      required: [b]
",
    );
    has(&models, "pub struct Thing {");
    has(
        &models,
        "pub a: ::std::option::Option<::std::string::String>,",
    );
}

/// `tests/it/schema_constructs.rs` of the root crate compiles and decodes with the models of this
/// document; they must be what the generator produces now.
#[test]
fn fixture_is_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/constructs");
    let doc = std::fs::read_to_string(dir.join("openapi.yml")).unwrap();
    let files = generate(&doc, &Settings::default()).unwrap();
    let expected = files.get("models.rs").unwrap();
    let actual = std::fs::read_to_string(dir.join("models.rs")).unwrap();
    assert!(
        actual == expected,
        "tests/fixtures/constructs/models.rs is stale; regenerate it with\n\
         cargo run -p sevendigital-codegen -- tests/fixtures/constructs/openapi.yml <dir>"
    );
}

#[test]
fn integer_enum_has_a_catch_all() {
    let models = models_of(
        "    Priority:
      type: integer
      enum: [1, 2, -3]
    Task:
      type: object
      properties:
        level: {type: integer, enum: [10, 20]}
",
    );
    has(&models, "pub enum Priority {");
    has(&models, "VMinus3,");
    has(&models, "Unknown(i64),");
    has(&models, "#[serde(from = \"i64\", into = \"i64\")]");
    has(&models, "pub enum TaskLevel {");
    has(&models, "pub level: ::std::option::Option<TaskLevel>,");
}

#[test]
fn integer_enum_parameter_is_sent_and_parsed_as_text() {
    let doc = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /tasks:
    get:
      operationId: listTasks
      parameters:
        - {name: level, in: query, schema: {type: integer, enum: [1, 2]}}
      responses: {'204': {description: none}}
";
    let files = generate(doc, &Settings::default()).unwrap();
    assert_parses(&files);
    has(files.get("models.rs").unwrap(), "pub enum ListTasksLevel {");
    let requests = files.get("requests.rs").unwrap();
    has(requests, "level: models::ListTasksLevel");
    has(requests, ".to_string()");
    has(files.get("catalogue.rs").unwrap(), "Integer");
}

#[test]
fn discriminator_chooses_the_variant_by_tag() {
    let models = models_of(
        "    Circle:
      type: object
      properties: {kind: {type: string}, radius: {type: number}}
    Square:
      type: object
      properties: {kind: {type: string}, side: {type: number}}
    Shape:
      oneOf:
        - $ref: '#/components/schemas/Circle'
        - $ref: '#/components/schemas/Square'
      discriminator:
        propertyName: kind
        mapping: {circle: '#/components/schemas/Circle', square: Square}
",
    );
    has(&models, "pub enum Shape {");
    has(&models, "impl<'de> serde::Deserialize<'de> for Shape {");
    has(&models, ".get(\"kind\")");
    has(&models, "::std::option::Option::Some(\"circle\") => {");
    has(&models, "::std::option::Option::Some(\"square\") => {");
    has(&models, "Other(::serde_json::Value),");
}

#[test]
fn cli_gives_parse_json_the_type_of_body_fields() {
    let doc = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /boxes:
    post:
      operationId: createBox
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Box'}
      responses: {'204': {description: none}}
components:
  schemas:
    Box:
      type: object
      required: [sizes]
      properties:
        sizes: {type: array, items: {type: integer}}
        labels: {type: object, additionalProperties: {type: string}}
";
    let files = generate(doc, &Settings::default()).unwrap();
    assert_parses(&files);
    let cli = files.get("cli.rs").unwrap();
    let compact: String = cli.split_whitespace().collect();
    has(
        &compact,
        ".field(\"sizes\",cli::args::json::<::std::vec::Vec<i64>>)?",
    );
    has(
        &compact,
        ".field(\"labels\",cli::args::json::<::std::collections::BTreeMap<::std::string::String,::std::string::String,>,>,)?",
    );
}

#[test]
fn mutual_recursion_is_boxed() {
    let models = models_of(
        "    Parent:
      type: object
      required: [child]
      properties:
        child: {$ref: '#/components/schemas/Child'}
        siblings: {type: array, items: {$ref: '#/components/schemas/Parent'}}
    Child:
      type: object
      properties:
        parent: {$ref: '#/components/schemas/Parent'}
    Tree:
      oneOf:
        - {type: integer}
        - $ref: '#/components/schemas/Branch'
    Branch:
      type: object
      required: [left]
      properties:
        left: {$ref: '#/components/schemas/Tree'}
",
    );
    has(&models, "pub child: ::std::boxed::Box<Child>,");
    has(
        &models,
        "pub parent: ::std::option::Option<::std::boxed::Box<Parent>>,",
    );
    has(
        &models,
        "pub siblings: ::std::option::Option<::std::vec::Vec<Parent>>,",
    );
    has(&models, "Branch(::std::boxed::Box<Branch>),");
    has(&models, "pub left: ::std::boxed::Box<Tree>,");
}

#[test]
fn a_reference_with_annotation_only_siblings_is_the_referenced_type() {
    let models = models_of(
        "    Bucket:
      type: object
      properties:
        name: {type: string}
    Name: {type: string, pattern: '^[a-z]+$'}
    Holder:
      type: object
      required: [bucket, maybe, either, both]
      properties:
        bucket:
          allOf: [{$ref: '#/components/schemas/Bucket'}, {description: The bucket.}]
        maybe:
          allOf: [{$ref: '#/components/schemas/Bucket'}, {nullable: true, readOnly: true}]
        either:
          anyOf: [{$ref: '#/components/schemas/Name'}, {type: 'null'}]
        one:
          oneOf: [{$ref: '#/components/schemas/Bucket'}]
        both:
          oneOf: [{$ref: '#/components/schemas/Bucket'}, {$ref: '#/components/schemas/Name'}]
    Wrapper:
      allOf: [{$ref: '#/components/schemas/Bucket'}, {title: Wrapped, example: {name: x}, default: {}}]
",
    );
    // Required, not nullable: the type itself, with the annotation's description.
    has(&models, "    /// The bucket.\n");
    has(&models, "    pub bucket: Bucket,\n");
    // Required but nullable (on the annotation member, or a `null` member): an Option.
    has(&models, "    pub maybe: ::std::option::Option<Bucket>,\n");
    has(&models, "    pub either: ::std::option::Option<Name>,\n");
    has(&models, "    pub one: ::std::option::Option<Bucket>,\n");
    // Two real members stay a union.
    assert!(!models.contains("pub both: Bucket"), "{models}");
    assert!(
        !models.contains("pub both: ::serde_json::Value"),
        "{models}"
    );
    has(&models, "/// Wrapped\npub type Wrapper = Bucket;\n");
    // No field is left untyped (the union's catch-all variant aside).
    assert!(!models.contains(": ::serde_json::Value"), "{models}");
    assert!(!models.contains("<::serde_json::Value>"), "{models}");
}
