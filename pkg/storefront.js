// The storefront entry: `import init, { PolicyEngine } from "aftersales/storefront"`, then
// `await init()` once before the first engine. A build of the engine with return eligibility only
// (Cargo feature `returns`: the decision and its explanations, the statutory floor, the calendars
// and the SLA's `return_complete` time it counts on), a smaller download than the full entry. It
// reads a merchant's whole policy document and gives it the full build's fingerprint; every other
// evaluator (`quoteRefund`, `checkExchange`, `checkWarranty`, `slaDeadlines`, `calendar`, their
// batches, `PolicyEngine.compare`) is there and throws a PolicyError `NOT_IN_THIS_BUILD`.
// Otherwise as web.js: no bundler needed, the .wasm is found beside this file by URL.
import * as glue from "./gen/storefront/aftersales.js";
import { webEntry } from "./src/web-entry.js";

const entry = webEntry(glue, () => new URL("./gen/storefront/aftersales_bg.wasm", import.meta.url));

export const { PolicyEngine, PolicyError, validatePolicy, restartInstance, instanceRestarts, initSync } = entry;

/** Loads the wasm: by default from beside this file; or pass a URL, a Response, bytes or a WebAssembly.Module. */
export default entry.init;
