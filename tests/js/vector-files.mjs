// Reads the shared vectors, the policies they name, and the native answers (written by
// `cargo test --test vectors` to target/vector-outputs/) from disk, for the Node-side tests.
import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { join, relative } from "node:path";

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
