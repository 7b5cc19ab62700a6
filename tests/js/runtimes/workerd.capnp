# For tests/js/workerd.test.mjs: the example Worker (examples/worker/, policy sportswear-cn), a
# Worker that runs the shared vectors through the browsers' entry and one that runs them through
# the storefront entry, each on its own socket (the test sets the addresses with
# --socket-addr example=… --socket-addr vectors=… --socket-addr storefront=…).
using Workerd = import "/workerd/workerd.capnp";
using Example = import "../../../examples/worker/config.capnp";

const config :Workerd.Config = (
  services = [
    (name = "example", worker = Example.worker),
    (name = "vectors", worker = .vectors),
    (name = "storefront", worker = .storefront),
  ],
  sockets = [
    (name = "example", address = "127.0.0.1:8787", http = (), service = "example"),
    (name = "vectors", address = "127.0.0.1:8788", http = (), service = "vectors"),
    (name = "storefront", address = "127.0.0.1:8789", http = (), service = "storefront"),
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

# Module names are the import specifiers: "aftersales/storefront"'s relative imports resolve under
# "aftersales/", as they would in the package.
const storefront :Workerd.Worker = (
  modules = [
    (name = "storefront-worker.mjs", esModule = embed "storefront-worker.mjs"),
    (name = "storefront-lib.mjs", esModule = embed "../storefront-lib.mjs"),
    (name = "vectors-lib.mjs", esModule = embed "../vectors-lib.mjs"),
    (name = "aftersales/storefront", esModule = embed "../../../pkg/storefront.js"),
    (name = "aftersales/gen/storefront/aftersales.js", esModule = embed "../../../pkg/gen/storefront/aftersales.js"),
    (name = "aftersales/src/web-entry.js", esModule = embed "../../../pkg/src/web-entry.js"),
    (name = "aftersales/src/api.js", esModule = embed "../../../pkg/src/api.js"),
    (name = "aftersales/storefront_bg.wasm", wasm = embed "../../../pkg/gen/storefront/aftersales_bg.wasm"),
  ],
  compatibilityDate = "2026-11-01",
);
