//! Wrong calls do not compile: the generated call shape rejects them with readable diagnostics.
//!
//! A missing required argument, a wrong type, a string for an enum and an unknown enum variant
//! (the cases in `tests/ui/fail/`, the expected diagnostics committed beside each as `.stderr`).
//! That a typical call compiles is [`readme_call_compiles`](crate::readme_call_compiles): with no
//! passing case here, trybuild only runs `cargo check`.
//!
//! Refresh the `.stderr` files after a deliberate change with
//! `TRYBUILD=overwrite cargo test --all-features --test it compile_fail`.

#[test]
fn call_shape() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
}
