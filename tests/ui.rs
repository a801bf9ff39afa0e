//! Compile-time guarantees of the generated call shape: a missing required argument, a wrong
//! type, a string for an enum and an unknown enum variant are rejected with readable diagnostics
//! (the expected ones are committed beside each case as `.stderr`). That a typical call compiles
//! is `tests/call_shape.rs`: with no passing case here, trybuild only runs `cargo check`.
//!
//! Refresh the `.stderr` files after a deliberate change with `TRYBUILD=overwrite cargo test --test ui`.

#[test]
fn call_shape() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
}
