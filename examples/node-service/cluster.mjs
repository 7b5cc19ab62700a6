// The service on every core: a primary process that holds the policy and WORKERS processes that
// serve the port (Node's `cluster`: the primary accepts connections and hands them to the workers
// in turn). server.mjs starts this when WORKERS > 1.
//
// Between the primary and a worker, over the cluster's channel:
//   worker → {type: "hello"}                          once, when it is ready to take a policy
//   primary → {type: "policy", seq, text}             the policy to serve: the first one, or a reload
//   worker → {type: "applied", seq, fingerprint}      swapped in (or, the first time, listening soon)
//   worker → {type: "refused", seq, why}              could not load a text the primary accepted
//   primary → {type: "drain"}                         stop: answer what is in flight, then exit
// The primary checks a new policy once, before any worker sees it, so a bad policy is refused by
// all and a good one reaches all; each worker swaps its engine in one assignment.

import cluster from "node:cluster";
import { readFileSync } from "node:fs";
import { PolicyEngine, PolicyError } from "aftersales";
import { createService } from "./server.mjs";

/** A worker that has not confirmed a reload within this time is replaced. */
const ROLLOUT_MS = 10_000;

const describe = (e) => (e instanceof PolicyError ? `${e.code} at ${e.path || "(document)"}: ${e.message}` : String(e?.message ?? e));

/** Reads and checks the policy file: `{text, fingerprint}`, or throws. */
function readPolicy(path) {
  const text = readFileSync(path, "utf8");
  const engine = new PolicyEngine(text);
  const fingerprint = engine.fingerprint;
  engine.free(); // the primary serves nothing: it only checks
  return { text, fingerprint };
}

const send = (worker, message) => {
  try {
    if (worker.isConnected()) worker.send(message);
  } catch {
    // the worker is on its way out; its exit is handled below
  }
};

