// aftersales as a Cloudflare Worker: the Node service's routes (examples/node-service), at the edge.
//
//   local:  node_modules/.bin/workerd serve examples/worker/config.capnp --socket-addr http=127.0.0.1:8787
//   deploy: with wrangler (not tried here: this machine reaches no Cloudflare account), `main` this
//           file, the policy's JSON text as the POLICY variable or secret
//
// POST /v1/returns/check, /v1/refunds/quote, /v1/exchanges/check, /v1/warranty/check, /v1/sla,
// /v1/calendar, and /v1/<any but calendar>/batch: the engine's own table of evaluators
// (`PolicyEngine.evaluators`), as in the Node service. GET /v1/policy, GET /healthz.
// Bodies go to the engine as the bytes that came; its JSON answer is sent as is. Errors as in the
// Node service: a body over 1 MiB → 413 BODY_TOO_LARGE; a PolicyError → 400 with code and path
// (409 POLICY_MISMATCH, 413 LIMIT_EXCEEDED); an unknown route → 404; not POST → 405.
// A Worker has no SIGHUP: a new policy is a new deployment (or a new POLICY binding), and each
// isolate compiles it once, on its first request.
import { initSync, PolicyEngine, PolicyError } from "aftersales";
import wasm from "aftersales/aftersales_bg.wasm";

initSync(wasm); // a Worker may not compile wasm from bytes at run time: the module comes compiled

const MAX_BODY_BYTES = 1024 * 1024;

/** Route → the engine's JSON-text method, from the engine's table of evaluators. */
const ROUTES = Object.fromEntries(
  PolicyEngine.evaluators.flatMap((e) => [
    [e.route, `${e.js}Json`],
    ...(e.js_batch ? [[`${e.route}/batch`, `${e.js_batch}Json`]] : []),
  ]),
);

const statusFor = (code) => (code === "POLICY_MISMATCH" ? 409 : code === "LIMIT_EXCEEDED" ? 413 : 400);

const send = (status, body) =>
  new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });

const errorBody = (code, message, path = "") => ({ error: { code, path, message } });

/** One engine per policy text, kept for the isolate's life. */
let loaded = { text: null, engine: null };
function engineFor(env) {
  if (loaded.text !== env.POLICY) loaded = { text: env.POLICY, engine: new PolicyEngine(env.POLICY) };
  return loaded.engine;
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url).pathname;
    let engine;
    try {
      engine = engineFor(env);
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      return send(500, errorBody("POLICY_INVALID", `the deployed policy is refused: ${e.code} at ${e.path}: ${e.message}`));
    }
    if (request.method === "GET" && url === "/healthz") return send(200, { ok: true, policy: engine.fingerprint });
    if (request.method === "GET" && url === "/v1/policy") return send(200, engine.info);
    const method = ROUTES[url];
    if (!method) return send(404, errorBody("NOT_FOUND", `no route ${request.method} ${url}`));
    if (request.method !== "POST") return send(405, errorBody("METHOD_NOT_ALLOWED", `use POST for ${url}`));
    if (typeof engine[method] !== "function") return send(501, errorBody("NOT_AVAILABLE", `${url} is not in this build`));
    if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
      return send(413, errorBody("BODY_TOO_LARGE", `the body is over ${MAX_BODY_BYTES} bytes`));
    }
    const body = new Uint8Array(await request.arrayBuffer());
    if (body.length > MAX_BODY_BYTES) return send(413, errorBody("BODY_TOO_LARGE", `the body is over ${MAX_BODY_BYTES} bytes`));
    try {
      return send(200, engine[method](body));
    } catch (e) {
      if (e instanceof PolicyError) return send(statusFor(e.code), errorBody(e.code, e.message, e.path));
      console.error(`internal error on ${url}: ${e && e.stack ? e.stack : e}`);
      return send(500, errorBody("INTERNAL", "the engine failed; see the log"));
    }
  },
};
