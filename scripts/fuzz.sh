#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 60 s each): `make fuzz` or
# `scripts/fuzz.sh 300`. cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP lets the stable
# toolchain provide them. Seeds are in fuzz/seeds/<target>; the growing corpus in fuzz/corpus/
# is not committed. A crash leaves its input in fuzz/artifacts/<target>/: turn it into a
# regression test in tests/regressions.rs.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
export RUSTC_BOOTSTRAP=1
for target in $(cargo fuzz list); do
  mkdir -p "fuzz/corpus/$target" "fuzz/seeds/$target"
  echo "== $target for ${seconds}s"
  log="fuzz/artifacts/$target.log"
  mkdir -p fuzz/artifacts
  if ! cargo fuzz run "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- -max_total_time="$seconds" >"$log" 2>&1; then
    tail -n 40 "$log"
    if grep -q "failed to build fuzz script" "$log"; then
      echo "fuzz target $target did not build" >&2
    else
      echo "fuzz target $target found a crash: see fuzz/artifacts/$target/" >&2
    fi
    exit 1
  fi
  grep -E "^Done" "$log"
done
