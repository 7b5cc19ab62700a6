// Times getting one peers-fixture request into wasm: field by field through js-sys, against
// JSON.stringify + TextEncoder + one copy (the engine's path). Medians of 7 rounds of 10,000.
const probe = require("./gen/js_sys_probe.js");

(async () => {
  const { generate } = await import("../peers/fixture.mjs");
  const requests = generate(10000);
  const encoder = new TextEncoder();
  const time = (label, fn) => {
    for (let r = 0; r < 3; r++) for (const q of requests) fn(q);
    const rounds = [];
    for (let r = 0; r < 7; r++) {
      const t = process.hrtime.bigint();
      for (const q of requests) fn(q);
      rounds.push(Number(process.hrtime.bigint() - t) / requests.length / 1000);
    }
    rounds.sort((a, b) => a - b);
    console.log(`${label.padEnd(56)} ${rounds[3].toFixed(2)} µs`);
  };
  time("js-sys: read every field of the request (keys interned)", (q) => probe.read_fields(q));
  time("JSON text: JSON.stringify + encode + copy into wasm", (q) => probe.take_bytes(encoder.encode(JSON.stringify(q))));
  time("JSON.stringify alone", (q) => JSON.stringify(q));
})();
