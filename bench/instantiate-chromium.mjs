// Chromium: the time to compile and instantiate the storefront entry's .wasm and the full
// browsers' build (issue 19 goal: ≤ 10 ms for the storefront), fresh each time, in headless
// Chromium (tests/js/chromium.mjs). Three figures per build, median and range of N repetitions:
//   compile      `WebAssembly.compile(bytes)` alone;
//   init(bytes)  the entry's glue `init({module_or_path: bytes})`: compile + instantiate + start;
//   init(url)    the same from its URL on the loopback server (fetch + streaming compile).
// Each repetition imports the glue afresh (a new module state) and, for the two from bytes, adds
// a custom section with a unique name, so V8 cannot hand back a module compiled before.
//
//   node bench/instantiate-chromium.mjs [repetitions=21]        (after scripts/build.sh)
import { readFileSync } from "node:fs";
import { launch } from "../tests/js/chromium.mjs";
import { serve } from "../www/server.mjs";

const reps = Number(process.argv[2] ?? 21);
const root = new URL("../", import.meta.url).pathname;
const builds = ["storefront", "web"];
const { server, url } = await serve({ port: 0 });
const browser = await launch();
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => console.error("page error:", e));
  await page.goto(`${url}bench/instantiate-chromium.html`);
  console.log(`Chromium ${browser.version()}: ms, median (min–max) of ${reps} fresh repetitions`);
  for (const build of builds) {
    const bytes = readFileSync(`${root}pkg/gen/${build}/aftersales_bg.wasm`).length;
    const figures = await page.evaluate(async ({ build, reps }) => {
      const base = `/pkg/gen/${build}/`;
      const wasm = new Uint8Array(await (await fetch(base + "aftersales_bg.wasm")).arrayBuffer());
      const unique = (n) => {
        // custom section (id 0): size, name length, name
        const name = new TextEncoder().encode(`bench-${n}-${Math.random()}`);
        const body = [name.length, ...name];
        const out = new Uint8Array(wasm.length + 2 + body.length);
        out.set(wasm);
        out.set([0, body.length, ...body], wasm.length);
        return out;
      };
      const t = { compile: [], "init(bytes)": [], "init(url)": [] };
      for (let i = 0; i < reps; i++) {
        let b = unique(`c${i}`);
        let s = performance.now();
        await WebAssembly.compile(b);
        t.compile.push(performance.now() - s);

        b = unique(`i${i}`);
        let glue = await import(`${base}aftersales.js?i=${i}`);
        s = performance.now();
        await glue.default({ module_or_path: b });
        t["init(bytes)"].push(performance.now() - s);

        glue = await import(`${base}aftersales.js?u=${i}`);
        s = performance.now();
        await glue.default({ module_or_path: `${base}aftersales_bg.wasm?u=${i}` });
        t["init(url)"].push(performance.now() - s);
      }
      return t;
    }, { build, reps });
    console.log(`${build} (pkg/gen/${build}/aftersales_bg.wasm, ${bytes.toLocaleString("en-US")} bytes)`);
    for (const [k, xs] of Object.entries(figures)) {
      const sorted = [...xs].sort((a, b) => a - b);
      const f = (x) => x.toFixed(1);
      console.log(`  ${k.padEnd(12)} ${f(sorted[Math.floor(sorted.length / 2)]).padStart(6)}  (${f(sorted[0])}–${f(sorted.at(-1))})`);
    }
  }
} finally {
  await browser.close();
  server.close();
}
