// What the two browser entries (web.js, the full build; storefront.js, return eligibility only)
// share: loading their wasm by URL, bytes or module, once, and the API over their glue.
import { createApi } from "./api.js";

async function compile(source) {
  if (source instanceof WebAssembly.Module) return source;
  if (typeof source === "string" || source instanceof URL || source instanceof Request) {
    try {
      return await WebAssembly.compileStreaming(fetch(source));
    } catch {
      return WebAssembly.compile(await (await fetch(source)).arrayBuffer()); // a server without the wasm MIME type
    }
  }
  if (typeof Response !== "undefined" && source instanceof Response) return WebAssembly.compile(await source.arrayBuffer());
  return WebAssembly.compile(source);
}

/**
 * The entry over `glue` (a wasm-bindgen `--target web` module): the API, `init(source?)` (by
 * default `defaultUrl()`, the .wasm beside the entry) and `initSync(bytesOrModule)`.
 *
 * A new instance after a trap is wasm-bindgen's `__wbg_reset_state` (built with
 * `--experimental-reset-state-function`): it instantiates the same compiled module again (new
 * memory), empties the glue's memory views, and refuses objects of the old instance; their
 * finalizers never free into the new one. Their `free()` would, so api.js frees only engines of
 * the current instance. A function call, so bundles keep it.
 */
export function webEntry(glue, defaultUrl) {
  /** The compiled module, once loaded (the glue keeps it too, to start a new instance after a trap). */
  let compiled;
  const freshInstance = () => {
    glue.__wbg_reset_state();
    return glue;
  };
  return {
    ...createApi(glue, freshInstance),
    /** Loads the wasm: by default from beside the entry; or a URL, a Response, bytes or a WebAssembly.Module. */
    async init(source) {
      if (compiled) return;
      compiled = await compile(source ?? defaultUrl());
      glue.initSync({ module: compiled });
    },
    /** Loads the wasm synchronously from bytes or a compiled WebAssembly.Module. */
    initSync(module) {
      if (compiled) return;
      compiled = module instanceof WebAssembly.Module ? module : new WebAssembly.Module(module);
      glue.initSync({ module: compiled });
    },
  };
}
