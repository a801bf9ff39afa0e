//! The models generated for the harder schema constructs compile and decode as the schemas say.
//!
//! The constructs are those of `tests/fixtures/constructs/openapi.yml` (issue 12): allOf, oneOf,
//! anyOf, additionalProperties beside properties, recursion, schemas named after prelude
//! types, a `required` name without a property. The generator's test
//! `constructs::fixture_is_current` keeps `models.rs` in step with the generator.

/// The runtime the generated models name as `crate::runtime` (`main.rs` puts it there).
pub(crate) mod runtime {
    pub use sevendigital::runtime::{Lenient, UnknownValue, lenient};
}

mod models {
    include!("../fixtures/constructs/models.rs");
}

use models::*;

#[test]
fn all_of_decodes_every_member() {
    let dog: Dog = serde_json::from_str(r#"{"id": 7, "name": "Rex", "bark": true}"#).unwrap();
    assert_eq!(
        (dog.id, dog.name.as_deref(), dog.bark),
        (7, Some("Rex"), true)
    );
}

#[test]
fn one_of_tries_each_shape_then_keeps_the_raw_value() {
    let cat: Animal = serde_json::from_str(r#"{"meow": true}"#).unwrap();
    assert!(matches!(cat, Animal::Cat(Cat { meow: true })), "{cat:?}");
    let dog: Animal = serde_json::from_str(r#"{"id": 1, "bark": false}"#).unwrap();
    assert!(matches!(dog, Animal::Dog(_)), "{dog:?}");
    let other: Animal = serde_json::from_str("[1, 2]").unwrap();
    assert_eq!(other, Animal::Other(serde_json::json!([1, 2])));
}

#[test]
fn any_of_scalars() {
    let s: IdOrName = serde_json::from_str(r#""x""#).unwrap();
    assert_eq!(s, IdOrName::String("x".into()));
    let n: IdOrName = serde_json::from_str("3").unwrap();
    assert_eq!(n, IdOrName::Integer(3));
}

#[test]
fn additional_properties_are_kept() {
    let labels: Labels = serde_json::from_str(r#"{"name": "n", "a": 1, "b": 2}"#).unwrap();
    assert_eq!(labels.name.as_deref(), Some("n"));
    assert_eq!(labels.additional_properties.len(), 2);
    assert_eq!(labels.additional_properties["b"], 2);
    let back = serde_json::to_value(&labels).unwrap();
    assert_eq!(back, serde_json::json!({"name": "n", "a": 1, "b": 2}));
    let loose: Loose = serde_json::from_str(r#"{"x": [true]}"#).unwrap();
    assert_eq!(loose.additional_properties["x"], serde_json::json!([true]));
}

#[test]
fn recursion_and_shadowing_names() {
    let node: Node = serde_json::from_str(
        r#"{"label": "a", "next": {"label": "b"}, "children": [{"label": "c"}], "pet": {"meow": false}}"#,
    )
    .unwrap();
    assert_eq!(node.next.as_ref().unwrap().label, "b");
    assert_eq!(node.children.as_ref().unwrap()[0].label, "c");
    let user: User = serde_json::from_str(r#"{"name": "u", "option": {"x": 1}}"#).unwrap();
    assert_eq!(user.option.unwrap().x, Some(1));
    let _: models::String = serde_json::from_str("{}").unwrap();
    let thing: Thing = serde_json::from_str(r#"{"a": "z"}"#).unwrap();
    assert_eq!(thing.a.as_deref(), Some("z"));
}

#[test]
fn integer_enums() {
    let task: Task = serde_json::from_str(r#"{"priority": -3, "level": "20"}"#).unwrap();
    assert_eq!(task.priority, Priority::VMinus3);
    assert_eq!(task.level, Some(TaskLevel::V20));
    let other: Task = serde_json::from_str(r#"{"priority": 9}"#).unwrap();
    assert_eq!(other.priority, Priority::Unknown(9));
    assert_eq!(
        serde_json::to_value(&other).unwrap(),
        serde_json::json!({"priority": 9})
    );
    assert_eq!("2".parse::<Priority>().unwrap(), Priority::V2);
    assert_eq!(Priority::VMinus3.to_string(), "-3");
}

#[test]
fn discriminator_chooses_by_tag_and_keeps_the_rest() {
    let circle: Shape = serde_json::from_str(r#"{"kind": "circle", "radius": 2}"#).unwrap();
    assert!(
        matches!(&circle, Shape::Circle(c) if c.radius == 2.0),
        "{circle:?}"
    );
    let square: Shape = serde_json::from_str(r#"{"kind": "square", "side": "3"}"#).unwrap();
    assert!(
        matches!(&square, Shape::Square(s) if s.side == 3.0),
        "{square:?}"
    );
    // An unknown tag, and a known tag on the wrong shape, keep the raw value.
    let hex: Shape = serde_json::from_str(r#"{"kind": "hex", "radius": 1}"#).unwrap();
    assert_eq!(
        hex,
        Shape::Other(serde_json::json!({"kind": "hex", "radius": 1}))
    );
    let bad: Shape = serde_json::from_str(r#"{"kind": "square", "radius": 1}"#).unwrap();
    assert!(matches!(bad, Shape::Other(_)));
    assert_eq!(
        serde_json::to_value(&circle).unwrap(),
        serde_json::json!({"kind": "circle", "radius": 2.0})
    );
    // Without a mapping the tag values are the schema names.
    let pen: Pen = serde_json::from_str(r#"{"kind": "Square", "side": 1}"#).unwrap();
    assert!(matches!(pen, Pen::Square(_)), "{pen:?}");
}

#[test]
fn mutual_recursion() {
    let parent: Parent = serde_json::from_str(r#"{"child": {"parent": {"child": {}}}}"#).unwrap();
    assert!(parent.child.parent.as_ref().unwrap().child.parent.is_none());
    let tree: Tree =
        serde_json::from_str(r#"{"left": 1, "right": {"left": 2, "right": 3}}"#).unwrap();
    let Tree::Branch(branch) = tree else {
        panic!("{tree:?}")
    };
    assert_eq!(*branch.left, Tree::Integer(1));
}
