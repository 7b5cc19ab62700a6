// The admin refund preview: a staff member picks one of a thousand orders, the items and the
// refund type, and sees the quote line by line, every amount explained, in English or Chinese;
// "Record" appends the quote's record to the order's refunds, as the merchant's system would,
// so the next quote knows about it. A refund-only request names its cause and the evidence
// supplied; return freight the customer prepaid is reimbursed as the policy says; a threshold
// discount the kept items no longer reach is withheld; an inspection after a refund released
// early gives the amount to recover. The answer's return, evidence, freight, insurance, release,
// withholding and recovery figures sit beside the table. All figures come from the engine.
import { PolicyError } from "../pkg/web.js";
import { loadEngine, applyTexts, onLanguage } from "./page.js";
import { sampleOrders } from "./data/generate-orders.js";

const UI = {
  en: {
    title: "Refund preview", storefront: "Storefront", preview: "Policy change preview", search: "Find an order", order: "Order", customer: "Customer", items: "Items",
    paid: "Paid", refunded: "Refunded", batch: "Preview full refunds of all orders", type: "Refund type", reason: "Reason",
    resolution: "Pay back as", offer: "Partial offer (%)", label: "Customer uses our return label", inspected: "Inspected condition", unused: "Unused", original_packaging: "Original packaging",
    tags_attached: "Tags attached", accessories_complete: "Accessories complete",
    now: "As of", quoteBtn: "Quote", recordBtn: "Record this refund", line: "Line", component: "Component", amount: "Amount",
    shipping: "Original shipping", total: "Total back", bonus: "Store-credit bonus", payments: "Paid back to", units: "units",
    exposure: (n, ok, total, ms) => `${n} orders quoted in ${ms} ms: ${ok} refundable, total exposure ${total}.`,
    types: { return_and_refund: "Return and refund", no_reason: "No-reason refund", exchange_failed: "Exchange failed", partial: "Partial (customer keeps it)", refund_only: "Refund only (no return)" },
    refundOnly: "Refund without a return", cause: "Why the goods do not come back", evidence: "Evidence supplied", carrier_status: "Carrier status", photo: "Photo",
    causes: { not_delivered: "Not delivered", lost: "Lost by the carrier", missing_items: "Items missing from the parcel", keep_item: "Customer keeps the item" },
    freightPaid: "Return freight the customer prepaid (receipt)", returnFreight: "Return freight reimbursed", outcome: "Outcome",
    outcomes: { approve: "Approve", deny: "Deny", review: "Review" }, returnRequired: "Goods come back", yes: "yes", no: "no",
    evidenceRequired: "Evidence required", evidenceMissing: "Evidence missing", insurance: "Freight insurance pays (not in the total)", nothing: "—",
    inspect: "Refunded before inspection: the condition above is what the inspection found (amount to recover)",
    release: "Refund released", releases: { on_request: "on request", first_scan: "at the carrier's first scan", after_inspection: "after inspection" },
    withheld: "Discount withheld (threshold no longer reached)", waived: "Discount withheld, waived", points: "Points clawed back", coupons: "Coupons given back",
    recover: "To recover from the customer",
    reasons: { changed_mind: "Changed mind", defective: "Defective", not_as_described: "Not as described", damaged_in_transit: "Damaged in transit", wrong_item: "Wrong item" },
    res: { refund: "Original payment", store_credit: "Store credit" }, none: "Nothing to refund.",
  },
  "zh-CN": {
    title: "退款预览", storefront: "店铺页面", preview: "规则变更预览", search: "查找订单", order: "订单", customer: "客户", items: "商品", paid: "实付", refunded: "已退",
    batch: "预览全部订单整单退款", type: "退款类型", reason: "原因", resolution: "退回方式", offer: "部分退款比例（%）", label: "客户使用商家退货面单",
    inspected: "验货结果", unused: "未使用", original_packaging: "原包装完好", tags_attached: "吊牌完好", accessories_complete: "配件齐全", now: "计算时间", quoteBtn: "计算", recordBtn: "登记此笔退款", line: "商品行", component: "项目", amount: "金额",
    shipping: "原订单运费", total: "合计退款", bonus: "余额赠送", payments: "退回至", units: "件",
    exposure: (n, ok, total, ms) => `已计算 ${n} 个订单，用时 ${ms} 毫秒：${ok} 个可退款，总退款敞口 ${total}。`,
    types: { return_and_refund: "退货退款", no_reason: "无理由退款", exchange_failed: "换货失败退款", partial: "部分退款（保留商品）", refund_only: "仅退款（无需退货）" },
    refundOnly: "仅退款", cause: "无需退货的原因", evidence: "已提供的凭证", carrier_status: "物流状态", photo: "照片",
    causes: { not_delivered: "未收到货", lost: "快递丢件", missing_items: "漏发少件", keep_item: "商品无需寄回" },
    freightPaid: "客户垫付的退货运费（凭证金额）", returnFreight: "退货运费补偿", outcome: "处理结果",
    outcomes: { approve: "同意", deny: "拒绝", review: "人工审核" }, returnRequired: "需要退货", yes: "是", no: "否",
    evidenceRequired: "所需凭证", evidenceMissing: "缺少凭证", insurance: "运费险赔付（不计入合计）", nothing: "—",
    inspect: "先退款后验货：上面的状况为验货结果（计算应追回金额）",
    release: "退款时机", releases: { on_request: "申请即退", first_scan: "快递揽收后退款", after_inspection: "验货后退款" },
    withheld: "扣回优惠（未达满减门槛）", waived: "应扣回优惠（已免除）", points: "扣回积分", coupons: "退还优惠券",
    recover: "应向客户追回",
    reasons: { changed_mind: "无理由", defective: "质量问题", not_as_described: "与描述不符", damaged_in_transit: "运输损坏", wrong_item: "发错商品" },
    res: { refund: "原路退回", store_credit: "店铺余额" }, none: "无可退金额。",
  },
};

