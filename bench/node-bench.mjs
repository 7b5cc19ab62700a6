// Figures for docs/performance.md, measured in Node: µs per call (object in and out, and JSON text in and
// out), a batch of 10,000 requests, the time to instantiate the wasm, and the .wasm's size raw,
// gzipped and brotli-compressed.   node bench/node-bench.mjs   (or `make bench`)
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { performance } from "node:perf_hooks";
import { PolicyEngine } from "aftersales";
import { initSync } from "../pkg/gen/web/aftersales.js";

const root = new URL("../", import.meta.url).pathname;
const policy = readFileSync(root + "tests/policies/sportswear-cn.json", "utf8");
const request = JSON.parse(readFileSync(root + "tests/vectors/returns-acceptance.json", "utf8")).base;
const requestText = JSON.stringify(request);

function perCall(label, fn, iterations = 100_000) {
  for (let i = 0; i < 5_000; i++) fn();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  const us = ((performance.now() - start) * 1000) / iterations;
  return [label, `${us.toFixed(2)} µs`];
}

const engine = new PolicyEngine(policy);
const rows = [];
rows.push(perCall("checkReturn (object in, object out)", () => engine.checkReturn(request)));
rows.push(perCall("checkReturnJson (JSON text in, JSON text out)", () => engine.checkReturnJson(requestText)));
rows.push(perCall("JSON.parse + JSON.stringify of the same request alone", () => JSON.stringify(JSON.parse(requestText))));

const batch = Array.from({ length: 10_000 }, () => request);
const batchText = JSON.stringify(batch);
engine.checkReturnsJson(batchText);
let start = performance.now();
const out = engine.checkReturnsJson(batchText);
let ms = performance.now() - start;
rows.push(["checkReturnsJson, 10,000 requests", `${ms.toFixed(1)} ms (${((ms * 1000) / 10_000).toFixed(2)} µs each, ${(out.length / 1e6).toFixed(1)} MB out)`]);

const refundPolicy = readFileSync(root + "tests/policies/refunds-cn.json", "utf8");
const refundRequest = JSON.parse(readFileSync(root + "tests/vectors/refunds-acceptance.json", "utf8")).base;
const refunds = new PolicyEngine(refundPolicy);
rows.push(perCall("quoteRefund (object in, object out)", () => refunds.quoteRefund(refundRequest), 50_000));
rows.push(perCall("quoteRefundJson (JSON text in, JSON text out)", () => refunds.quoteRefundJson(JSON.stringify(refundRequest)), 50_000));
const many = JSON.stringify(Array.from({ length: 100_000 }, () => refundRequest));
start = performance.now();
refunds.quoteRefundsJson(many);
rows.push(["quoteRefundsJson, 100,000 quotes in one call", `${((performance.now() - start) / 1000).toFixed(2)} s`]);

const slaPolicy = JSON.parse(readFileSync(root + "tests/policies/sla-cn.json", "utf8"));
slaPolicy.sla.plans[0].targets.push(
  { stage: "callback", within: { business_hours: 4 }, done: "called_back_at" },
  { stage: "quality_check", within: { business_days: 2 }, done: "checked_at" },
  { stage: "closure", within: { days: 7 }, done: "closed_at" });
const sla = new PolicyEngine(slaPolicy);
const kase = { now: "2026-11-23T10:01:00+08:00", type: "enquiry", events: { created_at: "2026-11-20T17:00:00+08:00", registered_at: "2026-11-20T18:10:00+08:00" } };
rows.push(perCall("slaDeadlines, 8 targets (object in, object out)", () => sla.slaDeadlines(kase), 20_000));
const addReq = { calendar: "support", op: "add", from: "2026-11-20T17:00:00+08:00", duration: { business_hours: 2 } };
rows.push(perCall("calendar: add 2 business hours", () => sla.calendar(addReq), 50_000));

const warranty = new PolicyEngine(readFileSync(root + "tests/policies/warranty-cn.json", "utf8"));
const claim = JSON.parse(readFileSync(root + "tests/vectors/warranty-acceptance.json", "utf8")).base;
rows.push(perCall("checkWarranty (object in, object out)", () => warranty.checkWarranty(claim), 50_000));

start = performance.now();
new PolicyEngine(policy).free();
rows.push(["compile the sample policy", `${((performance.now() - start) * 1000).toFixed(0)} µs`]);

const wasm = readFileSync(root + "pkg/gen/web/aftersales_bg.wasm");
start = performance.now();
initSync({ module: new WebAssembly.Module(wasm) });
rows.push(["instantiate the wasm (compile + instantiate, Node)", `${(performance.now() - start).toFixed(1)} ms`]);

const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
rows.push([".wasm raw / gzip -9 / brotli -11", `${kb(wasm.length)} / ${kb(gzipSync(wasm, { level: 9 }).length)} / ${kb(brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length)}`]);

console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
for (const [k, v] of rows) console.log(`${k.padEnd(56)} ${v}`);
