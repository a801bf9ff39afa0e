//! Conformance with the OAI Overlay Specification repository's own test sets (copied into
//! `tests/overlay-spec/`, provenance in its `PROVENANCE.md`): each compliant set's overlay turns
//! its `openapi.yaml` into its `output.yaml`; each `pass` overlay of `tests/v1.0` and
//! `tests/v1.1` is accepted; each `fail` overlay is refused with an error located in it.

use std::path::{Path, PathBuf};

use serde_json::Value;
use sevendigital_codegen::overlay::{self, Options};

fn dir(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/overlay-spec")
        .join(relative)
}

fn entries(relative: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir(relative))
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
        .map(|e| e.unwrap().path())
        .collect();
    found.sort();
    found
}

fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_compliant_set_gives_its_output() {
    let sets = entries("compliant-sets");
    let sets: Vec<&PathBuf> = sets.iter().filter(|p| p.is_dir()).collect();
    assert_eq!(sets.len(), 8, "the repository has 8 compliant sets");
    for set in sets {
        let mut doc = yaml(&set.join("openapi.yaml"));
        let text = std::fs::read_to_string(set.join("overlay.yaml")).unwrap();
        overlay::apply(&mut doc, "overlay.yaml", &text)
            .unwrap_or_else(|e| panic!("{}: {e}", set.display()));
        assert_eq!(
            doc,
            yaml(&set.join("output.yaml")),
            "{}: the overlay's result differs from output.yaml",
            set.display()
        );
    }
}

/// A small document for the `pass` overlays to act on (their targets mostly select nothing
/// here, which is a no-op by default).
const DOC: &str = r#"
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /foo:
    get:
      parameters:
        - {name: dummy, in: query, schema: {type: string}}
        - {name: filter, in: query, schema: {type: string}}
      responses: {'200': {description: OK}}
  /bar:
    get:
      x-oai-traits: {paged: true}
      responses: {'200': {description: OK}}
"#;

#[test]
fn every_valid_overlay_is_accepted() {
    let mut count = 0;
    for version in ["v1.0", "v1.1"] {
        for path in entries(&format!("tests/{version}/pass")) {
            let text = std::fs::read_to_string(&path).unwrap();
            let mut doc: Value = serde_yaml::from_str(DOC).unwrap();
            let before = doc.clone();
            overlay::apply(&mut doc, &path.display().to_string(), &text)
                .unwrap_or_else(|e| panic!("{} refused: {e}", path.display()));
            let stem = path.file_stem().unwrap().to_string_lossy();
            let changes = [
                "actions-array-modification-example-remove",
                "actions-array-modification-example-update",
                "actions-structured-overlay-example",
                "actions-targeted-overlay-example",
                "actions-update-with-remove",
                "actions-wildcard-overlay-example",
                "copy-path-item-example",
            ];
            let leaves = [
                "minimal",
                "actions-description",
                "actions-extensions",
                "info-extensions",
                "root-extensions",
            ];
            if changes.contains(&stem.as_ref()) {
                assert_ne!(doc, before, "{}: changed nothing", path.display());
            } else if leaves.contains(&stem.as_ref()) {
                assert_eq!(doc, before, "{}: has no modifier", path.display());
            }
            count += 1;
        }
    }
    assert_eq!(count, 25, "12 v1.0 and 13 v1.1 valid overlays");
}

/// Where each invalid overlay's error must point (after the overlay's name).
const FAIL_PLACES: &[(&str, &str)] = &[
    ("action-copy-invalid-type", "actions[0].copy"),
    ("action-remove-invalid-type", "actions[0].remove"),
    ("action-target-invalid-type", "actions[0].target"),
    ("actions-invalid-description", "actions[0].description"),
    ("actions-invalid-target", "actions[0].target"),
    ("actions-invalid-type", "actions"),
    ("actions-item-invalid-type", "actions[0]"),
    ("actions-minimal", "actions"),
    ("actions-missing-target", "actions[0]"),
    ("actions-missing", "actions"),
    ("actions-not-unique", "actions[1]"),
    ("extends-invalid-type", "extends"),
    ("info-description-invalid-type", "info.description"),
    ("info-invalid-type", "info"),
    ("info-missing-title", "info.title"),
    ("info-missing-version", "info.version"),
    ("info-title-invalid-type", "info.title"),
    ("info-version-invalid-type", "info.version"),
    ("invalid-overlay-version", "overlay"),
    ("not-an-object", ""),
    ("overlay-invalid-pattern", "overlay"),
    ("root-invalid-property", "invalidProperty"),
];

#[test]
fn every_invalid_overlay_is_refused_with_a_place() {
    let mut count = 0;
    for version in ["v1.0", "v1.1"] {
        for path in entries(&format!("tests/{version}/fail")) {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let mut doc: Value = serde_yaml::from_str(DOC).unwrap();
            // Lenient and strict alike refuse them.
            for strict_targets in [false, true] {
                let err =
                    overlay::apply_with(&mut doc.clone(), &name, &text, Options { strict_targets })
                        .err()
                        .unwrap_or_else(|| panic!("{}: accepted", path.display()));
                let stem = name.trim_end_matches(".yaml");
                let (_, place) = FAIL_PLACES
                    .iter()
                    .find(|(case, _)| *case == stem)
                    .unwrap_or_else(|| panic!("{stem}: no expected place"));
                let expected = match *place {
                    "" => name.clone(),
                    place => format!("{name} {place}"),
                };
                assert_eq!(err.location(), expected, "{}: {err}", path.display());
            }
            let before = doc.clone();
            let _ = overlay::apply(&mut doc, &name, &text);
            assert_eq!(
                doc,
                before,
                "{}: a refused overlay changed the document",
                path.display()
            );
            count += 1;
        }
    }
    assert_eq!(count, 42, "20 v1.0 and 22 v1.1 invalid overlays");
}

#[test]
fn the_copy_example_merges_one_path_item_into_another() {
    // tests/v1.1/pass/copy-path-item-example.yaml, on a document that has both path items.
    let text = std::fs::read_to_string(dir("tests/v1.1/pass/copy-path-item-example.yaml")).unwrap();
    let mut doc: Value = serde_yaml::from_str(
        "paths:\n  /foo: {get: {summary: a}, parameters: [{name: p}]}\n  /bar: {put: {summary: b}, parameters: [{name: q}]}\n",
    )
    .unwrap();
    overlay::apply(&mut doc, "copy", &text).unwrap();
    let expected: Value = serde_yaml::from_str(
        "paths:\n  /foo: {get: {summary: a}, parameters: [{name: p}]}\n  /bar: {put: {summary: b}, parameters: [{name: q}, {name: p}], get: {summary: a}}\n",
    )
    .unwrap();
    assert_eq!(doc, expected);
}
