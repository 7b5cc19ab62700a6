// Browsers (and bundlers, and Web Workers): `import init, { PolicyEngine } from "aftersales"`,
// then `await init()` once before the first engine. No bundler is needed: the .wasm is found
// beside this file by URL.
import initGlue, { initSync as initGlueSync } from "./gen/web/aftersales.js";
import * as glue from "./gen/web/aftersales.js";
import { createApi } from "./src/api.js";

export const { PolicyEngine, PolicyError, validatePolicy } = createApi(glue);

/** Loads the wasm: by default from beside this file; or pass a URL, a Response, bytes or a WebAssembly.Module. */
export default async function init(source) {
  await initGlue({ module_or_path: source ?? new URL("./gen/web/aftersales_bg.wasm", import.meta.url) });
}

/** Loads the wasm synchronously from bytes or a compiled WebAssembly.Module. */
export function initSync(module) {
  initGlueSync({ module });
}