/** The primary: forks `workers` processes, reloads them together on SIGHUP, drains them on SIGTERM/SIGINT. */
export function runPrimary({ policyPath, host, workers: count, drainMs }) {
  const log = (line) => console.error(line);
  let policy;
  try {
    policy = { ...readPolicy(policyPath), seq: 0 };
  } catch (e) {
    log(`policy refused, not starting: ${describe(e)}`);
    process.exit(1);
  }
  const live = new Map(); // id → worker, from fork to exit
  let started = false; // all the first workers have listened
  let stopping = null; // the signal that began the drain
  let failed = false; // a worker was cut while draining, or did not drain in time
  let rollout = null; // {seq, from, pending: ids, at, timer}

  function fork() {
    if (stopping) return;
    const worker = cluster.fork();
    worker.bornAt = Date.now();
    live.set(worker.id, worker);
    worker.on("message", (m) => onMessage(worker, m));
  }

  function onMessage(worker, m) {
    if (m?.type === "hello") send(worker, { type: "policy", seq: policy.seq, text: policy.text });
    else if (m?.type === "applied") {
      worker.fingerprint = m.fingerprint;
      if (m.fingerprint !== policy.fingerprint && m.seq === policy.seq) log(`worker ${worker.id} serves ${m.fingerprint}, not ${policy.fingerprint}`);
      confirmed(worker.id, m.seq);
    } else if (m?.type === "refused") {
      log(`worker ${worker.id} could not load policy ${policy.fingerprint} (${m.why}); replacing it`);
      send(worker, { type: "drain" }); // its replacement starts with the current policy
      confirmed(worker.id, m.seq);
    }
  }

  function confirmed(id, seq) {
    if (!rollout || seq !== rollout.seq) return;
    rollout.pending.delete(id);
    if (rollout.pending.size > 0) return;
    clearTimeout(rollout.timer);
    const fingerprints = new Set([...live.values()].filter((w) => w.fingerprint).map((w) => w.fingerprint)); // not the ones still starting
    const agree = fingerprints.size === 1 && fingerprints.has(policy.fingerprint);
    log(agree
      ? `policy reloaded: ${rollout.from} -> ${policy.fingerprint} on all ${live.size} workers (${Date.now() - rollout.at} ms)`
      : `policy reload ended with workers on ${[...fingerprints].join(", ")}`);
    rollout = null;
  }

  process.on("SIGHUP", () => {
    if (stopping) return;
    let next;
    try {
      next = readPolicy(policyPath);
    } catch (e) {
      log(`policy reload refused, still serving ${policy.fingerprint} on all ${live.size} workers: ${describe(e)}`);
      return;
    }
    const from = policy.fingerprint;
    policy = { ...next, seq: policy.seq + 1 };
    if (rollout) clearTimeout(rollout.timer);
    rollout = { seq: policy.seq, from, pending: new Set(live.keys()), at: Date.now() };
    rollout.timer = setTimeout(() => {
      log(`workers ${[...rollout.pending].join(", ")} did not confirm policy ${policy.fingerprint} in ${ROLLOUT_MS} ms; replacing them`);
      for (const id of rollout.pending) if (live.has(id)) live.get(id).process.kill("SIGKILL");
    }, ROLLOUT_MS);
    for (const worker of live.values()) send(worker, { type: "policy", seq: policy.seq, text: policy.text });
  });

  cluster.on("listening", (worker, address) => {
    if (started) return log(`worker ${worker.id} (pid ${worker.process.pid}) serving policy ${worker.fingerprint}`);
    if ([...live.values()].filter((w) => w.state === "listening").length < count) return;
    started = true;
    log(`aftersales service on http://${host}:${address.port}/ (policy ${policy.fingerprint}, ${count} workers)`);
  });

  cluster.on("exit", (worker, code, signal) => {
    live.delete(worker.id);
    if (rollout) confirmed(worker.id, rollout.seq);
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (stopping) {
      if (code !== 0) failed = true;
      if (live.size === 0) finish();
      return;
    }
    if (!started) {
      log(`worker ${worker.id} exited (${how}) before the service started; stopping`);
      for (const w of live.values()) w.process.kill("SIGKILL");
      process.exit(1);
    }
    const young = Date.now() - worker.bornAt < 1000; // a worker dying at birth is not restarted in a tight loop
    log(`worker ${worker.id} (pid ${worker.process.pid}) exited (${how}); starting a replacement${young ? " in 1 s" : ""}`);
    setTimeout(fork, young ? 1000 : 0);
  });

  function finish() {
    log(failed ? "exiting with connections cut" : "every worker drained; exiting");
    process.exit(failed ? 1 : 0);
  }

  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = signal;
      log(`${signal}: draining ${live.size} workers`);
      if (live.size === 0) finish();
      for (const worker of live.values()) send(worker, { type: "drain" });
      // Each worker cuts its own connections at DRAIN_MS; this is for a worker that is stuck.
      setTimeout(() => {
        log(`workers still running ${drainMs + 2000} ms after ${signal}; killing them`);
        failed = true;
        for (const worker of live.values()) worker.process.kill("SIGKILL");
      }, drainMs + 2000).unref();
    });
  }

  for (let i = 0; i < count; i++) fork();
}

/** A worker: takes its policy from the primary, serves the shared port, drains when told. */
export function runWorker({ policyPath, port, host, requestTimeoutMs, drainMs }) {
  const id = cluster.worker.id;
  const log = (line) => console.error(`[worker ${id}] ${line}`);
  let service = null;
  let draining = false;

  function onPolicy({ seq, text }) {
    if (draining) return;
    if (service === null) {
      try {
        service = createService({ policyPath, policyText: text, requestTimeoutMs, log, worker: id });
      } catch (e) {
        log(`policy refused, not starting: ${describe(e)}`);
        process.exit(1);
      }
      service.server.on("error", (e) => {
        log(`cannot listen on ${host}:${port}: ${e.message}`);
        process.exit(1);
      });
      service.server.listen(port, host);
    } else if (!service.reload(text)) {
      process.send({ type: "refused", seq, why: "see the worker's log" });
      return;
    }
    process.send({ type: "applied", seq, fingerprint: service.engine.fingerprint });
  }

  async function drain(why) {
    if (draining) return;
    draining = true;
    if (service === null) process.exit(0);
    log(`${why}: draining`);
    const clean = await service.shutdown(drainMs);
    log(clean ? "drained; exiting" : "exiting with connections cut");
    process.exit(clean ? 0 : 1);
  }

  process.on("message", (m) => {
    if (m?.type === "policy") onPolicy(m);
    else if (m?.type === "drain") drain("the primary");
  });
  // A terminal's Ctrl-C or hang-up reaches the whole process group, workers included.
  for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => drain(signal));
  process.on("SIGHUP", () => log(`SIGHUP reloads through the primary (pid ${process.ppid}); ignored here`));
  process.send({ type: "hello" });
}
