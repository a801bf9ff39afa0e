#!/usr/bin/env bash
# Builds a consumer crate from the packaged .crate files alone, offline, through a directory
# source (no network, no path to this checkout), and runs a client call against the fake.
#
#   bash .ci/consumer.sh            # package, vendor, build, run
#   MEASURE=1 bash .ci/consumer.sh  # also: clean builds of a client-only consumer with and
#                                   # without the `codegen` feature, CPU seconds of each
#
# Needs crates.io for the dependencies cargo's local cache lacks (vendoring copies every platform's).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/target/tmp/consumer
rm -rf "$work"
mkdir -p "$work"

echo "== cargo package --workspace (sevendigital, sevendigital-codegen; the benches are never published)"
cargo package --workspace --offline --no-verify --allow-dirty -q
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

# The consumer: the fake (feature `server`) and one call to it.
consumer() { # dir, dependency line
  mkdir -p "$1/src"
  cat >"$1/Cargo.toml" <<TOML
[package]
name = "consumer"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
$2
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }

[workspace]
TOML
}
consumer "$work/app" "sevendigital = { version = \"=$version\", features = [\"server\"] }"
cat >"$work/app/src/main.rs" <<'RS'
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fake = sevendigital::server::fake::Fake::builder().start().await?;
    let client = fake.client()?;
    let release = client.get_release_details(1192901).send().await?;
    let title = release.release.title.unwrap_or_default();
    assert!(!title.is_empty(), "the fake names the release");
    println!("consumer: release 1192901 is {title:?}");
    Ok(())
}
RS

echo "== vendor the consumer's dependencies (the local cache, crates.io for what it lacks), and the two packages"
# First resolve with the packages patched in (unpacked .crate files, not the checkout), so that
# `cargo vendor` copies every other dependency; then the packages join them as a directory
# source and the patch goes.
for name in sevendigital sevendigital-codegen; do
  tar -xzf "target/package/$name-$version.crate" -C "$work"
done
cp -r "$work/app" "$work/resolve"
cat >>"$work/resolve/Cargo.toml" <<TOML

[patch.crates-io]
sevendigital = { path = "../sevendigital-$version" }
sevendigital-codegen = { path = "../sevendigital-codegen-$version" }
TOML
# The workspace's lock keeps the versions the tests ran with. `cargo vendor` copies every
# platform's dependencies (wasm and Windows ones too), which a Linux build never downloads: it
# fetches those from crates.io when the local cache lacks them. Only the build below is offline.
cp Cargo.lock "$work/resolve/Cargo.lock"
(cd "$work/resolve" && cargo vendor -q --versioned-dirs "$work/vendor" >/dev/null)
for name in sevendigital sevendigital-codegen; do
  sum=$(sha256sum "target/package/$name-$version.crate" | cut -d' ' -f1)
  mv "$work/$name-$version" "$work/vendor/$name-$version"
  printf '{"files":{},"package":"%s"}' "$sum" >"$work/vendor/$name-$version/.cargo-checksum.json"
done
config() { # dir
  mkdir -p "$1/.cargo"
  cat >"$1/.cargo/config.toml" <<TOML
[source.crates-io]
replace-with = "packaged"

[source.packaged]
directory = "$work/vendor"

[net]
offline = true
TOML
}
config "$work/app"

echo "== build and run the consumer"
(cd "$work/app" && CARGO_TARGET_DIR="$work/target" cargo run -q)

if [ "${MEASURE:-0}" = 1 ]; then
  echo "== clean builds of a client-only consumer (CPU seconds: user + sys)"
  for features in codegen,gzip gzip; do
    dir=$work/measure-${features//,/-}
    list=\"${features//,/\",\"}\"
    dep="sevendigital = { version = \"=$version\", default-features = false, features = [$list] }"
    consumer "$dir" "$dep"
    echo 'fn main() { let _ = sevendigital::Client::builder(); }' >"$dir/src/main.rs"
    config "$dir"
    (cd "$dir" && /usr/bin/time -f "$features: %e s wall, %U s user, %S s sys" \
      env CARGO_TARGET_DIR="$dir/target" cargo build -q 2>&1 | tail -1)
  done
fi
