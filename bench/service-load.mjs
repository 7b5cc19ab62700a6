// Load test of the Node service on loopback: req/s, p50/p99 latency and errors for
// POST /v1/returns/check, and memory (RSS and wasm memory) before and after N requests.
//
//   node bench/service-load.mjs [requests=1000000] [connections=32]
//
// Bounded: it stops after N requests or 10 minutes, whichever comes first. Traffic goes only to
// 127.0.0.1, to a service this script starts in-process and stops.
import autocannon from "autocannon";
import { readFileSync } from "node:fs";
import { createService } from "../examples/node-service/server.mjs";

const root = new URL("../", import.meta.url).pathname;
const total = Number(process.argv[2] ?? 1_000_000);
const connections = Number(process.argv[3] ?? 32);
const body = JSON.stringify(JSON.parse(readFileSync(root + "tests/vectors/returns-acceptance.json", "utf8")).base);

const service = createService({ policyPath: root + "tests/policies/sportswear-cn.json", log: () => {} });
await new Promise((r) => service.server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${service.server.address().port}/v1/returns/check`;

const memory = () => {
  global.gc?.();
  const wasm = service.engine.wasmMemoryBytes ?? null;
  return { rss_mb: +(process.memoryUsage().rss / 2 ** 20).toFixed(1), wasm_mb: wasm === null ? null : +(wasm / 2 ** 20).toFixed(1) };
};

async function run(amount) {
  return autocannon({ url, method: "POST", body, headers: { "content-type": "application/json" }, connections, amount, duration: 600 });
}

await run(Math.min(20_000, total)); // warm up
const before = memory();
const result = await run(total);
const afterRun = memory();
service.server.close();

const report = {
  requests: result.requests.total,
  duration_s: +(result.duration).toFixed(1),
  req_per_s: Math.round(result.requests.average),
  latency_ms: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
  errors: result.errors + result.timeouts + (result.non2xx ?? 0),
  memory_before: before,
  memory_after: afterRun,
};
console.log(JSON.stringify(report, null, 2));
