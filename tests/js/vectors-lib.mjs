// Runs the shared vectors (tests/vectors/**/*.json) through the npm package's API. The same
// module runs in Node (CJS and ESM tests) and in headless Chromium (browser.test.mjs), and
// prints each answer exactly as tests/vectors.rs does, so the runtimes can be compared byte for
// byte with the native answers.

/** A vector's `call` → the package's JSON-text method. */
export const CALLS = {
  check_return: "checkReturnJson",
  check_returns: "checkReturnsJson",
  quote_refund: "quoteRefundJson",
  quote_refunds: "quoteRefundsJson",
  check_exchange: "checkExchangeJson",
  check_exchanges: "checkExchangesJson",
  check_warranty: "checkWarrantyJson",
  check_warranties: "checkWarrantiesJson",
  calendar: "calendarJson",
  sla_deadlines: "slaDeadlinesJson",
  sla_deadlines_many: "slaDeadlinesManyJson",
};

/** RFC 7386 JSON merge patch. */
export function mergePatch(target, patch) {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const out = target !== null && typeof target === "object" && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Every key `expect` names must be equal in `actual`; arrays element by element, same length. */
export function matches(expect, actual, at = "", problems = []) {
  if (expect !== null && typeof expect === "object" && !Array.isArray(expect)) {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
      problems.push(`${at}: expected an object, got ${JSON.stringify(actual)}`);
      return problems;
    }
    for (const [k, v] of Object.entries(expect)) {
      if (!(k in actual)) problems.push(`${at}.${k}: missing (expected ${JSON.stringify(v)})`);
      else matches(v, actual[k], `${at}.${k}`, problems);
    }
  } else if (Array.isArray(expect)) {
    if (!Array.isArray(actual) || actual.length !== expect.length) {
      problems.push(`${at}: expected ${expect.length} elements, got ${JSON.stringify(actual)}`);
      return problems;
    }
    expect.forEach((v, i) => matches(v, actual[i], `${at}[${i}]`, problems));
  } else if (expect !== actual) {
    problems.push(`${at}: expected ${JSON.stringify(expect)}, got ${JSON.stringify(actual)}`);
  }
  return problems;
}

const errorLine = (e) => JSON.stringify({ error: { code: e.code, message: e.detail, path: e.path }, ok: false });

/**
 * Runs vector files. `files` is [{name, doc}], `policies` maps a policy name to its JSON text.
 * Returns [{name, lines, failures, ran}], `lines` holding one printed answer per case.
 */
export function runVectors(api, files, policies) {
  const { PolicyEngine, PolicyError } = api;
  const engines = new Map();
  const engineFor = (text) => {
    if (!engines.has(text)) {
      try {
        engines.set(text, { engine: new PolicyEngine(text) });
      } catch (e) {
        if (!(e instanceof PolicyError)) throw e;
        engines.set(text, { error: e });
      }
    }
    return engines.get(text);
  };
  return files.map(({ name, doc }) => {
    const lines = [];
    const failures = [];
    doc.cases.forEach((c, i) => {
      const label = `${name} #${i} ${c.name ?? ""}`;
      const call = c.call ?? doc.call;
      const spec = c.policy ?? doc.policy;
      const text = typeof spec === "string" ? policies[spec] : JSON.stringify(spec);
      if (text === undefined) throw new Error(`${label}: no policy ${spec}`);
      const loaded = call === "validate_policy" ? {} : engineFor(text);
      let line;
      if (call === "validate_policy") {
        const { locale } = c.request ?? mergePatch(doc.base ?? {}, c.patch ?? {});
        line = `{"ok":true,"value":${JSON.stringify(api.validatePolicy(text, { locale }))}}`;
      } else if (loaded.error) {
        line = errorLine(loaded.error);
      } else if (call === "load_policy") {
        line = JSON.stringify(loaded.engine.info);
      } else {
        const method = CALLS[call];
        if (!method) throw new Error(`${label}: unknown call ${call}`);
        if (typeof loaded.engine[method] !== "function") throw new Error(`${label}: this build has no ${method}`);
        const request = c.request ?? mergePatch(doc.base ?? {}, c.patch ?? {});
        try {
          line = `{"ok":true,"value":${loaded.engine[method](JSON.stringify(request))}}`;
        } catch (e) {
          if (!(e instanceof PolicyError)) throw e;
          line = errorLine(e);
        }
      }
      if (call === "load_policy" && !loaded.error) line = `{"ok":true,"value":${line}}`;
      lines.push(line);
      const printed = JSON.parse(line);
      const problems =
        "expect" in c
          ? matches({ ok: true, value: c.expect }, printed)
          : "expect_error" in c
            ? matches({ ok: false, error: c.expect_error }, printed)
            : ["the case has neither expect nor expect_error"];
      if (problems.length) failures.push(`${label}\n  ${problems.join("\n  ")}\n  answer: ${line}`);
    });
    return { name, lines, failures, ran: doc.cases.length };
  });
}
