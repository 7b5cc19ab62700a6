#!/usr/bin/env bash
# Builds the npm package under pkg/: the release .wasm, the wasm-bindgen glue for Node (CommonJS)
# and for browsers (ES module), the storefront entry's smaller build for browsers, and the CommonJS
# copy of the JS wrapper.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"

rm -rf pkg/gen
# The storefront entry (pkg/storefront.js): return eligibility only (Cargo feature `returns`),
# built for size first (profile `release-storefront`, opt-level "z"; docs/performance.md).
cargo build --profile release-storefront --target wasm32-unknown-unknown --lib --no-default-features --features returns
wasm-bindgen "$target"/wasm32-unknown-unknown/release-storefront/aftersales.wasm --out-dir pkg/gen/storefront --target web \
  --no-typescript --remove-name-section --remove-producers-section --experimental-reset-state-function
# Browsers download the .wasm: built for size (`release`). Node reads it from disk: built for
# speed (`release-node`, opt-level 3).
cargo build --release --target wasm32-unknown-unknown --lib
cargo build --profile release-node --target wasm32-unknown-unknown --lib
wasm-bindgen "$target"/wasm32-unknown-unknown/release-node/aftersales.wasm --out-dir pkg/gen/node --target nodejs \
  --no-typescript --remove-name-section --remove-producers-section
echo '{"type": "commonjs"}' > pkg/gen/node/package.json  # the package is ESM; this glue is CommonJS
# --experimental-reset-state-function: the glue's __wbg_reset_state() swaps in a new instance of
# the compiled module (new memory), for pkg/web.js to restart after a trap.
wasm-bindgen "$target"/wasm32-unknown-unknown/release/aftersales.wasm --out-dir pkg/gen/web --target web \
  --no-typescript --remove-name-section --remove-producers-section --experimental-reset-state-function
grep -q '^export function __wbg_reset_state' pkg/gen/web/aftersales.js \
  || { echo "pkg/gen/web/aftersales.js has no __wbg_reset_state; has wasm-bindgen changed?" >&2; exit 1; }
npx --no-install esbuild pkg/src/api.js --format=cjs --outfile=pkg/gen/api.cjs --log-level=warning
ls -l pkg/gen/web/aftersales_bg.wasm pkg/gen/storefront/aftersales_bg.wasm pkg/gen/node/aftersales_bg.wasm | awk '{print "built " $9 ": " $5 " bytes"}'
