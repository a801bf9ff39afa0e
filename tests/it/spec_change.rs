//! Editing the spec and running `cargo build` is all it takes to get a new operation:
//! in a copy of this repository, a call to an operation the spec does not have fails to
//! compile; after adding the operation to the copy's spec, the same code compiles with no
//! other step (build.rs notices the change and regenerates). Likewise, editing only the overlay
//! (`spec/7digital-overlay.yml`) changes the generated models on the next build.

use std::path::{Path, PathBuf};
use std::process::Command;

const NEW_OPERATION: &str = "  /tag/count:
    get:
      operationId: countTags
      summary: Count tags
      description: How many tags the vocabulary has.
      tags: [Tags]
      responses:
        '200':
          description: The number of tags.
          content:
            application/json:
              schema:
                type: object
                properties:
                  count:
                    type: integer
";

const USES_IT: &str = "\n/// Uses the operation added by the test.\npub async fn count(client: &Client) -> Result<Option<i64>, Error> {\n    Ok(client.count_tags().send().await?.count)\n}\n";

const USES_OVERLAY: &str = "\n/// Uses the field added by the overlay.\npub async fn vocabulary(client: &Client) -> Result<Option<String>, Error> {\n    Ok(client.count_tags().send().await?.vocabulary)\n}\n";

/// Appends an action to the copy's overlay that adds a `vocabulary` field to the new answer.
fn add_overlay_action(overlay_path: &Path) {
    let text = std::fs::read_to_string(overlay_path).unwrap();
    let mut overlay: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let action: serde_yaml::Value = serde_yaml::from_str(
        "target: \"$.paths['/tag/count'].get.responses['200'].content['application/json'].schema.properties\"\ndescription: added by the test\nupdate:\n  vocabulary:\n    type: string\n",
    )
    .unwrap();
    overlay["actions"].as_sequence_mut().unwrap().push(action);
    std::fs::write(overlay_path, serde_yaml::to_string(&overlay).unwrap()).unwrap();
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == ".git" || name == "benches" {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

fn cargo_check(dir: &Path, target: &Path) -> (bool, String) {
    let output = Command::new(env!("CARGO"))
        .args([
            "check",
            "--lib",
            "--offline",
            "--quiet",
            "-p",
            "sevendigital",
            // What a maintainer builds with: regenerated from `spec/` (off by default).
            "--features",
            "codegen",
        ])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn adding_an_operation_to_the_spec_adds_its_method_on_the_next_build() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("spec-change");
    let copy = work.join("repo");
    let _ = std::fs::remove_dir_all(&copy);
    copy_tree(root, &copy);
    // Shared with `foreign_documents`: the dependencies both build are built once.
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("nested-target");
    // The copy is the library and its generator only (no bench crate and its reference crates).
    let manifest = copy.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace(", \"benches\"]", "]")).unwrap();

    let lib = copy.join("src/lib.rs");
    let mut code = std::fs::read_to_string(&lib).unwrap();
    code.push_str(USES_IT);
    std::fs::write(&lib, code).unwrap();

    let (ok, stderr) = cargo_check(&copy, &target);
    assert!(!ok, "count_tags cannot exist before the spec has it");
    assert!(
        stderr.contains("count_tags"),
        "the failure is the missing method:\n{stderr}"
    );

    let spec_path = copy.join("spec/7digital-api-openapi.yml");
    let spec = std::fs::read_to_string(&spec_path).unwrap();
    let at = spec
        .find("\ncomponents:\n")
        .expect("the spec has components")
        + 1;
    let edited = format!("{}{NEW_OPERATION}{}", &spec[..at], &spec[at..]);
    std::fs::write(&spec_path, edited).unwrap();

    let (ok, stderr) = cargo_check(&copy, &target);
    assert!(
        ok,
        "after the spec edit, the build has the new method:\n{stderr}"
    );

    // The overlay alone: a field it adds does not exist before, and does after the next build.
    let mut code = std::fs::read_to_string(&lib).unwrap();
    code.push_str(USES_OVERLAY);
    std::fs::write(&lib, code).unwrap();
    let (ok, stderr) = cargo_check(&copy, &target);
    assert!(!ok, "vocabulary cannot exist before the overlay adds it");
    assert!(
        stderr.contains("vocabulary"),
        "the failure is the missing field:\n{stderr}"
    );
    add_overlay_action(&copy.join("spec/7digital-overlay.yml"));
    let (ok, stderr) = cargo_check(&copy, &target);
    assert!(
        ok,
        "after the overlay edit, the build has the new field:\n{stderr}"
    );
}
