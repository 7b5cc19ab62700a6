# For tests/js/workerd.test.mjs: the example Worker (examples/worker/, policy sportswear-cn) and a
# Worker that runs the shared vectors, each on its own socket (the test sets the addresses with
# --socket-addr example=… --socket-addr vectors=…).
using Workerd = import "/workerd/workerd.capnp";
using Example = import "../../../examples/worker/config.capnp";

const config :Workerd.Config = (
  services = [(name = "example", worker = Example.worker), (name = "vectors", worker = .vectors)],
  sockets = [
    (name = "example", address = "127.0.0.1:8787", http = (), service = "example"),
    (name = "vectors", address = "127.0.0.1:8788", http = (), service = "vectors"),
  ],
);

const vectors :Workerd.Worker = (
  modules = [
    (name = "vectors-worker.mjs", esModule = embed "vectors-worker.mjs"),
    (name = "vectors-lib.mjs", esModule = embed "../vectors-lib.mjs"),
    (name = "aftersales", esModule = embed "../../../pkg/web.js"),
    (name = "gen/web/aftersales.js", esModule = embed "../../../pkg/gen/web/aftersales.js"),
    (name = "src/api.js", esModule = embed "../../../pkg/src/api.js"),
    (name = "src/web-entry.js", esModule = embed "../../../pkg/src/web-entry.js"),
    (name = "aftersales/aftersales_bg.wasm", wasm = embed "../../../pkg/gen/web/aftersales_bg.wasm"),
  ],
  compatibilityDate = "2026-11-01",
);
