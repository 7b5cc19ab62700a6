// The benchmark's three implementations of one policy (bench/peers/fixture.mjs) agree on every one
// of its 10,000 requests: aftersales, json-rules-engine with the same rules, and the hand-written
// plain-JS floor. A benchmark of programs that disagree would compare nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Engine } from "json-rules-engine";
import { PolicyEngine } from "aftersales";
import { policy, generate, plainDecide, jreEngine, jreDecide } from "../../bench/peers/fixture.mjs";

test("aftersales, json-rules-engine and plain JS make the same 10,000 decisions", async () => {
  const requests = generate(10_000);
  const engine = new PolicyEngine(policy);
  const jre = jreEngine(Engine);
  const counts = { approve: 0, deny: 0, review: 0 };
  const disagree = [];
  for (const [i, req] of requests.entries()) {
    const ours = engine.checkReturn(req).outcome;
    const plain = plainDecide(req);
    const theirs = await jreDecide(jre, req);
    counts[ours] += 1;
    if (ours !== plain || ours !== theirs) disagree.push({ i, ours, plain, theirs });
  }
  assert.deepEqual(disagree.slice(0, 5), [], `${disagree.length} disagreements`);
  // The fixture exercises every outcome, not only one.
  for (const [k, n] of Object.entries(counts)) assert.ok(n > 500, `${k}: ${n} of 10,000`);
});

test("the batch over JSON text gives the same outcomes as one call at a time", () => {
  const requests = generate(2_000, 7);
  const engine = new PolicyEngine(policy);
  const batch = JSON.parse(engine.checkReturnsJson(JSON.stringify(requests)));
  assert.deepEqual(batch.map((e) => e.value.outcome), requests.map((r) => engine.checkReturn(r).outcome));
});
