// The SLA timeline: a case's stages drawn from start to due, coloured by status, with `now`, the
// pauses and the events; every figure from the engine's answer. Both languages.
import { PolicyError } from "../pkg/web.js";
import { loadEngine, applyTexts, onLanguage } from "./page.js";

const UI = {
  en: { title: "SLA timeline", storefront: "Storefront", refunds: "Refunds", sample: "Sample case", json: "Case (JSON)", showBtn: "Show deadlines",
        stage: "Stage", due: "Due", status: "Status", used: "Used", escalation: "Escalation", now: "now", plan: "plan", priority: "priority",
        statuses: { met: "met", met_late: "met late", breached: "breached", pending: "pending", not_started: "not started" }, level: (l, r) => `level ${l} (${r})` },
  "zh-CN": { title: "服务时效", storefront: "店铺页面", refunds: "退款预览", sample: "示例工单", json: "工单（JSON）", showBtn: "计算时限",
        stage: "环节", due: "截止", status: "状态", used: "已用", escalation: "升级", now: "当前", plan: "方案", priority: "优先级",
        statuses: { met: "已达成", met_late: "超时达成", breached: "已超时", pending: "进行中", not_started: "未开始" },
        level: (l, r) => `第${l}级（${{ supervisor: "主管", manager: "经理", director: "总监" }[r] ?? r}）` },
};
const STAGES_ZH = { first_response: "首次响应", registration: "登记与初判", solution: "给出方案", resolution: "问题解决", follow_up: "满意度回访",
                    refund_review: "退款审核", refund_payout: "退款到账", repair: "维修完成", return_complete: "退货完成" };

const SAMPLES = {
  "Enquiry Fri 17:00, first response overdue": { now: "2026-11-23T10:01:00+08:00", type: "enquiry", channel: "online",
    events: { created_at: "2026-11-20T17:00:00+08:00", registered_at: "2026-11-20T18:10:00+08:00" } },
  "Enquiry with a pause, 75 % used": { now: "2026-11-23T11:00:00+08:00", type: "enquiry",
    events: { created_at: "2026-11-23T09:00:00+08:00" }, pauses: [{ from: "2026-11-23T09:30:00+08:00", to: "2026-11-23T10:00:00+08:00" }] },
  "Refund over National Day": { now: "2026-10-09T09:00:00+08:00", type: "refund",
    events: { created_at: "2026-09-28T10:00:00+08:00", approved_at: "2026-09-30T11:00:00+08:00" } },
  "Serious quality complaint": { now: "2026-11-23T09:30:00+08:00", type: "complaint", category: "quality", severity: "high",
    events: { created_at: "2026-11-23T09:00:00+08:00" } },
};

