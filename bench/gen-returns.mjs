// Writes N generated return requests as JSON Lines on standard output, the same every time (a
// seeded generator), for `aftersales diff` over a large history (docs/performance.md):
//
//   node bench/gen-returns.mjs 1000000 > /tmp/returns-1m.jsonl
//   aftersales diff tests/history/policy-old.json tests/history/policy-new.json /tmp/returns-1m.jsonl
//
// Like tests/history/returns.jsonl, in CNY: orders of 1 to 3 lines delivered in November 2026,
// requests 0 to 30 days after delivery, mostly changes of mind, some defects, a few reasons the
// policy does not accept; tags sometimes off, items sometimes used, a few clearance items and
// frequent returners.
import { createWriteStream } from "node:fs";

const n = Number(process.argv[2] ?? 1000000);
let seed = 0x2026_1202;
/** mulberry32: a small seeded generator, the same numbers on every machine. */
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const pad = (v) => String(v).padStart(2, "0");

function request(i) {
  const deliveredDay = 1 + Math.floor(random() * 28);
  const after = Math.floor(random() * 31);
  const now = new Date(Date.UTC(2026, 10, deliveredDay, 2 + Math.floor(random() * 12)) + after * 86400000);
  const iso = (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:00:00+00:00`;
  const lines = [];
  const count = 1 + Math.floor(random() * random() * 3);
  for (let l = 1; l <= count; l++) {
    const tags = random() < 0.05 ? ["clearance"] : [];
    lines.push({ id: `L${l}`, sku: `SKU-${Math.floor(random() * 5000)}`, category: pick(["apparel", "footwear", "accessories"]), tags, quantity: 1 + Math.floor(random() * random() * 3), unit_price: 100 * (49 + Math.floor(random() * 1200)) });
  }
  const total = lines.reduce((s, l) => s + l.quantity * l.unit_price, 0);
  const items = lines.filter((_, k) => k === 0 || random() < 0.5).map((l) => ({
    line_id: l.id,
    quantity: 1 + Math.floor(random() * l.quantity),
    condition: { unused: random() < 0.9, original_packaging: true, tags_attached: random() < 0.8, accessories_complete: true },
  }));
  const r = random();
  const reason = r < 0.8 ? "changed_mind" : r < 0.97 ? "defective" : "wrong_size";
  const order = {
    id: `G${i}`, currency: "CNY",
    placed_at: iso(new Date(Date.UTC(2026, 10, deliveredDay) - 3 * 86400000)),
    delivered_at: iso(new Date(Date.UTC(2026, 10, deliveredDay, 7))),
    customer: { id: `c-${Math.floor(random() * 100000)}`, returns_last_90_days: random() < 0.03 ? 5 + Math.floor(random() * 5) : Math.floor(random() * 3) },
    lines,
    payments: [{ method: "card", amount: total }],
  };
  const req = { now: iso(now), reason, proof_of_purchase: true, order, items };
  const res = random();
  if (res < 0.05) req.resolution = "exchange";
  else if (res < 0.1) req.resolution = "store_credit";
  return JSON.stringify(req);
}

const out = createWriteStream(process.argv[3] ?? "/dev/stdout");
let i = 0;
function write() {
  while (i < n) {
    i += 1;
    if (!out.write(request(i) + "\n")) return out.once("drain", write);
  }
  out.end();
}
write();
