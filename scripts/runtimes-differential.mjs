#!/usr/bin/env node
// The runtimes' differential run: one corpus of generated requests and policies (errors
// included), answered natively and through the npm package in each JavaScript runtime, every
// output line compared byte for byte with the native one.
//
//   node scripts/runtimes-differential.mjs [LINES] [--seed S] [--runtimes node,deno,…] [--peers] [--keep]
//
// LINES defaults to 20000. The corpus and the native answers are bench/differential's (`corpus`,
// `answer`: the working tree's library, built here with cargo on first use, into
// target/differential/runtimes; DIFFERENTIAL_REBUILD=1 builds again). The corpus is every vector
// case, preset and test policy unchanged (about 700 lines), the rest generated mutations of them;
// `--peers` adds the 10,000 plain return requests of bench/peers' fixture, unchanged. The runtimes, each through tests/js/answer-corpus.mjs:
//   node, deno, bun      `import … from "aftersales"` (each picks the package's Node build)
//   node-web, deno-web, bun-web   the browsers' build (`aftersales/web` + initSync)
//   workerd              the browsers' build in a Worker (tests/js/runtimes/differential.capnp)
//   chromium             the browsers' build in a page (`/pkg/web.js` + init()), headless Chromium
//   node-storefront, deno-storefront, bun-storefront, workerd-storefront, chromium-storefront:
//     the storefront build (`aftersales/storefront`). Every return call (check_return,
//     check_returns) on a policy the full build loads must be native's byte for byte; every other
//     call on such a policy must be refused with NOT_IN_THIS_BUILD; the rest (loading and
//     validating, which leave out the sections the storefront does not carry) is counted, not
//     compared.
// Prints, for each runtime, lines equal and different (by kind: ok, err, policy_err, panic,
// crash) and the first differences; exits 1 if any line differs, 2 if something failed to run.
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "../tests/js/vector-files.mjs";
import { startWorkerd } from "../tests/js/runtimes/workerd.mjs";

const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv.splice(at, 2)[1] : fallback;
};
const seed = flag("--seed", "20261124");
const only = flag(
  "--runtimes",
  "node,node-web,deno,deno-web,bun,bun-web,workerd,chromium," +
    "node-storefront,deno-storefront,bun-storefront,workerd-storefront,chromium-storefront",
).split(",");
const keep = argv.includes("--keep");
const withPeers = argv.includes("--peers");
const lines = Number(argv.find((a) => /^\d+$/.test(a)) ?? 20_000);
const memoryKb = process.env.DIFFERENTIAL_MEMORY_KB ?? "4194304";

const bin = (name) => join(root, "node_modules/.bin", name);
const answerFile = join(root, "tests/js/runtimes/answer-file.mjs");
const RUNTIMES = {
  node: (c, o) => [process.execPath, [answerFile, c, o, "node"]],
  "node-web": (c, o) => [process.execPath, [answerFile, c, o, "web"]],
  deno: (c, o) => [bin("deno"), ["run", "--no-lock", "--quiet", "--allow-read", "--allow-write", answerFile, c, o, "node"]],
  "deno-web": (c, o) => [bin("deno"), ["run", "--no-lock", "--quiet", "--allow-read", "--allow-write", answerFile, c, o, "web"]],
  bun: (c, o) => [bin("bun"), [answerFile, c, o, "node"]],
  "bun-web": (c, o) => [bin("bun"), [answerFile, c, o, "web"]],
  "node-storefront": (c, o) => [process.execPath, [answerFile, c, o, "storefront"]],
  "deno-storefront": (c, o) => [bin("deno"), ["run", "--no-lock", "--quiet", "--allow-read", "--allow-write", answerFile, c, o, "storefront"]],
  "bun-storefront": (c, o) => [bin("bun"), [answerFile, c, o, "storefront"]],
  workerd: (c, o) => answerInWorkerd(c, o, "corpus"),
  "workerd-storefront": (c, o) => answerInWorkerd(c, o, "corpus-storefront"),
  chromium: (c, o) => answerInChromium(c, o, "/pkg/web.js"),
  "chromium-storefront": (c, o) => answerInChromium(c, o, "/pkg/storefront.js"),
};

const started = performance.now();
const since = (t) => ((performance.now() - t) / 1000).toFixed(1);
const work = mkdtempSync(join(tmpdir(), "aftersales-runtimes-differential-"));
const corpus = join(work, "corpus.jsonl");

