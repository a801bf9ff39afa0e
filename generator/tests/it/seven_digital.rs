//! The 7digital spec itself: every component schema becomes a model, every operation a method
//! and a catalogue entry.

use sevendigital_codegen::ir::TypeDef;
use sevendigital_codegen::{Settings, generate, lower, parse};

const SPEC: &str = include_str!("../../../spec/7digital-api-openapi.yml");

#[test]
fn every_schema_and_operation_is_generated() {
    let doc = parse::parse(SPEC).unwrap();
    let components: Vec<&String> = doc.components.as_ref().unwrap().schemas.keys().collect();
    assert_eq!(components.len(), 29);
    let api = lower::lower(&doc).unwrap();
    assert_eq!(api.operations.len(), 61);
    let files = generate(SPEC, &Settings::default()).unwrap();
    let models = files.get("models.rs").unwrap();
    for name in components {
        let def = api
            .types
            .iter()
            .find(|t| t.name() == name.as_str())
            .unwrap_or_else(|| panic!("{name}"));
        assert!(
            matches!(def, TypeDef::Struct { .. }),
            "{name} is an object schema"
        );
        assert!(models.contains(&format!("pub struct {name} {{")), "{name}");
    }
    let requests = files.get("requests.rs").unwrap();
    let catalogue = files.get("catalogue.rs").unwrap();
    for op in &api.operations {
        assert!(
            requests.contains(&format!("pub fn {}(", op.ident)),
            "{}",
            op.id
        );
        assert!(
            catalogue.contains(&format!("pub static {}:", op.const_name)),
            "{}",
            op.id
        );
    }
    // String enums get a catch-all variant.
    let enums = api
        .types
        .iter()
        .filter(|t| matches!(t, TypeDef::Enum { .. }))
        .count();
    assert_eq!(
        enums,
        models.matches("Unknown(::std::string::String),").count()
    );
}