const $ = (id) => document.getElementById(id);
let locale = "en";
let engine;
let timezone;
let last = null;
const t = (k) => UI[locale][k];
const stageName = (s) => (locale === "zh-CN" ? STAGES_ZH[s] ?? s : s.replaceAll("_", " "));
const when = (iso) => new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", weekday: "short", hour: "2-digit", minute: "2-digit", timeZone: timezone }).format(new Date(iso));
const svg = (name, attrs, text) => {
  const el = document.createElementNS("http://www.w3.org/2000/svg", name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
};

function draw(kase, answer) {
  const times = [kase.now, ...Object.values(kase.events ?? {}), ...answer.targets.flatMap((x) => [x.starts_at, x.due_at, x.done_at])].filter(Boolean).map((s) => Date.parse(s));
  const [lo, hi] = [Math.min(...times), Math.max(...times)];
  const span = Math.max(hi - lo, 3600e3);
  const W = 760, left = 130, right = 20, row = 30, top = 28;
  const H = top + answer.targets.length * row + 30;
  const x = (iso) => left + ((Date.parse(iso) - lo) / span) * (W - left - right);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": t("title") });
  for (const p of kase.pauses ?? []) {
    root.append(svg("rect", { class: "pause", x: x(p.from), y: top - 6, width: Math.max(1, x(p.to ?? kase.now) - x(p.from)), height: H - top - 18 }));
  }
  answer.targets.forEach((tg, i) => {
    const y = top + i * row;
    root.append(svg("text", { x: 4, y: y + 15 }, stageName(tg.stage)));
    if (tg.starts_at && tg.due_at) {
      const bar = svg("rect", { class: `s-${tg.status}`, x: x(tg.starts_at), y, width: Math.max(2, x(tg.due_at) - x(tg.starts_at)), height: 18, rx: 3, "data-stage": tg.stage, "data-status": tg.status });
      bar.append(svg("title", {}, `${stageName(tg.stage)}: ${t("statuses")[tg.status]} · ${t("due")} ${when(tg.due_at)}`));
      root.append(bar);
      if (tg.done_at) root.append(svg("circle", { cx: x(tg.done_at), cy: y + 9, r: 5, fill: "#111" }));
    } else {
      root.append(svg("text", { x: left, y: y + 15, fill: "#888" }, t("statuses").not_started));
    }
  });
  const nx = x(kase.now);
  root.append(svg("line", { class: "now", x1: nx, x2: nx, y1: top - 12, y2: H - 18 }));
  const nearEnd = nx > W / 2;
  root.append(svg("text", { x: nearEnd ? nx - 4 : nx + 4, y: top - 14, "text-anchor": nearEnd ? "end" : "start" }, `${t("now")} ${when(kase.now)}`));
  root.append(svg("text", { x: left, y: H - 4 }, when(new Date(lo).toISOString())));
  root.append(svg("text", { x: W - right, y: H - 4, "text-anchor": "end" }, when(new Date(hi).toISOString())));
  $("timeline").replaceChildren(root);
}

function show() {
  $("error").textContent = "";
  let kase;
  try {
    kase = { ...JSON.parse($("json").value), locale };
    const answer = engine.slaDeadlines(kase);
    last = answer;
    $("summary").textContent = `${t("plan")} ${answer.plan}${answer.priority ? ` · ${t("priority")} ${answer.priority}` : ""}${answer.escalation ? ` · ${t("level")(answer.escalation.level, answer.escalation.role)}` : ""}`;
    draw(kase, answer);
    $("targets").tBodies[0].replaceChildren(...answer.targets.map((tg) => {
      const tr = document.createElement("tr");
      tr.dataset.stage = tg.stage;
      [stageName(tg.stage), tg.due_at ? when(tg.due_at) : "—", t("statuses")[tg.status], `${tg.percent_used}%`, tg.escalation ? t("level")(tg.escalation.level, tg.escalation.role) : ""].forEach((v, i) => {
        const td = document.createElement("td");
        td.textContent = v;
        if (i === 3) td.className = "num";
        tr.append(td);
      });
      return tr;
    }));
    $("reasons").replaceChildren(...[...answer.reasons, ...answer.targets.flatMap((x) => x.reasons), ...answer.warnings].map((r) => Object.assign(document.createElement("li"), { textContent: `${r.message} (${r.code})` })));
  } catch (e) {
    $("error").textContent = e instanceof PolicyError ? `${e.code} ${e.path}: ${e.detail}` : String(e);
  }
}

function applyLanguage() {
  applyTexts(UI, locale);
  if (last) show();
}

async function main() {
  let policy;
  ({ engine, policy } = await loadEngine("/policies/sla-cn.json"));
  timezone = policy.timezone;
  $("sample").replaceChildren(...Object.keys(SAMPLES).map((k) => new Option(k, k)));
  const load = () => { $("json").value = JSON.stringify(SAMPLES[$("sample").value], null, 2); show(); };
  $("sample").addEventListener("change", load);
  $("case").addEventListener("submit", (e) => { e.preventDefault(); show(); });
  onLanguage((l) => { locale = l; applyLanguage(); });
  applyLanguage();
  load();
  $("show").disabled = false;
  document.body.dataset.ready = "true";
}

main().catch((e) => { $("error").textContent = String(e); });
