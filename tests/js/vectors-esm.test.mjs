// The shared vectors through `import … from "aftersales"` (Node, ES modules), and the
// behaviour of the JS layer itself: errors, recovery, object and text inputs.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as api from "aftersales";
import { runVectors } from "./vectors-lib.mjs";
import { loadVectors, check } from "./vector-files.mjs";

const { PolicyEngine, PolicyError, validatePolicy } = api;
const { files, policies } = loadVectors();
const sample = files.find((f) => f.name === "returns-acceptance.json").doc.base;

test("shared vectors in Node (ES modules), byte for byte as native", () => {
  check(assert, runVectors(api, files, policies), "node-esm");
});

test("a policy given as an object or as text compiles to the same fingerprint", () => {
  const text = policies["sportswear-cn"];
  assert.equal(new PolicyEngine(JSON.parse(text)).fingerprint, new PolicyEngine(text).fingerprint);
});

test("bad input throws a PolicyError, an Error with code and path", () => {
  const engine = new PolicyEngine(policies["sportswear-cn"]);
  const bad = structuredClone(sample);
  bad.items[0].quantity = 3;
  assert.throws(() => engine.checkReturn(bad), (e) => e instanceof PolicyError && e instanceof Error && e.code === "INVALID_VALUE" && e.path === "items[0].quantity");
  assert.throws(() => new PolicyEngine("{"), (e) => e instanceof PolicyError && e.code === "INVALID_JSON");
  assert.throws(() => new PolicyEngine({ schema: 1 }), (e) => e.code === "INVALID_FIELD" && e.path === "id");
});

test("validatePolicy reports instead of throwing", () => {
  assert.deepEqual(validatePolicy(policies["sportswear-cn"]).ok, true);
  const r = validatePolicy({ schema: 1, id: "x", version: "1", currency: "CNY", timezone: "Mars/Base" });
  assert.equal(r.ok, false);
  assert.equal(r.errors[0].code, "UNKNOWN_TIMEZONE");
  assert.equal(r.errors[0].path, "timezone");
});

test("after 10,000 interleaved bad and good calls the same engine still answers correctly", () => {
  const engine = new PolicyEngine(policies["sportswear-cn"]);
  const hostile = ["", "null", "[]", "{\"now\": 5}", "\u0000", "{".repeat(10000), JSON.stringify({ ...sample, items: [{ line_id: "L1", quantity: -1 }] }), JSON.stringify({ ...sample, order: { ...sample.order, lines: [{ id: "L1", quantity: 1, unit_price: 1.5 }] } })];
  for (let i = 0; i < 10_000; i++) {
    assert.throws(() => engine.checkReturnJson(hostile[i % hostile.length]), PolicyError);
    const d = engine.checkReturn(sample);
    assert.equal(d.outcome, "approve");
    assert.equal(d.deadline, "2026-11-25T23:59:59+08:00");
  }
});

test("a cyclic request object is refused as INVALID_JSON, not a crash", () => {
  const engine = new PolicyEngine(policies["sportswear-cn"]);
  const cyclic = structuredClone(sample);
  cyclic.order.self = cyclic;
  assert.throws(() => engine.checkReturn(cyclic), (e) => e instanceof PolicyError && e.code === "INVALID_JSON");
});

test("a request may come as UTF-8 bytes (a Buffer of a body): the same answer; bytes that are not UTF-8 are INVALID_JSON", () => {
  const engine = new PolicyEngine(policies["sportswear-cn"]);
  const text = JSON.stringify({ ...sample, order: { ...sample.order, lines: sample.order.lines.map((l) => ({ ...l, sku: "运动鞋-1" })) } });
  assert.equal(engine.checkReturnJson(Buffer.from(text)), engine.checkReturnJson(text));
  assert.equal(engine.checkReturnJson(new TextEncoder().encode(text)), engine.checkReturnJson(text));
  assert.deepEqual(engine.checkReturns(Buffer.from(`[${text}]`))[0], { ok: true, value: engine.checkReturn(text) });
  const broken = Buffer.concat([Buffer.from(text.slice(0, 20)), Buffer.from([0xff, 0xfe]), Buffer.from(text.slice(20))]);
  assert.throws(() => engine.checkReturnJson(broken), (e) => e instanceof PolicyError && e.code === "INVALID_JSON" && /UTF-8/.test(e.message));
  // The instance is still whole after the refusal.
  assert.equal(engine.checkReturn(text).eligible, engine.checkReturn(sample).eligible);
});

