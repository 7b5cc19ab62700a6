// aftersales as an HTTP service a merchant can deploy: Node's own `http`, no framework.
//
//   POLICY=path/to/policy.json PORT=8787 node examples/node-service/server.mjs
//
// POST /v1/returns/check      one return request          → the decision
// POST /v1/refunds/quote      one refund request          → the quote
// POST /v1/warranty/check     one warranty claim          → the decision
// POST /v1/sla                one case                    → deadlines
// POST /v1/<any of those>/batch  a JSON array of requests → one {ok, value | error} per request
// GET  /v1/policy             {id, version, fingerprint}
// GET  /healthz               {ok: true, policy: fingerprint}
//
// Request bodies go to the engine as text, untouched: the engine parses them once, in wasm, and
// its JSON answer is sent as it is. Errors: a body over 1 MiB → 413 BODY_TOO_LARGE; not JSON →
// 400 INVALID_JSON; any PolicyError → 400 with its code and path; a request whose
// `policy_fingerprint` differs from the server's → 409 POLICY_MISMATCH (a decision a browser made
// under a stale policy is never trusted). SIGHUP reloads the policy file: a bad new policy is
// refused and logged, and the old one keeps serving.

import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { PolicyEngine, PolicyError } from "aftersales";

export const MAX_BODY_BYTES = 1024 * 1024;

const ROUTES = {
  "/v1/returns/check": "checkReturnJson",
  "/v1/refunds/quote": "quoteRefundJson",
  "/v1/warranty/check": "checkWarrantyJson",
  "/v1/sla": "slaDeadlinesJson",
  "/v1/returns/check/batch": "checkReturnsJson",
  "/v1/refunds/quote/batch": "quoteRefundsJson",
  "/v1/warranty/check/batch": "checkWarrantiesJson",
  "/v1/sla/batch": "slaDeadlinesManyJson",
};

function statusFor(code) {
  if (code === "POLICY_MISMATCH") return 409;
  if (code === "LIMIT_EXCEEDED") return 413;
  return 400;
}

function send(res, status, body) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function errorBody(code, message, path = "") {
  return { error: { code, path, message } };
}

/** Creates the service. `log` receives one line per notable event. */
export function createService({ policyPath, log = (line) => console.error(line) }) {
  let engine = new PolicyEngine(readFileSync(policyPath, "utf8"));

  function reload() {
    try {
      const next = new PolicyEngine(readFileSync(policyPath, "utf8"));
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

  const server = createServer((req, res) => {
    const url = req.url.split("?")[0];
    if (req.method === "GET" && url === "/healthz") return send(res, 200, { ok: true, policy: engine.fingerprint });
    if (req.method === "GET" && url === "/v1/policy") return send(res, 200, engine.info);
    const method = ROUTES[url];
    if (!method) return send(res, 404, errorBody("NOT_FOUND", `no route ${req.method} ${url}`));
    if (req.method !== "POST") return send(res, 405, errorBody("METHOD_NOT_ALLOWED", `use POST for ${url}`));
    if (typeof engine[method] !== "function") return send(res, 501, errorBody("NOT_AVAILABLE", `${url} is not in this build`));

    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      res.setHeader("connection", "close");
      send(res, 413, errorBody("BODY_TOO_LARGE", `the body is over ${MAX_BODY_BYTES} bytes`));
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
        send(res, 413, errorBody("BODY_TOO_LARGE", `the body is over ${MAX_BODY_BYTES} bytes`));
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
        send(res, 200, current[method](Buffer.concat(chunks)));
      } catch (e) {
        if (e instanceof PolicyError) return send(res, statusFor(e.code), errorBody(e.code, e.message, e.path));
        log(`internal error on ${url}: ${e && e.stack ? e.stack : e}`);
        send(res, 500, errorBody("INTERNAL", "the engine failed; see the server log"));
      }
    });
  });

  return { server, reload, get engine() { return engine; } };
}

// Started as a program (not imported by the tests).
if (import.meta.url === `file://${process.argv[1]}`) {
  const policyPath = process.env.POLICY ?? new URL("../../tests/policies/sportswear-cn.json", import.meta.url).pathname;
  const port = Number(process.env.PORT ?? 8787);
  const host = process.env.HOST ?? "127.0.0.1";
  const service = createService({ policyPath });
  process.on("SIGHUP", () => service.reload());
  service.server.listen(port, host, () => {
    console.error(`aftersales service on http://${host}:${service.server.address().port}/ (policy ${service.engine.fingerprint})`);
  });
}
