#!/usr/bin/env python3
"""Semaphore throughput, alternated on one server, medians: zkdemo's kazoo-format semaphore
(the baseline), zkdemo's Curator-format semaphore, and Curator's own InterProcessSemaphoreV2
(the Java peer of tests/peers, compiled by the tests into CLASSES). Each round: 3 clients,
2 leases, 100 acquisitions each with no hold and no pause; acquisitions per second from the
first `acquired` to the last `released` (JVM start left out).

    python3 tests/measure/semaphores.py ZK ZKDEMO CLASSES_DIR [ROUNDS]
"""
import datetime, json, statistics, subprocess, sys, uuid

ZK, ZKDEMO, CLASSES = sys.argv[1], sys.argv[2], sys.argv[3]
ROUNDS = int(sys.argv[4]) if len(sys.argv) > 4 else 5
N, CLIENTS, LEASES = 100, 3, 2
JARS = ["curator-recipes", "curator-framework", "curator-client", "zookeeper",
        "zookeeper-jute", "guava", "slf4j-api", "slf4j-nop"]
CP = ":".join([CLASSES] + [f"/usr/share/java/{j}.jar" for j in JARS])


def ts(s):
    return datetime.datetime.strptime(s.replace("Z", "")[:26], "%Y-%m-%dT%H:%M:%S.%f").timestamp()


def rate(cmds):
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
             for c in cmds]
    starts, ends, most, events = [], [], 0, []
    for p in procs:
        for line in p.communicate()[0].splitlines():
            try:
                e = json.loads(line)
            except ValueError:
                continue
            if e.get("event") in ("acquired", "released"):
                events.append((ts(e["ts"]), e["event"] == "acquired"))
    events.sort(key=lambda x: (x[0], x[1]))
    now = 0
    for _, up in events:
        now += 1 if up else -1
        most = max(most, now)
    acq = [t for t, up in events if up]
    rel = [t for t, up in events if not up]
    return len(acq) / (max(rel) - min(acq)), len(acq), most


def zkdemo(fmt):
    path = "/sem-" + uuid.uuid4().hex[:12]
    return [[ZKDEMO, "--zk", ZK, "--json", "lock", "--path", path, "--id", f"z{i}", "--format",
             fmt, "--max-leases", str(LEASES), "--hold", "0s", "--pause", "0s", "--count", str(N)]
            for i in range(CLIENTS)]


def curator():
    path = "/sem-" + uuid.uuid4().hex[:12]
    return [["java", "-cp", CP, "CuratorPeer", ZK, "semaphore", path, f"c{i}", "--max-leases",
             str(LEASES), "--rounds", str(N), "--hold-ms", "0", "--pause-ms", "0"]
            for i in range(CLIENTS)]


rows = {"zkdemo, kazoo format (baseline)": (lambda: zkdemo("kazoo")),
        "zkdemo, --format curator": (lambda: zkdemo("curator")),
        "Curator InterProcessSemaphoreV2 (Java)": curator}
runs = {k: [] for k in rows}
for r in range(ROUNDS):
    for name, cmds in rows.items():
        per_s, n, most = rate(cmds())
        assert n == CLIENTS * N and most <= LEASES, (name, n, most)
        runs[name].append(per_s)
base = statistics.median(runs["zkdemo, kazoo format (baseline)"])
for name, v in runs.items():
    m = statistics.median(v)
    print(f"| {name} | {m:.0f}/s | {m / base:.2f} | {', '.join(f'{x:.0f}' for x in v)} |")
