// The side-by-side fixture of issue 6: one return-eligibility policy of 20 rules over category,
// days since delivery, final-sale tags, member tier and an abuse limit, written three ways:
// - as an aftersales policy (`policy`);
// - as json-rules-engine rules with the same conditions (`jreRules`, decided by `jreDecide`);
// - as the plain-JS function a developer would write by hand (`plainDecide`): the floor.
// `generate(n)` makes n single-item requests from a fixed seed. All three must agree on every
// request (tests/js/peers.test.mjs); bench/peers.mjs times them.

const DAY = 86_400_000;
const TZ_OFFSET = 8 * 3_600_000; // Asia/Shanghai has no DST: local dates are UTC+8

/** [id, when, then]: the rules, once, as aftersales writes them. */
const RULES = [
  ["final-sale", { "item.tags": { contains: "final_sale" } }, { deny_reasons: ["changed_mind"] }],
  ["clearance", { "item.tags": { contains: "clearance" } }, { deny_reasons: ["changed_mind"] }],
  ["custom-made", { "item.tags": { contains: "custom" } }, { deny: true }],
  ["bundle-part", { "item.tags": { contains: "bundle_component" } }, { deny: true }],
  ["perishable", { "item.category": { in: ["food", "flowers"] } }, { deny: true }],
  ["digital", { "item.category": { eq: "digital" } }, { deny: true }],
  ["gift-cards", { "item.category": { eq: "gift_card" } }, { deny: true }],
  ["swimwear-hygiene", { "item.category": { eq: "swimwear" } }, { deny_reasons: ["changed_mind"] }],
  ["underwear-hygiene", { "item.category": { eq: "underwear" } }, { deny_reasons: ["changed_mind"] }],
  ["opened-electronics", { all: [{ "item.category": { eq: "electronics" } }, { "order.days_since_delivery": { gt: 15 } }] }, { deny_reasons: ["changed_mind"] }],
  ["deep-discount", { "item.discount_percent": { gte: 50 } }, { deny_reasons: ["changed_mind"] }],
  ["staff-sale", { "order.tags": { contains: "employee_sale" } }, { deny_reasons: ["changed_mind"] }],
  ["silver-days", { "customer.tier": { eq: "silver" } }, { extend_window: { days: 7 } }],
  ["gold-days", { "customer.tier": { eq: "gold" } }, { extend_window: { days: 15 } }],
  ["platinum-days", { "customer.tier": { eq: "platinum" } }, { extend_window: { days: 30 } }],
  ["vip-days", { "customer.tags": { contains: "vip" } }, { extend_window: { days: 10 } }],
  ["abuse-limit", { "customer.returns_last_90_days": { gte: 5 } }, { review: true }],
  ["high-value", { "item.value": { gte: 500_000 } }, { review: true }],
  ["marketplace", { "order.channel": { eq: "marketplace" } }, { review: true }],
  ["cross-border", { not: { "order.country": { in: ["CN", "HK", "MO"] } } }, { review: true }],
];

export const policy = {
  schema: 1,
  id: "peers-bench",
  version: "1",
  currency: "CNY",
  timezone: "Asia/Shanghai",
  returns: {
    window: { days: 14, from: "delivery" },
    reasons: {
      changed_mind: { window: { days: 14 } },
      defective: { window: { days: 30 }, return_shipping: "merchant" },
      not_as_described: { window: { days: 30 }, return_shipping: "merchant" },
    },
    rules: RULES.map(([id, when, then]) => ({ id, when, then })),
  },
};

// ---------------------------------------------------------------------------------------------
// The requests.

const CATEGORIES = ["footwear", "apparel", "electronics", "swimwear", "underwear", "food", "flowers", "digital", "gift_card", "toys", "home"];
const ITEM_TAGS = ["final_sale", "clearance", "custom", "bundle_component", "new"];
const TIERS = [undefined, "silver", "gold", "platinum"];
const REASONS = ["changed_mind", "changed_mind", "defective", "not_as_described"];
const COUNTRIES = ["CN", "CN", "CN", "HK", "MO", "US", "DE"];
const CHANNELS = ["web", "app", "marketplace"];

