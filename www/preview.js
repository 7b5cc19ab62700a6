// The policy change preview: paste or upload a new policy, replay the page's orders (or a history
// of requests) under the policy in force and under the new one, and see what would change: the
// transitions, the money, deadlines, reason codes, and examples. Every figure is the engine's
// comparison (`PolicyEngine.compare`, the core's `compare` module), the one `aftersales diff`
// prints: the page only draws it.
import init, { PolicyEngine, PolicyError, validatePolicy } from "../pkg/web.js";
import { applyTexts, onLanguage } from "./page.js";
import { sampleOrders } from "./data/generate-orders.js";

const UI = {
  en: {
    title: "Policy change preview", storefront: "Storefront", refunds: "Refunds", warranty: "Warranty",
    old: "Policy in force", new: "New policy (paste, upload or edit)", requests: "Requests to replay",
    ordersSource: "The page's 1,000 orders, every unit returned", fileSource: "A history of requests (JSON Lines)",
    reason: "Reason", now: "As of", unused: "Unused", original_packaging: "Original packaging", tags_attached: "Tags attached",
    accessories_complete: "Accessories complete", runBtn: "Preview the change",
    hint: "Both policies answer the same requests; every figure comes from the engine's comparison, the one the command line prints.",
    reasons: { changed_mind: "Changed mind", defective: "Defective", not_as_described: "Not as described", wrong_item: "Wrong item" },
    requestsN: "requests", changed: "changed", invalid: "not requests", moved: "money moved", before: "before", after: "after",
    transitions: "Transitions", transition: "From → to", count: "Requests", changedCol: "Changed", money: "Money before → after",
    examples: "Examples (line, order)", deadlines: "Deadlines moved", later: "later", earlier: "earlier", codes: "Reason codes",
    gained: "gained", lost: "lost", noFile: "Choose a JSON Lines file of requests first.", badPolicy: (which) => `The ${which} has errors:`,
    exposure: "Refund exposure (the refund quote of each request approved or in review)",
    warningsOf: "The new policy loads, with warnings (a person should look):",
  },
  "zh-CN": {
    title: "政策变更预览", storefront: "店铺页面", refunds: "退款", warranty: "保修",
    old: "现行政策", new: "新政策（粘贴、上传或编辑）", requests: "重放的请求",
    ordersSource: "本页 1,000 个订单，全部商品退回", fileSource: "历史请求（JSON Lines 文件）",
    reason: "原因", now: "时间", unused: "未使用", original_packaging: "原包装完好", tags_attached: "吊牌完好",
    accessories_complete: "配件齐全", runBtn: "预览变更",
    hint: "两个政策回答同样的请求；所有数字均来自引擎的对比，与命令行输出一致。",
    reasons: { changed_mind: "无理由", defective: "质量问题", not_as_described: "与描述不符", wrong_item: "发错商品" },
    requestsN: "个请求", changed: "有变化", invalid: "无法读取", moved: "金额变化", before: "变更前", after: "变更后",
    transitions: "结果变化", transition: "从 → 到", count: "请求数", changedCol: "有变化", money: "金额 变更前 → 变更后",
    examples: "示例（行号、订单）", deadlines: "截止时间变化", later: "推迟", earlier: "提前", codes: "原因代码",
    gained: "新增", lost: "消失", noFile: "请先选择一个 JSON Lines 请求文件。", badPolicy: (which) => `${which}有错误：`,
    exposure: "退款敞口（批准或待审核请求的退款报价）",
    warningsOf: "新政策可以加载，但有以下警告（请人工检查）：",
  },
};

const $ = (id) => document.getElementById(id);
let locale = "en";
let report = null;
const t = (k) => UI[locale][k];

function money(minor, currency) {
  const f = new Intl.NumberFormat(locale, { style: "currency", currency });
  return f.format(Number(minor) / 10 ** f.resolvedOptions().maximumFractionDigits);
}

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** The requests of the page's orders: every unit of every line, with the reason, time and condition chosen. */
function orderRequests() {
  const condition = Object.fromEntries(["unused", "original_packaging", "tags_attached", "accessories_complete"].map((k) => [k, $(k).checked]));
  const now = `${$("now").value.length === 16 ? $("now").value + ":00" : $("now").value}+08:00`;
  return sampleOrders(1000)
    .map((order) => JSON.stringify({ now, reason: $("reason").value, proof_of_purchase: true, order,
      items: order.lines.map((l) => ({ line_id: l.id, quantity: l.quantity, condition })) }))
    .join("\n");
}

