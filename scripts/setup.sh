#!/usr/bin/env bash
# Installs what building and testing need, on a fresh machine or an old one; skips what is there.
#   the wasm32 target; wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock;
#   the npm dev tools (npm ci: among them Deno, Bun and workerd, whose npm packages carry the
#   runtimes' binaries, for tests/js/runtimes.test.mjs and workerd.test.mjs); Debian's chromium and chromium-driver (for the browser tests,
#   only with `--browser`). Never downloads a browser of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "installing wasm-bindgen-cli $want (found: ${have:-none}); this takes a few minutes"
  # --locked is left off on purpose: the registry reached here lags upstream, and the CLI's own
  # lock file can pin a release it does not have yet.
  cargo install wasm-bindgen-cli --version "$want"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

if [ "${1:-}" = "--browser" ]; then
  # A CJK font too, so the pages' Chinese renders in screenshots (not as empty boxes).
  missing=""
  command -v chromium >/dev/null || missing="chromium chromium-driver"
  [ -n "$(fc-list :lang=zh 2>/dev/null)" ] || missing="$missing fonts-wqy-microhei"
  if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q $missing
  fi
fi
