#!/usr/bin/env node
// `npx aftersales`: the package's command line, through the WebAssembly build (one core). Its
// commands and exit codes are those of the native `aftersales` (cargo feature `cli`,
// docs/cli.md), and with `--format json` it prints the same JSON for the same inputs: both call
// the same Rust code (`validate_located`, `compare_policies`). What the native one has and this
// one has not: `diff --html`, a progress bar, several cores, flat memory on huge inputs (the
// requests of a `diff` are read whole here).
import { readFileSync, createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { PolicyEngine, PolicyError, validatePolicy } = require("../node.cjs");

const USAGE = `usage: aftersales <command> [options]

  validate POLICY... [--format text|json] [--deny-warnings] [--locale en|zh-CN]
  check|quote|warranty|sla POLICY [REQUESTS]      JSON Lines in (a file, or standard input), JSON Lines out
  diff OLD NEW [REQUESTS] [--evaluator check|quote|warranty|sla|calendar] [--format text|json]
       [--examples N] [--fail-on-change]
  schema

Exit: 0 fine; 1 errors found (validate), lines refused (check…), answers changed (diff --fail-on-change); 2 bad usage or an unreadable policy.`;

class Fatal extends Error {}

const EVALUATORS = { check: "check_return", returns: "check_return", quote: "quote_refund", refunds: "quote_refund", warranty: "check_warranty", sla: "sla_deadlines" };
const JS_METHODS = { check_return: "checkReturnJson", quote_refund: "quoteRefundJson", check_warranty: "checkWarrantyJson", sla_deadlines: "slaDeadlinesJson", calendar: "calendarJson" };

/** Flags (`--name value`, `--switch`) and positional arguments. */
function parse(args, switches) {
  const flags = {};
  const positional = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith("--") && a.length > 2) {
      const [name, inline] = a.slice(2).split("=", 2);
      if (switches.includes(name)) flags[name] = true;
      else if (inline !== undefined) flags[name] = inline;
      else if (i + 1 < args.length) flags[name] = args[++i];
      else throw new Fatal(`--${name} needs a value`);
    } else positional.push(a);
  }
  return { flags, positional };
}

