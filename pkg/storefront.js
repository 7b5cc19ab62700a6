// The storefront entry: `import init, { PolicyEngine } from "aftersales/storefront"`, then
// `await init()` once before the first engine. A build of the engine with return eligibility only
// (Cargo feature `returns`: the decision and its explanations, the statutory floor, the calendars
// and the SLA's `return_complete` time it counts on), a smaller download than the full entry. It
// reads a merchant's whole policy document and gives it the full build's fingerprint; every other
// evaluator (`quoteRefund`, `checkExchange`, `checkWarranty`, `slaDeadlines`, `calendar`, their
// batches, `PolicyEngine.compare`) is there and throws a PolicyError `NOT_IN_THIS_BUILD`.
// Otherwise as web.js: no bundler needed, the .wasm is found beside this file by URL.
import * as glue from "./gen/storefront/aftersales.js";
import { createApi } from "./src/api.js";

/** The compiled module, once loaded (the glue keeps it too, to start a new instance after a trap). */
let compiled;

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
 * A new instance of the same compiled wasm in place of the current one: wasm-bindgen's
 * `__wbg_reset_state` (built with `--experimental-reset-state-function`) instantiates the module
 * again (new memory), empties the glue's memory views, and refuses objects of the old instance;
 * their finalizers never free into the new one. Their `free()` would, so api.js frees only engines
 * of the current instance. A function call, so bundles keep it.
 */
function freshInstance() {
  glue.__wbg_reset_state();
  return glue;
}

export const { PolicyEngine, PolicyError, validatePolicy, restartInstance, instanceRestarts } = createApi(glue, freshInstance);

/** Loads the wasm: by default from beside this file; or pass a URL, a Response, bytes or a WebAssembly.Module. */
export default async function init(source) {
  if (compiled) return;
  compiled = await compile(source ?? new URL("./gen/storefront/aftersales_bg.wasm", import.meta.url));
  glue.initSync({ module: compiled });
}

/** Loads the wasm synchronously from bytes or a compiled WebAssembly.Module. */
export function initSync(module) {
  if (compiled) return;
  compiled = module instanceof WebAssembly.Module ? module : new WebAssembly.Module(module);
  glue.initSync({ module: compiled });
}
