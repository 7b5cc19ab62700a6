// Starts workerd (npm `workerd`, pinned) on free loopback ports, for the tests and
// scripts/runtimes-differential.mjs. `sockets` names the config's sockets; resolves to
// {urls: {name: "http://127.0.0.1:port"}, stop()} once every socket answers.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { root } from "../vector-files.mjs";

export const workerdBin = join(root, "node_modules/.bin/workerd");

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function startWorkerd(config, sockets, { timeoutMs = 30_000 } = {}) {
  const urls = {};
  const args = ["serve", join(root, config)];
  for (const name of sockets) {
    const port = await freePort();
    urls[name] = `http://127.0.0.1:${port}`;
    args.push("--socket-addr", `${name}=127.0.0.1:${port}`);
  }
  const child = spawn(workerdBin, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  let exited = null;
  child.on("exit", (code, signal) => (exited = { code, signal }));
  const stop = () =>
    new Promise((resolve) => {
      if (exited) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  const deadline = Date.now() + timeoutMs;
  for (const url of Object.values(urls)) {
    for (;;) {
      if (exited) throw new Error(`workerd exited (${JSON.stringify(exited)}):\n${log}`);
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`workerd did not answer on ${url} within ${timeoutMs} ms:\n${log}`);
      }
      try {
        await fetch(`${url}/healthz`);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
  return { urls, stop, get log() { return log; } };
}
