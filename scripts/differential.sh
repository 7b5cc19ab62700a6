#!/usr/bin/env bash
# The differential run (bench/differential/README.md): one corpus of inputs answered by the library
# at OLD_REV and by the working tree, every output compared byte for byte.
#
#   scripts/differential.sh [OLD_REV] [LINES]
#
# OLD_REV defaults to the merge-base of HEAD and main; LINES (default 120000) is the corpus size.
# Builds the runner (bench/differential, the working tree's copy on both sides, only its path
# dependency and Cargo.lock differ) against a temporary worktree of OLD_REV under /tmp and
# against the working tree, writes the corpus once, answers it twice, compares. Exit 0 when
# every difference is on the allow-list, 1 otherwise, 2 when something failed to run.
#
# Environment: DIFFERENTIAL_TARGET_DIR (default target/differential: kept, so the next build is
# quicker), DIFFERENTIAL_SEED (default 20261124), DIFFERENTIAL_MEMORY_KB (address space of one
# answering process, default 4 GiB: an input that makes the library ask for more fails fast
# instead of swapping the machine), DIFFERENTIAL_EXAMPLES (per class, default 3),
# DIFFERENTIAL_KEEP=1 (keep the corpus and outputs in the temporary directory).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
old_rev="${1:-}"
lines="${2:-120000}"
seed="${DIFFERENTIAL_SEED:-20261124}"
memory_kb="${DIFFERENTIAL_MEMORY_KB:-4194304}"
examples="${DIFFERENTIAL_EXAMPLES:-3}"
target="${DIFFERENTIAL_TARGET_DIR:-$repo/target/differential}"
started=$(date +%s.%N)
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

if [ -z "$old_rev" ]; then
  old_rev="$(git -C "$repo" merge-base HEAD main)"
fi
old_sha="$(git -C "$repo" rev-parse --verify --quiet "$old_rev^{commit}")" || {
  echo "differential: $old_rev is not a revision" >&2
  exit 2
}

