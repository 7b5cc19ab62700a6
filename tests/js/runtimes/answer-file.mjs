// `RUNTIME answer-file.mjs CORPUS OUTPUT [node|web|storefront]`: answers a differential corpus
// through the package in whichever runtime runs it (Node, Deno, Bun), for
// scripts/runtimes-differential.mjs. `node`: `import … from "aftersales"` (the runtime's own pick,
// the Node build for all three); `web`: the browsers' build (`aftersales/web`, its .wasm handed to
// initSync); `storefront`: the storefront build (`aftersales/storefront`, the same way).
import { readFileSync, writeFileSync } from "node:fs";
import { answerLines } from "../answer-corpus.mjs";

const args = globalThis.Deno ? Deno.args : process.argv.slice(2);
const [corpus, output, entry = "node"] = args;
let api;
if (entry === "web" || entry === "storefront") {
  api = await import(`aftersales/${entry}`);
  api.initSync(readFileSync(new URL(`../../../pkg/gen/${entry}/aftersales_bg.wasm`, import.meta.url)));
} else {
  api = await import("aftersales");
}
const lines = readFileSync(corpus, "utf8").split("\n").filter((l) => l.length > 0);
const started = performance.now();
const out = answerLines(api, lines);
const seconds = (performance.now() - started) / 1000;
writeFileSync(output, out.join("\n") + "\n");
console.error(`answered ${out.length} lines in ${seconds.toFixed(2)} s`);
