// The storefront entry's checks, for every runtime it runs in. `probeStorefront` runs inside the
// runtime (Node, headless Chromium, Deno, Bun, workerd: no Node API here, as vectors-lib.mjs) and
// returns what it answered as JSON-safe data; `storefrontChecks` (vector-files.mjs, on the Node
// side) compares that with the native answers and the full build.
import { runVectors, CALLS } from "./vectors-lib.mjs";

/** The vectors' calls the storefront build carries (Cargo feature `returns`). */
export const RETURNS = new Set(["check_return", "check_returns"]);

/**
 * The vector files as two sets, each file keeping only its cases of one kind, with their indexes
 * in the whole file: `returns` (answered as the full build answers them) and `refused` (every
 * other evaluator's call, refused with NOT_IN_THIS_BUILD). `validate_policy` and `load_policy`
 * are in neither: the storefront does not check the sections it does not read (docs/api.md).
 */
export function splitVectors(files) {
  const pick = (keep) =>
    files
      .map(({ name, doc }) => {
        const kept = doc.cases.flatMap((c, i) => (keep(c.call ?? doc.call) ? [[c, i]] : []));
        return { name, doc: { ...doc, cases: kept.map(([c]) => c) }, indexes: kept.map(([, i]) => i) };
      })
      .filter((f) => f.indexes.length > 0);
  return { returns: pick((call) => RETURNS.has(call)), refused: pick((call) => !RETURNS.has(call) && call in CALLS) };
}

/**
 * Runs in the runtime, through its storefront entry `api` (loaded): every return case and every
 * refused one of the shared vectors, the fingerprint of every policy (null for one it refuses),
 * what each evaluator it does not carry throws, its table of evaluators, and a return decision
 * after the refusals.
 */
export function probeStorefront(api, files, policies) {
  const { PolicyEngine, PolicyError } = api;
  const { returns, refused } = splitVectors(files);
  const fingerprints = {};
  for (const [name, text] of Object.entries(policies)) {
    try {
      fingerprints[name] = new PolicyEngine(text).fingerprint;
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      fingerprints[name] = null;
    }
  }
  const engine = new PolicyEngine(policies["sportswear-cn"]);
  const refund = files.find((f) => f.name === "refunds-acceptance.json").doc.base;
  const thrown = (call) => {
    try {
      call();
      return "did not throw";
    } catch (e) {
      return { policyError: e instanceof PolicyError, code: e.code, path: e.path };
    }
  };
  const refusals = {
    quoteRefund: thrown(() => engine.quoteRefund(refund)),
    quoteRefunds: thrown(() => engine.quoteRefunds([refund])),
    ...Object.fromEntries(["checkExchange", "checkWarranty", "slaDeadlines", "calendar"].map((m) => [m, thrown(() => engine[m]({}))])),
    compare: thrown(() => PolicyEngine.compare(policies["sportswear-cn"], policies["sportswear-cn"], [])),
  };
  return {
    returns: runVectors(api, returns, policies),
    refused: runVectors(api, refused, policies).map(({ name, lines }) => ({ name, lines })),
    fingerprints,
    refusals,
    built: Object.fromEntries(PolicyEngine.evaluators.map((e) => [e.js, e.built])),
    // The engine is still whole after the refusals.
    after: engine.checkReturn(files.find((f) => f.name === "returns-acceptance.json").doc.base).outcome,
  };
}
