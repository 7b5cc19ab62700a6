// Helpers for the tests of the Node service (service.test.mjs, cluster.test.mjs): the service as
// a real process on 127.0.0.1 with an ephemeral port, and HTTP at the level the tests need.
import { spawn } from "node:child_process";
import { get } from "node:http";
import { connect } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const root = new URL("../../", import.meta.url).pathname;
export const sample = JSON.parse(readFileSync(join(root, "tests/vectors/returns-acceptance.json"), "utf8")).base;

/**
 * Starts the service as a process on an ephemeral port; resolves once it listens. It serves the
 * sportswear policy unless `env.POLICY` names another file.
 */
export function startService(env = {}) {
  const service = { logs: "" };
  service.child = spawn(process.execPath, [join(root, "examples/node-service/server.mjs")], {
    env: { ...process.env, POLICY: join(root, "tests/policies/sportswear-cn.json"), PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  service.exited = new Promise((resolve) => service.child.on("exit", (code) => resolve(code)));
  service.ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start: ${service.logs}`)), 15000);
    service.child.stderr.on("data", (chunk) => {
      service.logs += chunk;
      const m = /on (http:\/\/127\.0\.0\.1:(\d+))\//.exec(service.logs);
      if (m) { clearTimeout(timer); service.base = m[1]; service.port = Number(m[2]); resolve(service); }
    });
    service.exited.then((code) => reject(new Error(`service exited ${code}: ${service.logs}`)));
  });
  return service.ready;
}

/** GET over a connection of its own (no keep-alive), so that successive calls reach the workers in turn. */
export function getFresh(port, path) {
  return new Promise((resolve, reject) => {
    get({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => { text += chunk; });
      res.on("end", () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    }).on("error", reject);
  });
}

/** An HTTP/1.1 exchange on a raw socket, so a test can stop part way through the body. */
export function rawRequest(port, path, body) {
  const socket = connect(port, "127.0.0.1");
  let received = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk) => { received += chunk; });
  const closed = new Promise((resolve) => socket.on("close", () => resolve(received)));
  socket.on("error", () => {});
  const head = `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`;
  const opened = new Promise((resolve) => socket.on("connect", resolve));
  return {
    opened,
    send: (text) => new Promise((resolve) => socket.write(text, resolve)),
    head,
    closed,
  };
}

export function parseResponse(text) {
  const [head, ...rest] = text.split("\r\n\r\n");
  const [statusLine, ...headers] = head.split("\r\n");
  return {
    status: Number(statusLine.split(" ")[1]),
    headers: Object.fromEntries(headers.map((h) => [h.slice(0, h.indexOf(":")).toLowerCase(), h.slice(h.indexOf(":") + 1).trim()])),
    body: rest.join("\r\n\r\n"),
  };
}

export const waitFor = async (what, ms = 5000) => {
  for (let t = 0; t < ms && !what(); t += 20) await new Promise((r) => setTimeout(r, 20));
};

