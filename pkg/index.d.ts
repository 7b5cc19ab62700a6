// Types of the aftersales package. Every field name is snake_case, as in the policy and in the
// engine's JSON. Money is an integer of minor units (59900 = ¥599.00); times are RFC 3339 with
// an offset.

/** ISO 8601 / RFC 3339 instant with an offset, e.g. `2026-11-23T10:00:00+08:00`. */
export type Timestamp = string;
/** An integer count of the currency's minor units, within ±(2^53 − 1). */
export type Minor = number;
/** `en` or `zh-CN`; any other tag falls back to English. */
export type Locale = "en" | "zh-CN" | (string & {});

/**
 * A policy document (see docs/policy.md for every section), as an object or as JSON text; or an array
 * of its versions, each with `effective_from`: each request is judged under the version in force
 * when its order was placed.
 */
export type Policy = PolicyDocument | PolicyDocument[] | string;

/** The law presets a policy can extend; each cites its sources in its `$comment`. */
export type PresetName = "cn-consumer-law" | "eu-consumer-rights" | "us-retail" | "sportswear-cn";
/** Whose consumer law is the floor: decisions never go below it, and load warns where the policy does. */
export type Jurisdiction = "CN" | "EU" | "US";

export interface PolicyDocument {
  schema: 1;
  id: string;
  version: string;
  /** ISO 4217 code; amounts are integers of its minor units. Inherited from a preset if omitted. */
  currency: string;
  /** IANA zone (`Asia/Shanghai`) in which days and business hours are counted. */
  timezone: string;
  name?: string;
  $comment?: string;
  /** Where editors find the JSON Schema (`./node_modules/aftersales/policy.schema.json`); not part of the policy or its fingerprint. */
  $schema?: string;
  /**
   * A preset to start from. The policy is merged over it as a JSON merge patch (RFC 7386):
   * objects merge key by key, anything else (arrays too) replaces, `null` removes. The preset's
   * `id`, `version`, `$comment` and `effective_from` are never inherited.
   */
  extends?: PresetName | (string & {});
  /**
   * The statutory floor to apply (inherited from a law preset). Load warns with
   * `BELOW_STATUTORY_MINIMUM` where the policy goes below it; decisions apply the law anyway
   * and say so with the reason `STATUTORY_RIGHT` (returns) or `LEGAL_GUARANTEE` (EU warranty
   * claims within 2 years of delivery).
   */
  jurisdiction?: Jurisdiction;
  /** When this version takes effect (needed when an engine is given several versions). */
  effective_from?: Timestamp;
  returns?: ReturnsSection;
  refunds?: RefundsSection;
  /** Terms by rules, the price list, the repair turnaround (see docs/policy.md). */
  warranty?: Record<string, unknown>;
  sla?: SlaSection;
  calendars?: Record<string, CalendarSection>;
  /** Merchant texts replacing the engine's messages, by reason code; `{figure}` is filled in. */
  messages?: Record<string, LocalizedText>;
}

export interface LocalizedText { en?: string; "zh-CN"?: string }
export type Requirement = "unused" | "original_packaging" | "tags_attached" | "accessories_complete" | "seal_intact" | "proof_of_purchase";
export type Resolution = "refund" | "exchange" | "repair" | "store_credit";
export type Payer = "customer" | "merchant";
export interface Window { days: number; from?: "delivery" | "purchase" }

export interface ReturnsSection {
  window: Window;
  requires?: Requirement[];
  return_shipping?: Payer;
  resolutions?: Resolution[];
  reasons?: Record<string, { window?: Window; return_shipping?: Payer; resolutions?: Resolution[]; requires?: Requirement[]; label?: LocalizedText; restocking_fee?: Fee }>;
  rules?: ReturnRule[];
}

/** `{"business_hours": 2}`, `{"hours": 24}`, `{"business_days": 3}`, minutes and days too: exactly one. */
export type DurationSpec = { minutes?: number; hours?: number; days?: number; business_minutes?: number; business_hours?: number; business_days?: number };
export type DayName = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

