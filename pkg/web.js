// Browsers (and bundlers, and Web Workers): `import init, { PolicyEngine } from "aftersales"`,
// then `await init()` once before the first engine. No bundler is needed: the .wasm is found
// beside this file by URL.
import * as glue from "./gen/web/aftersales.js";
import { webEntry } from "./src/web-entry.js";

const entry = webEntry(glue, () => new URL("./gen/web/aftersales_bg.wasm", import.meta.url));

export const { PolicyEngine, PolicyError, validatePolicy, restartInstance, instanceRestarts, initSync } = entry;

/** Loads the wasm: by default from beside this file; or pass a URL, a Response, bytes or a WebAssembly.Module. */
export default entry.init;
