// The shared vectors through `require("aftersales")` (Node, CommonJS).
const { test } = require("node:test");
const assert = require("node:assert/strict");
const api = require("aftersales");

test("shared vectors in Node (CommonJS), byte for byte as native", async () => {
  const { runVectors } = await import("./vectors-lib.mjs");
  const { loadVectors, check } = await import("./vector-files.mjs");
  const { files, policies } = loadVectors();
  check(assert, runVectors(api, files, policies), "node-cjs");
});
