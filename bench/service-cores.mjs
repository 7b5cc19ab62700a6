// The Node service on one core and on two: requests a second with WORKERS=1 and WORKERS=2, side by
// side in one run, and the ratio.
//
//   node bench/service-cores.mjs [seconds=10] [connections=32] [rounds=3] [generators=autocannon,raw,raw-p8]
//
// Each round starts the service (examples/node-service/server.mjs, a real process, PORT=0 on
// 127.0.0.1) with WORKERS=1 and then WORKERS=2, and drives POST /v1/returns/check (the contract's
// sample) from a separate process for `seconds`, after 2 s of warm-up, then stops it with SIGTERM.
// Three load generators, each in a process of its own, over `connections` keep-alive
// connections:
//   autocannon  npm's autocannon (pinned in package.json), one request in flight per connection;
//   raw         a minimal HTTP/1.1 client in this file (net sockets, the request bytes built once,
//               answers counted by their content-length), one request in flight per connection:
//               a cheaper client, so that more of the two cores is left to the service;
//   raw-p8      the same with 8 requests pipelined per connection (cheaper still per request, for
//               the generator and for the service's reads).
// The generator runs on the same 2 cores as the service, so it takes CPU the workers could use.
// To show where the CPU went, each figure comes with the CPU time the service's processes, the
// generator and everything else on the machine used in the measured window (from /proc), per
// request.
//
// Prints the median over the rounds for each generator and WORKERS, and the ratio of medians;
// then two figures worked out from the CPU times: "service alone", the ratio if the generator ran
// on another machine (2 × the service's CPU per request with 1 worker ÷ with 2), and "2 idle
// cores, projected", req/s and ratio if nothing else ran on the machine.
// Traffic goes only to 127.0.0.1, to services this script starts and stops.
import { spawn, execFileSync } from "node:child_process";
import { connect } from "node:net";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

const root = new URL("../", import.meta.url).pathname;
const body = JSON.stringify(JSON.parse(readFileSync(root + "tests/vectors/returns-acceptance.json", "utf8")).base);
const WARM_UP_S = 2;
const TICKS_PER_S = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

async function main() {
  const seconds = Number(process.argv[2] ?? 10);
  const connections = Number(process.argv[3] ?? 32);
  const rounds = Number(process.argv[4] ?? 3);
  const clients = (process.argv[5] ?? "autocannon,raw,raw-p8").split(",");
  console.log(`node ${process.version}, ${availableParallelism()} cores, ${seconds} s a run, ${connections} connections, ${rounds} rounds`);
  const runs = [];
  for (let round = 1; round <= rounds; round++) {
    for (const client of clients) {
      for (const workers of [1, 2]) {
        const r = await measure({ workers, client, seconds, connections });
        runs.push(r);
        console.log(`round ${round} ${client.padEnd(10)} WORKERS=${workers}: ${fmt(r.rps)} req/s` +
          `  cpu µs/request: service ${r.service.toFixed(1)}, generator ${r.generator.toFixed(1)}, irq ${r.irq.toFixed(1)}, others ${r.others.toFixed(1)}` +
          `  (cores busy ${r.busy.toFixed(2)}${r.failed ? `, ${r.failed} failed` : ""})`);
      }
    }
  }
  console.log("\nmedian of the rounds (cpu: µs of CPU time per request; irq: the kernel's interrupt time, where loopback TCP mostly runs; others: cores used by other processes):");
  console.log("generator     WORKERS=1 req/s  WORKERS=2 req/s  ratio   service cpu 1 → 2   generator cpu 1 → 2   irq cpu 1 → 2   others 1 → 2   service alone   2 idle cores, projected");
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  for (const client of clients) {
    const at = (workers, key) => med(runs.filter((r) => r.client === client && r.workers === workers).map(key));
    const rps = [at(1, (r) => r.rps), at(2, (r) => r.rps)];
    const service = [at(1, (r) => r.service), at(2, (r) => r.service)];
    const generator = [at(1, (r) => r.generator), at(2, (r) => r.generator)];
    const irq = [at(1, (r) => r.irq), at(2, (r) => r.irq)];
    const others = [at(1, (r) => (r.others * r.rps) / 1e6), at(2, (r) => (r.others * r.rps) / 1e6)];
    // What two workers could serve if the generator ran elsewhere: two cores at the service's CPU
    // time per request with 2 workers, against one core at its time with 1.
    const alone = (2 * service[0]) / service[1];
    // What two idle cores would give, from the CPU times measured: one worker is bound by its
    // core (or by the two cores, if the generator needed more than the other); two workers share
    // both with the generator and the kernel.
    const idle1 = Math.min(1e6 / service[0], 2e6 / (service[0] + generator[0] + irq[0]));
    const idle2 = 2e6 / (service[1] + generator[1] + irq[1]);
    console.log([
      client.padEnd(12), fmt(rps[0]).padStart(16), fmt(rps[1]).padStart(16), `${(rps[1] / rps[0]).toFixed(2)}×`.padStart(6),
      `${service[0].toFixed(1)} → ${service[1].toFixed(1)}`.padStart(18), `${generator[0].toFixed(1)} → ${generator[1].toFixed(1)}`.padStart(21),
      `${irq[0].toFixed(1)} → ${irq[1].toFixed(1)}`.padStart(15),
      `${others[0].toFixed(2)} → ${others[1].toFixed(2)}`.padStart(14), `${alone.toFixed(2)}×`.padStart(15),
      `${fmt(idle1)} → ${fmt(idle2)} = ${(idle2 / idle1).toFixed(2)}×`.padStart(30),
    ].join(" "));
  }
}

