// The object methods' way back out of wasm, measured side by side in one run (issue 19, item 2):
// answers as JSON text then `JSON.parse` (what the package does) against serde-wasm-bindgen's
// `to_value` with the JSON-compatible serializer (feature `bench-swb`, never shipped). One bench
// build carries both exports, so the same binary answers every row. µs per call, the median of
// several runs, on the contract's sample (tests/vectors/returns-acceptance.json `base`) and
// tests/policies/sportswear-cn.json. Build it first (opt-level 3, as the Node entry ships):
//
//   cargo build --profile release-node --target wasm32-unknown-unknown --lib --features bench-swb
//   wasm-bindgen "${CARGO_TARGET_DIR:-target}"/wasm32-unknown-unknown/release-node/aftersales.wasm \
//     --out-dir bench/output/swb --target nodejs --no-typescript
//   echo '{"type": "commonjs"}' > bench/output/swb/package.json
//   node bench/object-path.mjs        (after scripts/build.sh, for pkg/gen/api.cjs)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const require = createRequire(import.meta.url);
const root = new URL("../", import.meta.url).pathname;
const glue = require(root + "bench/output/swb/aftersales.js");
const { createApi } = require(root + "pkg/gen/api.cjs");
const { PolicyEngine } = createApi(glue, () => glue);

const policy = readFileSync(root + "tests/policies/sportswear-cn.json", "utf8");
const request = JSON.parse(readFileSync(root + "tests/vectors/returns-acceptance.json", "utf8")).base;
const engine = new PolicyEngine(policy);
const raw = new glue.WasmEngine(policy);
const encoder = new TextEncoder();
const scratch = new Uint8Array(1 << 16);
const bytesOf = (obj) => scratch.subarray(0, encoder.encodeInto(JSON.stringify(obj), scratch).written);

const paths = {
  "(a) checkReturn(obj), the package": () => engine.checkReturn(request),
  "(b) JSON.parse(checkReturnJson(JSON.stringify(obj)))": () => JSON.parse(engine.checkReturnJson(JSON.stringify(request))),
  "(b') the same, glue direct: JSON.parse(check_return_json)": () => JSON.parse(raw.check_return_json(bytesOf(request))),
  "(c) glue direct: check_return_value (to_value)": () => raw.check_return_value(bytesOf(request)),
};

// Same answer, byte for byte, before any timing.
const want = engine.checkReturnJson(JSON.stringify(request));
// For scale (what the rows above are made of): the text call alone, and the parse of its answer.
paths["    of which: check_return_json alone (text out, no parse)"] = () => raw.check_return_json(bytesOf(request));
paths["    of which: JSON.parse of the answer's text alone"] = () => JSON.parse(want);
for (const [name, f] of Object.entries(paths)) {
  if (name.startsWith(" ")) continue;
  const got = JSON.stringify(f());
  if (got !== want) throw new Error(`${name} answers differently:\n${got}\n${want}`);
}

const runs = Number(process.argv[2] ?? 7);
const iterations = Number(process.argv[3] ?? 50_000);
const times = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
for (const f of Object.values(paths)) for (let i = 0; i < 5_000; i++) f();
for (let r = 0; r < runs; r++) {
  // interleaved, so drift in the machine's load falls on every path alike
  for (const [name, f] of Object.entries(paths)) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) f();
    times[name].push(((performance.now() - start) * 1000) / iterations);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`Node ${process.version}: µs per call, median of ${runs} runs of ${iterations.toLocaleString("en-US")} (min–max)`);
console.log(`answer: ${want.length} bytes of JSON`);
for (const [name, xs] of Object.entries(times)) {
  const s = (x) => x.toFixed(2);
  console.log(`  ${name.padEnd(60)} ${s(median(xs)).padStart(6)}  (${s(Math.min(...xs))}–${s(Math.max(...xs))})`);
}
