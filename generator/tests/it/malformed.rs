//! The generator rejects broken documents with an error that names the place, never a panic.

use sevendigital_codegen::{Settings, generate};

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

fn error_for(doc: &str) -> sevendigital_codegen::Error {
    match std::panic::catch_unwind(|| generate(doc, &Settings::default())) {
        Ok(Ok(_)) => panic!("accepted a broken document:\n{doc}"),
        Ok(Err(e)) => e,
        Err(_) => panic!("panicked on:\n{doc}"),
    }
}

#[test]
fn yaml_syntax_error_names_line_and_column() {
    let e = error_for("openapi: 3.0.3\ninfo: {title: t\npaths: {}\n");
    assert!(e.location().contains("line 3"), "{e}");
}

#[test]
fn wrong_node_type_names_its_path() {
    let e = error_for(&format!(
        "{HEAD}paths:\n  /a:\n    get:\n      parameters: 7\n      responses: {{}}\n"
    ));
    assert!(e.location().starts_with("paths./a.get.parameters"), "{e}");
}

#[test]
fn missing_required_member_names_its_parent() {
    let e = error_for("openapi: 3.0.3\npaths: {}\n");
    assert!(e.to_string().contains("info"), "{e}");
}

#[test]
fn unresolved_schema_reference_names_the_operation() {
    let doc = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Nope'}}\n"
    );
    let e = error_for(&doc);
    assert_eq!(
        e.location(),
        "paths./a.get.responses.200.content.application/json.schema"
    );
    assert!(e.message().contains("#/components/schemas/Nope"), "{e}");
}

#[test]
fn unresolved_parameter_reference() {
    let doc = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/Gone'\n      responses: {{'200': {{description: ok}}}}\n"
    );
    let e = error_for(&doc);
    assert_eq!(e.location(), "paths./a.get.parameters[0]");
}

#[test]
fn path_template_without_parameter() {
    let doc = format!(
        "{HEAD}paths:\n  /users/{{id}}:\n    get:\n      responses: {{'200': {{description: ok}}}}\n"
    );
    let e = error_for(&doc);
    assert_eq!(e.location(), "paths./users/{id}.get.parameters");
    assert!(e.message().contains("{id}"), "{e}");
}

#[test]
fn duplicate_operation_ids_are_renamed_with_a_located_warning() {
    // Issue 19: a taken name no longer stops the build; the second operation is named after its
    // method and path, and the warning names both places.
    let op = "      operationId: same\n      responses: {'200': {description: ok}}\n";
    let doc = format!("{HEAD}paths:\n  /a:\n    get:\n{op}  /b:\n    get:\n{op}");
    let files = generate(&doc, &Settings::default()).unwrap();
    assert_eq!(
        files.warnings,
        [
            "paths./b.get: operation name `same` is already used by paths./a.get; this one is called `get_b`"
        ]
    );
    assert!(files.get("requests.rs").unwrap().contains("pub fn get_b("));
}

#[test]
fn swagger_two_is_refused() {
    let e = error_for("openapi: 2.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert_eq!(e.location(), "openapi");
}

#[test]
fn arbitrary_inputs_never_panic() {
    let inputs = [
        "",
        "[]",
        "null",
        "openapi: 3.0.3",
        "\u{0}\u{1}",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {'/a': {get: {responses: {'200': {$ref: '#/x'}}}}}",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {'/a': {$ref: '#/paths/~1b'}}",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {'/a{': {get: {responses: {}}}}",
    ];
    for input in inputs {
        let outcome = std::panic::catch_unwind(|| generate(input, &Settings::default()));
        assert!(outcome.is_ok(), "panicked on {input:?}");
    }
}

#[test]
fn mangled_copies_of_the_real_spec_never_panic() {
    // The 7digital spec cut short at, or with a character replaced at, seeded random places:
    // every outcome is a value or an error, never a panic.
    let spec = include_str!("../../../spec/7digital-api-openapi.yml");
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move |below: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % below as u64) as usize
    };
    let boundary = |mut i: usize| {
        while !spec.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let mut errors = 0;
    for round in 0..80 {
        let at = boundary(next(spec.len()));
        let mangled = if round % 2 == 0 {
            spec[..at].to_string()
        } else {
            let replacement = [":", "- ", "{", "'", "\n  ", "$ref: '#/x'", "\t"][next(7)];
            let end = boundary((at + 1).min(spec.len()));
            format!("{}{replacement}{}", &spec[..at], &spec[end..])
        };
        match std::panic::catch_unwind(|| generate(&mangled, &Settings::default())) {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                assert!(!e.location().is_empty(), "an error names a place: {e}");
                errors += 1;
            }
            Err(_) => panic!("panicked on round {round} (offset {at})"),
        }
    }
    assert!(errors > 0, "mangling produced broken documents");
}

/// Cookie parameters: an optional one is left out and the operation says so; a required one is
/// an error naming it.
#[test]
fn cookie_parameters_are_never_dropped_silently() {
    let doc = |required: bool| {
        format!(
            r#"
openapi: 3.0.0
info: {{title: C, version: '1'}}
paths:
  /a:
    get:
      operationId: getA
      description: Gets A.
      parameters:
        - {{name: session, in: cookie, required: {required}, schema: {{type: string}}}}
        - {{name: q, in: query, schema: {{type: string}}}}
      responses: {{'204': {{description: ok}}}}
"#
        )
    };
    let files =
        sevendigital_codegen::generate(&doc(false), &sevendigital_codegen::Settings::default())
            .unwrap();
    let requests = files.get("requests.rs").unwrap();
    assert!(
        requests.contains("Not sent by this client: cookie parameter `session`."),
        "{requests}"
    );
    assert!(!requests.contains("fn session("));
    let err =
        sevendigital_codegen::generate(&doc(true), &sevendigital_codegen::Settings::default())
            .unwrap_err();
    assert_eq!(err.location(), "paths./a.get.parameters[0]");
    assert!(
        err.message()
            .contains("required cookie parameter `session`"),
        "{err}"
    );
}
