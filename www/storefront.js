// The storefront page: it gathers what the shopper says and shows what the engine decides.
// Every decision, deadline, amount and message comes from the engine; this file only builds the
// request and lays out the answer. Asking for "an exchange" names the variant wanted for each item
// (www/data/variants.json: another size or colour, its price, whether it is in stock) and asks
// `checkExchange` instead of `checkReturn`.
import { PolicyError } from "../pkg/web.js";
import { loadEngine, applyTexts, onLanguage } from "./page.js";

const UI = {
  en: {
    title: "Can I return this?", order: "Your order", items: "What would you like to send back?", reason: "Reason",
    resolution: "You would like", condition: "The item's condition", unused: "Unused", original_packaging: "In its original packaging",
    tags_attached: "Tags still attached", accessories_complete: "All accessories and gifts included", proof_of_purchase: "I have the receipt or invoice",
    now: "Asking on (the demo's date, Beijing time)", check: "Check", deadline: "Ask by", shipping: "Return shipping paid by",
    resolutions: "Open to you", policy: "Policy", loading: "Loading the return policy…", ready: "", pick: "Choose at least one item.",
    footer: "The decision is made by the aftersales engine (WebAssembly) in this page; a server checks the same policy and gets the same answer.",
    approve: "Yes, you can return this.", deny: "Sorry, this return is not possible.", review: "We will review your request.",
    customer: "you", merchant: "us", tiers: { gold: "Gold", silver: "Silver" }, none: "—", delivered: "delivered", notDelivered: "not delivered yet", member: "member", placed: "ordered",
    reasons: { changed_mind: "Changed my mind", defective: "It is defective", not_as_described: "Not as described", damaged_in_transit: "Damaged in transit", wrong_item: "Wrong item sent" },
    res: { refund: "a refund", exchange: "an exchange", repair: "a repair", store_credit: "store credit" },
    variant: "Exchange for", outOfStock: "out of stock", noVariant: "There is no other size or colour of this item to exchange for.",
    exchange: { approve: "Yes, you can exchange this.", deny: "Sorry, this exchange is not possible.", review: "We will review your exchange." },
    exHead: ["Item", "New item", "Price difference", "New item's shipping paid by", "Ships", "If out of stock"],
    direction: { customer_pays: "you pay", refund: "back to your payment", store_credit: "back as store credit", none: "no difference" },
    advance: { true: "now, before your return arrives", false: "after your return arrives" },
    fallback: { refund: "refunded instead", store_credit: "store credit instead", wait: "ships when back in stock" },
    customerPays: "You pay", refundTotal: "Back to your payment", storeCredit: "Store credit", fallbackRefund: "Refunded instead",
    notExchanged: "not exchanged",
  },
  "zh-CN": {
    title: "可以退货吗？", order: "您的订单", items: "要退回哪些商品？", reason: "退货原因", resolution: "希望的处理方式",
    condition: "商品状况", unused: "未使用", original_packaging: "原包装完好", tags_attached: "吊牌完好未拆", accessories_complete: "配件及赠品齐全",
    proof_of_purchase: "有购买凭证（小票或发票）", now: "申请时间（演示用，北京时间）", check: "查询", deadline: "申请截止", shipping: "退货运费承担方",
    resolutions: "可选处理方式", policy: "规则版本", loading: "正在加载退货规则…", ready: "", pick: "请至少选择一件商品。",
    footer: "结果由本页中的 aftersales 引擎（WebAssembly）计算；服务器用同一规则校验，得到同样的结果。",
    approve: "可以退货。", deny: "抱歉，该退货申请无法受理。", review: "您的申请需人工审核。",
    customer: "您", merchant: "商家", tiers: { gold: "金卡", silver: "银卡" }, none: "—", delivered: "签收于", notDelivered: "尚未签收", member: "会员", placed: "下单于",
    reasons: { changed_mind: "不想要了（无理由）", defective: "质量问题", not_as_described: "与描述不符", damaged_in_transit: "运输中损坏", wrong_item: "发错商品" },
    res: { refund: "退款", exchange: "换货", repair: "维修", store_credit: "店铺余额" },
    variant: "换成", outOfStock: "缺货", noVariant: "该商品没有可换的其他尺码或颜色。",
    exchange: { approve: "可以换货。", deny: "抱歉，该换货申请无法受理。", review: "您的换货申请需人工审核。" },
    exHead: ["商品", "换成", "差价", "换新运费承担方", "寄出时间", "缺货时"],
    direction: { customer_pays: "您需补差价", refund: "原路退回", store_credit: "退为店铺余额", none: "无差价" },
    advance: { true: "立即寄出，无需等退货寄回", false: "退货签收后寄出" },
    fallback: { refund: "改为退款", store_credit: "改为店铺余额", wait: "到货后寄出" },
    customerPays: "您需支付", refundTotal: "原路退回", storeCredit: "店铺余额", fallbackRefund: "改为退款",
    notExchanged: "未换货",
  },
};

