// The storefront entry (`aftersales/storefront`, the build with Cargo feature `returns` only):
// every return decision of the shared vectors, byte for byte as the native (full) answers, in Node
// and in headless Chromium (where it loads its .wasm by URL); the full build's fingerprint for the
// same policy; NOT_IN_THIS_BUILD for what it does not carry.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as storefront from "aftersales/storefront";
import * as full from "aftersales";
import { runVectors } from "./vectors-lib.mjs";
import { loadVectors, nativeLines, root } from "./vector-files.mjs";
import { pagesFixture } from "./chromium.mjs";

storefront.initSync(readFileSync(join(root, "pkg/gen/storefront/aftersales_bg.wasm")));
const { files, policies } = loadVectors();
const RETURNS = new Set(["check_return", "check_returns"]);

test("every return decision of the shared vectors, through the storefront entry, byte for byte as native", () => {
  let ran = 0;
  const failures = [];
  for (const { name, doc } of files) {
    const kept = doc.cases.map((c, i) => [c, i]).filter(([c]) => RETURNS.has(c.call ?? doc.call));
    if (kept.length === 0) continue;
    const native = nativeLines(name);
    assert.ok(native, `no native answers for ${name}: run \`cargo test --test vectors\` first`);
    const [result] = runVectors(storefront, [{ name, doc: { ...doc, cases: kept.map(([c]) => c) } }], policies);
    failures.push(...result.failures);
    result.lines.forEach((line, j) => {
      const i = kept[j][1];
      if (line !== native[i]) failures.push(`${name} #${i}: storefront differs from native\n  storefront: ${line}\n  native: ${native[i]}`);
    });
    ran += kept.length;
  }
  assert.ok(ran >= 80, `only ${ran} return cases ran`);
  assert.deepEqual(failures, [], `${failures.length} of ${ran} return cases failed:\n${failures.join("\n")}`);
});

test("the storefront entry reads a whole policy document and gives it the full build's fingerprint", () => {
  for (const [name, text] of Object.entries(policies)) {
    let expected;
    try {
      expected = new full.PolicyEngine(text).fingerprint;
    } catch {
      continue; // a policy the full build refuses (tests/policies holds some on purpose)
    }
    assert.equal(new storefront.PolicyEngine(text).fingerprint, expected, name);
  }
});

test("an evaluator the storefront does not carry throws NOT_IN_THIS_BUILD, naming the method", () => {
  const engine = new storefront.PolicyEngine(policies["sportswear-cn"]);
  const refund = files.find((f) => f.name === "refunds-acceptance.json").doc.base;
  assert.throws(() => engine.quoteRefund(refund), (e) => e instanceof storefront.PolicyError && e.code === "NOT_IN_THIS_BUILD" && e.path === "quoteRefund");
  assert.throws(() => engine.quoteRefunds([refund]), (e) => e.code === "NOT_IN_THIS_BUILD" && e.path === "quoteRefunds");
  for (const method of ["checkExchange", "checkWarranty", "slaDeadlines", "calendar"]) {
    assert.throws(() => engine[method]({}), (e) => e.code === "NOT_IN_THIS_BUILD" && e.path === method, method);
  }
  assert.throws(() => storefront.PolicyEngine.compare(policies["sportswear-cn"], policies["sportswear-cn"], []), (e) => e.code === "NOT_IN_THIS_BUILD");
  const built = Object.fromEntries(storefront.PolicyEngine.evaluators.map((e) => [e.js, e.built]));
  assert.deepEqual(built, { checkReturn: true, quoteRefund: false, checkExchange: false, checkWarranty: false, slaDeadlines: false, calendar: false });
  assert.ok(full.PolicyEngine.evaluators.every((e) => e.built));
  // The engine is still whole after the refusals.
  assert.equal(engine.checkReturn(files.find((f) => f.name === "returns-acceptance.json").doc.base).outcome, "approve");
});

const pages = pagesFixture({ before, after });

test("in headless Chromium, the storefront entry loads its own .wasm by URL and answers every return case as native", async () => {
  const { page: p, errors } = await pages.open("tests/js/browser-runner.html");
  const returns = files
    .map(({ name, doc }) => ({ name, doc: { ...doc, cases: doc.cases.filter((c) => RETURNS.has(c.call ?? doc.call)) } }))
    .filter((f) => f.doc.cases.length > 0);
  const results = await p.evaluate(async ([f, pol]) => {
    const storefront = await import("/pkg/storefront.js");
    const { runVectors } = await import("/tests/js/vectors-lib.mjs");
    await storefront.default();
    return runVectors(storefront, f, pol);
  }, [returns, policies]);
  const failures = [];
  let ran = 0;
  results.forEach((result, k) => {
    const { name, doc } = returns[k];
    const native = nativeLines(name);
    const whole = files.find((f) => f.name === name).doc;
    const indexes = whole.cases.flatMap((c, i) => (RETURNS.has(c.call ?? whole.call) ? [i] : []));
    failures.push(...result.failures);
    assert.equal(result.lines.length, doc.cases.length, name);
    result.lines.forEach((line, j) => {
      if (line !== native[indexes[j]]) failures.push(`${name} #${indexes[j]}: Chromium storefront differs from native`);
    });
    ran += doc.cases.length;
  });
  assert.ok(ran >= 80, `only ${ran} return cases ran`);
  assert.deepEqual(failures, []);
  assert.deepEqual(errors, []);
});
