// `npx aftersales` (pkg/bin/aftersales.mjs, the package's command line through the wasm) as a
// process: the hand-worked figures of tests/history/README.md, validate with line and column and
// its exit codes, JSON Lines through check; and the same JSON as the native `aftersales --format
// json` when that binary is built (`cargo build --features cli`; make test builds it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(repo, "pkg/bin/aftersales.mjs");
const history = (name) => join(repo, "tests/history", name);

const npx = (args, input) => spawnSync(process.execPath, [bin, ...args], { input: input ?? "", encoding: "utf8" });

/** The native binary, if built: target dir from CARGO_TARGET_DIR or ./target, debug or release. */
function native() {
  const dir = process.env.CARGO_TARGET_DIR ?? join(repo, "target");
  return ["debug", "release"].map((p) => join(dir, p, "aftersales")).find(existsSync);
}

test("npx aftersales diff: the hand-worked figures of tests/history", () => {
  const r = npx(["diff", history("policy-old.json"), history("policy-new.json"), history("returns.jsonl"), "--format", "json"]);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.requests, 23);
  assert.equal(report.changed, 19);
  const counts = report.transitions.map((t) => `${t.from}→${t.to} ${t.count}/${t.changed}`);
  assert.deepEqual(counts, ["approve→approve 6/5", "deny→approve 6/6", "deny→deny 8/6", "deny→review 1/1", "error→error 1/0", "review→review 1/1"]);
  assert.deepEqual(report.money, [{ currency: "CNY", before: 205200, after: 337600, delta: 132400 }]);
  assert.equal(report.deadlines[0].later, 18);
  assert.equal(report.deadlines[0].later_seconds, 12441600);
  assert.deepEqual(report.reasons, [
    { code: "CONDITION_DEDUCTION", gained: 5, lost: 0 },
    { code: "RETURN_WINDOW_EXPIRED", gained: 0, lost: 9 },
  ]);

  const table = npx(["diff", history("policy-old.json"), history("policy-new.json"), "--fail-on-change"], readFileSync(history("returns.jsonl"), "utf8"));
  assert.equal(table.status, 1);
  assert.match(table.stdout, /23 requests compared, 19 changed/);
  assert.match(table.stdout, /CNY 2,052\.00 → 3,376\.00/);
});

test("npx aftersales validate: every error with line and column, exit 1; a clean policy exits 0", () => {
  const broken = history("policy-broken.json");
  const r = npx(["validate", broken]);
  assert.equal(r.status, 1);
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines.length, 4, r.stdout);
  assert.ok(lines[0].startsWith(`${broken}:9:16: error INVALID_VALUE at returns.window.days:`), r.stdout);
  assert.ok(lines[1].startsWith(`${broken}:13:5: error INVALID_FIELD at refunds.rounding:`), r.stdout);
  assert.ok(lines[2].startsWith(`${broken}:18:8: error UNKNOWN_REFERENCE at sla.plans[0].targets[0].calendar:`), r.stdout);
  assert.equal(npx(["validate", history("policy-old.json"), history("policy-new.json")]).status, 0);
  assert.equal(npx(["validate", "/nonexistent.json"]).status, 2);
});

test("npx aftersales check: JSON Lines in order, a bad line reported with its number", () => {
  const requests = readFileSync(history("returns.jsonl"), "utf8").trim().split("\n");
  const input = [requests[0], "{nope", requests[4]].join("\n");
  const r = npx(["check", history("policy-new.json")], input);
  assert.equal(r.status, 1);
  const out = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(out.map((e) => [e.line, e.ok]), [[1, true], [2, false], [3, true]]);
  assert.equal(out[1].error.code, "INVALID_JSON");
  assert.equal(out[2].value.outcome, "approve");
});

test("npx and the native command line print the same JSON", (t) => {
  const exe = native();
  if (!exe) return t.skip("the native aftersales is not built (cargo build --features cli)");
  const runs = [
    ["diff", history("policy-old.json"), history("policy-new.json"), history("returns.jsonl"), "--format", "json"],
    ["diff", history("policy-old.json"), history("policy-new.json"), history("returns.jsonl"), "--format", "json", "--examples", "1"],
    ["validate", "--format", "json", history("policy-broken.json"), history("policy-old.json")],
    ["diff", history("policy-old.json"), history("policy-new.json"), history("returns.jsonl")],
    ["validate", history("policy-broken.json"), history("policy-new.json")],
    ["validate", "--locale", "zh-CN", "--format", "json", history("policy-old.json"), history("policy-new.json")],
  ];
  for (const args of runs) {
    const a = npx(args);
    const b = spawnSync(exe, args, { encoding: "utf8" });
    assert.equal(a.status, b.status, args.join(" "));
    assert.equal(a.stdout, b.stdout, args.join(" "));
  }
  const requests = readFileSync(history("returns.jsonl"), "utf8") + "garbage\n";
  const a = npx(["check", history("policy-old.json")], requests);
  const b = spawnSync(exe, ["check", history("policy-old.json")], { input: requests, encoding: "utf8" });
  assert.equal(a.stdout, b.stdout);
  assert.equal(a.status, b.status);
});