const $ = (id) => document.getElementById(id);
let locale = "en";
let engine;
let orders = [];
let current;
let lastQuote = null;
const t = (k) => UI[locale][k];

function money(minor, currency) {
  const f = new Intl.NumberFormat(locale, { style: "currency", currency });
  return f.format(minor / 10 ** f.resolvedOptions().maximumFractionDigits);
}
const paidOf = (o) => o.payments.reduce((s, p) => s + p.amount, 0);
const refundedOf = (o) => o.refunds.flatMap((r) => r.payments).reduce((s, p) => s + p.amount, 0);

function applyLanguage() {
  applyTexts(UI, locale);
  const fill = (sel, entries) => {
    const keep = sel.value;
    sel.replaceChildren(...entries.map(([v, label]) => new Option(label, v)));
    if (keep) sel.value = keep;
  };
  fill($("type"), Object.entries(t("types")));
  fill($("reason"), Object.entries(t("reasons")));
  fill($("resolution"), Object.entries(t("res")));
  fill($("cause"), Object.entries(t("causes")));
  showRefundOnly();
  renderOrders();
  if (current) selectOrder(current.id, false);
  if (lastQuote) quote();
}

function renderOrders() {
  const q = $("search").value.trim().toUpperCase();
  const rows = orders.filter((o) => !q || o.id.includes(q)).slice(0, 1000);
  $("orders").tBodies[0].replaceChildren(
    ...rows.map((o) => {
      const tr = document.createElement("tr");
      tr.dataset.id = o.id;
      tr.setAttribute("aria-selected", String(current?.id === o.id));
      const cells = [o.id, `${o.customer.id} (${o.customer.tier})`, o.lines.reduce((n, l) => n + l.quantity, 0), money(paidOf(o), o.currency), money(refundedOf(o), o.currency)];
      cells.forEach((c, i) => {
        const td = document.createElement("td");
        td.textContent = c;
        if (i >= 2) td.className = "num";
        tr.append(td);
      });
      tr.addEventListener("click", () => selectOrder(o.id));
      return tr;
    }),
  );
}

function selectOrder(id, clear = true) {
  current = orders.find((o) => o.id === id);
  document.querySelectorAll("#orders tbody tr").forEach((tr) => tr.setAttribute("aria-selected", String(tr.dataset.id === id)));
  $("order-title").textContent = `${t("order")} ${current.id} · ${current.customer.id} · ${money(paidOf(current), current.currency)}`;
  const checked = clear ? new Map() : new Map([...document.querySelectorAll("#lines input[type=number]")].map((i) => [i.dataset.line, i.value]));
  $("lines").replaceChildren(
    ...current.lines.map((line) => {
      const row = document.createElement("label");
      row.className = "check line";
      const qty = Object.assign(document.createElement("input"), { type: "number", min: 0, max: line.quantity, value: checked.get(line.id) ?? 0, id: `qty-${line.id}` });
      qty.dataset.line = line.id;
      const text = document.createElement("span");
      text.textContent = `${line.id} · ${line.sku} · ${money(line.unit_price, current.currency)} × ${line.quantity}`;
      row.append(qty, text);
      return row;
    }),
  );
  if (clear) {
    $("result").replaceChildren();
    lastQuote = null;
    $("record").disabled = true;
  }
}

