// The Node service (examples/node-service/server.mjs), started as a real process on 127.0.0.1
// with an ephemeral port, spoken to over real HTTP, and stopped.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../../", import.meta.url).pathname;
const vectors = JSON.parse(readFileSync(join(root, "tests/vectors/returns-acceptance.json"), "utf8"));
const sample = vectors.base;

let child, base, policyPath, logs = "";

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "aftersales-service-"));
  policyPath = join(dir, "policy.json");
  copyFileSync(join(root, "tests/policies/sportswear-cn.json"), policyPath);
  child = spawn(process.execPath, [join(root, "examples/node-service/server.mjs")], {
    env: { ...process.env, POLICY: policyPath, PORT: "0", HOST: "127.0.0.1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start: ${logs}`)), 15000);
    child.stderr.on("data", (chunk) => {
      logs += chunk;
      const m = /on (http:\/\/127\.0\.0\.1:\d+)\//.exec(logs);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on("exit", (code) => reject(new Error(`service exited ${code}: ${logs}`)));
  });
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