function read(path) {
  try {
    return readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (e) {
    throw new Fatal(`${path}: ${e.message}`);
  }
}

function engine(path) {
  try {
    return new PolicyEngine(read(path));
  } catch (e) {
    if (e instanceof PolicyError) throw new Fatal(`${path}: ${e.message}`);
    throw e;
  }
}

function format(flags) {
  const f = flags.format ?? "text";
  if (f !== "text" && f !== "json") throw new Fatal(`--format is text or json, not ${f}`);
  return f;
}

const shownPath = (path) => (path === "" ? "(the document)" : path);

function validate(args) {
  const { flags, positional } = parse(args, ["deny-warnings"]);
  if (positional.length === 0) throw new Fatal("validate needs at least one policy file");
  const locale = flags.locale ?? "en";
  const files = positional.map((file) => ({ file, ...validatePolicy(read(file), { positions: true, locale }) }));
  const errors = files.reduce((n, f) => n + f.errors.length, 0);
  const warnings = files.reduce((n, f) => n + f.warnings.length, 0);
  if (format(flags) === "json") {
    process.stdout.write(JSON.stringify({ ok: errors === 0, files }) + "\n");
  } else {
    let out = "";
    const byPlace = (a, b) => a.line - b.line || a.column - b.column;
    for (const f of files) {
      for (const e of [...f.errors].sort(byPlace)) out += `${f.file}:${e.line}:${e.column}: error ${e.code} at ${shownPath(e.path)}: ${e.message}\n`;
      for (const w of [...f.warnings].sort(byPlace)) out += `${f.file}:${w.line}:${w.column}: warning ${w.code} at ${shownPath(w.path)}: ${w.message} (${w.law})\n`;
      if (f.policy && f.errors.length === 0) out += `${f.file}: ok, ${f.warnings.length} warning(s) (${f.policy.id} ${f.policy.version} ${f.policy.fingerprint})\n`;
      else out += `${f.file}: ${f.errors.length} error(s), ${f.warnings.length} warning(s)\n`;
    }
    process.stdout.write(out);
  }
  return errors > 0 || (flags["deny-warnings"] && warnings > 0) ? 1 : 0;
}

/** `{"line": n, "ok": true, "value": …}` or `{"line": n, "ok": false, "error": {…}}` a line. */
async function run(evaluator, args) {
  const { positional } = parse(args, []);
  if (positional.length < 1) throw new Fatal("a policy file is needed");
  const e = engine(positional[0]);
  const method = JS_METHODS[evaluator];
  const source = positional[1] && positional[1] !== "-" ? createReadStream(positional[1]) : process.stdin;
  let n = 0;
  let refused = 0;
  for await (const line of createInterface({ input: source, crlfDelay: Infinity })) {
    n += 1;
    if (line.trim() === "") continue;
    let out;
    try {
      out = `{"line":${n},"ok":true,"value":${e[method](line)}}\n`;
    } catch (thrown) {
      if (!(thrown instanceof PolicyError)) throw thrown;
      refused += 1;
      out = `{"line":${n},"ok":false,"error":${JSON.stringify(thrown.toJSON())}}\n`;
    }
    if (!process.stdout.write(out)) await new Promise((resolve) => process.stdout.once("drain", resolve));
  }
  if (refused > 0) process.stderr.write(`aftersales: ${refused} line(s) refused (see their error envelopes)\n`);
  return refused > 0 ? 1 : 0;
}

function diff(args) {
  const { flags, positional } = parse(args, ["fail-on-change"]);
  if (positional.length < 2) throw new Fatal("diff needs OLD and NEW policy files");
  if (flags.html) throw new Fatal("--html is the native command line's (cargo build --features cli)");
  const [oldPath, newPath, requests = "-"] = positional;
  const name = flags.evaluator ?? "check";
  const examples = flags.examples === undefined ? 5 : Number(flags.examples);
  if (!Number.isInteger(examples) || examples < 0) throw new Fatal(`--examples is a count, not ${flags.examples}`);
  engine(oldPath);
  engine(newPath);
  let text;
  try {
    text = PolicyEngine.compareJson(read(oldPath), read(newPath), readFileSync(requests === "-" ? 0 : requests), { evaluator: EVALUATORS[name] ?? name, examples });
  } catch (e) {
    if (e instanceof PolicyError) throw new Fatal(e.message);
    throw e;
  }
  process.stdout.write(format(flags) === "json" ? text + "\n" : table(JSON.parse(text)));
  return flags["fail-on-change"] && JSON.parse(text).changed > 0 ? 1 : 0;
}

/** Minor units as an amount (ISO 4217 minor-unit digits), grouped: 132400 CNY → 1,324.00. */
function amount(minor, currency) {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits;
  } catch {}
  const abs = BigInt(Math.abs(minor));
  const scale = 10n ** BigInt(digits);
  const whole = (abs / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const frac = (abs % scale).toString().padStart(digits, "0");
  return `${minor < 0 ? "-" : ""}${whole}${digits > 0 ? "." + frac : ""}`;
}

const moneyLine = (money) => (money.length === 0 ? "-" : money.map((m) => `${m.currency} ${amount(m.before, m.currency)} → ${amount(m.after, m.currency)}`).join("; "));

function duration(s) {
  const [d, h, m] = [Math.floor(s / 86400), Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60)];
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m ${s % 60}s`;
}

/** The report as the native command line's table (examples left out: see --format json). */
function table(r) {
  const pad = (s, n) => String(s).padEnd(n);
  const num = (s, n) => String(s).padStart(n);
  let out = `${r.evaluator}: ${r.requests} requests compared, ${r.changed} changed, ${r.invalid.count} invalid lines\n`;
  for (const [label, p] of [["old", r.old], ["new", r.new]]) if (p) out += `  ${label}: ${p.id} ${p.version} ${p.fingerprint}\n`;
  out += `\n${pad("outcome", 24)} ${num("before", 9)} ${num("after", 9)}\n`;
  for (const [o, c] of Object.entries(r.outcomes)) out += `${pad(o, 24)} ${num(c.before, 9)} ${num(c.after, 9)}\n`;
  out += `\n${pad("transition", 24)} ${num("requests", 9)} ${num("changed", 9)}  money (before → after)\n`;
  const transitions = [...r.transitions].sort((a, b) => (a.from === a.to) - (b.from === b.to) || b.count - a.count);
  for (const t of transitions) out += `${pad(`${t.from} → ${t.to}`, 24)} ${num(t.count, 9)} ${num(t.changed, 9)}  ${moneyLine(t.money)}\n`;
  out += `\nmoney at stake: ${moneyLine(r.money)}\n`;
  for (const m of r.money) out += `  ${m.currency} moved ${m.delta >= 0 ? "+" : ""}${amount(m.delta, m.currency)}\n`;
  if (r.unpriced.before + r.unpriced.after > 0) out += `  unpriced (quote refused): ${r.unpriced.before} before, ${r.unpriced.after} after\n`;
  for (const d of r.deadlines) out += `\n\`${d.name}\` moved: ${d.later} later (+${duration(d.later_seconds)} in all), ${d.earlier} earlier (-${duration(d.earlier_seconds)} in all), ${d.gained} appeared, ${d.lost} went away\n`;
  for (const s of r.sla) out += `SLA ${s.stage}: ${s.newly_breached} newly breached, ${s.no_longer_breached} no longer breached, ${s.newly_met} newly met, ${s.no_longer_met} no longer met\n`;
  if (r.reasons.length > 0) out += `\n${pad("reason code", 32)} ${num("gained", 9)} ${num("lost", 9)}\n`;
  for (const c of r.reasons) out += `${pad(c.code, 32)} ${num(c.gained, 9)} ${num(c.lost, 9)}\n`;
  for (const e of r.invalid.examples) out += `line ${e.line}: not a request: ${e.error.path ? `${e.error.code} at ${e.error.path}: ` : `${e.error.code}: `}${e.error.message}\n`;
  return out + examples(transitions);
}

