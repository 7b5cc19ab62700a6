// aftersales as an HTTP service a merchant can deploy: Node's own `http`, no framework.
//
//   POLICY=path/to/policy.json PORT=8787 node examples/node-service/server.mjs
//
// POST /v1/returns/check      one return request          → the decision
// POST /v1/refunds/quote      one refund request          → the quote
// POST /v1/warranty/check     one warranty claim          → the decision
// POST /v1/sla                one case                    → deadlines
// POST /v1/calendar           one calendar question       → its answer
// POST /v1/<any but calendar>/batch  a JSON array of requests → one {ok, value | error} each
// (the routes are the engine's own table of evaluators: `PolicyEngine.evaluators`)
// GET  /v1/policy             {id, version, fingerprint}
// GET  /healthz               {ok: true, policy: fingerprint} (and `worker`, `pid` in a worker)
//
// Request bodies go to the engine as text, untouched: the engine parses them once, in wasm, and
// its JSON answer is sent as it is. Errors: a body over 1 MiB → 413 BODY_TOO_LARGE; not JSON →
// 400 INVALID_JSON; any PolicyError → 400 with its code and path; a request whose
// `policy_fingerprint` differs from the server's → 409 POLICY_MISMATCH (a decision a browser made
// under a stale policy is never trusted). SIGHUP reloads the policy file: a bad new policy is
// refused and logged, and the old one keeps serving. SIGTERM or SIGINT drains: no new
// connections, requests in flight are answered (with `connection: close`), then the process
// exits 0; one still open after DRAIN_MS (10 s) is cut and the exit code is 1. A client that has
// not sent its whole request within REQUEST_TIMEOUT_MS (30 s) gets 408 and is disconnected.
//
// WORKERS processes serve the port (default: one per core, `os.availableParallelism()`; WORKERS=1
// is one process and no cluster). The primary (cluster.mjs) reads and checks the policy once and
// hands the text to every worker: SIGHUP to the primary reloads all of them or, for a bad
// policy, none; SIGTERM or SIGINT drains every worker and exits 0 only if all drained in time; a
// worker that dies is replaced, with the policy the others serve.

import cluster from "node:cluster";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { PolicyEngine, PolicyError } from "aftersales";

export const MAX_BODY_BYTES = 1024 * 1024;
export const REQUEST_TIMEOUT_MS = 30_000;
export const DRAIN_MS = 10_000;

/** Route → the engine's JSON-text method, from the engine's table of evaluators. */
const ROUTES = Object.fromEntries(
  PolicyEngine.evaluators.flatMap((e) => [
    [e.route, `${e.js}Json`],
    ...(e.js_batch ? [[`${e.route}/batch`, `${e.js_batch}Json`]] : []),
  ]),
);

function statusFor(code) {
  if (code === "POLICY_MISMATCH") return 409;
  if (code === "LIMIT_EXCEEDED") return 413;
  return 400;
}

function send(res, status, body, close = false) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  if (close) res.setHeader("connection", "close");
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function errorBody(code, message, path = "") {
  return { error: { code, path, message } };
}

/**
 * Creates the service. `log` receives one line per notable event. `requestTimeoutMs` bounds the
 * time a client may take to send its whole request (headers within the same bound). The policy
 * is `policyText` if given (a cluster worker gets it from the primary), else the file at
 * `policyPath`. `worker` (a cluster worker's id) is shown by `/healthz`.
 */
