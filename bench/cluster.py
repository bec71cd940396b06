#!/usr/bin/env python3
"""Trawl clusters on loopback, with nothing but the JDK, the jar and Python's standard library.

  bench/cluster.py demo    (make cluster-demo)  three nodes, one job across them, who fetched what
  bench/cluster.py bench   (make bench-cluster) the cluster issue's figures:
     1. a latency-bound job (site latency 100 ms, fetch.maxInFlight per node) on 1, 2, 3 nodes;
     2. the cost of clustering on a CPU-bound job: one node unclustered vs one node clustered,
        same job and concurrency, each run after a warm-up job on the same node.

The target is `trawl site` on the same machine (it shares the cores). Nodes use the shipped
conf/cluster.xml under a cluster name of their own, ports 18181+, results under a temp dir.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "target", "trawl.jar")
JAVA = ["java", "-XX:+UseSerialGC", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError"]
SITE_PORT = int(os.environ.get("SITE_PORT", "18300"))  # and the next HOSTS - 1 ports
API_BASE = 18181


def http(method, url, body=None, timeout=600):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read() or b"null")


def wait_for(predicate, what, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"cluster: gave up waiting for {what}")


class Cluster:
    def __init__(self, work, max_in_flight=1024, politeness=None):
        self.work = work
        self.max_in_flight = max_in_flight
        # One loopback host takes everything by default; the many-host benchmark keeps the defaults.
        self.politeness = politeness if politeness is not None else {"perHost": 100000, "adaptive": False}
        self.procs = []
        self.xml = os.path.join(work, "cluster.xml")
        with open(os.path.join(ROOT, "conf", "cluster.xml")) as src, open(self.xml, "w") as dst:
            dst.write(src.read().replace("<cluster-name>trawl</cluster-name>",
                                         f"<cluster-name>trawl-{uuid.uuid4()}</cluster-name>"))

    def start(self, count, clustered=True):
        for i in range(count):
            name = f"n{i + 1}"
            conf = {"node": {"id": name}, "http": {"host": "127.0.0.1", "port": API_BASE + i},
                    "politeness": self.politeness, "fetch": {"blockPrivateNetworks": False, "maxInFlight": self.max_in_flight},
                    "retry": {"attempts": 1}, "sink": {"dir": os.path.join(self.work, "data-" + name)}}
            cmd = JAVA + [f"-Dvertx.hazelcast.config={self.xml}", "-jar", JAR] + \
                (["-cluster"] if clustered else []) + ["-conf", json.dumps(conf)]
            log = open(os.path.join(self.work, name + ".log"), "w")
            self.procs.append(subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT))
            # The first node forms the cluster; the others join it (in parallel joins may split).
            wait_for(lambda: http("GET", self.api(i) + "/health")["status"] == "UP", name + " to be up")
        wait_for(lambda: len(http("GET", self.api(0) + "/health")["nodes"]) == count, f"{count} nodes to meet")

    @staticmethod
    def api(i):
        return f"http://127.0.0.1:{API_BASE + i}"

    def stop(self):
        for p in self.procs:
            p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
        self.procs = []


def start_site(work, latency_ms, products, hosts=1):
    log = open(os.path.join(work, "site.log"), "w")
    site = subprocess.Popen(JAVA + ["-jar", JAR, "site", "--port", str(SITE_PORT), "--products", str(products),
                                    "--latency-ms", str(latency_ms), "--hosts", str(hosts)],
                            stdout=log, stderr=subprocess.STDOUT)
    wait_for(lambda: urllib.request.urlopen(f"http://127.0.0.1:{SITE_PORT}/__stats", timeout=2), "the site")
    return site


def pages(n, products, hosts=1):
    """n product pages, spread round-robin over `hosts` hosts (the site's ports from SITE_PORT)."""
    return [f"http://127.0.0.1:{SITE_PORT + i % hosts}/p/{i % products + 1}" for i in range(n)]


def job(name, urls, concurrency):
    return {"name": name, "requests": urls, "limits": {"concurrency": concurrency},
            "parse": {"fields": {"title": "h1", "price": ".price"}}}


def read_results(summary):
    with open(summary["output"]) as f:
        return [json.loads(line) for line in f]


def demo(work):
    site = start_site(work, 20, 1000)
    cluster = Cluster(work)
    try:
        print("cluster: starting three nodes on loopback (the first one forms the cluster) ...")
        cluster.start(3)
        print("cluster: nodes", http("GET", cluster.api(0) + "/health")["nodes"])
        summary = http("POST", cluster.api(0) + "/jobs?wait=true", job("demo", pages(90, 1000), 30))
        results = read_results(summary)
        print(f"cluster: job {summary['id']} coordinated by {summary['coordinator']}: {summary['state']}, "
              f"{summary['ok']} ok of {summary['total']} in {summary['elapsedMs']} ms")
        print("cluster: fetched per node:", dict(sorted(Counter(r["node"] for r in results).items())))
        for r in results[:6]:
            print(f"  {r['node']}  {r['url']}  {r['data']}")
        seen = http("GET", cluster.api(2) + "/jobs/" + summary["id"])
        print(f"cluster: node n3 answers for the job too: state {seen['state']}, {seen['ok']} ok")
    finally:
        cluster.stop()
        site.terminate()
    print("cluster: stopped (SIGTERM: each node drained first)")


def timed_job(cluster, name, urls, concurrency):
    summary = http("POST", cluster.api(0) + "/jobs?wait=true", job(name, urls, concurrency))
    assert summary["ok"] == len(urls), summary
    return summary


def bench(work):
    n_latency = int(os.environ.get("LATENCY_REQUESTS", "6000"))
    cap = int(os.environ.get("CAP", "32"))
    hosts = int(os.environ.get("HOSTS", "64"))
    print(f"## latency-bound: {n_latency} requests over {hosts} hosts, site latency 100 ms,"
          f" fetch.maxInFlight={cap} per node, politeness at its defaults (perHost 8, exact over the cluster)")
    print("| nodes | pages/s | ratio to 1 node | ratio to ideal | share per node |")
    print("|---|---|---|---|---|")
    site = start_site(work, 100, 20000, hosts)
    base = None
    try:
        for count in (1, 2, 3):
            cluster = Cluster(work, max_in_flight=cap, politeness={})
            cluster.start(count)
            timed_job(cluster, "warm", pages(2000, 20000, hosts), 4096)  # JIT-warm nodes, as a service is
            summary = timed_job(cluster, f"lat{count}", pages(n_latency, 20000, hosts), 4096)
            rate = summary["ok"] * 1000.0 / summary["elapsedMs"]
            base = base or rate
            share = Counter(r["node"] for r in read_results(summary))
            # A job holds at most the summed capacity less the eighth kept for other jobs.
            capacity = count * cap
            ideal = (capacity - max(1, capacity // 8)) / 0.1
            print(f"| {count} | {rate:,.0f} | {rate / base:.2f} | {rate / ideal:.2f} of {ideal:,.0f} |"
                  f" {dict(sorted(share.items()))} |")
            cluster.stop()
    finally:
        site.terminate()

    n_cpu = int(os.environ.get("CPU_REQUESTS", "20000"))
    print(f"\n## CPU-bound: {n_cpu} product pages, no latency, concurrency 64, one node")
    print("| node | pages/s | ratio to unclustered |")
    print("|---|---|---|")
    site = start_site(work, 0, 20000)
    try:
        plain = None
        for clustered in (False, True):
            cluster = Cluster(work)
            cluster.start(1, clustered=clustered)
            timed_job(cluster, "warm", pages(n_cpu // 2, 20000), 64)
            summary = timed_job(cluster, "cpu", pages(n_cpu, 20000), 64)
            rate = summary["ok"] * 1000.0 / summary["elapsedMs"]
            plain = plain or rate
            print(f"| {'clustered' if clustered else 'unclustered'} | {rate:,.0f} | {rate / plain:.2f} |")
            cluster.stop()
    finally:
        site.terminate()


def main():
    if not os.path.exists(JAR):
        sys.exit("cluster: build the jar first (make build)")
    mode = sys.argv[1] if len(sys.argv) > 1 else "demo"
    work = tempfile.mkdtemp(prefix="trawl-cluster.")
    try:
        {"demo": demo, "bench": bench}[mode](work)
    finally:
        if mode == "demo" or os.environ.get("KEEP") is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