export interface CalendarSection {
  /** A preset to start from: `cn-2025-2026` (mainland China's official holidays and make-up days). */
  extends?: string;
  timezone?: string;
  /** `{"mon": ["09:00-12:00", "13:00-18:00"]}`; `"22:00-06:00"` runs overnight. */
  hours?: Partial<Record<DayName, string[]>>;
  "24x7"?: boolean;
  holidays?: (string | { from: string; to: string })[];
  /** Worked weekend days: Monday's hours, a named weekday's, or their own. */
  extra_workdays?: (string | { date: string; hours: DayName | string[] })[];
}

export interface SlaSection {
  calendar?: string;
  warnings?: number[];
  escalation?: { level: number; role: string; after_breach: DurationSpec }[];
  /** First match wins; end with a plan without `when`. */
  plans: { id: string; when?: Condition; targets: { stage: string; within: DurationSpec; calendar?: string; starts?: string; done: string; end_of_day?: boolean }[] }[];
  complaints?: { priority?: Record<string, Record<string, string>>; escalate?: { id: string; when: Condition; level: number }[] };
}

/** A fee: a percentage of the amount it applies to, or a fixed amount a unit. */
export type Fee = { percent: number } | { amount: Minor };

export interface RefundsSection {
  /** Default `half_up`. */
  rounding?: "half_up" | "half_even" | "down";
  /** Methods refunded first, in order; the others follow in the order's order. */
  payment_order?: string[];
  /** Charged when the customer pays return shipping and uses the merchant's label. */
  return_label_fee?: Minor;
  /** When the original shipping is refunded (default `merchant_fault`). */
  shipping?: "never" | "full_return" | "merchant_fault";
  merchant_fault_reasons?: string[];
  /** Deductions when a condition is not met but the return goes ahead. */
  deductions?: Partial<Record<Requirement, Fee>>;
  partial?: { max_percent?: number };
  store_credit?: { bonus_percent?: number };
}

/** `{"all": [...]}`, `{"any": [...]}`, `{"not": ...}` or `{"item.tags": {"contains": "clearance"}}`. */
export type Condition = { [factOrCombinator: string]: unknown };

export interface ReturnRule {
  id: string;
  description?: string;
  when?: Condition;
  then: {
    deny_reasons?: string[];
    deny?: boolean;
    extend_window?: { days: number };
    return_shipping?: Payer;
    resolutions?: Resolution[];
    review?: boolean;
    require?: Requirement[];
    restocking_fee?: Fee;
  };
  message?: LocalizedText;
}

export interface OrderLine {
  id: string;
  sku?: string;
  name?: string;
  category?: string;
  brand?: string;
  tags?: string[];
  quantity: number;
  unit_price: Minor;
  /** The line's own discount, all units together. */
  discount?: Minor;
  /** The line's tax, all units together. */
  tax?: Minor;
}

export interface Order {
  id: string;
  currency: string;
  placed_at: Timestamp;
  delivered_at?: Timestamp | null;
  channel?: string;
  country?: string;
  tags?: string[];
  customer?: { id?: string; tier?: string; tags?: string[]; returns_last_90_days?: number };
  lines: OrderLine[];
  discounts?: { code?: string; amount: Minor }[];
  shipping?: { amount?: Minor; tax?: Minor };
  /** Whether unit prices include tax (default true). */
  tax_included?: boolean;
  payments?: { method: string; amount: Minor; id?: string }[];
  refunds?: {
    id?: string;
    created_at?: Timestamp;
    lines?: { line_id: string; quantity?: number; kept_quantity?: number; from_kept?: number; netted?: Minor; amount?: Minor }[];
    shipping?: Minor;
    payments?: { method: string; amount: Minor }[];
  }[];
}

export interface ItemCondition {
  unused?: boolean;
  original_packaging?: boolean;
  tags_attached?: boolean;
  accessories_complete?: boolean;
  seal_intact?: boolean;
}

export interface ReturnRequest {
  /** The engine never reads a clock: this is "now". */
  now: Timestamp;
  locale?: Locale;
  reason: string;
  resolution?: Resolution;
  proof_of_purchase?: boolean;
  channel?: string;
  /** The fingerprint the caller decided under; a different one is refused with POLICY_MISMATCH. */
  policy_fingerprint?: string;
  order: Order;
  items: { line_id: string; quantity: number; condition?: ItemCondition }[];
}