const refundOnly = () => $("type").value === "refund_only";
function showRefundOnly() {
  $("refund-only").hidden = !refundOnly();
  $("label-row").hidden = refundOnly(); // nothing is sent back
}

/** An amount typed in the currency's units ("12.00") in minor units (1200). */
function minor(text, currency) {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits;
  return Math.round(Number(text || 0) * 10 ** digits);
}

function request() {
  const condition = Object.fromEntries(["unused", "original_packaging", "tags_attached", "accessories_complete"].map((k) => [k, $(k).checked]));
  // After a refund released early, the customer declared the items intact; the boxes are the findings.
  const declared = Object.fromEntries(Object.keys(condition).map((k) => [k, true]));
  const item = (line) => $("inspect").checked
    ? { line_id: line.id, quantity: Number($(`qty-${line.id}`).value), condition: declared, inspection: condition }
    : { line_id: line.id, quantity: Number($(`qty-${line.id}`).value), condition };
  const items = current.lines.map(item).filter((i) => i.quantity > 0);
  const now = $("now").value.length === 16 ? `${$("now").value}:00` : $("now").value;
  const req = { now: `${now}+08:00`, locale, type: $("type").value, reason: $("reason").value, resolution: $("resolution").value,
                uses_merchant_label: $("label").checked, proof_of_purchase: true, order: current, items };
  if (req.type === "partial") req.offer = { percent: Number($("offer").value) };
  if (refundOnly()) {
    req.cause = $("cause").value;
    req.evidence = [...document.querySelectorAll("#refund-only input:checked")].map((c) => c.value);
    if (req.cause !== "keep_item") delete req.reason; // the cause is the reason
    delete req.uses_merchant_label;
  }
  const freight = minor($("freight-paid").value, current.currency);
  if (freight > 0) req.return_freight_paid = freight;
  return req;
}

function cell(tr, text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  tr.append(td);
  return td;
}

function show(q) {
  const cur = q.currency;
  const table = document.createElement("table");
  table.innerHTML = `<thead><tr><th></th><th></th><th class="num"></th></tr></thead><tbody></tbody>`;
  const head = table.tHead.rows[0].cells;
  [t("line"), t("component"), t("amount")].forEach((h, i) => { head[i].textContent = h; });
  const body = table.tBodies[0];
  for (const line of q.lines) {
    for (const c of line.components) {
      const tr = body.insertRow();
      cell(tr, `${line.line_id} ×${line.quantity}`);
      const td = cell(tr, `${c.message} `);
      const code = document.createElement("code");
      code.textContent = c.code;
      td.append(code);
      cell(tr, money(c.amount, cur), c.amount < 0 ? "num deduction" : "num");
    }
    for (const r of line.reasons) {
      const tr = body.insertRow();
      cell(tr, line.line_id);
      cell(tr, `${r.message} (${r.code})`);
      cell(tr, money(0, cur), "num");
    }
  }
  const add = (label, amount, cls = "") => {
    const tr = body.insertRow();
    tr.className = cls;
    cell(tr, "");
    cell(tr, label);
    cell(tr, money(amount, cur), "num").dataset.amount = String(amount);
    return tr;
  };
  add(t("shipping"), q.shipping).id = "row-shipping";
  if (q.return_freight) add(t("returnFreight"), q.return_freight).id = "row-return-freight";
  add(t("total"), q.total, "total").id = "row-total";
  if (q.store_credit_bonus) add(t("bonus"), q.store_credit_bonus).id = "row-bonus";
  if (q.recover) {
    for (const line of q.recover.lines) {
      for (const c of line.components) {
        const tr = body.insertRow();
        tr.className = "recover";
        cell(tr, `${line.line_id} ×${line.quantity}`);
        cell(tr, `${c.message} `).append(Object.assign(document.createElement("code"), { textContent: c.code }));
        cell(tr, money(c.amount, cur), "num");
      }
    }
    add(t("recover"), q.recover.amount, "total recover").id = "row-recover";
  }
  const pay = document.createElement("p");
  pay.id = "payments";
  pay.textContent = `${t("payments")}: ${q.payments.map((p) => `${p.method} ${money(p.amount, cur)}`).join(" · ") || t("none")}`;
  const reasons = document.createElement("ul");
  reasons.replaceChildren(...q.reasons.map((r) => Object.assign(document.createElement("li"), { textContent: `${r.message} (${r.code})` })));
  $("result").replaceChildren(facts(q), table, pay, reasons);
}

