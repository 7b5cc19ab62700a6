// aftersales side by side with what users would otherwise pick, on one return-eligibility
// fixture of 20 rules and 10,000 requests (bench/peers/fixture.mjs; tests/js/peers.test.mjs checks
// that all three decide the same): json-rules-engine with the same rules, and a hand-written
// plain-JS function, the floor. In Node, then in headless Chromium.
//
//   node bench/peers.mjs          (or `make bench`)      --quick for a short run
import { Engine } from "json-rules-engine";
import { PolicyEngine } from "aftersales";
import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { runAll } from "./peers/measure.mjs";
import { launch } from "../tests/js/chromium.mjs";
import { serve } from "../www/server.mjs";

const quick = process.argv.includes("--quick");
const root = new URL("../", import.meta.url).pathname;

function report(where, rows) {
  const f = (x) => Math.round(x).toLocaleString("en-US");
  console.log(`\n${where}: requests per second (10,000 generated requests, 20 rules)`);
  for (const [k, v] of Object.entries(rows)) console.log(`  ${k.padEnd(42)} ${f(v).padStart(12)} /s   ${(1e6 / v).toFixed(2).padStart(8)} µs each`);
  const r = (a, b) => (rows[a] / rows[b]).toFixed(1);
  console.log(`  aftersales text batch ÷ json-rules-engine:       ${r("aftersales checkReturnsJson, text batch", "json-rules-engine, objects")}×`);
  console.log(`  aftersales object call ÷ json-rules-engine:      ${r("aftersales checkReturn, objects", "json-rules-engine, objects")}×`);
  console.log(`  plain-JS JSON floor ÷ aftersales text batch:     ${r("plain JS, JSON.parse batch + rules", "aftersales checkReturnsJson, text batch")}×  (goal ≤ 2)`);
  console.log(`  plain JS objects ÷ aftersales object call:       ${r("plain JS, objects", "aftersales checkReturn, objects")}×`);
}

report("Node " + process.version, await runAll({ PolicyEngine, Engine, quick }));

// The browser: json-rules-engine bundled for it by esbuild, aftersales through pkg/web.js.
mkdirSync(root + "bench/output", { recursive: true });
await build({ stdin: { contents: 'export { Engine } from "json-rules-engine";', resolveDir: root }, bundle: true, format: "esm",
  platform: "browser", outfile: root + "bench/output/json-rules-engine.js", logLevel: "error" });
const { server, url } = await serve({ port: 0 });
const browser = await launch();
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => console.error("page error:", e));
  await page.goto(`${url}bench/peers/browser.html${quick ? "?quick" : ""}`);
  await page.waitForFunction(() => window.figures, null, { timeout: 300_000 });
  report(`Chromium ${browser.version()}`, await page.evaluate(() => window.figures));
} finally {
  await browser.close();
  server.close();
}
