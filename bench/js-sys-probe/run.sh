#!/usr/bin/env bash
# Builds the js-sys probe for Node and times it (issue 6: is reading fields through js-sys a faster
# way into wasm than JSON text?). Needs what `make build` installs.
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release --target wasm32-unknown-unknown --quiet
wasm-bindgen target/wasm32-unknown-unknown/release/js_sys_probe.wasm --out-dir gen --target nodejs --no-typescript
echo '{"type": "commonjs"}' > gen/package.json
node bench.cjs
