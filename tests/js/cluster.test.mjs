// The Node service with two workers (WORKERS=2, Node's cluster), as real processes: both answer;
// SIGHUP reloads every worker or, for a bad policy, none; a worker that dies is replaced with the
// policy the others serve; SIGTERM drains every worker and the primary exits 0.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PolicyEngine } from "aftersales";
import { root, sample, startService, getFresh, rawRequest, parseResponse, waitFor } from "./service-lib.mjs";

const start = (env = {}) => startService({ WORKERS: "2", ...env });

let service, policyPath;

before(async () => {
  policyPath = join(mkdtempSync(join(tmpdir(), "aftersales-cluster-")), "policy.json");
  copyFileSync(join(root, "tests/policies/sportswear-cn.json"), policyPath);
  service = await start({ POLICY: policyPath }); // a copy: the SIGHUP tests rewrite it
  service.child.stderr.on("data", (chunk) => { service.logs += chunk; });
});

after(() => service?.child.kill("SIGTERM"));

/** POST over a connection of its own, so that successive calls reach the workers in turn. */
function postFresh(port, path, body) {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "POST", agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => { text += chunk; });
      res.on("end", () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

/** `/healthz` over `n` fresh connections: worker id → the fingerprints it answered with. */
async function poll(port, n = 12) {
  const seen = new Map();
  for (let i = 0; i < n; i++) {
    const { body } = await getFresh(port, "/healthz");
    assert.equal(body.ok, true);
    seen.set(body.worker, new Set([...(seen.get(body.worker) ?? []), body.policy]));
  }
  return seen;
}

const fingerprintOf = (path) => new PolicyEngine(readFileSync(path, "utf8")).fingerprint;

test("two workers answer, on one fingerprint", async () => {
  assert.match(service.logs, /\(policy sha256:[0-9a-f]{64}, 2 workers\)/);
  const seen = await poll(service.port);
  assert.deepEqual([...seen.keys()].sort(), [1, 2]);
  for (const fingerprints of seen.values()) assert.deepEqual([...fingerprints], [fingerprintOf(policyPath)]);
  const workers = new Set();
  for (let i = 0; i < 4; i++) {
    const res = await postFresh(service.port, "/v1/returns/check", sample);
    assert.equal(res.status, 200);
    assert.equal(res.body.outcome, "approve");
    assert.equal(res.body.deadline, "2026-11-25T23:59:59+08:00");
    workers.add(res.body.policy.fingerprint);
  }
  assert.equal(workers.size, 1);
});

test("SIGHUP with a new valid policy: every worker answers with the new fingerprint", async () => {
  const before = fingerprintOf(policyPath);
  const policy = JSON.parse(readFileSync(policyPath, "utf8"));
  policy.version = "2026-12-01";
  writeFileSync(policyPath, JSON.stringify(policy));
  const after = fingerprintOf(policyPath);
  assert.notEqual(after, before);
  service.child.kill("SIGHUP");
  await waitFor(() => /policy reloaded: .* on all 2 workers/.test(service.logs));
  assert.match(service.logs, new RegExp(`policy reloaded: ${before} -> ${after} on all 2 workers`));
  const seen = await poll(service.port);
  assert.deepEqual([...seen.keys()].sort(), [1, 2]);
  for (const fingerprints of seen.values()) assert.deepEqual([...fingerprints], [after]);
  // A decision made under the old policy is refused by every worker; one under the new, accepted.
  for (let i = 0; i < 4; i++) {
    const stale = await postFresh(service.port, "/v1/returns/check", { ...sample, policy_fingerprint: before });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, "POLICY_MISMATCH");
    const fresh = await postFresh(service.port, "/v1/returns/check", { ...sample, policy_fingerprint: after });
    assert.equal(fresh.status, 200);
    assert.equal(fresh.body.policy.version, "2026-12-01");
  }
});

test("SIGHUP with a bad policy: refused once by the primary, no worker changes", async () => {
  const serving = fingerprintOf(policyPath);
  const workerLines = () => service.logs.split("\n").filter((l) => /^\[worker \d+\] policy reload/.test(l)).length;
  const reloadsBefore = workerLines();
  writeFileSync(policyPath, '{"schema": 1, "id": "broken"');
  service.child.kill("SIGHUP");
  await waitFor(() => /reload refused/.test(service.logs));
  assert.match(service.logs, new RegExp(`policy reload refused, still serving ${serving} on all 2 workers`));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(workerLines(), reloadsBefore); // the workers never saw it
  const seen = await poll(service.port);
  assert.deepEqual([...seen.keys()].sort(), [1, 2]);
  for (const fingerprints of seen.values()) assert.deepEqual([...fingerprints], [serving]);
});

test("a worker that dies is replaced, serving the policy the others serve (not the file's)", async () => {
  const serving = (await getFresh(service.port, "/healthz")).body.policy; // the file is still broken
  const victim = (await getFresh(service.port, "/healthz")).body;
  process.kill(victim.pid, "SIGKILL");
  await waitFor(() => /worker 3 \(pid \d+\) serving policy/.test(service.logs), 15000); // restarted after 1 s if young
  assert.match(service.logs, new RegExp(`worker ${victim.worker} \\(pid ${victim.pid}\\) exited \\(signal SIGKILL\\); starting a replacement`));
  const seen = await poll(service.port);
  assert.equal(seen.size, 2);
  assert.ok(seen.has(3), `workers seen: ${[...seen.keys()]}`);
  assert.ok(!seen.has(victim.worker));
  for (const fingerprints of seen.values()) assert.deepEqual([...fingerprints], [serving]);
});

test("SIGTERM drains every worker: the request in flight is answered, then the primary exits 0", async () => {
  const cluster = await start();
  const body = JSON.stringify(sample);
  const exchange = rawRequest(cluster.port, "/v1/returns/check", body);
  await exchange.opened;
  await exchange.send(exchange.head + body.slice(0, 30)); // in flight: headers and part of the body
  await new Promise((r) => setTimeout(r, 100));
  cluster.child.kill("SIGTERM");
  await waitFor(() => (cluster.logs.match(/\[worker \d\] the primary: draining/g) ?? []).length === 2);
  assert.match(cluster.logs, /SIGTERM: draining 2 workers/);
  await exchange.send(body.slice(30));
  const response = parseResponse(await exchange.closed);
  assert.equal(response.status, 200);
  assert.equal(response.headers.connection, "close");
  assert.equal(JSON.parse(response.body).outcome, "approve");
  assert.equal(await cluster.exited, 0);
  assert.match(cluster.logs, /every worker drained; exiting/);
  await assert.rejects(fetch(cluster.base + "/healthz"));
});

test("a worker's drain that outlasts DRAIN_MS is cut, and the primary exits 1", async () => {
  const cluster = await start({ DRAIN_MS: "300" });
  const body = JSON.stringify(sample);
  const exchange = rawRequest(cluster.port, "/v1/returns/check", body);
  await exchange.opened;
  await exchange.send(exchange.head + body.slice(0, 30)); // and never the rest
  await new Promise((r) => setTimeout(r, 100));
  cluster.child.kill("SIGTERM");
  assert.equal(await cluster.exited, 1);
  assert.equal(await exchange.closed, ""); // cut, not answered
  assert.match(cluster.logs, /\[worker \d\] drain deadline of 300 ms passed/);
  assert.match(cluster.logs, /exiting with connections cut/);
});
