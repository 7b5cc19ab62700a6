// Browsers (and bundlers, and Web Workers): `import init, { PolicyEngine } from "aftersales"`,
// then `await init()` once before the first engine. No bundler is needed: the .wasm is found
// beside this file by URL.
import { initSync as initGlueSync } from "./gen/web/aftersales.js";
import * as glue from "./gen/web/aftersales.js";
import { createApi } from "./src/api.js";

/** The compiled module, kept to start a new instance should the current one ever stop. */
let compiled;
let instances = 1;

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

/** A new module instance of the glue (a module runs once per URL), on the same compiled wasm. */
async function freshInstance() {
  instances += 1;
  const next = await import(new URL(`./gen/web/aftersales.js?instance=${instances}`, import.meta.url).href);
  next.initSync({ module: compiled });
  return next;
}

export const { PolicyEngine, PolicyError, validatePolicy, restartInstance, instanceRestarts } = createApi(glue, freshInstance);

/** Loads the wasm: by default from beside this file; or pass a URL, a Response, bytes or a WebAssembly.Module. */
export default async function init(source) {
  if (compiled) return;
  compiled = await compile(source ?? new URL("./gen/web/aftersales_bg.wasm", import.meta.url));
  initGlueSync({ module: compiled });
}

/** Loads the wasm synchronously from bytes or a compiled WebAssembly.Module. */
export function initSync(module) {
  if (compiled) return;
  compiled = module instanceof WebAssembly.Module ? module : new WebAssembly.Module(module);
  initGlueSync({ module: compiled });
}
