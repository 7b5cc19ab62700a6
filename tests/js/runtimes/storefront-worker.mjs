// A Worker for tests/js/workerd.test.mjs: the storefront entry with its .wasm imported as a
// compiled module (`aftersales/storefront_bg.wasm`, `initSync(wasm)`). POST {files, policies} →
// what it answers (probeStorefront, tests/js/storefront-lib.mjs), as JSON.
import * as api from "aftersales/storefront";
import wasm from "aftersales/storefront_bg.wasm";
import { probeStorefront } from "storefront-lib.mjs";

api.initSync(wasm);

export default {
  async fetch(request) {
    const { files, policies } = await request.json();
    return Response.json(probeStorefront(api, files, policies));
  },
};