const $ = (id) => document.getElementById(id);
let locale = "en";
let orders = [];
let variants = {};
let policy;
let engine;
let lastAnswer = null;

const t = (key) => UI[locale][key] ?? UI.en[key];
const money = (minor, currency) => new Intl.NumberFormat(locale, { style: "currency", currency }).format(minor / 100);
const when = (iso) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: policy.timezone }).format(new Date(iso));

function applyLanguage() {
  applyTexts(UI, locale);
  document.title = `${t("title")} · aftersales`;
  fillChoices();
  showOrder();
}

function fillChoices() {
  const keep = (select) => select.value;
  const orderSel = $("order"), reasonSel = $("reason"), resSel = $("resolution");
  const [o, r, s] = [keep(orderSel), keep(reasonSel), keep(resSel)];
  orderSel.replaceChildren(...orders.map((order) => new Option(`${order.id} · ${order.lines.map((l) => lineName(l)).join(", ")}`, order.id)));
  reasonSel.replaceChildren(...Object.keys(policy.returns.reasons).map((name) => new Option(UI[locale].reasons[name] ?? name, name)));
  resSel.replaceChildren(...["refund", "exchange", "repair", "store_credit"].map((name) => new Option(t("res")[name], name)));
  if (o) orderSel.value = o;
  if (r) reasonSel.value = r;
  if (s) resSel.value = s;
}

const lineName = (line) => (locale === "zh-CN" && line.name_zh) || line.name || line.sku;
const currentOrder = () => orders.find((o) => o.id === $("order").value) ?? orders[0];

function showOrder() {
  const order = currentOrder();
  if (!order) return;
  const tierName = order.customer?.tier && (t("tiers")[order.customer.tier] ?? order.customer.tier);
  const tier = tierName ? `${tierName} ${t("member")} · ` : "";
  const delivered = order.delivered_at ? `${t("delivered")} ${when(order.delivered_at)}` : t("notDelivered");
  $("order-facts").textContent = `${tier}${t("placed")} ${when(order.placed_at)} · ${delivered}`;
  const checked = new Set([...document.querySelectorAll("#lines input[type=checkbox]:checked")].map((c) => c.value));
  const chosen = new Map([...document.querySelectorAll("#lines select")].map((s) => [s.dataset.line, s.value]));
  $("lines").replaceChildren(
    ...order.lines.map((line, i) => {
      const row = document.createElement("div");
      row.className = "line";
      const box = Object.assign(document.createElement("input"), { type: "checkbox", value: line.id, id: `line-${line.id}`, checked: checked.size ? checked.has(line.id) : i === 0 });
      const label = document.createElement("label");
      label.htmlFor = box.id;
      label.className = "check";
      label.innerHTML = `<span></span><span class="meta"></span>`;
      label.children[0].textContent = lineName(line);
      label.children[1].textContent = ` · ${money(line.unit_price, order.currency)} × ${line.quantity}`;
      const qty = Object.assign(document.createElement("input"), { type: "number", min: 1, max: line.quantity, value: 1, id: `qty-${line.id}` });
      qty.setAttribute("aria-label", `${lineName(line)}: quantity`);
      row.append(box, label, qty, variantChoice(line, order, chosen.get(line.id)));
      return row;
    }),
  );
  showVariants();
}

