#!/usr/bin/env bash
# Builds the Node wasm (profile release-node) of a git revision into a directory of wasm-bindgen
# glue, for `bench/side-by-side.mjs`:  scripts/node-glue-at.sh b1a7da9 /tmp/before
set -euo pipefail
rev="$1"
out="$(realpath -m "$2")"
cd "$(dirname "$0")/.."
tree="$(mktemp -d)/tree"
git worktree add --detach --quiet "$tree" "$rev"
trap 'git worktree remove --force "$tree"' EXIT
# Its own target directory, so the working tree's build is left as it is.
(cd "$tree" && CARGO_TARGET_DIR=target/side-by-side cargo build --quiet --profile release-node \
  --target wasm32-unknown-unknown --lib)
wasm-bindgen "$tree/target/side-by-side/wasm32-unknown-unknown/release-node/aftersales.wasm" \
  --out-dir "$out" --target nodejs --no-typescript
echo '{"type": "commonjs"}' > "$out/package.json"
echo "built $rev into $out"