/** The policy in force with a longer change-of-mind window, returns without tags for a fee: a first change to try. */
function candidate(oldText) {
  const p = JSON.parse(oldText);
  p.version = `${p.version}-preview`;
  const reasons = p.returns?.reasons ?? {};
  if (reasons.changed_mind) reasons.changed_mind.window = { days: 15 };
  if (p.returns?.requires) p.returns.requires = p.returns.requires.filter((r) => r !== "tags_attached");
  p.refunds = { ...(p.refunds ?? {}), deductions: { ...(p.refunds?.deductions ?? {}), tags_attached: { amount: 2000 } } };
  return JSON.stringify(p, null, 2);
}

/** The warnings of the new policy's text, with line and column, in the page's language (HTML; "" for none). */
function warnings(text) {
  const v = validatePolicy(text, { positions: true, locale });
  if (!v.ok || v.warnings.length === 0) return "";
  const items = v.warnings.map(
    (w) => `<li><code>${w.line}:${w.column} ${esc(w.code)} ${esc(w.path)}</code> ${esc(w.message)}</li>`,
  );
  return `<p>${esc(t("warningsOf"))}</p><ul>${items.join("")}</ul>`;
}

/** The errors of a policy's text with their line and column, or null when it compiles. */
function problems(text, which) {
  const v = validatePolicy(text, { positions: true });
  if (v.ok) return null;
  return `${t("badPolicy")(which)}\n` + v.errors.map((e) => `${e.line}:${e.column} ${e.code} ${e.path}: ${e.message}`).join("\n");
}

async function run(event) {
  event?.preventDefault();
  $("error").textContent = "";
  $("warnings").innerHTML = "";
  const fromFile = $("source-file").checked;
  let requests;
  if (fromFile) {
    const file = $("history-file").files[0];
    if (!file) return void ($("error").textContent = t("noFile"));
    requests = await file.text();
  } else {
    requests = orderRequests();
  }
  const [oldText, newText] = [$("old").value, $("new").value];
  const bad = problems(oldText, t("old")) ?? problems(newText, t("new"));
  if (bad) return void ($("error").textContent = bad);
  $("warnings").innerHTML = warnings(newText);
  try {
    report = PolicyEngine.compare(oldText, newText, requests, { evaluator: "checkReturn", examples: 5 });
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    return void ($("error").textContent = e.message);
  }
  window.previewRequests = requests;
  window.previewReport = report;
  render();
}

function colour(tr) {
  if (tr.from === tr.to) return "#b8bfcc";
  if (tr.to === "approve") return "#2e9d5b";
  if (tr.to === "review") return "#d99a1e";
  return "#cc3d3d";
}

/** One bar a transition, its length the number of requests. */
function chart(r) {
  const max = Math.max(1, ...r.transitions.map((tr) => tr.count));
  const h = 26 * r.transitions.length + 10;
  const bars = r.transitions.map((tr, i) => {
    const y = 26 * i + 5;
    const w = Math.max(1, Math.round((tr.count / max) * 380));
    return `<text x="150" y="${y + 13}" text-anchor="end">${esc(tr.from)} → ${esc(tr.to)}</text><rect x="160" y="${y}" width="${w}" height="18" fill="${colour(tr)}"/><text x="${166 + w}" y="${y + 13}">${tr.count}</text>`;
  });
  return `<svg id="chart" viewBox="0 0 600 ${h}" role="img" aria-label="${esc(t("transitions"))}">${bars.join("")}</svg>`;
}

function moneyLine(list) {
  return list.length === 0 ? "–" : list.map((m) => `${money(m.before, m.currency)} → ${money(m.after, m.currency)}`).join("; ");
}

