//! Compile-time guarantees of the generated call shape: a typical call compiles; a missing
//! required argument, a wrong type and an unknown enum variant are rejected with readable
//! diagnostics (the expected ones are committed beside each case as `.stderr`).
//!
//! Refresh the `.stderr` files after a deliberate change with `TRYBUILD=overwrite cargo test --test ui`.

#[test]
fn call_shape() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