/** One reason behind a decision. */
export interface Reason {
  /** Stable SCREAMING_SNAKE code, e.g. `RETURN_WINDOW_EXPIRED`. */
  code: string;
  /** In the request's locale. */
  message: string;
  line_id?: string;
  rule?: string;
  /** The figures the message speaks of (dates, days, amounts). */
  figures?: Record<string, string | number | boolean>;
}

export interface TraceEntry { rule: string; matched: boolean; lines?: string[] }
export interface PolicyRef { id: string; version: string; fingerprint: string }

/** Where a policy goes below the statutory floor; the policy still loads. */
export interface PolicyWarning {
  /** `BELOW_STATUTORY_MINIMUM`. */
  code: string;
  /** The policy field at fault, e.g. `returns.window.days`; `[i].` first for the i-th of several versions. */
  path: string;
  message: string;
  /** The statute cited: `CN-CRPL-25`, `CN-CRPL-24`, `EU-CRD-9`, … */
  law: string;
}

/** What an engine says of the policy it holds (the latest version when it holds several). */
export interface PolicyInfo extends PolicyRef {
  /** The preset the policy extends. */
  extends?: string;
  jurisdiction?: Jurisdiction;
  /** Present when the policy goes below the floor. */
  warnings?: PolicyWarning[];
}

/** The answer of {@link validatePolicy}. */
export interface PolicyValidation {
  ok: boolean;
  errors: PolicyErrorJSON[];
  /** Where the policy goes below the statutory floor (it is valid nonetheless). */
  warnings: PolicyWarning[];
  policy?: PolicyRef;
}

export interface ReturnDecision {
  eligible: boolean;
  outcome: "approve" | "deny" | "review";
  resolutions: Resolution[];
  deadline?: Timestamp;
  return_shipping_paid_by: Payer;
  /** When the return will be complete if the goods arrived now (the policy's SLA). */
  complete_by?: Timestamp;
  items: {
    line_id: string;
    quantity: number;
    eligible: boolean;
    deadline?: Timestamp;
    window_days: number;
    return_shipping_paid_by: Payer;
    resolutions: Resolution[];
    reasons: Reason[];
  }[];
  reasons: Reason[];
  trace: TraceEntry[];
  policy: PolicyRef;
}

export type RefundType = "return_and_refund" | "no_reason" | "exchange_failed" | "partial";

export interface RefundRequest {
  now: Timestamp;
  locale?: Locale;
  /** Default `return_and_refund`. */
  type?: RefundType;
  /** Default `changed_mind`. */
  reason?: string;
  /** `refund` (back to the payments, default) or `store_credit`. */
  resolution?: "refund" | "store_credit";
  /** The customer uses the merchant's prepaid return label. */
  uses_merchant_label?: boolean;
  proof_of_purchase?: boolean;
  channel?: string;
  policy_fingerprint?: string;
  /** For `partial`: what the merchant offers for keeping the items. */
  offer?: Fee;
  order: Order;
  items: { line_id: string; quantity: number; condition?: ItemCondition; from_kept?: number }[];
}

/** One amount of a quote, explained: positive is money back, negative a deduction. */
export interface Component { code: string; amount: Minor; message: string }

export interface RefundQuote {
  type: RefundType;
  resolution: "refund" | "store_credit";
  eligible: boolean;
  outcome: "approve" | "deny" | "review";
  currency: string;
  lines: { line_id: string; quantity: number; eligible: boolean; unit_paid: Minor[]; components: Component[]; amount: Minor; reasons: Reason[] }[];
  shipping: Minor;
  total: Minor;
  store_credit_bonus: Minor;
  payments: { method: string; amount: Minor }[];
  /** Review deadline from now, and payout deadline after it (the policy's SLA). */
  review_by?: Timestamp;
  payout_by?: Timestamp;
  reasons: Reason[];
  trace: TraceEntry[];
  /** Append this to `order.refunds` once the refund is made. */
  record: NonNullable<Order["refunds"]>[number];
  policy: PolicyRef;
}

