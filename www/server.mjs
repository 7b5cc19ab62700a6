// A small static server for the demo pages and the browser tests: Node's own `http`, bound to
// 127.0.0.1. It serves www/ (the pages), pkg/ (the npm package: the JS entries, the glue and the
// .wasm with its MIME type, so streaming compilation works), the sample policies, the
// browser test runner and the benchmark pages. Nothing else in the repository is reachable.
//
//   node www/server.mjs            → http://127.0.0.1:8080/   (PORT and HOST to change)
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const root = new URL("../", import.meta.url).pathname;

/** URL prefix → folder of the repository. */
const MOUNTS = [
  ["/pkg/", "pkg/"],
  ["/policies/", "tests/policies/"],
  ["/tests/js/", "tests/js/"],
  ["/bench/", "bench/"],
  ["/", "www/"],
];

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

function resolve(urlPath) {
  for (const [prefix, dir] of MOUNTS) {
    if (!urlPath.startsWith(prefix)) continue;
    const rest = decodeURIComponent(urlPath.slice(prefix.length)) || "index.html";
    const base = join(root, dir);
    const file = normalize(join(base, rest));
    return file.startsWith(base) && !file.includes(`${sep}..${sep}`) ? file : null;
  }
  return null;
}

export function createStaticServer() {
  return createServer(async (req, res) => {
    const urlPath = new URL(req.url, "http://localhost").pathname;
    let file = resolve(urlPath);
    try {
      if (file && (await stat(file)).isDirectory()) file = join(file, "index.html");
      if (!file) throw new Error("outside");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end(`not found: ${urlPath}\n`);
    }
  });
}

/** Starts the server; resolves to its URL. Port 0 picks a free one. */
export function serve({ port = 8080, host = "127.0.0.1" } = {}) {
  const server = createStaticServer();
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve({ server, url: `http://${host}:${server.address().port}/` }));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await serve({ port: Number(process.env.PORT ?? 8080), host: process.env.HOST ?? "127.0.0.1" });
  console.log(`aftersales demo on ${url}  (Ctrl-C to stop)
  storefront "Can I return this?"  ${url}
  admin refund preview             ${url}admin.html
  SLA timeline                     ${url}sla.html
  warranty check (service desk)    ${url}warranty.html`);
}
