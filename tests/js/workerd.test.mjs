// Cloudflare Workers, run locally in workerd (npm `workerd`, pinned): the package's browsers'
// entry with its .wasm imported as a compiled module (`aftersales/aftersales_bg.wasm`,
// `initSync(wasm)`). Every shared vector is run inside workerd and compared byte for byte with
// the native answers; so is the storefront entry (`aftersales/storefront_bg.wasm`), with the
// checks of storefront.test.mjs (storefrontChecks); the example Worker (examples/worker/, the
// Node service's routes) answers the contract's sample and the vectors of its policy over HTTP
// exactly as native does.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as full from "aftersales";
import { loadVectors, nativeLines, check, storefrontChecks, root } from "./vector-files.mjs";
import { mergePatch } from "./vectors-lib.mjs";
import { startWorkerd } from "./runtimes/workerd.mjs";

let workerd;
before(async () => {
  workerd = await startWorkerd("tests/js/runtimes/workerd.capnp", ["example", "vectors", "storefront"]);
});
after(() => workerd?.stop());

const { PolicyEngine } = full;
const { files, policies } = loadVectors();
const sample = files.find((f) => f.name === "returns-acceptance.json").doc.base;

/** A vector's call → the example Worker's route, from the engine's table of evaluators. */
const ROUTE = Object.fromEntries(
  PolicyEngine.evaluators.flatMap((e) => [
    [e.json.replace(/_json$/, ""), e.route],
    ...(e.batch ? [[e.batch.replace(/_json$/, ""), `${e.route}/batch`]] : []),
  ]),
);

const post = (path, body) =>
  fetch(`${workerd.urls.example}${path}`, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });

test("shared vectors inside workerd, byte for byte as native", async () => {
  const res = await fetch(workerd.urls.vectors, { method: "POST", body: JSON.stringify({ files, policies }) });
  assert.equal(res.status, 200, await res.clone().text());
  check(assert, await res.json(), "workerd");
});

test("the storefront entry inside workerd, its .wasm imported as a module", async (t) => {
  const res = await fetch(workerd.urls.storefront, { method: "POST", body: JSON.stringify({ files, policies }) });
  assert.equal(res.status, 200, await res.clone().text());
  const probe = await res.json();
  for (const [title, check] of storefrontChecks(assert, probe, "workerd", { files, policies, full })) await t.test(title, check);
});

test("the example Worker answers the contract's sample as native does", async () => {
  const res = await post("/v1/returns/check", sample);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
  const native = nativeLines("returns-acceptance.json")[0];
  assert.equal(`{"ok":true,"value":${await res.text()}}`, native);
  const health = await (await fetch(`${workerd.urls.example}/healthz`)).json();
  assert.equal(health.policy, new PolicyEngine(policies["sportswear-cn"]).fingerprint);
  const info = await (await fetch(`${workerd.urls.example}/v1/policy`)).json();
  assert.equal(info.fingerprint, health.policy);
});

test("the example Worker answers every vector of its policy over HTTP as native does, errors included", async () => {
  let ran = 0;
  for (const { name, doc } of files) {
    const native = nativeLines(name);
    for (const [i, c] of doc.cases.entries()) {
      const call = c.call ?? doc.call;
      if ((c.policy ?? doc.policy) !== "sportswear-cn" || !ROUTE[call]) continue;
      const res = await post(ROUTE[call], c.request ?? mergePatch(doc.base ?? {}, c.patch ?? {}));
      const text = await res.text();
      const expected = JSON.parse(native[i]);
      if (expected.ok) {
        assert.equal(res.status, 200, `${name} #${i}: ${text}`);
        assert.equal(`{"ok":true,"value":${text}}`, native[i], `${name} #${i}`);
      } else {
        assert.equal(res.status, expected.error.code === "POLICY_MISMATCH" ? 409 : expected.error.code === "LIMIT_EXCEEDED" ? 413 : 400, `${name} #${i}`);
        // The service's error body is the Node service's: the PolicyError's message, "CODE at path: detail".
        const { code, path, message } = expected.error;
        assert.deepEqual(JSON.parse(text).error, { code, path, message: path ? `${code} at ${path}: ${message}` : `${code}: ${message}` }, `${name} #${i}`);
      }
      ran++;
    }
  }
  assert.ok(ran >= 20, `only ${ran} vectors of sportswear-cn went over HTTP`);
});

test("the example Worker: a batch, a stale fingerprint, a bad body, a wrong route or method", async () => {
  const engine = new PolicyEngine(policies["sportswear-cn"]);
  const batch = await post("/v1/returns/check/batch", [sample, { ...sample, now: "yesterday" }]);
  assert.equal(batch.status, 200);
  assert.equal(await batch.text(), engine.checkReturnsJson(JSON.stringify([sample, { ...sample, now: "yesterday" }])));
  const stale = await post("/v1/returns/check", { ...sample, policy_fingerprint: "sha256:" + "0".repeat(64) });
  assert.equal(stale.status, 409);
  assert.equal((await stale.json()).error.code, "POLICY_MISMATCH");
  const broken = await post("/v1/returns/check", "{");
  assert.equal(broken.status, 400);
  assert.equal((await broken.json()).error.code, "INVALID_JSON");
  const huge = await post("/v1/returns/check", JSON.stringify({ ...sample, pad: "x".repeat(1024 * 1024) }));
  assert.equal(huge.status, 413);
  assert.equal((await huge.json()).error.code, "BODY_TOO_LARGE");
  assert.equal((await post("/v1/nothing", sample)).status, 404);
  assert.equal((await fetch(`${workerd.urls.example}/v1/returns/check`)).status, 405);
});

test("the package exports its browsers' .wasm for a Worker's import", () => {
  assert.match(import.meta.resolve("aftersales/aftersales_bg.wasm"), /\/pkg\/gen\/web\/aftersales_bg\.wasm$/);
});

test("the package exports the storefront's .wasm for a Worker's import, and ships it", () => {
  assert.match(import.meta.resolve("aftersales/storefront_bg.wasm"), /\/pkg\/gen\/storefront\/aftersales_bg\.wasm$/);
  const pkg = JSON.parse(readFileSync(join(root, "pkg/package.json"), "utf8"));
  // Every plain export is in `files` (npm ships package.json whatever `files` says).
  for (const target of Object.values(pkg.exports).filter((t) => typeof t === "string" && t !== "./package.json")) {
    assert.ok(pkg.files.includes(target.replace(/^\.\//, "")), `${target} is exported but not in "files"`);
  }
});
