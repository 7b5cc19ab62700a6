// The Node service (examples/node-service/server.mjs), started as a real process on 127.0.0.1
// with an ephemeral port, spoken to over real HTTP, and stopped.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PolicyEngine } from "aftersales";
import { root, sample, startService, rawRequest, parseResponse, waitFor } from "./service-lib.mjs";

// These run the service as one process (WORKERS=1); cluster.test.mjs runs it with two workers.
const start = (env = {}) => startService({ WORKERS: "1", ...env });

let child, base, policyPath, logs = "";

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "aftersales-service-"));
  policyPath = join(dir, "policy.json");
  copyFileSync(join(root, "tests/policies/sportswear-cn.json"), policyPath);
  const service = await start({ POLICY: policyPath }); // a copy: the SIGHUP test rewrites it
  child = service.child;
  base = service.base;
  logs = service.logs;
  service.child.stderr.on("data", (chunk) => { logs += chunk; });
});

after(() => child?.kill("SIGTERM"));

const post = (path, body) => fetch(base + path, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });

test("health and policy", async () => {
  const health = await (await fetch(base + "/healthz")).json();
  assert.equal(health.ok, true);
  const info = await (await fetch(base + "/v1/policy")).json();
  assert.equal(info.id, "sportswear-cn");
  assert.equal(info.version, "2026-11-01");
  assert.match(info.fingerprint, /^sha256:[0-9a-f]{64}$/);
});

test("a return check answers the contract's sample: approve until 25 Nov", async () => {
  const res = await post("/v1/returns/check", sample);
  assert.equal(res.status, 200);
  const d = await res.json();
  assert.equal(d.outcome, "approve");
  assert.equal(d.deadline, "2026-11-25T23:59:59+08:00");
});

test("the routes are the engine's table of evaluators; the calendar route adds business hours", async () => {
  const routes = PolicyEngine.evaluators.flatMap((e) => [e.route, ...(e.js_batch ? [`${e.route}/batch`] : [])]);
  assert.deepEqual(routes, [
    "/v1/returns/check", "/v1/returns/check/batch", "/v1/refunds/quote", "/v1/refunds/quote/batch",
    "/v1/exchanges/check", "/v1/exchanges/check/batch",
    "/v1/warranty/check", "/v1/warranty/check/batch", "/v1/sla", "/v1/sla/batch", "/v1/calendar",
  ]);
  // Friday 17:00 + 2 business hours on Mon–Fri 09:00–18:00: 1 h on Friday, 1 h on Monday.
  const res = await post("/v1/calendar", {
    calendar: "support", from: "2026-11-27T17:00:00+08:00", op: "add", duration: { business_hours: 2 },
  });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).at, "2026-11-30T10:00:00+08:00");
  for (const route of routes.filter((r) => r !== "/v1/calendar")) {
    assert.equal((await post(route, "{}")).status, 400, route); // each is served, and refuses an empty request
  }
});

test("the batch form: one envelope per request", async () => {
  const bad = structuredClone(sample);
  bad.items[0].quantity = 3;
  const res = await post("/v1/returns/check/batch", [sample, bad]);
  assert.equal(res.status, 200);
  const [a, b] = await res.json();
  assert.equal(a.ok, true);
  assert.equal(b.ok, false);
  assert.equal(b.error.path, "[1].items[0].quantity");
});

test("not JSON → 400 INVALID_JSON", async () => {
  const res = await post("/v1/returns/check", "{not json");
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.code, "INVALID_JSON");
});

test("a body that is not UTF-8 → 400 INVALID_JSON; a Chinese one is read as sent", async () => {
  const text = JSON.stringify(sample);
  const broken = Buffer.concat([Buffer.from(text.slice(0, 10)), Buffer.from([0xc3, 0x28]), Buffer.from(text.slice(10))]);
  const res = await fetch(base + "/v1/returns/check", { method: "POST", body: broken });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.code, "INVALID_JSON");
  // A line id in Chinese comes back in the answer byte for byte.
  const zh = structuredClone(sample);
  zh.order.lines[0].id = "鞋-行1";
  zh.items[0].line_id = "鞋-行1";
  const ok = await fetch(base + "/v1/returns/check", { method: "POST", body: Buffer.from(JSON.stringify(zh)) });
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).items[0].line_id, "鞋-行1");
});

