// Reads the shared vectors, the policies they name, and the native answers (written by
// `cargo test --test vectors` to target/vector-outputs/) from disk, for the Node-side tests, and
// checks a runtime's answers against them.
import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { CALLS } from "./vectors-lib.mjs";
import { splitVectors } from "./storefront-lib.mjs";

export const root = new URL("../../", import.meta.url).pathname;

function walk(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith(".json") ? [path] : [];
  });
}

export function loadVectors() {
  const dir = join(root, "tests/vectors");
  const files = walk(dir)
    .sort()
    .map((path) => ({ name: relative(dir, path), doc: JSON.parse(readFileSync(path, "utf8")) }));
  const policies = {};
  for (const entry of readdirSync(join(root, "tests/policies"))) {
    if (entry.endsWith(".json")) policies[entry.slice(0, -5)] = readFileSync(join(root, "tests/policies", entry), "utf8");
  }
  return { files, policies };
}

/** The native answers for a vector file, one line per case, or null if cargo test has not run. */
export function nativeLines(name) {
  const path = join(root, "target/vector-outputs", name.replaceAll("/", "__"));
  return existsSync(path) ? readFileSync(path, "utf8").split("\n").filter((l) => l.length > 0) : null;
}

/** Asserts a runtime's results: every expectation holds, and every answer equals the native one byte for byte. */
export function check(assert, results, runtime) {
  let ran = 0;
  const failures = [];
  for (const r of results) {
    ran += r.ran;
    failures.push(...r.failures);
    const native = nativeLines(r.name);
    assert.ok(native, `no native answers for ${r.name}: run \`cargo test --test vectors\` first`);
    r.lines.forEach((line, i) => {
      if (line !== native[i]) failures.push(`${r.name} #${i}: ${runtime} differs from native\n  ${runtime}: ${line}\n  native: ${native[i]}`);
    });
  }
  assert.ok(ran > 0, "no vectors ran");
  assert.deepEqual(failures, [], `${failures.length} of ${ran} vectors failed in ${runtime}:\n${failures.join("\n")}`);
  return ran;
}

/**
 * The checks of a runtime's storefront entry, from what `probeStorefront` (storefront-lib.mjs)
 * answered there: [[title, check]], a test each. `files` and `policies` are loadVectors()'s, `full`
 * the full entry in Node (the fingerprints to match).
 */
export function storefrontChecks(assert, probe, runtime, { files, policies, full }) {
  const { returns, refused } = splitVectors(files);
  return [
    ["every return case of the shared vectors byte for byte as native", () => {
      let ran = 0;
      const failures = [];
      assert.deepEqual(probe.returns.map((r) => r.name), returns.map((f) => f.name));
      probe.returns.forEach((result, k) => {
        const { name, indexes } = returns[k];
        const native = nativeLines(name);
        assert.ok(native, `no native answers for ${name}: run \`cargo test --test vectors\` first`);
        assert.equal(result.lines.length, indexes.length, name);
        failures.push(...result.failures);
        result.lines.forEach((line, j) => {
          const i = indexes[j];
          if (line !== native[i]) failures.push(`${name} #${i}: ${runtime} storefront differs from native\n  storefront: ${line}\n  native: ${native[i]}`);
        });
        ran += indexes.length;
      });
      assert.ok(ran >= 80, `only ${ran} return cases ran`);
      assert.deepEqual(failures, [], `${failures.length} of ${ran} return cases failed in ${runtime}:\n${failures.join("\n")}`);
    }],
    ["every other evaluator's case of the shared vectors is refused with NOT_IN_THIS_BUILD, naming the method", () => {
      let refusals = 0;
      const failures = [];
      assert.deepEqual(probe.refused.map((r) => r.name), refused.map((f) => f.name));
      probe.refused.forEach((result, k) => {
        const { name, doc, indexes } = refused[k];
        const native = nativeLines(name);
        assert.equal(result.lines.length, indexes.length, name);
        result.lines.forEach((line, j) => {
          const method = CALLS[doc.cases[j].call ?? doc.call].replace(/Json$/, "");
          const { ok, error } = JSON.parse(line);
          if (!ok && error.code === "NOT_IN_THIS_BUILD" && error.path === method) refusals++;
          // A policy that does not load is refused before any call, with the full build's error.
          else if (ok || line !== native[indexes[j]]) failures.push(`${name} #${indexes[j]}: ${runtime} storefront answered ${line}`);
        });
      });
      assert.ok(refusals >= 250, `only ${refusals} cases were refused`);
      assert.deepEqual(failures, [], failures.join("\n"));
    }],
    ["a whole policy document read, with the full build's fingerprint", () => {
      for (const [name, text] of Object.entries(policies)) {
        let expected;
        try {
          expected = new full.PolicyEngine(text).fingerprint;
        } catch {
          continue; // a policy the full build refuses (tests/policies holds some on purpose)
        }
        assert.equal(probe.fingerprints[name], expected, name);
      }
    }],
    ["each evaluator it does not carry throws a PolicyError NOT_IN_THIS_BUILD naming the method; the engine stays whole", () => {
      const refusal = (path) => ({ policyError: true, code: "NOT_IN_THIS_BUILD", path });
      assert.deepEqual(probe.refusals, Object.fromEntries(
        ["quoteRefund", "quoteRefunds", "checkExchange", "checkWarranty", "slaDeadlines", "calendar", "compare"].map((m) => [m, refusal(m)]),
      ));
      assert.deepEqual(probe.built, { checkReturn: true, quoteRefund: false, checkExchange: false, checkWarranty: false, slaDeadlines: false, calendar: false });
      assert.ok(full.PolicyEngine.evaluators.every((e) => e.built));
      assert.equal(probe.after, "approve");
    }],
  ];
}
