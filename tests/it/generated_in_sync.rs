//! `generated/` must be exactly what the generator makes from `spec/` now, so that a diff of
//! `generated/` in review shows what a spec change does to the code.

const REFRESH: &str = "cargo run -p sevendigital-codegen -- --crate sevendigital --overlay spec/7digital-overlay.yml spec/7digital-api-openapi.yml spec/7digital-download-service.yml spec/7digital-oauth.yml generated";

#[test]
fn generated_dir_matches_the_generator() {
    let root = env!("CARGO_MANIFEST_DIR");
    let spec = std::fs::read_to_string(format!("{root}/spec/7digital-api-openapi.yml")).unwrap();
    let overlay = std::fs::read_to_string(format!("{root}/spec/7digital-overlay.yml")).unwrap();
    let service =
        std::fs::read_to_string(format!("{root}/spec/7digital-download-service.yml")).unwrap();
    let oauth = std::fs::read_to_string(format!("{root}/spec/7digital-oauth.yml")).unwrap();
    let overlays = [("spec/7digital-overlay.yml", overlay.as_str())];
    let files = sevendigital_codegen::generate_documents(
        &[
            sevendigital_codegen::Document {
                name: "spec/7digital-api-openapi.yml",
                text: &spec,
                overlays: &overlays,
            },
            sevendigital_codegen::Document {
                name: "spec/7digital-download-service.yml",
                text: &service,
                overlays: &[],
            },
            sevendigital_codegen::Document {
                name: "spec/7digital-oauth.yml",
                text: &oauth,
                overlays: &[],
            },
        ],
        &sevendigital_codegen::Settings {
            examples_crate: Some("sevendigital".into()),
            ..sevendigital_codegen::Settings::default()
        },
    )
    .unwrap();
    let mut stale = Vec::new();
    for (name, fresh) in &files.files {
        let committed =
            std::fs::read_to_string(format!("{root}/generated/{name}")).unwrap_or_default();
        if &committed != fresh {
            stale.push(*name);
        }
    }
    assert!(
        stale.is_empty(),
        "generated/ is out of date ({}); refresh it with:\n\n    {REFRESH}\n",
        stale.join(", ")
    );
}

#[test]
fn spec_is_the_shared_copy() {
    // The spec in spec/ is a verbatim copy of the shared API description.
    let root = env!("CARGO_MANIFEST_DIR");
    let spec = std::fs::read(format!("{root}/spec/7digital-api-openapi.yml")).unwrap();
    let shared = std::path::Path::new(root).join("../shared/spec/7digital-api-openapi.yml");
    if let Ok(shared) = std::fs::read(shared) {
        assert_eq!(spec, shared, "spec/ differs from ../shared/spec/");
    }
}

/// The response examples (tens of kilobytes of JSON) are compiled only with the route stubs
/// (feature `server`), never into a client-only build: the catalogue holds none of them.
#[test]
fn response_examples_are_only_in_the_route_stubs() {
    let root = env!("CARGO_MANIFEST_DIR");
    let catalogue = std::fs::read_to_string(format!("{root}/generated/catalogue.rs")).unwrap();
    let server = std::fs::read_to_string(format!("{root}/generated/server.rs")).unwrap();
    let example = sevendigital::server::response_example("getReleaseDetails").unwrap();
    let value: serde_json::Value = serde_json::from_str(example).unwrap();
    let title = value["release"]["title"].as_str().unwrap();
    assert!(server.contains("pub fn response_example(operation_id: &str)"));
    assert!(server.contains(title), "{title}");
    assert!(!catalogue.contains(title), "the catalogue has {title:?}");
    assert!(!catalogue.contains("response_example"));
}