// 1. The native runner, built against the working tree's library.
const target = join(root, "target/differential/runtimes");
const release = join(target, "release");
if (!existsSync(join(release, "answer")) || process.env.DIFFERENTIAL_REBUILD) {
  console.log(`building bench/differential (corpus, answer) into ${target}`);
  execFileSync("nice", ["-n", "10", "cargo", "build", "--release", "--quiet"], {
    cwd: join(root, "bench/differential"), stdio: "inherit", env: { ...process.env, CARGO_TARGET_DIR: target },
  });
}

// 2. The corpus (with the peers fixture when node can write it), once.
const peers = join(work, "peers.json");
const peersArgs = withPeers && spawnSync(process.execPath, [join(root, "bench/peers/write-fixture.mjs"), peers], { cwd: root }).status === 0 ? ["--peers", peers] : [];
const corpusFd = openSync(corpus, "w");
const made = spawnSync(join(release, "corpus"), ["--root", root, "--seed", seed, "--lines", String(lines), ...peersArgs],
  { stdio: ["ignore", corpusFd, "inherit"] });
closeSync(corpusFd);
if (made.status !== 0) {
  console.error(`corpus: exited ${made.status}`);
  process.exit(2);
}
const corpusLines = readFileSync(corpus, "utf8").split("\n").filter((l) => l.length > 0);
console.log(`corpus: ${corpusLines.length} lines (seed ${seed}), ${(readFileSync(corpus).length / 1e6).toFixed(1)} MB, in ${work}`);

// 3. Native answers; an input that takes the process down is a `crash` line, and the run goes on.
const native = join(work, "native.jsonl");
let t = performance.now();
writeFileSync(native, "");
for (let start = 0; start < corpusLines.length; ) {
  const r = spawnSync("sh", ["-c", `ulimit -v ${memoryKb}; exec "$0" "$1" --start "$2"`, join(release, "answer"), corpus, String(start)],
    { maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "pipe"] });
  const out = r.stdout.toString();
  appendFileSync(native, out);
  start += out.split("\n").filter((l) => l.length > 0).length;
  if (r.status === 0) break;
  if (start >= corpusLines.length) break;
  appendFileSync(native, `{"i":${start},"crash":${JSON.stringify(`status ${r.status} signal ${r.signal}`)}}\n`);
  start += 1;
}
const nativeOut = readFileSync(native, "utf8").split("\n").filter((l) => l.length > 0);
console.log(`native: ${nativeOut.length} lines in ${since(t)} s`);

async function answerInWorkerd(c, o, service) {
  const w = await startWorkerd("tests/js/runtimes/differential.capnp", ["corpus", "corpus-storefront"]);
  try {
    const out = await inChunks(async (body) => {
      const res = await fetch(w.urls[service], { method: "POST", body: JSON.stringify(body) });
      if (res.status !== 200) throw new Error(`workerd answered ${res.status} for lines ${body.start}…: ${await res.text()}\n${w.log}`);
      return res.json();
    });
    writeFileSync(o, out.join("\n") + "\n");
  } finally {
    await w.stop();
  }
}

/** Sends the corpus to the runtime in chunks; each carries the earlier policy texts its lines name. */
async function inChunks(answer, size = 500) {
  const out = [];
  const policies = {};
  for (let start = 0; start < corpusLines.length; start += size) {
    const chunk = corpusLines.slice(start, start + size);
    const needed = {};
    for (const raw of chunk) {
      const m = /"policy_of":(\d+)/.exec(raw);
      if (m && Number(m[1]) < start) needed[m[1]] = policies[m[1]];
    }
    chunk.forEach((raw, k) => {
      const line = JSON.parse(raw);
      if (typeof line.policy === "string") policies[start + k] = line.policy;
    });
    out.push(...(await answer({ start, lines: chunk, policies: needed })));
  }
  return out;
}

