// The JavaScript face of aftersales. It translates and nothing more: objects become JSON text
// on the way in, JSON text becomes objects on the way out, and an error thrown by the engine
// becomes a PolicyError. No rule lives here. Each entry point (Node CJS, Node ESM, browser)
// calls createApi with its own wasm-bindgen glue.

/** The engine's evaluators: the JS name, and the wasm method of its JSON-text twin. */
const EVALUATORS = [
  ["checkReturn", "check_return_json"],
  ["checkReturns", "check_returns_json"],
  ["quoteRefund", "quote_refund_json"],
  ["quoteRefunds", "quote_refunds_json"],
  ["checkWarranty", "check_warranty_json"],
  ["checkWarranties", "check_warranties_json"],
  ["calendar", "calendar_json"],
  ["slaDeadlines", "sla_deadlines_json"],
  ["slaDeadlinesMany", "sla_deadlines_many_json"],
];

export function createApi(glue) {
  /** A policy or request the engine refused: `code` is stable, `path` names the culprit. */
  class PolicyError extends Error {
    constructor(code, path, message) {
      super(path ? `${code} at ${path}: ${message}` : `${code}: ${message}`);
      this.name = "PolicyError";
      this.code = code;
      this.path = path;
      this.detail = message;
    }
    toJSON() {
      return { code: this.code, path: this.path, message: this.detail };
    }
  }

  const toText = (value) => (typeof value === "string" ? value : JSON.stringify(value));

  /** Turns what the wasm side threw into a PolicyError; anything else is a real fault. */
  function translate(thrown) {
    if (typeof thrown === "string") {
      let e;
      try {
        e = JSON.parse(thrown);
      } catch {
        return new PolicyError("INVALID_VALUE", "", thrown);
      }
      return new PolicyError(e.code, e.path, e.message);
    }
    if (thrown instanceof RangeError) {
      // JSON.stringify of an object nested too deep for the stack
      return new PolicyError("LIMIT_EXCEEDED", "", String(thrown.message));
    }
    if (thrown instanceof TypeError) {
      // JSON.stringify of a cyclic object, or of a BigInt
      return new PolicyError("INVALID_JSON", "", String(thrown.message));
    }
    return thrown;
  }

  const handles = new WeakMap();
  const handle = (engine) => handles.get(engine);

  /** A compiled policy; evaluators take an object or JSON text. */
  class PolicyEngine {
    constructor(policy) {
      let inner;
      try {
        inner = new glue.WasmEngine(toText(policy));
      } catch (thrown) {
        throw translate(thrown);
      }
      handles.set(this, inner);
    }

    /** `sha256:…` of the canonical policy. */
    get fingerprint() {
      return handle(this).fingerprint();
    }

    /** The policy's id, version and fingerprint. */
    get info() {
      return JSON.parse(handle(this).info_json());
    }

    /** Bytes of memory the wasm instance holds (for monitoring). */
    get wasmMemoryBytes() {
      return glue.wasm_memory_bytes();
    }

    /** Frees the compiled policy now rather than when it is garbage collected. */
    free() {
      handle(this)?.free();
      handles.delete(this);
    }
  }

  for (const [name, wasmMethod] of EVALUATORS) {
    if (typeof glue.WasmEngine.prototype[wasmMethod] !== "function") continue;
    Object.defineProperty(PolicyEngine.prototype, `${name}Json`, {
      value: function (request) {
        try {
          return handle(this)[wasmMethod](toText(request));
        } catch (thrown) {
          throw translate(thrown);
        }
      },
      writable: true,
      configurable: true,
    });
    Object.defineProperty(PolicyEngine.prototype, name, {
      value: function (request) {
        return JSON.parse(this[`${name}Json`](request));
      },
      writable: true,
      configurable: true,
    });
  }

  /** Checks a policy without keeping it: `{ok, errors: [{code, path, message}], policy?}`. */
  function validatePolicy(policy) {
    let text;
    try {
      text = toText(policy);
    } catch (thrown) {
      const e = translate(thrown);
      return { ok: false, errors: [{ code: e.code, path: e.path, message: e.detail }] };
    }
    return JSON.parse(glue.validate_policy_json(text));
  }

  return { PolicyEngine, PolicyError, validatePolicy };
}
