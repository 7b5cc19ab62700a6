// `node bench/peers/write-fixture.mjs FILE [N]`: writes the peers fixture as `{policy, requests}`
// (N requests, default 10,000) for the native benchmark (benches/engine.rs), so Rust times the
// very requests the JS benchmarks do. The fixture itself is bench/peers/fixture.mjs.

import { writeFileSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { policy, generate } from "./fixture.mjs";

const [file, n = "10000"] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench/peers/write-fixture.mjs FILE [N]");
  process.exit(2);
}
mkdirSync(dirname(resolve(file)), { recursive: true });
writeFileSync(file, JSON.stringify({ policy, requests: generate(Number(n)) }));
