#!/usr/bin/env python3
"""Issue #16 measurements: handoff and throughput of zkdemo's formats (before/after, kazoo vs
curator), zkdemo's semaphore vs kazoo's Semaphore, and a one-shot `lock -n` before/after.
Alternated rounds on one server; medians."""
import json, subprocess, sys, time, statistics, datetime, uuid, os
ZK = sys.argv[1]
BEFORE, AFTER = sys.argv[2], sys.argv[3]
ROUNDS = int(sys.argv[4]) if len(sys.argv) > 4 else 5
N = 100

def ts(s):
    return datetime.datetime.strptime(s.replace("Z", ""), "%Y-%m-%dT%H:%M:%S.%f").timestamp()

def run_workers(cmds):
    t0 = time.time()
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) for c in cmds]
    outs = [p.communicate()[0] for p in procs]
    wall = time.time() - t0
    holds = []
    for i, out in enumerate(outs):
        start = None
        for line in out.splitlines():
            try:
                e = json.loads(line)
            except ValueError:
                continue
            if e.get("event") == "acquired":
                start = ts(e["ts"])
            elif e.get("event") == "released" and start is not None:
                holds.append((start, ts(e["ts"]), i))
                start = None
    holds.sort()
    gaps = [b[0] - a[1] for a, b in zip(holds, holds[1:]) if a[2] != b[2]]
    overl = sum(1 for a, b in zip(holds, holds[1:]) if b[0] < a[1])
    span = holds[-1][1] - holds[0][0]
    return statistics.median(gaps) * 1000 if gaps else float("nan"), len(holds) / span, overl, len(holds)

def zk_workers(binary, extra, n=3):
    path = "/m-" + uuid.uuid4().hex[:12]
    return [[binary, "--zk", ZK, "--json", "lock", "--path", path, "--id", f"w{i}",
             "--hold", "0s", "--pause", "0s", "--count", str(N)] + extra for i in range(n)]

KAZOO_SEM = r'''
import sys, time, json, datetime
from kazoo.client import KazooClient
zk = KazooClient(hosts=sys.argv[1]); zk.start()
sem = zk.Semaphore(sys.argv[2], sys.argv[3], max_leases=2)
def ts(): return datetime.datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%S.%fZ')
for _ in range(int(sys.argv[4])):
    with sem:
        print(json.dumps({"event": "acquired", "ts": ts()}), flush=True)
        print(json.dumps({"event": "released", "ts": ts()}), flush=True)
zk.stop()
'''
def kazoo_sem(n=3):
    path = "/m-" + uuid.uuid4().hex[:12]
    return [[sys.executable, "-c", KAZOO_SEM, ZK, path, f"k{i}", str(N)] for i in range(n)]

def oneshot(binary):
    path = "/m-" + uuid.uuid4().hex[:12]
    t = []
    for _ in range(10):
        t0 = time.perf_counter()
        subprocess.run([binary, "--zk", ZK, "lock", "-n", "--path", path, "--", "true"], check=True)
        t.append((time.perf_counter() - t0) * 1000)
    return statistics.median(t)

res = {}
def rec(k, v):
    res.setdefault(k, []).append(v)

for r in range(ROUNDS):
    for name, cmds in [("before kazoo", zk_workers(BEFORE, [])),
                       ("after kazoo", zk_workers(AFTER, [])),
                       ("after curator", zk_workers(AFTER, ["--format", "curator"])),
                       ("after kazoo --shared (all readers)", zk_workers(AFTER, ["--shared"])),
                       ("after --max-leases 2", zk_workers(AFTER, ["--max-leases", "2"])),
                       ("kazoo Semaphore(2)", kazoo_sem())]:
        p50, rate, overl, n = run_workers(cmds)
        rec(name + " handoff p50 ms", p50)
        rec(name + " acquisitions/s", rate)
        if "Semaphore" not in name and "leases" not in name and "shared" not in name:
            assert overl == 0, (name, overl)
    rec("before lock -n cold ms", oneshot(BEFORE))
    rec("after lock -n cold ms", oneshot(AFTER))
    print(f"round {r+1} done", file=sys.stderr)

for k, v in res.items():
    print(f"{k:48s} median {statistics.median(v):8.2f}   runs {', '.join(f'{x:.2f}' for x in v)}")
