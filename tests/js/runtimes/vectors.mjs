// Run by Deno and Bun as child processes (tests/js/runtimes.test.mjs): the shared vectors through
// one of the package's entries, the results printed as JSON on stdout for the Node side to compare
// byte for byte with the native answers.
//   deno run --allow-read tests/js/runtimes/vectors.mjs node|web|storefront
//   bun tests/js/runtimes/vectors.mjs node|web|storefront
// `node`: `import { PolicyEngine } from "aftersales"` (the runtime picks the package's node entry).
// `web`: `import init, { PolicyEngine } from "aftersales/web"; await init()` (the browsers' build,
// its .wasm fetched by file URL).
// `storefront`: `import init, { PolicyEngine } from "aftersales/storefront"; await init()` (the
// return-only build, its .wasm fetched by file URL); prints `probeStorefront`'s answers instead.
import { runVectors } from "../vectors-lib.mjs";
import { loadVectors } from "../vector-files.mjs";
import { probeStorefront } from "../storefront-lib.mjs";

const entry = (globalThis.Deno ? Deno.args : process.argv.slice(2))[0] ?? "node";
let api;
if (entry === "web") {
  api = await import("aftersales/web");
  await api.default();
} else if (entry === "storefront") {
  api = await import("aftersales/storefront");
  await api.default();
} else {
  api = await import("aftersales");
}
const { files, policies } = loadVectors();
const results = entry === "storefront" ? probeStorefront(api, files, policies) : runVectors(api, files, policies);
const sample = files.find((f) => f.name === "returns-acceptance.json").doc.base;
const decision = new api.PolicyEngine(policies["sportswear-cn"]).checkReturn(sample);
const out = JSON.stringify({ results, sample: { outcome: decision.outcome, deadline: decision.deadline } });
if (globalThis.Deno) await Deno.stdout.write(new TextEncoder().encode(out));
else process.stdout.write(out);
