# For scripts/runtimes-differential.mjs: Workers that answer differential corpus lines
# (tests/js/runtimes/corpus-worker.mjs), `corpus` through the browsers' build and
# `corpus-storefront` through the storefront build (the same worker, the package's module names
# mapped to the storefront's files). The script sets the addresses: --socket-addr corpus=….
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "corpus", worker = .corpus), (name = "corpus-storefront", worker = .corpusStorefront)],
  sockets = [
    (name = "corpus", address = "127.0.0.1:8789", http = (), service = "corpus"),
    (name = "corpus-storefront", address = "127.0.0.1:8790", http = (), service = "corpus-storefront"),
  ],
);

const corpus :Workerd.Worker = (
  modules = [
    (name = "corpus-worker.mjs", esModule = embed "corpus-worker.mjs"),
    (name = "answer-corpus.mjs", esModule = embed "../answer-corpus.mjs"),
    (name = "vectors-lib.mjs", esModule = embed "../vectors-lib.mjs"),
    (name = "aftersales", esModule = embed "../../../pkg/web.js"),
    (name = "gen/web/aftersales.js", esModule = embed "../../../pkg/gen/web/aftersales.js"),
    (name = "src/api.js", esModule = embed "../../../pkg/src/api.js"),
    (name = "src/web-entry.js", esModule = embed "../../../pkg/src/web-entry.js"),
    (name = "aftersales/aftersales_bg.wasm", wasm = embed "../../../pkg/gen/web/aftersales_bg.wasm"),
  ],
  compatibilityDate = "2026-11-01",
);

const corpusStorefront :Workerd.Worker = (
  modules = [
    (name = "corpus-worker.mjs", esModule = embed "corpus-worker.mjs"),
    (name = "answer-corpus.mjs", esModule = embed "../answer-corpus.mjs"),
    (name = "vectors-lib.mjs", esModule = embed "../vectors-lib.mjs"),
    (name = "aftersales", esModule = embed "../../../pkg/storefront.js"),
    (name = "gen/storefront/aftersales.js", esModule = embed "../../../pkg/gen/storefront/aftersales.js"),
    (name = "src/api.js", esModule = embed "../../../pkg/src/api.js"),
    (name = "src/web-entry.js", esModule = embed "../../../pkg/src/web-entry.js"),
    (name = "aftersales/aftersales_bg.wasm", wasm = embed "../../../pkg/gen/storefront/aftersales_bg.wasm"),
  ],
  compatibilityDate = "2026-11-01",
);
