# workerd's configuration for running examples/worker/worker.mjs locally, with no bundler: the
# package's browsers' entry and its compiled .wasm are modules named as the Worker imports them.
# Paths are relative to this file; `make build` first (pkg/gen/).
#   node_modules/.bin/workerd serve examples/worker/config.capnp --socket-addr http=127.0.0.1:8787
# Another policy: change the POLICY binding's file.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "aftersales", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "aftersales")],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "aftersales", esModule = embed "../../pkg/web.js"),
    (name = "gen/web/aftersales.js", esModule = embed "../../pkg/gen/web/aftersales.js"),
    (name = "src/api.js", esModule = embed "../../pkg/src/api.js"),
    (name = "src/web-entry.js", esModule = embed "../../pkg/src/web-entry.js"),
    (name = "aftersales/aftersales_bg.wasm", wasm = embed "../../pkg/gen/web/aftersales_bg.wasm"),
  ],
  bindings = [(name = "POLICY", text = embed "../../tests/policies/sportswear-cn.json")],
  compatibilityDate = "2026-11-01",
);
