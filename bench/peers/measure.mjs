// The measurements of the peers benchmark, the same code in Node and in a browser page:
// requests per second of each implementation on the fixture's 10,000 requests.
import { policy, generate, plainDecide, jreEngine, jreDecide } from "./fixture.mjs";

const now = () => performance.now();

/** Runs `pass` (over all requests) until `minMs` have passed, after a warm-up; requests per second. */
async function rate(count, pass, minMs = 1500) {
  await pass();
  let n = 0;
  const start = now();
  while (now() - start < minMs) {
    await pass();
    n += count;
  }
  return (n * 1000) / (now() - start);
}

export async function runAll({ PolicyEngine, Engine, quick = false }) {
  const requests = generate(10_000);
  const texts = requests.map((r) => JSON.stringify(r));
  const batchText = JSON.stringify(requests);
  const engine = new PolicyEngine(policy);
  const jre = jreEngine(Engine);
  const ms = quick ? 300 : 1500;
  const sink = [];
  const rows = {};
  rows["plain JS, objects"] = await rate(requests.length, () => { for (const r of requests) sink.push(plainDecide(r)); sink.length = 0; }, ms);
  rows["plain JS, JSON.parse each + rules"] = await rate(requests.length, () => { for (const t of texts) sink.push(plainDecide(JSON.parse(t))); sink.length = 0; }, ms);
  rows["plain JS, JSON.parse batch + rules"] = await rate(requests.length, () => { JSON.parse(batchText).map(plainDecide); }, ms);
  rows["aftersales checkReturn, objects"] = await rate(requests.length, () => { for (const r of requests) sink.push(engine.checkReturn(r).outcome); sink.length = 0; }, ms);
  rows["aftersales checkReturnJson, text each"] = await rate(requests.length, () => { for (const t of texts) sink.push(engine.checkReturnJson(t)); sink.length = 0; }, ms);
  rows["aftersales checkReturnsJson, text batch"] = await rate(requests.length, () => { engine.checkReturnsJson(batchText); }, ms);
  rows["aftersales checkReturns, object batch"] = await rate(requests.length, () => { engine.checkReturns(requests); }, ms);
  const slice = requests.slice(0, quick ? 500 : 2_000);
  rows["json-rules-engine, objects"] = await rate(slice.length, async () => { for (const r of slice) sink.push(await jreDecide(jre, r)); sink.length = 0; }, ms);
  engine.free();
  return rows;
}
