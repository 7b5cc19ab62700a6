// The npm package as a user gets it: `npm pack` of pkg/, installed into a throwaway project, then
// used from Node CommonJS and ES modules, from a browser page with no bundler, from a Web Worker,
// from a Vite build, and type-checked by tsc under `node16` and `bundler` resolution. Each use makes
// the same return decision, worked out by hand: delivered 3 Nov 2026 15:00 in Shanghai, a 7-day
// window ends 10 Nov 23:59:59 local time, so on 5 Nov the return is approved until then.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, readdirSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, extname, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./chromium.mjs";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const bin = (name) => join(repo, "node_modules", ".bin", name);

const policy = {
  schema: 1, id: "pack-check", version: "1", currency: "CNY", timezone: "Asia/Shanghai",
  returns: { window: { days: 7, from: "delivery" }, reasons: { changed_mind: {} } },
};
const request = {
  now: "2026-11-05T10:00:00+08:00", locale: "en", reason: "changed_mind", resolution: "refund",
  order: { id: "O1", currency: "CNY", placed_at: "2026-11-01T12:00:00+08:00", delivered_at: "2026-11-03T15:00:00+08:00",
    lines: [{ id: "L1", quantity: 1, unit_price: 19900 }] },
  items: [{ line_id: "L1", quantity: 1 }],
};
const DEADLINE = "2026-11-10T23:59:59+08:00";

/** The decision a consumer reports: outcome and the item's deadline. */
function check(summary, where) {
  assert.equal(summary.outcome, "approve", `${where}: ${JSON.stringify(summary)}`);
  assert.equal(summary.deadline, DEADLINE, where);
}

const evaluate = `
  const engine = new PolicyEngine(${JSON.stringify(policy)});
  const d = engine.checkReturn(${JSON.stringify(request)});
  let code = null;
  try { engine.checkReturn({ ...${JSON.stringify(request)}, items: [{ line_id: "L1", quantity: -1 }] }); }
  catch (e) { code = e instanceof PolicyError ? e.code + " " + e.path : String(e); }
  const summary = { outcome: d.outcome, deadline: d.items[0].deadline, error: code };`;

let dir, project, server, url, browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "aftersales-pack-"));
  const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: join(repo, "pkg") }).toString());
  const tarball = join(dir, packed[0].filename);
  project = join(dir, "consumer");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "0.0.0" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], { cwd: project, stdio: "pipe" });
  server = await serveStatic(project);
  url = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
}, { timeout: 120_000 });

after(async () => {
  await browser?.close();
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the tarball holds the package's files and nothing of the build tree", () => {
  const files = readdirSync(join(project, "node_modules/aftersales"), { recursive: true }).map(String).sort();
  for (const f of ["package.json", "index.d.ts", "types.generated.d.ts", "node.cjs", "node.mjs", "web.js", "policy.schema.json",
    "gen/web/aftersales_bg.wasm", "gen/node/aftersales_bg.wasm"]) {
    assert.ok(files.includes(f), `${f} missing from the package: ${files.join(", ")}`);
  }
  assert.ok(!files.some((f) => f.endsWith(".rs") || f.startsWith("target")), files.join(", "));
});

test("Node CommonJS: require('aftersales')", () => {
  writeFileSync(join(project, "use.cjs"), `const { PolicyEngine, PolicyError } = require("aftersales");${evaluate}
    console.log(JSON.stringify(summary));`);
  const summary = JSON.parse(execFileSync(process.execPath, ["use.cjs"], { cwd: project }).toString());
  check(summary, "require");
  assert.equal(summary.error, "INVALID_VALUE items[0].quantity");
});

test("Node ES modules: import from 'aftersales', and the policy schema by its export", () => {
  writeFileSync(join(project, "use.mjs"), `import { PolicyEngine, PolicyError } from "aftersales";
    import { createRequire } from "node:module";
    import { readFileSync } from "node:fs";${evaluate}
    const schemaPath = createRequire(import.meta.url).resolve("aftersales/policy.schema.json");
    summary.schema = JSON.parse(readFileSync(schemaPath, "utf8")).title;
    console.log(JSON.stringify(summary));`);
  const summary = JSON.parse(execFileSync(process.execPath, ["use.mjs"], { cwd: project }).toString());
  check(summary, "import");
  assert.equal(summary.error, "INVALID_VALUE items[0].quantity");
  assert.equal(summary.schema, "aftersales policy");
});