function examples(transitions) {
  const withExamples = transitions.filter((t) => t.examples.length > 0);
  if (withExamples.length === 0) return "";
  const side = (g) => (g.amount !== undefined && g.currency !== undefined ? `${g.outcome} ${g.currency} ${amount(g.amount, g.currency)}` : g.outcome);
  const shift = (b, a) => {
    const s = (Date.parse(a) - Date.parse(b)) / 1000;
    return s >= 0 ? `+${duration(s)}` : `-${duration(-s)}`;
  };
  let out = "\nexamples (line, id: before → after)\n";
  for (const t of withExamples) {
    out += `${t.from} → ${t.to}\n`;
    for (const e of t.examples) {
      const codes = [...(e.gained ?? []).map((c) => `+${c}`), ...(e.lost ?? []).map((c) => `-${c}`)].join(" ");
      const [b, a] = [e.before.deadline, e.after.deadline];
      const moved = b && a && a !== b ? ` deadline ${shift(b, a)}` : "";
      out += `  ${String(e.line).padStart(6)} ${(e.id ?? "-").padEnd(12)} ${side(e.before)} → ${side(e.after)}${moved}  ${codes}\n`;
    }
  }
  return out;
}

async function main(argv) {
  const [command, ...args] = argv;
  switch (command) {
    case "validate":
      return validate(args);
    case "check":
    case "quote":
    case "warranty":
    case "sla":
      return run(EVALUATORS[command], args);
    case "diff":
      return diff(args);
    case "schema":
      process.stdout.write(readFileSync(new URL("../policy.schema.json", import.meta.url), "utf8"));
      return 0;
    case "--help":
    case "-h":
    case "help":
      process.stdout.write(USAGE + "\n");
      return 0;
    default:
      throw new Fatal(command ? `no command \`${command}\`\n${USAGE}` : USAGE);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    if (!(e instanceof Fatal)) throw e;
    process.stderr.write(`aftersales: ${e.message}\n`);
    process.exitCode = 2;
  },
);
