// A TypeScript consumer of the package: `tsc -p tests/js/tsconfig.json` must accept it.
import init, {
  PolicyEngine,
  PolicyError,
  validatePolicy,
  type ReturnRequest,
  type ReturnDecision,
  type RefundQuote,
  type ExchangeRequest,
  type ExchangeDecision,
} from "aftersales";

export async function decide(policyText: string, request: ReturnRequest): Promise<string> {
  await init();
  const check = validatePolicy(policyText);
  if (!check.ok) return check.errors.map((e) => `${e.code} ${e.path}`).join("; ");
  const engine = new PolicyEngine(policyText);
  try {
    const decision: ReturnDecision = engine.checkReturn(request);
    const why = decision.reasons.map((r) => `${r.code}: ${r.message}`);
    const batch = engine.checkReturns([request]);
    const first = batch[0];
    const batchOutcome = first && first.ok ? first.value.outcome : first?.error.code;
    const quote: RefundQuote = engine.quoteRefund({ ...request, type: "return_and_refund", resolution: "refund" });
    const back = quote.payments.map((p) => `${p.method} ${p.amount}`).join(", ") + ` of ${quote.total}`;
    request.order.refunds = [...(request.order.refunds ?? []), quote.record];
    return `${decision.outcome} by ${decision.deadline ?? "-"} (${why.join(", ")}) ${batchOutcome} ${back} ${engine.fingerprint}`;
  } catch (e) {
    if (e instanceof PolicyError) return `${e.code} at ${e.path}`;
    throw e;
  } finally {
    engine.free();
  }
}

/** An exchange for another size: the difference each item settles, and the records to keep. */
export function exchange(engine: PolicyEngine, request: ExchangeRequest): string {
  const decision: ExchangeDecision = engine.checkExchange(request);
  request.order.exchanges = [...(request.order.exchanges ?? []), ...decision.record];
  if (decision.refund_record) request.order.refunds = [...(request.order.refunds ?? []), decision.refund_record];
  const settled = decision.items.map((i) => `${i.line_id} ${i.direction} ${i.amount}${i.fallback ? ` (${i.fallback})` : ""}`);
  return `${decision.outcome}: ${settled.join(", ")}; quote ${decision.fallback_refund?.total ?? 0}`;
}

/** A policy change over a history of requests; validation with positions, warnings in Chinese. */
export function preview(oldText: string, newText: string, history: string): string {
  const checked = validatePolicy(newText, { positions: true, locale: "zh-CN" });
  const where = checked.errors.map((e) => `${e.line}:${e.column} ${e.code}`);
  where.push(...checked.warnings.map((w) => `${w.line}:${w.column} ${w.code} ${w.message}`));
  const report = PolicyEngine.compare(oldText, newText, history, { evaluator: "checkReturn", examples: 3 });
  const moved = report.money.map((m) => `${m.currency} ${m.before} → ${m.after}`);
  const lines = report.transitions.flatMap((t) => t.examples.map((e) => `${t.from}→${t.to} #${e.line} ${e.after.amount ?? "-"}`));
  return [...where, ...moved, ...lines, PolicyEngine.compareJson(oldText, newText, history).length.toString()].join("\n");
}

// The storefront entry has the full entry's types; a method it does not carry throws NOT_IN_THIS_BUILD.
import initStorefront, { PolicyEngine as StorefrontEngine, PolicyError as StorefrontError } from "aftersales/storefront";

export async function storefrontDecision(policyText: string, request: ReturnRequest): Promise<ReturnDecision | string> {
  await initStorefront();
  const engine = new StorefrontEngine(policyText);
  try {
    engine.quoteRefund({} as never);
  } catch (e) {
    if (e instanceof StorefrontError && e.code === "NOT_IN_THIS_BUILD") return engine.checkReturn(request);
  }
  return "unreachable";
}