test("TypeScript: a consumer type-checks under node16 and bundler resolution, and a wrong field does not", () => {
  writeFileSync(join(project, "consumer.ts"), `import init, { PolicyEngine, PolicyError, validatePolicy, type PolicyDocument, type ReturnDecision } from "aftersales";
    const policy: PolicyDocument = ${JSON.stringify(policy)};
    export async function run(): Promise<string> {
      await init();
      const engine = new PolicyEngine(policy);
      const d: ReturnDecision = engine.checkReturn(${JSON.stringify(request)});
      const v = validatePolicy(policy);
      try { engine.checkReturn("{}"); } catch (e) { if (e instanceof PolicyError) return e.code + e.path; }
      return d.outcome + v.warnings.length + engine.info.fingerprint;
    }`);
  writeFileSync(join(project, "wrong.ts"), `import type { PolicyDocument } from "aftersales";
    export const p: PolicyDocument = { schema: 1, id: "x", version: "1", currency: "CNY", timezone: "UTC", retruns: {} };`);
  for (const [module, resolution] of [["node16", "node16"], ["esnext", "bundler"]]) {
    const args = ["--noEmit", "--strict", "--skipLibCheck", "false", "--target", "es2022", "--module", module, "--moduleResolution", resolution];
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "0.0.0", type: "module",
      dependencies: JSON.parse(readFileSync(join(project, "package.json"), "utf8")).dependencies }));
    execFileSync(bin("tsc"), [...args, "consumer.ts"], { cwd: project, stdio: "pipe" });
    assert.throws(() => execFileSync(bin("tsc"), [...args, "wrong.ts"], { cwd: project, stdio: "pipe" }),
      (e) => String(e.stdout).includes("retruns"), `${resolution}: a misspelt section must not type-check`);
  }
});

/** Opens a page, waits for `window.summary`, returns it; page errors fail the test. */
async function summaryOf(path) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    await page.goto(`${url}${path}`);
    await page.waitForFunction(() => window.summary !== undefined, null, { timeout: 20_000 });
    const summary = await page.evaluate(() => window.summary);
    assert.deepEqual(errors, []);
    return summary;
  } finally {
    await page.close();
  }
}

test("a browser page with no bundler imports web.js and runs in Chromium", async () => {
  writeFileSync(join(project, "plain.html"), `<!doctype html><meta charset="utf-8"><script type="module">
    import init, { PolicyEngine, PolicyError } from "./node_modules/aftersales/web.js";
    await init();${evaluate}
    window.summary = summary;</script>`);
  const summary = await summaryOf("/plain.html");
  check(summary, "plain page");
  assert.equal(summary.error, "INVALID_VALUE items[0].quantity");
});

test("a module Web Worker evaluates off the main thread (a dashboard's many orders)", async () => {
  writeFileSync(join(project, "worker.js"), `import init, { PolicyEngine, PolicyError } from "./node_modules/aftersales/web.js";
    await init();${evaluate}
    postMessage(summary);`);
  writeFileSync(join(project, "worker.html"), `<!doctype html><meta charset="utf-8"><script type="module">
    const w = new Worker("./worker.js", { type: "module" });
    w.onmessage = (e) => { window.summary = e.data; };
    w.onerror = (e) => { window.summary = { error: String(e.message) }; };</script>`);
  const summary = await summaryOf("/worker.html");
  check(summary, "worker");
});

test("a Vite 7 build bundles the package and its wasm, and the built page runs in Chromium", async () => {
  const app = join(project, "vite-app");
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, "index.html"), `<!doctype html><meta charset="utf-8"><script type="module" src="./main.js"></script>`);
  // After the checks, a new WebAssembly instance inside the bundle (what a trap triggers): the
  // engine made before it gives the same answer afterwards.
  writeFileSync(join(app, "main.js"), `import init, { PolicyEngine, PolicyError, restartInstance, instanceRestarts } from "aftersales";
    await init();${evaluate}
    const before = engine.checkReturnJson(${JSON.stringify(JSON.stringify(request))});
    await restartInstance();
    summary.restart = [before === engine.checkReturnJson(${JSON.stringify(JSON.stringify(request))}), instanceRestarts()];
    window.summary = summary;`);
  execFileSync(process.execPath, [join(repo, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "error", "--base", "./"],
    { cwd: app, stdio: "pipe" });
  const assets = readdirSync(join(app, "dist/assets"));
  assert.ok(assets.some((f) => f.endsWith(".wasm")), `the wasm is an asset of the build: ${assets.join(", ")}`);
  const summary = await summaryOf("/vite-app/dist/index.html");
  check(summary, "vite build");
  assert.deepEqual(summary.restart, [true, 1], "a new instance inside the Vite bundle");
});

/** A static file server for the throwaway project, with the wasm MIME type. */
function serveStatic(root) {
  const types = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };
  const s = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(root, path);
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve(s)));
}
