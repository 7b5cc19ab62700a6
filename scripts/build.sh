#!/usr/bin/env bash
# Builds the npm package under pkg/: the release .wasm, the wasm-bindgen glue for Node (CommonJS)
# and for browsers (ES module), and the CommonJS copy of the JS wrapper.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --target wasm32-unknown-unknown --lib
wasm=target/wasm32-unknown-unknown/release/aftersales.wasm
rm -rf pkg/gen
wasm-bindgen "$wasm" --out-dir pkg/gen/node --target nodejs --no-typescript --remove-name-section --remove-producers-section
echo '{"type": "commonjs"}' > pkg/gen/node/package.json  # the package is ESM; this glue is CommonJS
wasm-bindgen "$wasm" --out-dir pkg/gen/web --target web --no-typescript --remove-name-section --remove-producers-section
npx --no-install esbuild pkg/src/api.js --format=cjs --outfile=pkg/gen/api.cjs --log-level=warning
ls -l pkg/gen/node/aftersales_bg.wasm | awk '{print "built pkg/: .wasm " $5 " bytes"}'