export interface SlaCase {
  now: Timestamp;
  locale?: Locale;
  /** enquiry, complaint, return, refund, repair, warranty, … */
  type: string;
  id?: string;
  priority?: string;
  channel?: string;
  severity?: string;
  category?: string;
  customer?: { id?: string; tier?: string };
  /** `created_at` (now when missing), `first_response_at`, `approved_at`, `resolved_at`, … */
  events?: Record<string, Timestamp>;
  /** Waiting on the customer: not counted. */
  pauses?: { from: Timestamp; to?: Timestamp }[];
  policy_fingerprint?: string;
}

export interface SlaTarget {
  stage: string;
  calendar: string;
  starts_at: Timestamp | null;
  due_at: Timestamp | null;
  done_at: Timestamp | null;
  status: "not_started" | "pending" | "met" | "met_late" | "breached";
  elapsed_seconds: number;
  remaining_seconds: number;
  percent_used: number;
  warning: number | null;
  escalation: { level: number; role: string } | null;
  reasons: Reason[];
}

export interface SlaAnswer {
  type: string;
  priority: string | null;
  plan: string;
  targets: SlaTarget[];
  escalation: { level: number; role: string } | null;
  reasons: Reason[];
  /** `CALENDAR_DATA_MISSING` when a date left the years the holiday data covers. */
  warnings: Reason[];
  trace: TraceEntry[];
  policy: PolicyRef;
}

export interface WarrantyClaim {
  now: Timestamp;
  locale?: Locale;
  customer?: { id?: string; tier?: string; name?: string; phone?: string };
  product: { sku?: string; model?: string; serial_number?: string; category?: string; brand?: string };
  /** Dates as YYYY-MM-DD. */
  purchase_date?: string;
  delivery_date?: string;
  invoice_date?: string;
  manufacture_date?: string;
  fault_date: string;
  /** A code for the fault, to count repeated failures. */
  fault?: string;
  /** `manufacturing_defect` (default), `performance_fault`, `wear`, `cosmetic`, … */
  fault_kind?: string;
  symptoms?: string;
  proof_of_purchase?: boolean;
  external_factors?: ("dropped" | "water" | "physical_damage" | "unauthorized_repair" | "misuse")[];
  repairs?: { date: string; fault?: string; days_in_repair?: number; fixed?: boolean }[];
  extended_warranty_months?: number;
  proposed_repair?: { parts?: string[]; labour_hours?: number };
  policy_fingerprint?: string;
}

export interface WarrantyDecision {
  /** A free remedy is owed. */
  covered: boolean;
  term: string | null;
  remedies: { remedy: "return" | "replace" | "repair"; free: boolean }[];
  warranty_starts_on: string | null;
  warranty_ends_at: Timestamp | null;
  days_since_purchase: number | null;
  quote: { currency: string; lines: { code: string; amount: Minor; message: string }[]; total: Minor; requires_confirmation: boolean } | null;
  repair_due_by: Timestamp | null;
  reasons: Reason[];
  warnings: Reason[];
  trace: TraceEntry[];
  policy: PolicyRef;
}

export interface CalendarRequest {
  /** A calendar of the policy, or `clock`. */
  calendar: string;
  op: "add" | "elapsed" | "next_opening" | "is_open";
  from: Timestamp;
  duration?: DurationSpec;
  to?: Timestamp;
  end_of_day?: boolean;
  locale?: Locale;
}
export interface CalendarAnswer { at?: Timestamp; seconds?: number; open?: boolean; warnings: Reason[] }

/** The answer to one request of a batch. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: PolicyErrorJSON };
export interface PolicyErrorJSON { code: string; path: string; message: string }

/** A policy or request the engine refused. */
export declare class PolicyError extends Error {
  /** Stable code, e.g. `INVALID_VALUE`, `UNKNOWN_FACT`, `POLICY_MISMATCH`. */
  readonly code: string;
  /** JSON path of the culprit, e.g. `items[0].quantity` (empty for the whole document). */
  readonly path: string;
  /** The message without code and path. */
  readonly detail: string;
  toJSON(): PolicyErrorJSON;
}

/** JSON text, or JSON text as UTF-8 bytes (a Node `Buffer` holding a request body goes as it is). */
export type JsonText = string | Uint8Array;