work="$(mktemp -d /tmp/aftersales-differential.XXXXXX)"
cleanup() {
  git -C "$repo" worktree remove --force "$work/old" 2>/dev/null || true
  git -C "$repo" worktree prune 2>/dev/null || true
  if [ "${DIFFERENTIAL_KEEP:-}" = 1 ]; then
    rm -rf "$work/old"
    echo "differential: kept $work (corpus.jsonl, old.jsonl, new.jsonl)"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

echo "differential: old = $old_rev ($(git -C "$repo" log -1 --format='%h %s' "$old_sha" | cut -c1-80))"
echo "differential: new = working tree of $repo ($(git -C "$repo" log -1 --format=%h HEAD)$(git -C "$repo" diff --quiet HEAD -- src Cargo.toml Cargo.lock presets data || echo ', with uncommitted changes'))"
git -C "$repo" worktree add --detach --quiet "$work/old" "$old_sha"

# The runner, copied twice: the same source, pointed at each side's library, with that side's
# Cargo.lock (so the library's dependencies are the versions that revision locks).
#
# Each library directory gets its own target directory. The library is a cdylib as well as an
# rlib, so cargo names its output libaftersales.rlib with no hash. In one shared directory the
# second side would be linked against whichever side was built last. The old worktree is new
# every run, so it is always built again; the working tree's directory is keyed by its path,
# so cargo's usual freshness check holds.
runner() { # library-dir target-dir
  local dir="$2/runner"
  mkdir -p "$dir"
  rm -rf "$dir/src"
  cp -r "$repo/bench/differential/src" "$dir/src"
  sed "s|^aftersales = { path = \"../..\" }|aftersales = { path = \"$1\" }|" \
    "$repo/bench/differential/Cargo.toml" > "$dir/Cargo.toml"
  grep -q "path = \"$1\"" "$dir/Cargo.toml" || { echo "differential: could not point the runner at $1" >&2; exit 2; }
  cp "$1/Cargo.lock" "$dir/Cargo.lock"
  echo "$dir"
}
build_started=$(date +%s.%N)
mkdir -p "$work/bin"
for side in old new; do
  if [ "$side" = old ]; then
    lib="$work/old"; tdir="$target/old"; bins=(--bin answer)
  else
    lib="$repo"; tdir="$target/new-$(printf '%s' "$repo" | sha256sum | cut -c1-12)"; bins=()
  fi
  mkdir -p "$tdir"
  dir="$(runner "$lib" "$tdir")"
  echo "differential: building the $side runner (against $lib)"
  if ! (cd "$dir" && CARGO_TARGET_DIR="$tdir/build" nice -n 10 cargo build --release --quiet "${bins[@]}"); then
    echo "differential: the $side runner did not build" >&2
    exit 2
  fi
  cp "$tdir/build/release/answer" "$work/bin/answer-$side"
done
cp "$tdir/build/release/corpus" "$tdir/build/release/compare" "$work/bin/"
build_time=$(elapsed "$build_started")

# The corpus, once, from the working tree's inputs.
corpus_started=$(date +%s.%N)
peers=()
if command -v node >/dev/null && node "$repo/bench/peers/write-fixture.mjs" "$work/peers.json" 10000; then
  peers=(--peers "$work/peers.json")
else
  echo "differential: no peers fixture (node bench/peers/write-fixture.mjs failed); the corpus is without it" >&2
fi
"$work/bin/corpus" --root "$repo" --seed "$seed" --lines "$lines" "${peers[@]}" > "$work/corpus.jsonl"
corpus_time=$(elapsed "$corpus_started")

# Answers it with one side. A line that takes the process down (an abort) is recorded as
# {"i":N,"crash":"…"} and the run goes on from the next line.
answer() { # side
  local out="$work/$1.jsonl" start=0 crashes=0 rc n why
  : > "$out"
  while :; do
    rc=0
    # (The outer 2>/dev/null only quiets bash's "Aborted" notice; the runner's stderr is kept.)
    { (ulimit -v "$memory_kb"; nice -n 10 "$work/bin/answer-$1" "$work/corpus.jsonl" --start "$start" \
      >> "$out" 2> "$work/$1.err"); } 2>/dev/null || rc=$?
    [ "$rc" = 0 ] && break
    if [ "$rc" = 2 ]; then
      echo "differential: the $1 runner refused the corpus: $(head -1 "$work/$1.err")" >&2
      exit 2
    fi
    n=$(wc -l < "$out")
    why="$(head -1 "$work/$1.err" | tr -d '"\\' | cut -c1-200)"
    printf '{"i":%d,"crash":"exit %d: %s"}\n' "$n" "$rc" "$why" >> "$out"
    crashes=$((crashes + 1))
    if [ "$crashes" -gt 1000 ]; then
      echo "differential: the $1 runner crashed more than 1000 times; stopping" >&2
      exit 2
    fi
    start=$((n + 1))
  done
  echo "differential: $1 answered, $crashes crash(es)"
}
answer_started=$(date +%s.%N)
answer old
old_time=$(elapsed "$answer_started")
new_started=$(date +%s.%N)
answer new
new_time=$(elapsed "$new_started")
answer_time=$(elapsed "$answer_started")

echo
rc=0
"$work/bin/compare" "$work/corpus.jsonl" "$work/old.jsonl" "$work/new.jsonl" --examples "$examples" || rc=$?
echo
echo "time: ${answer_time} s answering (old ${old_time} s, new ${new_time} s), corpus ${corpus_time} s, builds ${build_time} s; whole script $(elapsed "$started") s"
case "$rc" in
  0) echo "differential: no unexpected difference" ;;
  1) echo "differential: UNEXPECTED DIFFERENCES (above)" ;;
  *) echo "differential: the comparison failed" >&2; exit 2 ;;
esac
exit "$rc"
