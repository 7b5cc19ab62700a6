// If the WebAssembly instance ever traps, the wrapper starts a new one and says so, instead of
// failing every later call. The engine gives no input a way to trap (it refuses instead), so the
// trap is simulated with a stand-in glue around the wrapper's real code; the restart itself is
// exercised for real in Node here and in Chromium (browser.test.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createApi } from "../../pkg/src/api.js";
import * as node from "aftersales";

const root = new URL("../../", import.meta.url).pathname;
const policy = readFileSync(`${root}tests/policies/sportswear-cn.json`, "utf8");
const sample = JSON.parse(readFileSync(`${root}tests/vectors/returns-acceptance.json`, "utf8")).base;

/** A stand-in glue whose engines answer "ok-<instance>" and trap while `trap.on` is set. */
function standIn(instance, trap) {
  class WasmEngine {
    constructor(text) { this.text = text; }
    fingerprint() { return `fp-${instance}`; }
    info_json() { return "{}"; }
    check_return_json() {
      if (trap.on) throw new WebAssembly.RuntimeError("unreachable");
      return JSON.stringify({ answered_by: instance });
    }
    free() {}
  }
  const evaluators_json = () => '[{"js":"checkReturn","json":"check_return_json","route":"/v1/returns/check"}]';
  return { WasmEngine, evaluators_json, validate_policy_json: () => '{"ok":true,"errors":[]}', wasm_memory_bytes: () => 0 };
}

test("a trap is answered with ENGINE_RESTARTED, and the next call runs on a new instance", (t) => {
  t.mock.method(console, "warn", () => {});
  const trap = { on: false };
  let instances = 1;
  const api = createApi(standIn(1, trap), () => standIn(++instances, trap));
  const engine = new api.PolicyEngine(policy);
  assert.deepEqual(engine.checkReturn(sample), { answered_by: 1 });
  trap.on = true;
  assert.throws(() => engine.checkReturn(sample), (e) => e instanceof api.PolicyError && e.code === "ENGINE_RESTARTED");
  trap.on = false;
  assert.deepEqual(engine.checkReturn(sample), { answered_by: 2 });
  assert.equal(engine.fingerprint, "fp-2");
  assert.equal(api.instanceRestarts(), 1);
  assert.match(console.warn.mock.calls[0].arguments[0], /instance stopped \(unreachable\); a new one was started/);
});

test("where a new instance takes a moment (browsers), calls say ENGINE_RESTARTING until it is there", async (t) => {
  t.mock.method(console, "warn", () => {});
  const trap = { on: true };
  let instances = 1;
  let release;
  const api = createApi(standIn(1, trap), () => new Promise((resolve) => { release = () => resolve(standIn(++instances, trap)); }));
  const engine = new api.PolicyEngine(policy);
  assert.throws(() => engine.checkReturn(sample), (e) => e.code === "ENGINE_RESTARTED");
  trap.on = false;
  assert.throws(() => engine.checkReturn(sample), (e) => e.code === "ENGINE_RESTARTING");
  release();
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(engine.checkReturn(sample), { answered_by: 2 });
});

test("Node: a real new instance; engines made before it keep answering the same", async (t) => {
  t.mock.method(console, "warn", () => {});
  const engine = new node.PolicyEngine(policy);
  const before = engine.checkReturnJson(sample);
  const restarts = node.instanceRestarts();
  await node.restartInstance();
  assert.equal(node.instanceRestarts(), restarts + 1);
  assert.equal(engine.checkReturnJson(sample), before);
  assert.equal(new node.PolicyEngine(policy).checkReturnJson(sample), before);
});
