// Two builds of the engine in one Node process, alternating, on the same inputs: on a noisy
// machine the only fair way to say whether a change made it faster. Each directory holds the
// wasm-bindgen glue of one build (`scripts/node-glue-at.sh <git revision> <directory>`).
//
//   node bench/side-by-side.mjs /tmp/before /tmp/now
//
// Prints the median over 10 rounds (after 2 of warm-up) of: the peers fixture's 10,000 return
// requests as one text batch and one call at a time, an SLA case of 8 targets, adding 2
// business hours on the China calendar, and the base request of the refund and warranty
// acceptance vectors (a quote with its return decision; a claim with its remedies). JSON text in
// and out, no JS parsing.
import { createRequire } from "node:module";
import { readFileSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";

const require = createRequire(import.meta.url);
const root = new URL("../", import.meta.url).pathname;
const dirs = process.argv.slice(2);
if (dirs.length < 2) {
  console.error("usage: node bench/side-by-side.mjs <glue directory> <glue directory> …");
  process.exit(2);
}
if (!existsSync(root + "target/peers-fixture.json")) execFileSync("node", [root + "bench/peers/write-fixture.mjs", root + "target/peers-fixture.json"], { stdio: "inherit" });
const fixture = JSON.parse(readFileSync(root + "target/peers-fixture.json", "utf8"));
const slaPolicy = JSON.parse(readFileSync(root + "tests/policies/sla-cn.json", "utf8"));
slaPolicy.sla.plans[0].targets.push(
  { stage: "callback", within: { business_hours: 4 }, done: "called_back_at" },
  { stage: "quality_check", within: { business_days: 2 }, done: "checked_at" },
  { stage: "closure", within: { days: 7 }, done: "closed_at" });
const kase = JSON.stringify({ now: "2026-11-23T10:01:00+08:00", type: "enquiry", events: { created_at: "2026-11-20T17:00:00+08:00", registered_at: "2026-11-20T18:10:00+08:00" } });
const add = JSON.stringify({ calendar: "support", op: "add", from: "2026-11-20T17:00:00+08:00", duration: { business_hours: 2 } });
const vector = (name) => {
  const doc = JSON.parse(readFileSync(`${root}tests/vectors/${name}.json`, "utf8"));
  return { policy: readFileSync(`${root}tests/policies/${doc.policy}.json`, "utf8"), request: JSON.stringify(doc.base) };
};
const refund = vector("refunds-acceptance");
const warranty = vector("warranty-acceptance");
const batch = JSON.stringify(fixture.requests);
const singles = fixture.requests.map((r) => JSON.stringify(r));
const encoder = new TextEncoder();
// As the package's wrapper (pkg/src/api.js) turns text into bytes.
let scratch = new Uint8Array(16 * 1024);
function utf8(text) {
  if (text.length > 16 * 1024 / 3) return encoder.encode(text);
  const { written } = encoder.encodeInto(text, scratch);
  return scratch.subarray(0, written);
}

const builds = dirs.map((dir) => {
  const glue = require(`${dir}/aftersales.js`);
  // Builds before 2026-12-02 take text; later ones take UTF-8 bytes (as the package's wrapper sends).
  const bytes = String(glue.WasmEngine.prototype.check_returns_json).includes("passArray8ToWasm0");
  const input = bytes ? utf8 : (text) => text;
  return {
    dir, input,
    returns: new glue.WasmEngine(JSON.stringify(fixture.policy)),
    sla: new glue.WasmEngine(JSON.stringify(slaPolicy)),
    refunds: new glue.WasmEngine(refund.policy),
    warranty: new glue.WasmEngine(warranty.policy),
  };
});

const perCall = (n, f) => { const t = performance.now(); f(); return ((performance.now() - t) * 1000) / n; };
const columns = ["batch", "single", "sla", "add", "refund", "warranty"];
const rows = new Map(builds.map((b) => [b.dir, Object.fromEntries(columns.map((c) => [c, []]))]));
for (let round = 0; round < 12; round++) {
  for (const b of builds) {
    const r = rows.get(b.dir);
    const m = {
      batch: perCall(singles.length, () => b.returns.check_returns_json(b.input(batch))),
      single: perCall(singles.length, () => { for (const s of singles) b.returns.check_return_json(b.input(s)); }),
      sla: perCall(2000, () => { for (let i = 0; i < 2000; i++) b.sla.sla_deadlines_json(b.input(kase)); }),
      add: perCall(5000, () => { for (let i = 0; i < 5000; i++) b.sla.calendar_json(b.input(add)); }),
      refund: perCall(2000, () => { for (let i = 0; i < 2000; i++) b.refunds.quote_refund_json(b.input(refund.request)); }),
      warranty: perCall(2000, () => { for (let i = 0; i < 2000; i++) b.warranty.check_warranty_json(b.input(warranty.request)); }),
    };
    if (round >= 2) for (const k of Object.keys(m)) r[k].push(m[k]);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log("µs per request, median of 10 rounds (node " + process.version + ")");
console.log("build".padEnd(28), ...["batch", "single", "sla", "add 2h", "refund", "warranty"].map((c) => c.padStart(9)));
for (const [dir, r] of rows) {
  console.log(dir.slice(-28).padEnd(28), ...columns.map((k) => median(r[k]).toFixed(2).padStart(9)));
}