/** The variants a line may be exchanged for: a select under the line, shown for an exchange. */
function variantChoice(line, order, keep) {
  const wrap = document.createElement("label");
  wrap.className = "variant";
  wrap.innerHTML = `<span></span><select></select>`;
  wrap.children[0].textContent = t("variant");
  const select = wrap.children[1];
  select.id = `variant-${line.id}`;
  select.dataset.line = line.id;
  select.replaceChildren(...(variants[line.sku] ?? []).map((v) => {
    const name = (locale === "zh-CN" && v.name_zh) || v.name || v.sku;
    return new Option(`${name} · ${money(v.price, order.currency)}${v.in_stock ? "" : ` · ${t("outOfStock")}`}`, v.sku);
  }));
  if (keep && [...select.options].some((o) => o.value === keep)) select.value = keep;
  return wrap;
}

const exchanging = () => $("resolution").value === "exchange";
function showVariants() {
  document.querySelectorAll("#lines .variant").forEach((v) => { v.hidden = !exchanging(); });
}

function request() {
  const order = currentOrder();
  return exchanging() ? exchangeRequest(order) : returnRequest(order);
}

function returnRequest(order) {
  const condition = Object.fromEntries(["unused", "original_packaging", "tags_attached", "accessories_complete"].map((k) => [k, $(k).checked]));
  const items = order.lines
    .filter((line) => $(`line-${line.id}`).checked)
    .map((line) => ({ line_id: line.id, quantity: Number($(`qty-${line.id}`).value), condition }));
  return {
    now: `${$("now").value.length === 16 ? $("now").value + ":00" : $("now").value}+08:00`,
    locale,
    reason: $("reason").value,
    resolution: $("resolution").value,
    proof_of_purchase: $("proof_of_purchase").checked,
    policy_fingerprint: engine.fingerprint,
    order: { ...order, lines: order.lines.map(({ name, name_zh, ...line }) => line) }, // eslint-disable-line no-unused-vars
    items,
  };
}

/** An exchange request: the return request without `resolution`, each item with its variant. */
function exchangeRequest(order) {
  const { resolution, ...req } = returnRequest(order); // eslint-disable-line no-unused-vars
  req.items = req.items.map((item) => {
    const line = order.lines.find((l) => l.id === item.line_id);
    const v = (variants[line.sku] ?? []).find((x) => x.sku === $(`variant-${line.id}`).value);
    if (!v) throw new Error(`${lineName(line)}: ${t("noVariant")}`);
    return { ...item, variant: { sku: v.sku, price: v.price, in_stock: v.in_stock, kind: "same_item" } };
  });
  return req;
}

function show(answer, exchange = false) {
  lastAnswer = answer;
  $("answer").hidden = false;
  $("verdict").textContent = exchange ? t("exchange")[answer.outcome] : t(answer.outcome);
  $("verdict").className = answer.outcome;
  $("deadline").textContent = answer.deadline ? when(answer.deadline) : t("none");
  const payers = exchange ? [...new Set(answer.items.map((i) => i.return_shipping_paid_by))] : [answer.return_shipping_paid_by];
  $("shipping").textContent = payers.map((p) => t(p)).join(" / ");
  $("resolutions-label").hidden = $("resolutions").hidden = exchange;
  if (!exchange) $("resolutions").textContent = answer.resolutions.length ? answer.resolutions.map((r) => t("res")[r]).join(locale === "zh-CN" ? "、" : ", ") : t("none");
  $("exchange").hidden = !exchange;
  if (exchange) showExchange(answer);
  $("reasons").replaceChildren(
    ...answer.reasons.map((r) => {
      const li = document.createElement("li");
      li.textContent = `${r.message} `;
      const code = document.createElement("code");
      code.textContent = r.code;
      li.append(code);
      return li;
    }),
  );
  $("policy").textContent = `${answer.policy.id} ${answer.policy.version} · ${answer.policy.fingerprint}`;
}

