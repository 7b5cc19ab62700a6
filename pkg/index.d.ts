// The API of the aftersales package: the engine, its errors, the functions. The data it reads and
// answers (the policy document, the requests, the decisions) are types generated from the Rust
// types, in types.generated.d.ts (`make types`), re-exported here. Every field name is snake_case,
// as in the policy and in the engine's JSON.

import type {
  CalendarAnswer,
  CalendarRequest,
  DiffReport,
  Evaluator,
  ExchangeCondition,
  ExchangeDecision,
  ExchangeRequest,
  PolicyDocument,
  PolicyErrorJSON,
  PolicyInfo,
  PolicyValidation,
  RefundOnlyCondition,
  PolicyValidationWithPositions,
  RefundQuote,
  RefundRequest,
  ReleaseCondition,
  ReturnCondition,
  ReturnDecision,
  ReturnRequest,
  SlaAnswer,
  SlaCase,
  SlaCondition,
  WarrantyClaim,
  WarrantyCondition,
  WarrantyDecision,
} from "./types.generated.js";

export * from "./types.generated.js";

/**
 * A policy document (see docs/policy.md for every section), as an object or as JSON text; or an array
 * of its versions, each with `effective_from`: each request is judged under the version in force
 * when its order was placed.
 */
export type Policy = PolicyDocument | PolicyDocument[] | string;

/**
 * A rule's `when`: `{"all": [...]}`, `{"any": [...]}`, `{"not": ...}` or a fact with its operators,
 * `{"item.tags": {"contains": "clearance"}}`. Each section takes the facts of its own requests:
 * {@link ReturnCondition}, {@link ExchangeCondition}, {@link SlaCondition}, {@link WarrantyCondition},
 * {@link RefundOnlyCondition} (a refund-only cause's `when`), {@link ReleaseCondition} (the refunds' release rules).
 */
export type Condition =
  | ReturnCondition
  | ExchangeCondition
  | SlaCondition
  | WarrantyCondition
  | RefundOnlyCondition
  | ReleaseCondition;

/** The answer to one request of a batch. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: PolicyErrorJSON };

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

/** What {@link PolicyEngine.compare} compares, and how many examples it keeps. */
export interface CompareOptions {
  /** The evaluator, by its JavaScript or Rust name: `checkReturn` (default), `quoteRefund`, `checkWarranty`, `slaDeadlines`, `calendar`. */
  evaluator?: string;
  /** Examples kept for each transition (default 5). */
  examples?: number;
}

/** A compiled policy. Compile once, keep it, evaluate many requests. */
export declare class PolicyEngine {
  /** Every evaluator, from the engine's own table (the methods below are defined from it). */
  static readonly evaluators: readonly Evaluator[];
  /**
   * What a policy change would do: both policies answer the same requests (an array, or JSON
   * Lines text), compared answer by answer: transitions with examples, money by currency,
   * deadlines moved, SLA targets, reason codes. Throws PolicyError if a policy is invalid (its
   * path starts with `old` or `new`); a request that cannot be read is counted in `invalid`.
   */
  static compare(oldPolicy: Policy, newPolicy: Policy, requests: unknown[] | JsonText, options?: CompareOptions): DiffReport;
  /** `compare` with the report as JSON text (money sums beyond 2^53 stay exact there). */
  static compareJson(oldPolicy: Policy, newPolicy: Policy, requests: unknown[] | JsonText, options?: CompareOptions): string;
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
  /**
   * An exchange into named variants: the price difference and its direction, who pays each way's shipping,
   * advance exchange, the fallback when out of stock; `record` goes into `order.exchanges`, `refund_record` into `order.refunds`.
   */
  checkExchange(request: ExchangeRequest | JsonText): ExchangeDecision;
  /** Many exchange requests in one call, one envelope each. */
  checkExchanges(requests: (ExchangeRequest | unknown)[] | JsonText): Envelope<ExchangeDecision>[];
  checkExchangeJson(request: ExchangeRequest | JsonText): string;
  checkExchangesJson(requests: unknown[] | JsonText): string;
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

/**
 * Checks a policy without keeping it: errors make it invalid; warnings flag where it goes below the law.
 * `locale` (`"en"`, the default, or `"zh-CN"`) is the language of the warnings' messages; errors are in English.
 */
export declare function validatePolicy(policy: Policy, options?: { positions?: false; locale?: string }): PolicyValidation;
/** The same, with each error's and warning's `line` and `column` in the policy's text (give the file's text). */
export declare function validatePolicy(
  policy: Policy,
  options: { positions: true; locale?: string },
): PolicyValidationWithPositions;

/** Starts a new WebAssembly instance now (engines are rebuilt when next used), e.g. to give memory back. */
export declare function restartInstance(): Promise<void>;
/** How many times a new WebAssembly instance was started (after a trap, or on purpose). */
export declare function instanceRestarts(): number;

/** Browsers: loads the wasm (from beside the package by default). Node: does nothing. */
export default function init(source?: unknown): Promise<void>;
/** Loads the wasm synchronously from bytes or a WebAssembly.Module (browsers, workers). */
export declare function initSync(module: unknown): void;
