// The differential runner's `answer` (bench/differential/src/bin/answer.rs) in JavaScript, through
// the npm package: the same corpus lines in, the same output lines out, so that every runtime's
// answers can be compared byte for byte with the native ones (scripts/runtimes-differential.mjs).
// Pure: runs in Node, Deno, Bun and workerd alike.
//
// `answerLines(api, lines, start, policies)`: `lines` are corpus lines (JSON text), the first one
// being line `start`; `policies` maps an earlier line's index to its policy text (for
// `policy_of`), and is filled with the texts these lines carry. Returns the output lines.

import { CALLS } from "./vectors-lib.mjs";

export function answerLines(api, lines, start = 0, policies = {}, engines = new Map()) {
  const { PolicyEngine, PolicyError, validatePolicy } = api;
  const out = [];
  lines.forEach((raw, k) => {
    const i = start + k;
    const line = JSON.parse(raw);
    let policy = line.policy;
    if (typeof policy === "string") policies[i] = policy;
    else if (line.policy_of !== undefined) policy = policies[line.policy_of];
    if (typeof policy !== "string") throw new Error(`line ${i}: no policy`);
    try {
      if (line.call === "validate_policy") {
        out.push(`{"i":${i},"ok":${JSON.stringify(validatePolicy(policy))}}`);
        return;
      }
      if (!engines.has(policy)) {
        try {
          engines.set(policy, { engine: new PolicyEngine(policy) });
        } catch (e) {
          if (!(e instanceof PolicyError)) throw e;
          engines.set(policy, { error: e });
        }
      }
      const { engine, error } = engines.get(policy);
      if (line.call === "load_policy") {
        out.push(error ? `{"i":${i},"err":${JSON.stringify(error)}}` : `{"i":${i},"ok":${JSON.stringify(engine.info)}}`);
        return;
      }
      if (error) {
        out.push(`{"i":${i},"policy_err":${JSON.stringify(error)}}`);
        return;
      }
      const method = CALLS[line.call];
      if (!method) throw new Error(`line ${i}: unknown call ${line.call}`);
      try {
        out.push(`{"i":${i},"ok":${engine[method](line.request ?? "")}}`);
      } catch (e) {
        if (!(e instanceof PolicyError)) throw e;
        out.push(`{"i":${i},"err":${JSON.stringify(error ?? e)}}`);
      }
    } catch (e) {
      if (e instanceof PolicyError) throw e;
      // A trap or a JavaScript error: the native runner's `panic` line.
      out.push(`{"i":${i},"panic":${JSON.stringify(String(e && e.message ? e.message : e))}}`);
    }
  });
  return out;
}