/** Beside the table: the outcome, whether the goods come back, the evidence a refund-only needs
 * and lacks, the return freight reimbursed and what the freight insurance pays. */
function facts(q) {
  const dl = document.createElement("dl");
  dl.id = "facts";
  const list = (names) => names.map((n) => t(n) ?? n).join(", ") || t("nothing");
  const rows = [
    ["outcome", t("outcomes")[q.outcome], q.outcome],
    ["returnRequired", q.return_required ? t("yes") : t("no"), String(q.return_required)],
  ];
  if (q.refund_only) {
    rows.push(["evidenceRequired", list(q.refund_only.evidence_required), q.refund_only.evidence_required.join(" ")]);
    rows.push(["evidenceMissing", list(q.refund_only.evidence_missing), q.refund_only.evidence_missing.join(" ")]);
  }
  rows.push(["returnFreight", money(q.return_freight, q.currency), String(q.return_freight)]);
  rows.push(["insurance", money(q.freight_insurance_payout, q.currency), String(q.freight_insurance_payout)]);
  if (q.release) rows.push(["release", t("releases")[q.release], q.release]);
  const discounts = q.record.discounts ?? [];
  const withheld = discounts.reduce((s, d) => s + d.withheld, 0);
  const waived = discounts.reduce((s, d) => s + d.waived, 0);
  if (withheld) rows.push(["withheld", money(withheld, q.currency), String(withheld)]);
  if (waived) rows.push(["waived", money(waived, q.currency), String(waived)]);
  if (q.points_clawed_back) rows.push(["points", String(q.points_clawed_back), String(q.points_clawed_back)]);
  if (q.reinstated_coupons?.length) rows.push(["coupons", q.reinstated_coupons.map((c) => c.code ?? `#${c.discount}`).join(", "), String(q.reinstated_coupons.length)]);
  if (q.recover) rows.push(["recover", money(q.recover.amount, q.currency), String(q.recover.amount)]);
  for (const [key, text, value] of rows) {
    const dd = Object.assign(document.createElement("dd"), { id: `fact-${key}`, textContent: text });
    dd.dataset.value = value;
    dl.append(Object.assign(document.createElement("dt"), { textContent: t(key) }), dd);
  }
  return dl;
}

function quote(event) {
  event?.preventDefault();
  try {
    lastQuote = engine.quoteRefund(request());
    show(lastQuote);
    $("record").disabled = !(lastQuote.total > 0 || lastQuote.recover?.amount > 0 || lastQuote.record.lines.some((l) => l.kept_quantity > 0));
  } catch (e) {
    lastQuote = null;
    $("record").disabled = true;
    $("result").textContent = e instanceof PolicyError ? `${e.code} ${e.path}: ${e.detail}` : String(e);
  }
}

function record() {
  if (!lastQuote) return;
  current.refunds.push({ id: `RF-${current.refunds.length + 1}`, ...lastQuote.record });
  lastQuote = null;
  $("record").disabled = true;
  renderOrders();
  selectOrder(current.id);
}

function batch() {
  // Full refunds of every order, as if every exchange failed: no deductions, the ledger applied.
  const reqs = orders.map((o) => ({ now: "2026-11-05T10:00:00+08:00", locale, type: "exchange_failed", order: o,
    items: o.lines.map((l) => ({ line_id: l.id, quantity: l.quantity })) }));
  const start = performance.now();
  const answers = engine.quoteRefunds(reqs);
  const ms = Math.round(performance.now() - start);
  const ok = answers.filter((a) => a.ok && a.value.total > 0);
  const total = ok.reduce((s, a) => s + a.value.total, 0);
  $("exposure").textContent = t("exposure")(answers.length, ok.length, money(total, "CNY"), ms);
  $("exposure").dataset.total = String(total);
  $("exposure").dataset.count = String(answers.length);
}

async function main() {
  ({ engine } = await loadEngine("/policies/admin-cn.json"));
  orders = sampleOrders(1000);
  applyLanguage();
  $("search").addEventListener("input", renderOrders);
  $("ask").addEventListener("submit", quote);
  $("type").addEventListener("change", showRefundOnly);
  $("record").addEventListener("click", record);
  $("batch").addEventListener("click", batch);
  onLanguage((l) => { locale = l; applyLanguage(); });
  selectOrder(orders[0].id);
  $("quote").disabled = false;
  $("batch").disabled = false;
  document.body.dataset.ready = "true";
}

main().catch((e) => { $("result").textContent = String(e); });
