// Sample orders for the admin page: the refund acceptance's order first (R1001), issue 17's
// (R1002: shoes 59900 and a T-shirt 9900, 5000 off, shipping 1000; R1003: the same with
// return-freight insurance paying 800; R1004: three T-shirts at 10000 with "5000 off 30000"),
// then generated ones, the same every time (a seeded generator). Their payments add up exactly to
// what each order charged. Sample data only: no rule lives here.

const CATALOG = [
  ["SHOE-42", "footwear", 59900], ["SHOE-39", "footwear", 45900], ["SOCK-1", "socks", 9900], ["JKT-M", "apparel", 49900],
  ["TEE-L", "apparel", 12900], ["CAP-1", "accessories", 9900], ["BAND-2", "electronics", 29900], ["BAG-20", "bags", 35900],
];

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sampleOrders(count, seed = 20261124) {
  const rand = mulberry32(seed);
  const pick = (n) => Math.floor(rand() * n);
  const orders = [{
    id: "R1001", currency: "CNY", placed_at: "2026-11-01T12:00:00+08:00", delivered_at: "2026-11-03T15:00:00+08:00",
    customer: { id: "c-9", tier: "silver" },
    lines: [{ id: "L1", sku: "SHOE-42", category: "footwear", quantity: 2, unit_price: 59900 },
            { id: "L2", sku: "SOCK-1", category: "socks", quantity: 1, unit_price: 9900 }],
    discounts: [{ code: "NOV", amount: 5000 }], shipping: { amount: 1000 },
    payments: [{ method: "gift_card", amount: 20000 }, { method: "card", amount: 105700 }], refunds: [],
  }];
  const issue17 = (id, more) => ({
    id, currency: "CNY", placed_at: "2026-11-01T12:00:00+08:00", delivered_at: "2026-11-03T15:00:00+08:00",
    customer: { id: "c-17", tier: "gold" },
    lines: [{ id: "L1", sku: "SHOE-42", category: "footwear", quantity: 1, unit_price: 59900 },
            { id: "L2", sku: "TEE-M", category: "apparel", quantity: 1, unit_price: 9900 }],
    discounts: [{ code: "NOV", amount: 5000 }], shipping: { amount: 1000 },
    payments: [{ method: "card", amount: 65800 }], refunds: [], ...more,
  });
  orders.push(issue17("R1002"), issue17("R1003", { freight_insurance: { payout: 800 } }), {
    id: "R1004", currency: "CNY", placed_at: "2026-11-01T12:00:00+08:00", delivered_at: "2026-11-03T15:00:00+08:00",
    customer: { id: "c-18", tier: "gold" },
    lines: ["A", "B", "C"].map((id) => ({ id, sku: `TEE-${id}`, category: "apparel", quantity: 1, unit_price: 10000 })),
    discounts: [{ code: "MJ50", kind: "threshold", amount: 5000, threshold: 30000 }], shipping: { amount: 1000 },
    payments: [{ method: "card", amount: 26000 }], refunds: [],
  });
  for (let i = 1; orders.length < count; i++) {
    const lines = Array.from({ length: 1 + pick(3) }, (_, j) => {
      const [sku, category, unit_price] = CATALOG[pick(CATALOG.length)];
      return { id: `L${j + 1}`, sku, category, quantity: 1 + pick(3), unit_price };
    });
    const subtotal = lines.reduce((s, l) => s + l.unit_price * l.quantity, 0);
    const discount = rand() < 0.3 ? Math.floor((subtotal * (5 + pick(6))) / 100) : 0;
    const shipping = rand() < 0.5 ? 1000 : 0;
    const charged = subtotal - discount + shipping;
    const gift = rand() < 0.3 ? Math.min(charged, 5000 * (1 + pick(4))) : 0;
    const payments = [{ method: "card", amount: charged - gift }, ...(gift ? [{ method: "gift_card", amount: gift }] : [])];
    const day = 20 + pick(15);
    const placed = new Date(Date.UTC(2026, 9, day, pick(14), 0, 0));
    const delivered = new Date(placed.getTime() + (2 + pick(3)) * 86400000);
    const iso = (d) => d.toISOString().replace(".000Z", "+00:00");
    orders.push({
      id: `A${String(10000 + i)}`, currency: "CNY", placed_at: iso(placed), delivered_at: iso(delivered),
      customer: { id: `c-${1000 + pick(400)}`, tier: ["silver", "gold", "silver", "platinum"][pick(4)] },
      lines, discounts: discount ? [{ code: "PROMO", amount: discount }] : [], shipping: { amount: shipping },
      payments: payments.filter((p) => p.amount > 0), refunds: [],
    });
  }
  return orders;
}
