// A module Web Worker (tests/js/runtimes/web-worker.html): the shared vectors in, their results out.
import init, * as api from "/pkg/web.js";
import { runVectors } from "/tests/js/vectors-lib.mjs";

await init();
self.onmessage = (e) => postMessage(runVectors(api, e.data.files, e.data.policies));