export function createService({
  policyPath,
  policyText = undefined,
  log = (line) => console.error(line),
  requestTimeoutMs = REQUEST_TIMEOUT_MS,
  worker = undefined,
}) {
  let engine = new PolicyEngine(policyText ?? readFileSync(policyPath, "utf8"));
  let draining = false;

  /** Swaps in the policy `text` (by default the file, read again); false if it is refused. */
  function reload(text = undefined) {
    try {
      const next = new PolicyEngine(text ?? readFileSync(policyPath, "utf8"));
      const before = engine.fingerprint;
      engine = next; // one assignment: a request sees the old engine or the new one, never half
      log(`policy reloaded: ${before} -> ${next.fingerprint}`);
      return true;
    } catch (e) {
      const why = e instanceof PolicyError ? `${e.code} at ${e.path || "(document)"}: ${e.message}` : String(e);
      log(`policy reload refused, still serving ${engine.fingerprint}: ${why}`);
      return false;
    }
  }

  const timeouts = {
    requestTimeout: requestTimeoutMs,
    headersTimeout: requestTimeoutMs,
    // Node looks for requests past their time this often (30 s by default, which would let a
    // short timeout run long).
    connectionsCheckingInterval: Math.max(100, Math.min(requestTimeoutMs / 4, 30_000)),
  };
  // While draining, each answer closes its connection once sent.
  const reply = (res, status, body) => send(res, status, body, draining);
  const server = createServer(timeouts, (req, res) => {
    const url = req.url.split("?")[0];
    if (req.method === "GET" && url === "/healthz") {
      return reply(res, 200, { ok: true, policy: engine.fingerprint, ...(worker === undefined ? {} : { worker, pid: process.pid }) });
    }
    if (req.method === "GET" && url === "/v1/policy") return reply(res, 200, engine.info);
    const method = ROUTES[url];
    if (!method) return reply(res, 404, errorBody("NOT_FOUND", `no route ${req.method} ${url}`));
    if (req.method !== "POST") return reply(res, 405, errorBody("METHOD_NOT_ALLOWED", `use POST for ${url}`));
    if (typeof engine[method] !== "function") return reply(res, 501, errorBody("NOT_AVAILABLE", `${url} is not in this build`));

    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      res.setHeader("connection", "close");
      reply(res, 413, errorBody("BODY_TOO_LARGE", `the body is over ${MAX_BODY_BYTES} bytes`));
      req.destroy();
      return;
    }
    const chunks = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES && !refused) {
        refused = true;
        res.setHeader("connection", "close");
        reply(res, 413, errorBody("BODY_TOO_LARGE", `the body is over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else if (!refused) {
        chunks.push(chunk);
      }
    });
    req.on("end", () => {
      if (refused) return;
      const current = engine; // the whole request is judged by one policy even if a reload lands meanwhile
      try {
        // The body's bytes go to the engine as they came: no decode here and re-encode there
        // (a body that is not UTF-8 is refused as INVALID_JSON).
        reply(res, 200, current[method](Buffer.concat(chunks)));
      } catch (e) {
        if (e instanceof PolicyError) return reply(res, statusFor(e.code), errorBody(e.code, e.message, e.path));
        log(`internal error on ${url}: ${e && e.stack ? e.stack : e}`);
        reply(res, 500, errorBody("INTERNAL", "the engine failed; see the server log"));
      }
    });
  });

  /**
   * Drains: stops accepting connections, closes idle keep-alive ones, lets requests in flight be
   * answered, and resolves `true` once none is left, or `false` if some were still open after
   * `deadlineMs` and had to be cut.
   */
  function shutdown(deadlineMs = DRAIN_MS) {
    draining = true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        log(`drain deadline of ${deadlineMs} ms passed; closing the connections still open`);
        server.closeAllConnections();
        resolve(false);
      }, deadlineMs);
      server.close(() => {
        clearTimeout(timer);
        resolve(true);
      });
      server.closeIdleConnections();
    });
  }

  return { server, reload, shutdown, get engine() { return engine; } };
}

/** The service's settings from the environment (the same in the primary and its workers). */
export function settings(env = process.env) {
  const workers = env.WORKERS === undefined || env.WORKERS === "" ? availableParallelism() : Number(env.WORKERS);
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`WORKERS must be a whole number of at least 1, not ${JSON.stringify(env.WORKERS)}`);
  return {
    policyPath: env.POLICY ?? new URL("../../tests/policies/sportswear-cn.json", import.meta.url).pathname,
    port: Number(env.PORT ?? 8787),
    host: env.HOST ?? "127.0.0.1",
    requestTimeoutMs: Number(env.REQUEST_TIMEOUT_MS ?? REQUEST_TIMEOUT_MS),
    drainMs: Number(env.DRAIN_MS ?? DRAIN_MS),
    workers,
  };
}

/** One process serving alone (WORKERS=1): SIGHUP reloads, SIGTERM or SIGINT drains. */
function runSingle({ policyPath, port, host, requestTimeoutMs, drainMs }) {
  const service = createService({ policyPath, requestTimeoutMs });
  process.on("SIGHUP", () => service.reload());
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.once(signal, async () => {
      console.error(`${signal}: draining`);
      const clean = await service.shutdown(drainMs);
      console.error(clean ? "drained; exiting" : "exiting with connections cut");
      process.exit(clean ? 0 : 1);
    });
  }
  service.server.listen(port, host, () => {
    console.error(`aftersales service on http://${host}:${service.server.address().port}/ (policy ${service.engine.fingerprint})`);
  });
}

// Started as a program (not imported by the tests and benchmarks): alone, or as the primary of
// WORKERS processes (cluster.mjs), or as one of those workers.
if (import.meta.url === `file://${process.argv[1]}`) {
  let config;
  try {
    config = settings();
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
  // Not awaited: cluster.mjs imports this module, which must finish evaluating first.
  if (cluster.isWorker) import("./cluster.mjs").then((m) => m.runWorker(config));
  else if (config.workers > 1) import("./cluster.mjs").then((m) => m.runPrimary(config));
  else runSingle(config);
}
