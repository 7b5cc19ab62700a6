// The storefront build against the full browsers' build in Node, in one run: checkReturnJson on the
// contract's sample and the time to compile a policy (`node bench/storefront.mjs`, after `make build`).
import { readFileSync } from "node:fs";
import * as sf from "aftersales/storefront";
import * as web from "aftersales/web";
const root = new URL("../", import.meta.url).pathname;
sf.initSync(readFileSync(root + "pkg/gen/storefront/aftersales_bg.wasm"));
web.initSync(readFileSync(root + "pkg/gen/web/aftersales_bg.wasm"));
const policy = readFileSync(root + "tests/policies/sportswear-cn.json", "utf8");
const sample = JSON.stringify(JSON.parse(readFileSync(root + "tests/vectors/returns-acceptance.json", "utf8")).base);
for (const [name, api] of [["web", web], ["storefront", sf], ["web", web], ["storefront", sf]]) {
  let t = performance.now();
  const e = new api.PolicyEngine(policy);
  const load = performance.now() - t;
  for (let i = 0; i < 2000; i++) e.checkReturnJson(sample);
  t = performance.now();
  const n = 20000;
  for (let i = 0; i < n; i++) e.checkReturnJson(sample);
  console.log(name, "checkReturnJson", ((performance.now() - t) / n * 1000).toFixed(1), "µs; new PolicyEngine", load.toFixed(2), "ms");
}
for (const [name, f] of [["web", "pkg/gen/web/aftersales_bg.wasm"], ["storefront", "pkg/gen/storefront/aftersales_bg.wasm"]]) {
  const b = readFileSync(root + f); const t = performance.now(); await WebAssembly.compile(b); console.log(name, "WebAssembly.compile", (performance.now() - t).toFixed(1), "ms");
}
