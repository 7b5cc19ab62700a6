#!/usr/bin/env bash
# Builds the npm package under pkg/: the release .wasm, the wasm-bindgen glue for Node (CommonJS)
# and for browsers (ES module), and the CommonJS copy of the JS wrapper.
set -euo pipefail
cd "$(dirname "$0")/.."

# Browsers download the .wasm: built for size (`release`). Node reads it from disk: built for
# speed (`release-node`, opt-level 3).
cargo build --release --target wasm32-unknown-unknown --lib
cargo build --profile release-node --target wasm32-unknown-unknown --lib
rm -rf pkg/gen
wasm-bindgen target/wasm32-unknown-unknown/release-node/aftersales.wasm --out-dir pkg/gen/node --target nodejs \
  --no-typescript --remove-name-section --remove-producers-section
echo '{"type": "commonjs"}' > pkg/gen/node/package.json  # the package is ESM; this glue is CommonJS
wasm-bindgen target/wasm32-unknown-unknown/release/aftersales.wasm --out-dir pkg/gen/web --target web \
  --no-typescript --remove-name-section --remove-producers-section
node scripts/glue-factory.mjs pkg/gen/web/aftersales.js pkg/gen/web/glue-factory.js  # one instance per call
npx --no-install esbuild pkg/src/api.js --format=cjs --outfile=pkg/gen/api.cjs --log-level=warning
ls -l pkg/gen/web/aftersales_bg.wasm pkg/gen/node/aftersales_bg.wasm | awk '{print "built " $9 ": " $5 " bytes"}'