test("a lone surrogate is INVALID_JSON, from an object too (JSON.stringify escapes it); a key given twice and an amount beyond an f64 are named at their field", () => {
  const engine = new PolicyEngine(policies["sportswear-cn"]);
  const lone = structuredClone(sample);
  lone.order.lines[0].sku = "SHOE-\ud800";
  const surrogate = (e) => e instanceof PolicyError && e.code === "INVALID_JSON" && e.path === "order.lines[0].sku" &&
    e.detail === "a string holds a lone surrogate escape (\\ud800), which is not Unicode text";
  assert.throws(() => engine.checkReturn(lone), surrogate);
  assert.throws(() => engine.checkReturnJson(JSON.stringify(lone)), surrogate);
  const text = JSON.stringify(sample);
  assert.throws(() => engine.checkReturnJson(text.replace('"locale":"en"', '"locale":"en","locale":"zh-CN"')),
    (e) => e.code === "INVALID_FIELD" && e.path === "locale" && e.detail === "`locale` appears twice");
  assert.throws(() => engine.checkReturnJson(text.replace('"unit_price":59900', '"unit_price":1e400')),
    (e) => e.code === "AMOUNT_OUT_OF_RANGE" && e.path === "order.lines[0].unit_price" &&
      e.detail === "1e400 is beyond ±9007199254740991 minor units, the exact range of a JavaScript number");
});

test("keys such as __proto__ neither crash nor pollute Object.prototype", () => {
  const engine = new PolicyEngine(policies["sportswear-cn"]);
  const text = JSON.stringify(sample).replace('"order":', '"__proto__": {"polluted": true}, "order":');
  assert.throws(() => engine.checkReturnJson(text), (e) => e.code === "INVALID_FIELD" && e.path === "__proto__");
  const oddKeys = policies["sportswear-cn"].replace('"reasons": {', '"reasons": {"__proto__": {"window": {"days": 3}}, "constructor": {},');
  const withOdd = new PolicyEngine(oddKeys);
  const d = withOdd.checkReturn({ ...sample, reason: "__proto__" });
  assert.equal(d.items[0].window_days, 3 + 15);
  assert.ok(withOdd.fingerprint.startsWith("sha256:"));
  assert.equal({}.polluted, undefined);
  assert.equal(Object.prototype.polluted, undefined);
});

test("batch: one envelope per request", () => {
  const engine = new PolicyEngine(policies["sportswear-cn"]);
  const [a, b] = engine.checkReturns([sample, { ...sample, now: "yesterday" }]);
  assert.equal(a.ok, true);
  assert.equal(b.ok, false);
  assert.equal(b.error.code, "INVALID_TIMESTAMP");
  assert.equal(b.error.path, "[1].now");
});

test("a policy object nested 100,000 deep, and a 50 MB policy, are refused promptly as LIMIT_EXCEEDED", () => {
  let deep = { "customer.tier": { eq: "gold" } };
  for (let i = 0; i < 100_000; i++) deep = { not: deep };
  const policy = JSON.parse(policies["sportswear-cn"]);
  policy.returns.rules[1].when = deep;
  assert.throws(() => new PolicyEngine(policy), (e) => e instanceof PolicyError && e.code === "LIMIT_EXCEEDED");
  const huge = JSON.stringify({ ...JSON.parse(policies["sportswear-cn"]), name: "x".repeat(50 * 1024 * 1024) });
  assert.throws(() => new PolicyEngine(huge), (e) => e instanceof PolicyError && e.code === "LIMIT_EXCEEDED");
  assert.equal(new PolicyEngine(policies["sportswear-cn"]).checkReturn(sample).outcome, "approve");
});

test("money beyond 2^53 - 1 or with a fraction is refused at the boundary, never rounded", () => {
  const engine = new PolicyEngine(policies["sportswear-cn"]);
  for (const price of [599.5, 2 ** 53, 1e20]) {
    const req = structuredClone(sample);
    req.order.lines[0].unit_price = price;
    assert.throws(() => engine.checkReturn(req), (e) => e.code === "AMOUNT_OUT_OF_RANGE" && e.path === "order.lines[0].unit_price");
  }
});
