// The service desk's warranty check: the claim in, the engine's decision out (remedies, free or
// paid, the warranty period, a paid repair's quote, the promised completion), in both languages.
import { PolicyError } from "../pkg/web.js";
import { loadEngine, applyTexts, onLanguage } from "./page.js";

const UI = {
  en: { title: "Warranty check", storefront: "Storefront", refunds: "Refunds", category: "Product category", serial: "Serial number",
        purchase: "Purchase date", fault: "Fault date", proof: "Proof of purchase", factors: "External factors", dropped: "Dropped",
        water: "Water damage", physical_damage: "Physical damage", unauthorized_repair: "Unauthorised repair or disassembly",
        failed: "Earlier failed repairs (same fault)", hours: "Labour hours proposed", screen: "Part SCREEN-1 proposed", checkBtn: "Check",
        covered: "Covered by the warranty", paid: "Not covered free of charge", free: "free", cost: "paid", total: "Quote total", warrantyPays: "the warranty pays",
        period: (a, b) => `Warranty ${a} → ${b}`, due: (d) => ` · repair promised by ${d}`,
        remedy: { return: "return", replace: "replacement", repair: "repair" } },
  "zh-CN": { title: "保修查询", storefront: "店铺页面", refunds: "退款预览", category: "商品类别", serial: "序列号", purchase: "购买日期",
        fault: "故障日期", proof: "有购买凭证", factors: "外部因素", dropped: "跌落", water: "进水", physical_damage: "人为损坏",
        unauthorized_repair: "非授权维修或拆机", failed: "同一故障已维修失败次数", hours: "预计工时（小时）", screen: "更换配件 SCREEN-1",
        checkBtn: "查询", covered: "在保修范围内", paid: "不在免费保修范围内", free: "免费", cost: "付费", total: "报价合计", warrantyPays: "保修承担",
        period: (a, b) => `保修期 ${a} 至 ${b}`, due: (d) => ` · 承诺维修完成时间 ${d}`,
        remedy: { return: "退货", replace: "换货", repair: "维修" } },
};

const $ = (id) => document.getElementById(id);
let locale = "en";
let engine;
let currency = "CNY";
let timezone;
let asked = false;
const t = (k) => UI[locale][k];
const money = (minor) => new Intl.NumberFormat(locale, { style: "currency", currency }).format(minor / 100);
const when = (iso) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: timezone }).format(new Date(iso));

function claim() {
  const failed = Number($("failed").value);
  return {
    now: "2026-11-23T10:00:00+08:00", locale,
    product: { sku: "DEMO", category: $("category").value, serial_number: $("serial").value || undefined },
    purchase_date: $("purchase").value, fault_date: $("fault").value, fault: "screen_flicker", fault_kind: "performance_fault",
    proof_of_purchase: $("proof").checked,
    external_factors: [...document.querySelectorAll("input[name=factor]:checked")].map((c) => c.value),
    repairs: Array.from({ length: failed }, () => ({ date: $("purchase").value, fault: "screen_flicker", days_in_repair: 0, fixed: false })),
    proposed_repair: { parts: $("screen").checked ? ["SCREEN-1"] : [], labour_hours: Number($("hours").value) },
  };
}

function check(event) {
  event?.preventDefault();
  asked = true;
  $("error").textContent = "";
  try {
    const d = engine.checkWarranty(claim());
    $("verdict").textContent = d.covered ? t("covered") : t("paid");
    $("verdict").className = d.covered ? "approve" : "deny";
    $("remedies").textContent = d.remedies.map((r) => `${t("remedy")[r.remedy]} (${r.free ? t("free") : t("cost")})`).join(" · ");
    $("remedies").dataset.remedies = d.remedies.map((r) => `${r.remedy}:${r.free ? "free" : "paid"}`).join(",");
    $("period").textContent = d.warranty_ends_at ? t("period")(d.warranty_starts_on, when(d.warranty_ends_at)) + (d.repair_due_by ? t("due")(when(d.repair_due_by)) : "") : "";
    // Each line: what the customer pays of it; a line the warranty covers in part says so.
    const line = (l) => [l.covered ? `${l.message} (${money(l.amount)}; ${t("warrantyPays")} ${money(l.covered)})` : l.message, l.payable];
    const rows = d.quote ? [...d.quote.lines.map(line), [t("total"), d.quote.total]] : [];
    $("quote").tBodies[0].replaceChildren(...rows.map(([label, amount], i) => {
      const tr = document.createElement("tr");
      if (i === rows.length - 1) { tr.className = "total"; tr.id = "quote-total"; tr.dataset.amount = String(amount); }
      const a = document.createElement("td"); a.textContent = label;
      const b = document.createElement("td"); b.className = "num"; b.textContent = money(amount);
      tr.append(a, b);
      return tr;
    }));
    $("reasons").replaceChildren(...d.reasons.map((r) => Object.assign(document.createElement("li"), { textContent: `${r.message} (${r.code})` })));
  } catch (e) {
    $("error").textContent = e instanceof PolicyError ? `${e.code} ${e.path}: ${e.detail}` : String(e);
  }
}

function applyLanguage() {
  applyTexts(UI, locale);
  if (asked) check();
}

async function main() {
  let policy;
  ({ engine, policy } = await loadEngine("/policies/warranty-cn.json"));
  ({ currency, timezone } = policy);
  $("claim").addEventListener("submit", check);
  onLanguage((l) => { locale = l; applyLanguage(); });
  applyLanguage();
  $("check").disabled = false;
  document.body.dataset.ready = "true";
}

main().catch((e) => { $("error").textContent = String(e); });
