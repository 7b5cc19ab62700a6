# For scripts/runtimes-differential.mjs: a Worker that answers differential corpus lines
# (tests/js/runtimes/corpus-worker.mjs). The script sets the address: --socket-addr corpus=….
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "corpus", worker = .corpus)],
  sockets = [(name = "corpus", address = "127.0.0.1:8789", http = (), service = "corpus")],
);

const corpus :Workerd.Worker = (
  modules = [
    (name = "corpus-worker.mjs", esModule = embed "corpus-worker.mjs"),
    (name = "answer-corpus.mjs", esModule = embed "answer-corpus.mjs"),
    (name = "aftersales", esModule = embed "../../../pkg/web.js"),
    (name = "gen/web/aftersales.js", esModule = embed "../../../pkg/gen/web/aftersales.js"),
    (name = "src/api.js", esModule = embed "../../../pkg/src/api.js"),
    (name = "src/web-entry.js", esModule = embed "../../../pkg/src/web-entry.js"),
    (name = "aftersales/aftersales_bg.wasm", wasm = embed "../../../pkg/gen/web/aftersales_bg.wasm"),
  ],
  compatibilityDate = "2026-11-01",
);
