// The policy change preview (www/preview.html) in headless Chromium: the hand-worked figures of
// tests/history/README.md from the uploaded files; the page's own 1,000 orders give the report
// `npx aftersales diff` gives for the same requests; screenshots of the page and of the native
// command line's HTML report (tests/js/output/).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pagesFixture, output } from "./chromium.mjs";

const pages = pagesFixture({ before, after });
const repo = fileURLToPath(new URL("../../", import.meta.url));
const history = (name) => join(repo, "tests/history", name);

async function preview(p) {
  await p.click("#run");
  await p.waitForSelector("#kpi-requests");
}

test("preview: the history of tests/history gives the hand-worked figures", async () => {
  const { page: p, errors } = await pages.open("preview.html", { width: 1400, height: 1100 });
  await p.setInputFiles("#old-file", history("policy-old.json"));
  await p.setInputFiles("#new-file", history("policy-new.json"));
  await p.waitForFunction(() => document.getElementById("new").value.includes("2026-12-01"));
  await p.waitForFunction(() => document.getElementById("old").value.includes("2026-10-01"));
  await p.setInputFiles("#history-file", history("returns.jsonl"));
  assert.equal(await p.isChecked("#source-file"), true);
  await preview(p);
  assert.equal(await p.textContent("#kpi-requests"), "23");
  assert.equal(await p.textContent("#kpi-changed"), "19");
  const rows = await p.$$eval("#transitions tbody tr", (trs) => trs.map((r) => `${r.dataset.from}→${r.dataset.to} ${r.dataset.count}/${r.dataset.changed}`));
  assert.deepEqual(rows, ["approve→approve 6/5", "deny→approve 6/6", "deny→deny 8/6", "deny→review 1/1", "error→error 1/0", "review→review 1/1"]);
  const cny = await p.$eval("#money-CNY", (d) => [d.dataset.before, d.dataset.after, d.dataset.delta]);
  assert.deepEqual(cny, ["205200", "337600", "132400"]);
  assert.match(await p.textContent("#money-CNY"), /2,052\.00.*3,376\.00/);
  const codes = await p.$$eval("#codes tbody tr", (trs) => trs.map((r) => r.dataset.code + " " + [...r.querySelectorAll("td.num")].map((c) => c.textContent).join("/")));
  assert.deepEqual(codes, ["CONDITION_DEDUCTION 5/0", "RETURN_WINDOW_EXPIRED 0/9"]);
  await p.screenshot({ path: join(output, "preview.png"), fullPage: true });
  await p.click("#lang-zh");
  assert.match(await p.textContent("h1"), /政策变更预览/);
  assert.deepEqual(errors, []);
});

test("preview: the page's orders give what npx aftersales diff gives for the same requests", async () => {
  const { page: p, errors } = await pages.open("preview.html", { width: 1400, height: 1100 });
  await preview(p);
  const [report, requests, oldText, newText] = await p.evaluate(() => [window.previewReport, window.previewRequests, document.getElementById("old").value, document.getElementById("new").value]);
  assert.equal(report.requests, 1000);
  assert.ok(report.changed > 0);
  const dir = mkdtempSync(join(tmpdir(), "aftersales-preview-"));
  try {
    writeFileSync(join(dir, "old.json"), oldText);
    writeFileSync(join(dir, "new.json"), newText);
    writeFileSync(join(dir, "requests.jsonl"), requests);
    const npx = spawnSync(process.execPath, [join(repo, "pkg/bin/aftersales.mjs"), "diff", join(dir, "old.json"), join(dir, "new.json"), join(dir, "requests.jsonl"), "--format", "json"], { encoding: "utf8" });
    assert.equal(npx.status, 0, npx.stderr);
    assert.deepEqual(JSON.parse(npx.stdout), report);
  } finally {
    rmSync(dir, { recursive: true });
  }
  await p.screenshot({ path: join(output, "preview-orders.png"), fullPage: true });
  assert.deepEqual(errors, []);
});

test("preview: a new policy with errors is shown with line and column, nothing compared", async () => {
  const { page: p } = await pages.open("preview.html");
  await p.setInputFiles("#new-file", history("policy-broken.json"));
  await p.waitForFunction(() => document.getElementById("new").value.includes("Broken on purpose"));
  await p.click("#run");
  await p.waitForFunction(() => document.getElementById("error").textContent.length > 0);
  const error = await p.textContent("#error");
  assert.match(error, /9:16 INVALID_VALUE returns\.window\.days/);
  assert.match(error, /13:5 INVALID_FIELD refunds\.rounding/);
  assert.match(error, /18:8 UNKNOWN_REFERENCE sla\.plans\[0\]\.targets\[0\]\.calendar/);
  assert.equal(await p.$("#kpi-requests"), null);
});

test("preview: a new policy below the law is compared, and its warnings shown with line and column in the page's language", async () => {
  const { page: p } = await pages.open("preview.html");
  await p.click("#lang-zh");
  // The policy in force under CN law with a 3-day window for a change of mind: 3 days under the
  // law's 7.
  await p.evaluate(() => {
    const policy = JSON.parse(document.getElementById("old").value);
    policy.version = "3-day";
    policy.jurisdiction = "CN";
    policy.returns.reasons.changed_mind = { ...(policy.returns.reasons.changed_mind ?? {}), window: { days: 3 } };
    document.getElementById("new").value = JSON.stringify(policy, null, 2);
  });
  await preview(p);
  assert.match(await p.textContent("#warnings p"), /^新政策可以加载，但有以下警告/);
  const items = await p.$$eval("#warnings li", (lis) => lis.map((li) => li.textContent));
  assert.ok(
    items.some((w) =>
      /^\d+:\d+ BELOW_STATUTORY_MINIMUM returns\.reasons\.changed_mind\.window\.days 3 天的退货期短于法定期限：消费者自收到商品之日起七日内有权无理由退货（《消费者权益保护法》第二十五条）$/.test(w),
    ),
    items.join("\n"),
  );
  await p.screenshot({ path: `${output}preview-warnings-zh.png`, fullPage: true });
});

test("the native command line's HTML report, drawn by Chromium", async (t) => {
  const dir = process.env.CARGO_TARGET_DIR ?? join(repo, "target");
  const exe = ["debug", "release"].map((d) => join(dir, d, "aftersales")).find(existsSync);
  if (!exe) return t.skip("the native aftersales is not built (cargo build --features cli)");
  const html = join(output, "diff-report.html");
  const run = spawnSync(exe, ["diff", history("policy-old.json"), history("policy-new.json"), history("returns.jsonl"), "--html", html], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const p = await pages.browser.newPage();
  const requests = [];
  p.on("request", (r) => requests.push(r.url()));
  await p.setViewportSize({ width: 1100, height: 900 });
  await p.goto(`file://${html}`);
  assert.match(await p.textContent("h1"), /What the new policy would change/);
  assert.equal(await p.locator("svg rect").count() > 5, true);
  await p.screenshot({ path: join(output, "diff-report.png"), fullPage: true });
  assert.deepEqual(requests, [`file://${html}`], "nothing fetched but the page itself");
  await p.close();
});
