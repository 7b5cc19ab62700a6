#!/usr/bin/env bash
# The browsers' .wasm of a git revision (profile release, wasm-bindgen --target web, as
# scripts/build.sh makes it), and its size raw, gzip -9 and brotli -q 11 (when brotli is here):
#   scripts/web-wasm-size-at.sh f382aa1      # a revision
#   scripts/web-wasm-size-at.sh              # the working tree as it is
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
if [ $# -ge 1 ]; then
  tree="$(mktemp -d)/tree"
  git worktree add --detach --quiet "$tree" "$1"
  trap 'git worktree remove --force "$tree"' EXIT
  label="$1"
else
  tree="$PWD"
  label="working tree"
fi
# Its own target directory, so the working tree's build is left as it is.
(cd "$tree" && CARGO_TARGET_DIR="$PWD/target/size-at" cargo build --quiet --release \
  --target wasm32-unknown-unknown --lib)
wasm-bindgen "$tree/target/size-at/wasm32-unknown-unknown/release/aftersales.wasm" --out-dir "$out" \
  --target web --no-typescript --remove-name-section --remove-producers-section
wasm="$out/aftersales_bg.wasm"
raw=$(wc -c < "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
br=$(command -v brotli >/dev/null && brotli -q 11 -c "$wasm" | wc -c || echo "n/a")
echo "$label: raw $raw, gzip -9 $gz, brotli -q 11 $br bytes"
