// The storefront entry (`aftersales/storefront`, the build with Cargo feature `returns` only), in
// Node and in headless Chromium (where it loads its .wasm by URL): every return decision of the
// shared vectors byte for byte as the native (full) answers; every other evaluator's case refused
// with NOT_IN_THIS_BUILD; the full build's fingerprint for the same policy; each evaluator it does
// not carry throwing NOT_IN_THIS_BUILD with the method's name. The checks are storefrontChecks
// (vector-files.mjs), also run in Deno and Bun (runtimes.test.mjs) and workerd (workerd.test.mjs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as storefront from "aftersales/storefront";
import * as full from "aftersales";
import { probeStorefront } from "./storefront-lib.mjs";
import { loadVectors, storefrontChecks } from "./vector-files.mjs";
import { pagesFixture } from "./chromium.mjs";

// As docs/api.md gives it for Node (whose fetch does not read file: URLs, so no `init()`).
storefront.initSync(readFileSync(new URL(import.meta.resolve("aftersales/storefront_bg.wasm"))));
const { files, policies } = loadVectors();

test("the storefront entry in Node", async (t) => {
  const probe = probeStorefront(storefront, files, policies);
  for (const [title, check] of storefrontChecks(assert, probe, "node", { files, policies, full })) await t.test(title, check);
});

const pages = pagesFixture({ before, after });

test("the storefront entry in headless Chromium, its own .wasm loaded by URL", async (t) => {
  const { page: p, errors } = await pages.open("tests/js/browser-runner.html");
  const probe = await p.evaluate(async ([f, pol]) => {
    const storefront = await import("/pkg/storefront.js");
    const { probeStorefront } = await import("/tests/js/storefront-lib.mjs");
    await storefront.default();
    return probeStorefront(storefront, f, pol);
  }, [files, policies]);
  for (const [title, check] of storefrontChecks(assert, probe, "chromium", { files, policies, full })) await t.test(title, check);
  assert.deepEqual(errors, []);
});
