// A module Web Worker (tests/js/runtimes/web-worker.html): the shared vectors in, their results out.
import init, * as api from "/pkg/web.js";
import { runVectors } from "/tests/js/vectors-lib.mjs";

// The handler is set at once, before the wasm is loaded: a message that arrives while `init()` is
// still running waits for it instead of finding no handler (and the page waiting for ever).
const ready = init();
self.onmessage = async (e) => {
  await ready;
  postMessage(runVectors(api, e.data.files, e.data.policies));
};
