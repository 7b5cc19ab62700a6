// A Worker for tests/js/workerd.test.mjs: POST {files, policies} → the shared vectors run through
// the package inside workerd (tests/js/vectors-lib.mjs), the results as JSON.
import * as api from "aftersales";
import wasm from "aftersales/aftersales_bg.wasm";
import { runVectors } from "vectors-lib.mjs";

api.initSync(wasm);

export default {
  async fetch(request) {
    const { files, policies } = await request.json();
    return Response.json(runVectors(api, files, policies));
  },
};