test("a PolicyError → 400 with code and path", async () => {
  const bad = structuredClone(sample);
  bad.items[0].quantity = 3;
  const res = await post("/v1/returns/check", bad);
  assert.equal(res.status, 400);
  const { error } = await res.json();
  assert.equal(error.code, "INVALID_VALUE");
  assert.equal(error.path, "items[0].quantity");
});

test("a decision made under another policy → 409 POLICY_MISMATCH", async () => {
  const res = await post("/v1/returns/check", { ...sample, policy_fingerprint: "sha256:" + "0".repeat(64) });
  assert.equal(res.status, 409);
  assert.equal((await res.json()).error.code, "POLICY_MISMATCH");
});

test("a body over 1 MiB → 413", async () => {
  const res = await post("/v1/returns/check", JSON.stringify({ pad: "x".repeat(1024 * 1024 + 10) }));
  assert.equal(res.status, 413);
});

test("unknown routes and methods", async () => {
  assert.equal((await fetch(base + "/v1/nothing")).status, 404);
  assert.equal((await fetch(base + "/v1/returns/check")).status, 405);
});

test("SIGHUP reloads a good policy and refuses a bad one, which keeps the old one serving", async () => {
  const before = (await (await fetch(base + "/v1/policy")).json()).fingerprint;
  const policy = JSON.parse(readFileSync(policyPath, "utf8"));
  policy.version = "2026-12-01";
  writeFileSync(policyPath, JSON.stringify(policy));
  child.kill("SIGHUP");
  let info;
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 50));
    info = await (await fetch(base + "/v1/policy")).json();
    if (info.version === "2026-12-01") break;
  }
  assert.equal(info.version, "2026-12-01");
  assert.notEqual(info.fingerprint, before);

  writeFileSync(policyPath, '{"schema": 1, "id": "broken"');
  child.kill("SIGHUP");
  for (let i = 0; i < 50 && !/reload refused/.test(logs); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(logs, /reload refused/);
  const still = await (await fetch(base + "/v1/policy")).json();
  assert.equal(still.version, "2026-12-01");
  const res = await post("/v1/returns/check", sample);
  assert.equal((await res.json()).policy.version, "2026-12-01");
});

test("a client that stops part way through its body gets 408 and is disconnected", async () => {
  const service = await start({ REQUEST_TIMEOUT_MS: "400" });
  try {
    const body = JSON.stringify(sample);
    const exchange = rawRequest(service.port, "/v1/returns/check", body);
    await exchange.opened;
    await exchange.send(exchange.head + body.slice(0, 20));
    const response = parseResponse(await exchange.closed); // the server closes the socket
    assert.equal(response.status, 408);
  } finally {
    service.child.kill("SIGKILL");
  }
});

test("SIGTERM drains: the request in flight is answered, then the process exits 0 and refuses new connections", async () => {
  const service = await start();
  const body = JSON.stringify(sample);
  const exchange = rawRequest(service.port, "/v1/returns/check", body);
  await exchange.opened;
  await exchange.send(exchange.head + body.slice(0, 30)); // in flight: headers and part of the body
  await new Promise((r) => setTimeout(r, 100));
  service.child.kill("SIGTERM");
  await waitFor(() => /draining/.test(service.logs));
  assert.match(service.logs, /SIGTERM: draining/);
  await exchange.send(body.slice(30));
  const response = parseResponse(await exchange.closed);
  assert.equal(response.status, 200);
  assert.equal(response.headers.connection, "close");
  const decision = JSON.parse(response.body);
  assert.equal(decision.outcome, "approve"); // the contract's sample, as the test above
  assert.equal(decision.deadline, "2026-11-25T23:59:59+08:00");
  assert.equal(await service.exited, 0);
  await assert.rejects(fetch(service.base + "/healthz"));
});

test("a drain that outlasts DRAIN_MS cuts the connection still open and exits 1", async () => {
  const service = await start({ DRAIN_MS: "300" });
  const body = JSON.stringify(sample);
  const exchange = rawRequest(service.port, "/v1/returns/check", body);
  await exchange.opened;
  await exchange.send(exchange.head + body.slice(0, 30)); // and never the rest
  await new Promise((r) => setTimeout(r, 100));
  service.child.kill("SIGTERM");
  assert.equal(await service.exited, 1);
  assert.equal(await exchange.closed, ""); // cut, not answered
  assert.match(service.logs, /drain deadline of 300 ms passed/);
});