/** A small deterministic PRNG (mulberry32), so every run sees the same requests. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (ms) => new Date(ms + TZ_OFFSET).toISOString().replace(".000Z", "+08:00");

export function generate(n, seed = 20261124) {
  const r = rng(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const now = Date.parse("2026-11-24T10:00:00+08:00");
  const out = [];
  for (let i = 0; i < n; i++) {
    const delivered = now - Math.floor(r() * 60 * DAY) - Math.floor(r() * DAY);
    const price = [9900, 29900, 59900, 129900, 549900][Math.floor(r() * 5)];
    const qty = 1 + Math.floor(r() * 2);
    const tags = ITEM_TAGS.filter(() => r() < 0.08);
    const customerTags = r() < 0.1 ? ["vip"] : [];
    const tier = pick(TIERS);
    const customer = { id: `c${i % 997}`, tags: customerTags, returns_last_90_days: Math.floor(r() * r() * 8) };
    if (tier) customer.tier = tier;
    out.push({
      now: iso(now),
      reason: pick(REASONS),
      resolution: "refund",
      order: {
        id: `O${i}`,
        currency: "CNY",
        channel: pick(CHANNELS),
        country: pick(COUNTRIES),
        tags: r() < 0.05 ? ["employee_sale"] : [],
        placed_at: iso(delivered - 2 * DAY),
        delivered_at: iso(delivered),
        customer,
        lines: [{ id: "L1", sku: `SKU-${i % 503}`, category: pick(CATEGORIES), tags, quantity: qty, unit_price: price,
          discount: r() < 0.15 ? Math.round(price * qty * (0.3 + r() * 0.4)) : 0 }],
      },
      items: [{ line_id: "L1", quantity: qty }],
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The facts both JS versions decide on, as aftersales defines them.

const localDay = (iso) => Math.floor((Date.parse(iso) + TZ_OFFSET) / DAY);

function facts(req) {
  const line = req.order.lines[0];
  const item = req.items[0];
  const c = req.order.customer ?? {};
  return {
    "order.channel": req.order.channel,
    "order.country": req.order.country,
    "order.tags": req.order.tags ?? [],
    "order.days_since_delivery": localDay(req.now) - localDay(req.order.delivered_at),
    "item.category": line.category,
    "item.tags": line.tags ?? [],
    "item.value": line.unit_price * item.quantity,
    "item.discount_percent": ((line.discount ?? 0) * 100) / (line.unit_price * line.quantity),
    "customer.tier": c.tier,
    "customer.tags": c.tags ?? [],
    "customer.returns_last_90_days": c.returns_last_90_days ?? 0,
    reason: req.reason,
  };
}

/** The verdict from what the rules said: denied, excluded reasons, extra days, review. */
function verdict(f, { deny, denyReasons, extra, review }) {
  const base = policy.returns.reasons[f.reason]?.window.days;
  if (base === undefined || deny || denyReasons.has(f.reason)) return "deny";
  if (f["order.days_since_delivery"] > base + extra) return "deny";
  return review ? "review" : "approve";
}

// ---------------------------------------------------------------------------------------------
// The floor: what a developer writes by hand.

const PERISHABLE = new Set(["food", "flowers"]);
const HOME = new Set(["CN", "HK", "MO"]);

export function plainDecide(req) {
  const f = facts(req);
  const tags = f["item.tags"];
  const cat = f["item.category"];
  const days = f["order.days_since_delivery"];
  const tier = f["customer.tier"];
  let deny = tags.includes("custom") || tags.includes("bundle_component") || PERISHABLE.has(cat) || cat === "digital" || cat === "gift_card";
  const denyReasons = new Set();
  if (tags.includes("final_sale") || tags.includes("clearance") || cat === "swimwear" || cat === "underwear" ||
      (cat === "electronics" && days > 15) || f["item.discount_percent"] >= 50 || f["order.tags"].includes("employee_sale")) {
    denyReasons.add("changed_mind");
  }
  let extra = tier === "silver" ? 7 : tier === "gold" ? 15 : tier === "platinum" ? 30 : 0;
  if (f["customer.tags"].includes("vip")) extra += 10;
  const review = f["customer.returns_last_90_days"] >= 5 || f["item.value"] >= 500_000 || f["order.channel"] === "marketplace" ||
    !HOME.has(f["order.country"]);
  return verdict(f, { deny, denyReasons, extra, review });
}

// ---------------------------------------------------------------------------------------------
// json-rules-engine: the same 20 rules as its conditions and events.

const OPS = { eq: "equal", ne: "notEqual", in: "in", not_in: "notIn", gt: "greaterThan", gte: "greaterThanInclusive",
  lt: "lessThan", lte: "lessThanInclusive", contains: "contains" };

function jreCondition(when) {
  if (when.all) return { all: when.all.map(jreCondition) };
  if (when.any) return { any: when.any.map(jreCondition) };
  if (when.not) return { not: jreCondition(when.not) };
  const [[fact, ops]] = Object.entries(when);
  const [[op, value]] = Object.entries(ops);
  return { fact, operator: OPS[op], value };
}

export const jreRules = RULES.map(([id, when, then]) => {
  const conditions = jreCondition(when);
  return { name: id, conditions: conditions.all || conditions.any ? conditions : { all: [conditions] }, event: { type: "rule", params: then } };
});

/** Runs one request through a json-rules-engine Engine holding `jreRules`. */
export async function jreDecide(engine, req) {
  const f = facts(req);
  const { events } = await engine.run(f);
  const said = { deny: false, denyReasons: new Set(), extra: 0, review: false };
  for (const { params } of events) {
    if (params.deny) said.deny = true;
    for (const r of params.deny_reasons ?? []) said.denyReasons.add(r);
    if (params.extend_window) said.extra += params.extend_window.days;
    if (params.review) said.review = true;
  }
  return verdict(f, said);
}

/** A json-rules-engine Engine with the rules; missing facts are undefined, as in aftersales. */
export function jreEngine(Engine) {
  const engine = new Engine(jreRules, { allowUndefinedFacts: true });
  return engine;
}
