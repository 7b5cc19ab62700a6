#!/usr/bin/env node
// Sizes of .wasm files, raw, gzip -9 and brotli -q 11 (Node's zlib, the same encoders as the
// `gzip` and `brotli` tools): `node scripts/wasm-size.mjs pkg/gen/web/aftersales_bg.wasm …`.
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

for (const path of process.argv.slice(2)) {
  const bytes = readFileSync(path);
  const gz = gzipSync(bytes, { level: 9 }).length;
  const br = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }).length;
  console.log(`${path}: raw ${bytes.length}, gzip -9 ${gz}, brotli -q 11 ${br} bytes`);
}
