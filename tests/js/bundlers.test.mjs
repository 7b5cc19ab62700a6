// Browsers beyond the plain page (browser.test.mjs): a page bundled by Vite (npm `vite`, pinned)
// from `import init, * as api from "aftersales"`, and the engine inside a module Web Worker, both
// in headless Chromium, both running every shared vector byte for byte as native.
// (packaging.test.mjs does the same two with the packed tarball, on the contract's sample.)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { launch } from "./chromium.mjs";
import { root, loadVectors, check } from "./vector-files.mjs";
import { serve } from "../../www/server.mjs";

const app = join(root, "tests/js/output/vite-vectors");
let server, url, browser;

before(async () => {
  ({ server, url } = await serve({ port: 0 }));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

async function vectorsIn(path) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  try {
    await page.goto(new URL(path, url).href);
    await page.waitForFunction(() => typeof window.runVectors === "function", null, { timeout: 30_000 });
    const { files, policies } = loadVectors();
    const results = await page.evaluate(([f, p]) => window.runVectors(f, p), [files, policies]);
    assert.deepEqual(errors, []);
    return results;
  } finally {
    await page.close();
  }
}

test("a page bundled by Vite runs every shared vector in Chromium, byte for byte as native", async () => {
  rmSync(app, { recursive: true, force: true });
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, "index.html"), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="./main.js"></script>`);
  writeFileSync(join(app, "main.js"), `import init, * as api from "aftersales";
    import { runVectors } from "../../vectors-lib.mjs";
    await init();
    window.runVectors = (files, policies) => runVectors(api, files, policies);`);
  execFileSync(process.execPath, [join(root, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "error", "--base", "./"],
    { cwd: app, stdio: "pipe" });
  const assets = readdirSync(join(app, "dist/assets"));
  assert.ok(assets.some((f) => f.endsWith(".wasm")), `the wasm is an asset of the build: ${assets.join(", ")}`);
  check(assert, await vectorsIn("/tests/js/output/vite-vectors/dist/index.html"), "vite");
});

test("a module Web Worker runs every shared vector in Chromium, byte for byte as native", async () => {
  check(assert, await vectorsIn("/tests/js/runtimes/web-worker.html"), "web-worker");
});