const fmt = (n) => Math.round(n).toLocaleString("en");

/** One run: the service with `workers`, driven by `client` for `seconds`; req/s and CPU per request. */
async function measure({ workers, client, seconds, connections }) {
  const service = await startService(workers);
  try {
    const generator = spawn(process.execPath, [new URL(import.meta.url).pathname, "--load", client, service.url, seconds, connections], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    let before = null;
    const done = new Promise((resolve, reject) => {
      generator.stdout.on("data", (chunk) => {
        out += chunk;
        if (!before && out.includes("go\n")) before = sample(service.pids());
      });
      generator.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`load generator exited ${code}`))));
    });
    await done;
    const result = JSON.parse(out.slice(out.indexOf("go\n") + 3));
    const after = sample(service.pids());
    const n = result.requests;
    const serviceTicks = after.service - before.service;
    const machineTicks = after.busy - before.busy;
    const irqTicks = after.irq - before.irq;
    const tick = 1e6 / TICKS_PER_S; // µs
    return {
      workers, client,
      rps: n / result.seconds,
      failed: result.failed,
      service: (serviceTicks * tick) / n,
      generator: (result.cpu_us) / n,
      irq: (irqTicks * tick) / n,
      others: Math.max(0, (machineTicks - irqTicks - serviceTicks) * tick - result.cpu_us) / n,
      busy: (machineTicks / TICKS_PER_S) / result.seconds,
    };
  } finally {
    await service.stop();
  }
}

/** CPU ticks used by the given processes, and by the whole machine (busy, not idle), so far. */
function sample(pids) {
  let service = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      service += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // gone
    }
  }
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const busy = cpu.slice(0, 8).reduce((a, b) => a + b, 0) - cpu[3] - cpu[4]; // less idle and iowait
  return { service, busy, irq: cpu[5] + cpu[6] }; // irq and softirq: loopback TCP is mostly softirq
}

const services = new Set(); // stopped on the way out, whatever happens
process.on("exit", () => { for (const child of services) child.kill("SIGKILL"); });

