// Node, ES modules: `import { PolicyEngine } from "aftersales"`. Shares the CommonJS instance,
// so `require` and `import` in one process see one engine module.
import api from "./node.cjs";

export const { PolicyEngine, PolicyError, validatePolicy, restartInstance, instanceRestarts } = api;
/** Nothing to wait for in Node (the wasm is loaded synchronously); kept for code shared with browsers. */
export default async function init() {}
export function initSync() {}
