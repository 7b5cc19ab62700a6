#!/usr/bin/env python3
"""Instructions a call takes, natively, in two builds side by side: a count that does not move
with the machine's load (valgrind's callgrind), where timings on this shared machine move by 15 %.

    scripts/differential.sh OLD_REV 1000        # builds the two `answer` runners it compares
    python3 bench/instruction-counts.py target/differential/old/build/release/answer \\
        target/differential/new-*/build/release/answer

For each call (a return of the peers fixture, the refund and warranty acceptance requests, an SLA
case of the sla-cn policy, adding 2 business hours), it runs N = 1 and N = 2000 requests through
each runner and prints (count(N) - count(1)) / (N - 1): the instructions of one call, JSON text in
and out, without the policy's compilation. Needs valgrind and the peers fixture
(`node bench/peers/write-fixture.mjs target/peers-fixture.json`).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
N = 2000


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def vector(name):
    doc = json.loads(read(f"tests/vectors/{name}.json"))
    return read(f"tests/policies/{doc['policy']}.json"), json.dumps(doc["base"])


def calls():
    fixture = json.loads(read("target/peers-fixture.json"))
    sla = read("tests/policies/sla-cn.json")
    case = {"now": "2026-11-23T10:01:00+08:00", "type": "enquiry",
            "events": {"created_at": "2026-11-20T17:00:00+08:00", "registered_at": "2026-11-20T18:10:00+08:00"}}
    add = {"calendar": "support", "op": "add", "from": "2026-11-20T17:00:00+08:00", "duration": {"business_hours": 2}}
    policy = json.dumps(fixture["policy"])
    return {
        "check_return (peers)": [("check_return", policy, json.dumps(r)) for r in fixture["requests"][:N]],
        "quote_refund": [("quote_refund",) + vector("refunds-acceptance")] * N,
        "check_warranty": [("check_warranty",) + vector("warranty-acceptance")] * N,
        "sla_deadlines": [("sla_deadlines", sla, json.dumps(case))] * N,
        "calendar add 2h": [("calendar", sla, json.dumps(add))] * N,
    }


def corpus(lines, n, directory):
    path = os.path.join(directory, f"{n}.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for i, (call, policy, request) in enumerate(lines[:n]):
            line = {"call": call, "request": request}
            line.update({"policy": policy} if i == 0 else {"policy_of": 0})
            f.write(json.dumps(line) + "\n")
    return path


def count(runner, path):
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", runner, path],
                         capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", out.stderr).group(1))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    old, new = sys.argv[1:]
    print(f"{'instructions a call':24} {'old':>9} {'new':>9} {'change':>8}")
    for name, lines in calls().items():
        with tempfile.TemporaryDirectory() as d:
            one, many = corpus(lines, 1, d), corpus(lines, N, d)
            per = [(count(r, many) - count(r, one)) / (N - 1) for r in (old, new)]
        print(f"{name:24} {per[0]:9.0f} {per[1]:9.0f} {(per[1] / per[0] - 1) * 100:+7.1f}%")


main()