function startService(workers) {
  const child = spawn(process.execPath, [root + "examples/node-service/server.mjs"], {
    env: { ...process.env, WORKERS: String(workers), PORT: "0", HOST: "127.0.0.1", POLICY: root + "tests/policies/sportswear-cn.json" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  services.add(child);
  let logs = "";
  const exited = new Promise((resolve) => child.on("exit", resolve)).finally(() => services.delete(child));
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (chunk) => {
      logs += chunk;
      const m = /on (http:\/\/127\.0\.0\.1:\d+)\//.exec(logs);
      if (m) resolve({
        url: m[1] + "/v1/returns/check",
        // the primary and its workers (WORKERS=1: the one process)
        pids: () => {
          try {
            return [child.pid, ...readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").split(" ").filter(Boolean).map(Number)];
          } catch {
            return [child.pid];
          }
        },
        stop: () => { child.kill("SIGTERM"); return exited; },
      });
    });
    exited.then((code) => reject(new Error(`service exited ${code}: ${logs}`)));
  });
}

/** The load generator's process: warms up, prints "go", drives the service, prints its figures. */
async function load(client, url, seconds, connections) {
  // "raw" sends one request at a time on each connection; "raw-p8" pipelines 8.
  const drive = client === "autocannon" ? await autocannonDriver(url, connections) : rawDriver(url, connections, Number(client.split("-p")[1] ?? 1));
  await drive(WARM_UP_S);
  process.stdout.write("go\n");
  const cpu = process.cpuUsage();
  const result = await drive(seconds);
  const used = process.cpuUsage(cpu);
  process.stdout.write(JSON.stringify({ ...result, cpu_us: used.user + used.system }) + "\n");
  process.exit(0);
}

async function autocannonDriver(url, connections) {
  const { default: autocannon } = await import("autocannon");
  return async (seconds) => {
    const r = await autocannon({ url, method: "POST", body, headers: { "content-type": "application/json" }, connections, duration: seconds });
    return { requests: r.requests.total, seconds: r.duration, failed: r.errors + r.timeouts + (r.non2xx ?? 0) };
  };
}

/**
 * A minimal keep-alive HTTP/1.1 client: `connections` sockets, each with `depth` requests in
 * flight (1: send the next one when the previous answer is whole; more: HTTP/1.1 pipelining, the
 * requests answered in one read sent again in one write).
 */
function rawDriver(url, connections, depth) {
  const { hostname, port, pathname } = new URL(url);
  const request = Buffer.from(`POST ${pathname} HTTP/1.1\r\nhost: ${hostname}:${port}\r\ncontent-type: application/json\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  const times = Array.from({ length: depth + 1 }, (_, k) => Buffer.concat(Array(k).fill(request)));
  return (seconds) => new Promise((resolve) => {
    let requests = 0, failed = 0, stopping = false, open = connections;
    const started = process.hrtime.bigint();
    for (let i = 0; i < connections; i++) {
      const socket = connect(Number(port), hostname);
      socket.setNoDelay(true);
      let buffered = Buffer.alloc(0), inFlight = depth;
      socket.on("connect", () => socket.write(times[depth]));
      socket.on("data", (chunk) => {
        buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
        let answered = 0;
        for (;;) {
          const end = buffered.indexOf("\r\n\r\n");
          if (end < 0) break;
          const at = buffered.indexOf("content-length: ");
          const length = Number(buffered.toString("latin1", at + 16, buffered.indexOf("\r\n", at)));
          if (buffered.length < end + 4 + length) break;
          if (buffered.toString("latin1", 9, 12) !== "200") failed++;
          answered++;
          buffered = buffered.subarray(end + 4 + length);
        }
        requests += answered;
        inFlight -= answered;
        if (!stopping) {
          socket.write(times[answered]);
          inFlight += answered;
        } else if (inFlight === 0) socket.end();
      });
      socket.on("close", () => {
        if (--open === 0) resolve({ requests, seconds: Number(process.hrtime.bigint() - started) / 1e9, failed });
      });
      socket.on("error", () => failed++);
    }
    setTimeout(() => { stopping = true; }, seconds * 1000);
  });
}

if (process.argv[2] === "--load") await load(process.argv[3], process.argv[4], Number(process.argv[5]), Number(process.argv[6]));
else await main();