/** The exchange per item (the variant, the difference and its direction, shipping, advance, the
 * fallback when out of stock) and what moves in all: every figure is the engine's. */
function showExchange(answer) {
  const order = currentOrder();
  const cur = answer.currency;
  const head = $("exchange-items").tHead.rows[0];
  head.replaceChildren(...t("exHead").map((h) => Object.assign(document.createElement("th"), { textContent: h })));
  $("exchange-items").tBodies[0].replaceChildren(
    ...answer.items.map((item) => {
      const line = order.lines.find((l) => l.id === item.line_id);
      const v = (variants[line?.sku] ?? []).find((x) => x.sku === item.sku);
      const tr = document.createElement("tr");
      tr.id = `exchange-${item.line_id}`;
      const diff = !item.eligible ? t("notExchanged")
        : item.fallback && item.fallback !== "wait" ? t("none")
        : item.direction === "none" ? t("direction").none : `${t("direction")[item.direction]} ${money(item.amount, cur)}`;
      const ships = item.replacement_shipping_paid_by;
      const cells = [
        `${line ? lineName(line) : item.line_id} × ${item.quantity}`,
        v ? `${(locale === "zh-CN" && v.name_zh) || v.name} (${item.sku})` : item.sku,
        diff,
        ships ? t(ships) : t("none"),
        ships ? t("advance")[String(item.advance)] : t("none"),
        item.fallback ? t("fallback")[item.fallback] : t("none"),
      ];
      tr.replaceChildren(...cells.map((c) => Object.assign(document.createElement("td"), { textContent: c })));
      Object.assign(tr.children[2].dataset, { direction: item.direction, amount: String(item.amount), difference: String(item.difference) });
      return tr;
    }),
  );
  const totals = [["customerPays", answer.customer_pays, "customer-pays"], ["refundTotal", answer.refund, "refund"]];
  if (answer.store_credit) totals.push(["storeCredit", answer.store_credit, "store-credit"]);
  if (answer.fallback_refund) totals.push(["fallbackRefund", answer.fallback_refund.total, "fallback-refund"]);
  $("exchange-totals").replaceChildren(
    ...totals.flatMap(([key, amount, id]) => {
      const dd = Object.assign(document.createElement("dd"), { id: `total-${id}`, textContent: money(amount, cur) });
      dd.dataset.amount = String(amount);
      return [Object.assign(document.createElement("dt"), { textContent: t(key) }), dd];
    }),
  );
}

function ask(event) {
  event?.preventDefault();
  const status = $("status");
  status.className = "status";
  status.textContent = "";
  try {
    const req = request();
    if (req.items.length === 0) {
      status.textContent = t("pick");
      return;
    }
    if (exchanging()) show(engine.checkExchange(req), true);
    else show(engine.checkReturn(req));
  } catch (e) {
    status.className = "status error";
    status.textContent = e instanceof PolicyError ? `${e.code} ${e.path}: ${e.detail}` : e instanceof Error ? e.message : String(e);
  }
}

async function main() {
  ({ engine, policy } = await loadEngine("/policies/storefront-exchanges.json"));
  [orders, variants] = await Promise.all(["data/orders.json", "data/variants.json"].map(async (url) => (await fetch(url)).json()));
  fillChoices();
  applyLanguage();
  $("order").addEventListener("change", () => { $("lines").replaceChildren(); showOrder(); $("answer").hidden = true; });
  $("ask").addEventListener("submit", ask);
  $("resolution").addEventListener("change", showVariants);
  onLanguage((l) => {
    locale = l;
    applyLanguage();
    if (lastAnswer) ask();
  });
  $("check").disabled = false;
  $("status").textContent = "";
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  $("status").className = "status error";
  $("status").textContent = String(e);
});