/** A compiled policy. Compile once, keep it, evaluate many requests. */
/** One evaluator of the engine's table: its methods here, its engine method, its service route. */
export interface Evaluator {
  /** The method (`checkReturn`); `${js}Json` is its JSON-text twin. */
  js: string;
  /** The batch method (`checkReturns`), if there is one. */
  js_batch?: string;
  /** The engine's JSON-text method (`check_return_json`). */
  json: string;
  /** The engine's batch method (`check_returns_json`), if there is one. */
  batch?: string;
  /** The example service's route (`/v1/returns/check`; its batch adds `/batch`). */
  route: string;
}

export declare class PolicyEngine {
  /** Every evaluator, from the engine's own table (the methods below are defined from it). */
  static readonly evaluators: readonly Evaluator[];
  /** Compiles a policy (object or JSON text); throws PolicyError if it is invalid. */
  constructor(policy: Policy);
  /** `sha256:…` of the canonical policy (key order and white space do not matter). */
  readonly fingerprint: string;
  /** The policy's id, version, fingerprint, the preset it extends, its jurisdiction and floor warnings. */
  readonly info: PolicyInfo;
  /** Bytes of memory the wasm instance holds. */
  readonly wasmMemoryBytes: number;
  /** Can these items go back, by when, who pays the shipping? Throws PolicyError on bad input. */
  checkReturn(request: ReturnRequest | JsonText): ReturnDecision;
  /** Many return requests in one call, one envelope each: a bad one never fails the batch. */
  checkReturns(requests: (ReturnRequest | unknown)[] | JsonText): Envelope<ReturnDecision>[];
  /** `checkReturn` with JSON text out (as a server sends it on). */
  checkReturnJson(request: ReturnRequest | JsonText): string;
  /** `checkReturns` with JSON text out. */
  checkReturnsJson(requests: unknown[] | JsonText): string;
  /** How much goes back, line by line and to which payment; the quote's `record` goes into `order.refunds`. */
  quoteRefund(request: RefundRequest | JsonText): RefundQuote;
  /** Many refund quotes in one call, one envelope each. */
  quoteRefunds(requests: (RefundRequest | unknown)[] | JsonText): Envelope<RefundQuote>[];
  quoteRefundJson(request: RefundRequest | JsonText): string;
  quoteRefundsJson(requests: unknown[] | JsonText): string;
  /** Free or paid return, replacement or repair; a paid repair's quote; the promised completion. */
  checkWarranty(claim: WarrantyClaim | JsonText): WarrantyDecision;
  checkWarranties(claims: (WarrantyClaim | unknown)[] | JsonText): Envelope<WarrantyDecision>[];
  checkWarrantyJson(claim: WarrantyClaim | JsonText): string;
  checkWarrantiesJson(claims: unknown[] | JsonText): string;
  /** Every stage's due time, status at `now`, warning and escalation. */
  slaDeadlines(kase: SlaCase | JsonText): SlaAnswer;
  slaDeadlinesMany(cases: (SlaCase | unknown)[] | JsonText): Envelope<SlaAnswer>[];
  slaDeadlinesJson(kase: SlaCase | JsonText): string;
  slaDeadlinesManyJson(cases: unknown[] | JsonText): string;
  /** Business-calendar arithmetic: add a duration, business time elapsed, next opening, is open. */
  calendar(request: CalendarRequest | JsonText): CalendarAnswer;
  calendarJson(request: CalendarRequest | JsonText): string;
  /** Frees the compiled policy now instead of at garbage collection. */
  free(): void;
}

/** Checks a policy without keeping it: errors make it invalid; warnings flag where it goes below the law. */
export declare function validatePolicy(policy: Policy): PolicyValidation;

/** Starts a new WebAssembly instance now (engines are rebuilt when next used), e.g. to give memory back. */
export declare function restartInstance(): Promise<void>;
/** How many times a new WebAssembly instance was started (after a trap, or on purpose). */
export declare function instanceRestarts(): number;

/** Browsers: loads the wasm (from beside the package by default). Node: does nothing. */
export default function init(source?: unknown): Promise<void>;
/** Loads the wasm synchronously from bytes or a WebAssembly.Module (browsers, workers). */
export declare function initSync(module: unknown): void;
