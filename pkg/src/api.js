// The JavaScript face of aftersales. It translates and nothing more: objects become JSON text
// on the way in, JSON text becomes objects on the way out, and an error thrown by the engine
// becomes a PolicyError. No rule lives here. Each entry point (Node CJS, Node ESM, browser)
// calls createApi with its own wasm-bindgen glue and a way to start a fresh instance of it.
//
// If the WebAssembly instance ever traps (it should not: the engine refuses bad input instead of
// panicking), every later call on it would fail. So the wrapper starts a new instance, rebuilds
// each engine from its policy when next used, answers the call that trapped with
// ENGINE_RESTARTED, and says so on the console.

export function createApi(firstGlue, startInstance) {
  let glue = firstGlue;
  let generation = 0;
  let restarting = null;
  let restarts = 0;

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
  const encoder = new TextEncoder();
  // Small requests are encoded into one reused buffer (wasm copies them out at once): a new
  // array per call costs more than the encoding for a request of a few hundred bytes.
  const SCRATCH_BYTES = 16 * 1024;
  const scratch = new Uint8Array(SCRATCH_BYTES);
  /**
   * A request as UTF-8 bytes, the form the wasm side reads: one native encode and one copy,
   * where a string would cross character by character in a JS loop. A Uint8Array (a Node
   * Buffer holding a request body, say) goes as it is.
   */
  function toBytes(value) {
    if (value instanceof Uint8Array) return value;
    const text = toText(value);
    if (text.length > SCRATCH_BYTES / 3) return encoder.encode(text); // UTF-8 takes at most 3 bytes a UTF-16 unit
    const { written } = encoder.encodeInto(text, scratch);
    return scratch.subarray(0, written);
  }

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

  /** A new instance: now, or when `startInstance`'s promise settles if it gives one. */
  function restart(why) {
    restarts += 1;
    const ready = (next) => {
      glue = next;
      generation += 1;
      restarting = null;
    };
    let next;
    try {
      next = startInstance();
    } catch (e) {
      console.error("aftersales: a new WebAssembly instance could not be started:", e);
      return;
    }
    if (next && typeof next.then === "function") {
      restarting = next.then(ready, (e) => {
        restarting = null;
        console.error("aftersales: a new WebAssembly instance could not be started:", e);
      });
    } else {
      ready(next);
    }
    console.warn(`aftersales: the WebAssembly instance stopped (${why}); a new one ${restarting ? "is starting" : "was started"}.`);
  }

  function fail(thrown) {
    if (thrown instanceof WebAssembly.RuntimeError) {
      restart(thrown.message);
      return new PolicyError("ENGINE_RESTARTED", "", `the engine's WebAssembly instance stopped (${thrown.message}) and a new one was started; this request was not answered, send it again`);
    }
    return translate(thrown);
  }

  const handles = new WeakMap();
  /** The engine's compiled policy in the current instance, rebuilt after a restart. */
  function handle(engine) {
    const h = handles.get(engine);
    if (!h) throw new PolicyError("INVALID_VALUE", "", "this engine was freed");
    if (restarting) throw new PolicyError("ENGINE_RESTARTING", "", "a new WebAssembly instance is starting; try again in a moment");
    if (h.generation !== generation) {
      h.inner = new glue.WasmEngine(h.text);
      h.generation = generation;
    }
    return h.inner;
  }

  /** A compiled policy; evaluators take an object, JSON text, or JSON text as UTF-8 bytes. */
  class PolicyEngine {
    constructor(policy) {
      let text;
      try {
        text = toText(policy);
      } catch (thrown) {
        throw translate(thrown);
      }
      if (restarting) throw new PolicyError("ENGINE_RESTARTING", "", "a new WebAssembly instance is starting; try again in a moment");
      table();
      let inner;
      try {
        inner = new glue.WasmEngine(text);
      } catch (thrown) {
        throw fail(thrown);
      }
      handles.set(this, { inner, text, generation });
    }

    /** `sha256:…` of the canonical policy. */
    get fingerprint() {
      try {
        return handle(this).fingerprint();
      } catch (thrown) {
        throw fail(thrown);
      }
    }

    /** The policy's id, version and fingerprint. */
    get info() {
      try {
        return JSON.parse(handle(this).info_json());
      } catch (thrown) {
        throw fail(thrown);
      }
    }

    /** Bytes of memory the wasm instance holds (for monitoring). */
    get wasmMemoryBytes() {
      return glue.wasm_memory_bytes();
    }

    /** Frees the compiled policy now rather than when it is garbage collected. */
    free() {
      const h = handles.get(this);
      if (h && h.generation === generation) h.inner.free();
      handles.delete(this);
    }
  }

  // The engine's evaluators come from its own table (src/engine.rs), read from the wasm on first
  // use: in browsers this runs before `init()` has loaded the wasm. The methods (the JS name and
  // the wasm method of its JSON-text twin, for each evaluator and each batch) are defined then,
  // before the first engine is made.
  let evaluators = null;
  function table() {
    if (evaluators === null) {
      evaluators = Object.freeze(JSON.parse(glue.evaluators_json()).map((e) => Object.freeze(e)));
      defineMethods(evaluators.flatMap((e) => [[e.js, e.json], ...(e.batch ? [[e.js_batch, e.batch]] : [])]));
    }
    return evaluators;
  }

  /**
   * What a policy change would do: both policies answer the same requests of one evaluator
   * (`evaluator`: "checkReturn" by default; `examples`: kept per transition, 5 by default). The
   * requests are an array, or JSON Lines text. Gives the report as JSON text (exact money).
   */
  function compareJson(oldPolicy, newPolicy, requests, options = {}) {
    let old, now, bytes;
    try {
      old = toText(oldPolicy);
      now = toText(newPolicy);
      bytes = requests instanceof Uint8Array ? requests : encoder.encode(toText(requests));
    } catch (thrown) {
      throw translate(thrown);
    }
    if (restarting) throw new PolicyError("ENGINE_RESTARTING", "", "a new WebAssembly instance is starting; try again in a moment");
    if (typeof glue.compare_policies_json !== "function") {
      throw new PolicyError("NOT_IN_THIS_BUILD", "compare", "this build does not carry `compare` (Cargo feature `compare`); load the full build (`aftersales`) for it");
    }
    try {
      return glue.compare_policies_json(old, now, options.evaluator ?? "checkReturn", bytes, options.examples ?? 5);
    } catch (thrown) {
      throw fail(thrown);
    }
  }
  Object.defineProperty(PolicyEngine, "compareJson", { value: compareJson, enumerable: true });
  Object.defineProperty(PolicyEngine, "compare", {
    value: (...args) => JSON.parse(compareJson(...args)),
    enumerable: true,
  });

  /**
   * Every evaluator: `{js, js_batch?, json, batch?, route, feature, built}` (route: the example
   * service's; `built`: false for one this build does not carry, whose methods throw `NOT_IN_THIS_BUILD`).
   */
  Object.defineProperty(PolicyEngine, "evaluators", { get: table, enumerable: true });

  function defineMethods(methods) {
    for (const [name, wasmMethod] of methods) {
      if (typeof glue.WasmEngine.prototype[wasmMethod] !== "function") continue;
      Object.defineProperty(PolicyEngine.prototype, `${name}Json`, {
        value: function (request) {
          let bytes;
          try {
            bytes = toBytes(request);
          } catch (thrown) {
            throw translate(thrown);
          }
          try {
            return handle(this)[wasmMethod](bytes);
          } catch (thrown) {
            throw fail(thrown);
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
  }

  /**
   * Checks a policy without keeping it: `{ok, errors: [{code, path, message}], warnings, policy?}`.
   * With `{positions: true}` each error and warning also has the `line` and `column` of its path
   * in the policy's text (give the text as it is in its file); with `{locale: "zh-CN"}` the
   * warnings' messages are in Simplified Chinese (errors are in English).
   */
  function validatePolicy(policy, options = {}) {
    let text;
    try {
      text = toText(policy);
    } catch (thrown) {
      const e = translate(thrown);
      return { ok: false, errors: [{ code: e.code, path: e.path, message: e.detail }] };
    }
    try {
      const locale = typeof options.locale === "string" ? options.locale : "en";
      return JSON.parse(
        options.positions ? glue.validate_located_json(text, locale) : glue.validate_policy_json(text, locale),
      );
    } catch (thrown) {
      throw fail(thrown);
    }
  }

  /** Starts a new WebAssembly instance now (engines are rebuilt when next used), e.g. to give its memory back. */
  function restartInstance() {
    restart("asked to");
    return restarting ?? Promise.resolve();
  }

  /** How many times a new instance was started. */
  const instanceRestarts = () => restarts;

  return { PolicyEngine, PolicyError, validatePolicy, restartInstance, instanceRestarts };
}
