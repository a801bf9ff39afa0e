//! Overlays (OpenAPI Overlay 1.0) change the document before anything is generated: an update
//! adds properties and makes them required, a removal drops one, an `xml`-wrapped list gets a
//! decoder for its XML-converted form, and a target that selects nothing is a located error.

use sevendigital_codegen::{Settings, generate, generate_with_overlays};

const DOC: &str = r#"
openapi: 3.0.3
info: {title: Shop, version: '1'}
paths:
  /release:
    get:
      operationId: getRelease
      responses:
        '200':
          description: A release
          content: {application/json: {schema: {$ref: '#/components/schemas/Release'}}}
components:
  schemas:
    Release:
      type: object
      properties:
        id: {type: string}
        upc: {type: string}
"#;

const OVERLAY: &str = r#"
overlay: 1.0.0
info: {title: corrections, version: '1'}
actions:
  - target: $.components.schemas.Release
    description: as sent
    update:
      required: [id]
      properties:
        barcode: {type: string}
        packages:
          type: array
          xml: {wrapped: true}
          items: {$ref: '#/components/schemas/Package'}
  - target: $.components.schemas
    update:
      Package:
        type: object
        xml: {name: package}
        properties:
          id: {type: integer}
  - target: $.components.schemas.Release.properties.upc
    remove: true
"#;

#[test]
fn an_overlay_changes_the_models() {
    let plain = generate(DOC, &Settings::default()).unwrap();
    let models = plain.get("models.rs").unwrap();
    assert!(
        models.contains("pub upc: ::std::option::Option<::std::string::String>"),
        "{models}"
    );
    assert!(!models.contains("barcode"), "{models}");

    let files = generate_with_overlays(DOC, &[("o.yml", OVERLAY)], &Settings::default()).unwrap();
    let models = files.get("models.rs").unwrap();
    syn::parse_file(models).unwrap();
    assert!(!models.contains("upc"), "removed:\n{models}");
    assert!(
        models.contains("pub barcode: ::std::option::Option<::std::string::String>"),
        "{models}"
    );
    assert!(
        models.contains(
            "deserialize_with = \"crate::runtime::lenient::required\")]\n    pub id: ::std::string::String"
        ),
        "required after the overlay:\n{models}"
    );
    assert!(
        models.contains("fn decode_release_packages<'de, D: serde::Deserializer<'de>>")
            && models.contains(
                "crate::runtime::lenient::optional_wrapped_list(deserializer, \"package\")"
            ),
        "wrapped list decoder:\n{models}"
    );
    assert!(
        models.contains("impl crate::runtime::Lenient for Package {}"),
        "{models}"
    );
}

#[test]
fn a_target_that_selects_nothing_fails_with_its_place() {
    // By default (as the Overlay 1.1 specification says) such an action changes nothing; an
    // overlay with `x-strict-targets: true` (like this project's own) stops the build instead.
    let overlay = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.components.schemas.Track\n    update: {type: object}\n";
    let plain = generate(DOC, &Settings::default()).unwrap();
    let lenient =
        generate_with_overlays(DOC, &[("spec/o.yml", overlay)], &Settings::default()).unwrap();
    assert_eq!(plain, lenient);
    let strict = overlay.replace("actions:", "x-strict-targets: true\nactions:");
    let err =
        generate_with_overlays(DOC, &[("spec/o.yml", &strict)], &Settings::default()).unwrap_err();
    assert_eq!(err.location(), "spec/o.yml actions[0].target");
    assert!(err.to_string().contains("selects nothing"), "{err}");
}