async function answerInChromium(c, o, entry) {
  const { launch } = await import("../tests/js/chromium.mjs");
  const { serve } = await import("../www/server.mjs");
  const { server, url } = await serve({ port: 0 });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(new URL("tests/js/browser-runner.html", url).href);
    await page.evaluate(async (entry) => {
      const api = await import(entry);
      await api.default();
      const { answerLines } = await import("/tests/js/answer-corpus.mjs");
      const engines = new Map();
      window.answerChunk = ({ start, lines, policies }) => answerLines(api, lines, start, policies, engines);
    }, entry);
    const out = await inChunks((body) => page.evaluate((b) => window.answerChunk(b), body));
    if (errors.length) throw new Error(`chromium: ${errors.join("\n")}`);
    writeFileSync(o, out.join("\n") + "\n");
  } finally {
    await browser.close();
    server.close();
  }
}

const kind = (line) => (line ? /^\{"i":\d+,"(\w+)"/.exec(line)?.[1] ?? "?" : "missing");
let failed = false;
const summary = [];
for (const name of only) {
  const run = RUNTIMES[name];
  if (!run) {
    console.error(`no runtime ${name}; known: ${Object.keys(RUNTIMES).join(", ")}`);
    process.exit(2);
  }
  const output = join(work, `${name}.jsonl`);
  t = performance.now();
  if (name.startsWith("workerd") || name.startsWith("chromium")) await run(corpus, output);
  else {
    const [file, args] = run(corpus, output);
    const r = spawnSync(file, args, { cwd: root, stdio: ["ignore", "inherit", "pipe"], maxBuffer: 1 << 26 });
    if (r.status !== 0) {
      console.error(`${name}: exited ${r.status} ${r.signal ?? ""}\n${r.stderr}`);
      process.exit(2);
    }
  }
  const got = readFileSync(output, "utf8").split("\n").filter((l) => l.length > 0);
  const byKind = {};
  const examples = [];
  let same = 0;
  const storefront = name.endsWith("-storefront") ? { returns: 0, refused: 0, uncompared: 0 } : null;
  for (let i = 0; i < Math.max(nativeOut.length, got.length); i++) {
    if (storefront) {
      const scope = storefrontScope(i, nativeOut[i], got[i]);
      if (scope !== "returns") {
        storefront[scope]++;
        continue;
      }
      storefront.returns++;
    }
    if (nativeOut[i] === got[i]) {
      same++;
      continue;
    }
    const k = `${kind(nativeOut[i])} → ${kind(got[i])}`;
    byKind[k] = (byKind[k] ?? 0) + 1;
    if (examples.length < 3) examples.push(`  line ${i}\n    native: ${String(nativeOut[i]).slice(0, 400)}\n    ${name}: ${String(got[i]).slice(0, 400)}`);
  }
  const differ = Object.values(byKind).reduce((a, b) => a + b, 0);
  if (differ) failed = true;
  const compared = storefront ? `${storefront.returns} return calls` : `${nativeOut.length} lines`;
  const scope = storefront ? `; other calls refused NOT_IN_THIS_BUILD: ${storefront.refused}; loading, validating and calls on policies the full build refuses, not compared: ${storefront.uncompared}` : "";
  const line = `${name}: ${same} of ${compared} byte for byte as native${scope}; ${differ} differ${differ ? " " + JSON.stringify(byKind) : ""} (${since(t)} s)`;
  summary.push(line);
  console.log(line);
  for (const e of examples) console.log(e);
}
/**
 * What a storefront runtime's line `i` is held to: `returns` (a return call whose policy the full
 * build loads: compared byte for byte), `refused` (any other call whose policy loads, refused with
 * NOT_IN_THIS_BUILD as it must be), `uncompared` (loading or validating a policy, or a call whose
 * policy the full build refuses: the storefront checks fewer sections).
 */
function storefrontScope(i, nativeLine, gotLine) {
  const call = JSON.parse(corpusLines[i] ?? "{}").call;
  const nativeKind = kind(nativeLine);
  if (call === "validate_policy" || call === "load_policy" || nativeKind === "policy_err") return "uncompared";
  if (call === "check_return" || call === "check_returns") return "returns";
  return /^\{"i":\d+,"err":\{"code":"NOT_IN_THIS_BUILD"/.test(gotLine ?? "") ? "refused" : "returns";
}

const kinds = {};
for (const l of nativeOut) kinds[kind(l)] = (kinds[kind(l)] ?? 0) + 1;
console.log(`\nnative answers by kind: ${JSON.stringify(kinds)}`);
console.log(summary.join("\n"));
console.log(`whole run ${since(started)} s`);
if (keep) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
