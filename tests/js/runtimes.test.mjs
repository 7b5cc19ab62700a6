// Deno and Bun (both from npm, pinned in package.json): the shared vectors through the package's
// Node entry (`import … from "aftersales"`), its browsers' entry (`aftersales/web` + `init()`) and
// its storefront entry (`aftersales/storefront` + `init()`), each run as a child process
// (tests/js/runtimes/vectors.mjs), every answer compared byte for byte with the native one
// (target/vector-outputs/, written by `cargo test --test vectors`); the storefront's with the
// checks of storefront.test.mjs (storefrontChecks).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { join } from "node:path";
import * as full from "aftersales";
import { root, check, loadVectors, storefrontChecks } from "./vector-files.mjs";

const run = promisify(execFile);
const vectors = loadVectors();
const bin = (name) => join(root, "node_modules/.bin", name);
const script = join(root, "tests/js/runtimes/vectors.mjs");

export const RUNTIMES = {
  deno: (entry) => [bin("deno"), ["run", "--no-lock", "--quiet", "--allow-read", script, entry]],
  bun: (entry) => [bin("bun"), [script, entry]],
};

for (const [runtime, command] of Object.entries(RUNTIMES)) {
  for (const entry of ["node", "web"]) {
    test(`shared vectors in ${runtime} through the ${entry} entry, byte for byte as native`, async () => {
      const [file, args] = command(entry);
      const { stdout } = await run(file, args, { cwd: root, maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
      const { results, sample } = JSON.parse(stdout);
      assert.deepEqual(sample, { outcome: "approve", deadline: "2026-11-25T23:59:59+08:00" });
      check(assert, results, `${runtime}-${entry}`);
    });
  }
  test(`the storefront entry in ${runtime}, its .wasm fetched by file URL`, async (t) => {
    const [file, args] = command("storefront");
    const { stdout } = await run(file, args, { cwd: root, maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
    const { results: probe, sample } = JSON.parse(stdout);
    assert.deepEqual(sample, { outcome: "approve", deadline: "2026-11-25T23:59:59+08:00" });
    for (const [title, check] of storefrontChecks(assert, probe, runtime, { ...vectors, full })) await t.test(title, check);
  });
}

test("the runtimes are the pinned ones", async () => {
  const pins = JSON.parse((await import("node:fs")).readFileSync(join(root, "package.json"), "utf8")).devDependencies;
  const { stdout: deno } = await run(bin("deno"), ["--version"]);
  assert.match(deno, new RegExp(`^deno ${pins.deno.replaceAll(".", "\\.")} `));
  const { stdout: bun } = await run(bin("bun"), ["--version"]);
  assert.equal(bun.trim(), pins.bun);
});