function render() {
  if (!report) return;
  const r = report;
  const kpi = [`<div><b id="kpi-requests">${r.requests}</b>${esc(t("requestsN"))}</div>`, `<div><b id="kpi-changed">${r.changed}</b>${esc(t("changed"))}</div>`,
    `<div><b>${r.invalid.count}</b>${esc(t("invalid"))}</div>`,
    ...r.money.map((m) => `<div id="money-${esc(m.currency)}" data-before="${m.before}" data-after="${m.after}" data-delta="${m.delta}"><b>${m.delta >= 0 ? "+" : ""}${esc(money(m.delta, m.currency))}</b>${esc(t("moved"))}: ${esc(money(m.before, m.currency))} → ${esc(money(m.after, m.currency))}</div>`)];
  const rows = r.transitions.map((tr) => {
    const examples = tr.examples.map((e) => `<span title="${esc(e.before.outcome)} ${e.before.amount ?? ""} → ${esc(e.after.outcome)} ${e.after.amount ?? ""} ${esc([...(e.gained ?? []).map((c) => "+" + c), ...(e.lost ?? []).map((c) => "-" + c)].join(" "))}">${e.line} ${esc(e.id ?? "")}</span>`);
    return `<tr data-from="${esc(tr.from)}" data-to="${esc(tr.to)}" data-count="${tr.count}" data-changed="${tr.changed}"><td>${esc(tr.from)} → ${esc(tr.to)}</td><td class="num">${tr.count}</td><td class="num">${tr.changed}</td><td>${esc(moneyLine(tr.money))}</td><td>${examples.join(", ")}</td></tr>`;
  });
  const deadlines = r.deadlines.map((d) => `<li><code>${esc(d.name)}</code>: ${d.later} ${esc(t("later"))} (+${(d.later_seconds / 86400).toFixed(1)} d), ${d.earlier} ${esc(t("earlier"))}</li>`);
  const codes = r.reasons.map((c) => `<tr data-code="${esc(c.code)}"><td><code>${esc(c.code)}</code></td><td class="num">${c.gained}</td><td class="num">${c.lost}</td></tr>`);
  $("result").innerHTML = `<p class="muted">${esc(r.old.id)} ${esc(r.old.version)} → ${esc(r.new.id)} ${esc(r.new.version)}</p>
    <div class="kpi">${kpi.join("")}</div><p class="muted">${esc(t("exposure"))}</p>
    <h2>${esc(t("transitions"))}</h2>${chart(r)}
    <table id="transitions"><thead><tr><th>${esc(t("transition"))}</th><th class="num">${esc(t("count"))}</th><th class="num">${esc(t("changedCol"))}</th><th>${esc(t("money"))}</th><th>${esc(t("examples"))}</th></tr></thead><tbody>${rows.join("")}</tbody></table>
    ${deadlines.length ? `<h2>${esc(t("deadlines"))}</h2><ul>${deadlines.join("")}</ul>` : ""}
    ${codes.length ? `<h2>${esc(t("codes"))}</h2><table id="codes"><thead><tr><th></th><th class="num">${esc(t("gained"))}</th><th class="num">${esc(t("lost"))}</th></tr></thead><tbody>${codes.join("")}</tbody></table>` : ""}`;
}

function applyLanguage() {
  applyTexts(UI, locale);
  const keep = $("reason").value;
  $("reason").replaceChildren(...Object.entries(t("reasons")).map(([v, label]) => new Option(label, v)));
  if (keep) $("reason").value = keep;
  render();
}

async function readInto(input, target) {
  const file = input.files[0];
  if (file) $(target).value = await file.text();
}

async function main() {
  await init();
  const oldText = await (await fetch("/policies/sportswear-cn.json")).text();
  $("old").value = oldText;
  $("new").value = candidate(oldText);
  $("old-file").addEventListener("change", () => readInto($("old-file"), "old"));
  $("new-file").addEventListener("change", () => readInto($("new-file"), "new"));
  $("history-file").addEventListener("change", () => ($("source-file").checked = true));
  $("ask").addEventListener("submit", run);
  onLanguage((l) => {
    locale = l;
    applyLanguage();
  });
  applyLanguage();
  $("run").disabled = false;
  document.body.dataset.ready = "true";
}

main();
