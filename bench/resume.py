#!/usr/bin/env python3
"""Issue 14's resume figures: a job killed half-way (kill -9) and started again on its directory.

  file   a 1,000,000-line requestsFile of `trawl site` product pages (C=64)
  crawl  a crawl of a `trawl site` shop of --products products from its front page (make bench-crawl shape)

For each: starts the site and a Trawl service (its own sink.dir), submits the job, kills the
service once half the job is done, starts it again and reports: how long the restart took to its
ready line, how long from the ready line to the first new result line, and, once the job has ended,
lines in the file, distinct indexes, seq 0..N-1, refetched, and (for the crawl) what the site saw
asked more than once. Usage: bench/resume.py [file|crawl|all] [--lines 1000000] [--products 100000]
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

SITE_PORT = 18095
API_PORT = 18096


def api(path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{API_PORT}{path}", data=data,
                                 headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


def service(work, java_opts):
    conf = {"http": {"port": API_PORT, "host": "127.0.0.1"}, "sink": {"dir": f"{work}/data"},
            "politeness": {"perHost": 100000, "adaptive": False}, "fetch": {"blockPrivateNetworks": False, "robots": "ignore"}, "retry": {"attempts": 1},
            "jobs": {"requestsFileDir": work}}
    started = time.time()
    proc = bench.start(["java"] + java_opts.split() + ["-jar", bench.JAR, "-conf", json.dumps(conf)],
                       "trawl: ready", f"{work}/service-{int(started)}.log")
    return proc, time.time() - started


def lines_of(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def run(kind, work, args):
    os.makedirs(work, exist_ok=True)
    if kind == "file":
        path = f"{work}/urls.txt"
        with open(path, "w") as f:
            for i in range(args.lines):
                f.write(f"http://127.0.0.1:{SITE_PORT}/p/{i % args.products}?n={i}\n")
        job = {"name": "file", "requestsFile": path, "limits": {"concurrency": 64}}
        total = args.lines
    else:
        job = {"name": "crawl", "requests": [f"http://127.0.0.1:{SITE_PORT}/"],
               "follow": {"maxDepth": 1000, "maxPages": 10000000}, "limits": {"concurrency": 64},
               "parse": {"fields": {"title": "h1", "price": ".price"}}}
        total = 1 + -(-args.products // 100) + args.products
    proc, _ = service(work, args.java_opts)
    jid = api("/jobs", job)["id"]
    while api(f"/jobs/{jid}")["done"] < total // 2:
        time.sleep(0.2)
    proc.kill()
    proc.wait()
    output = glob.glob(f"{work}/data/{job['name']}/{jid}.jsonl")[0]
    before = lines_of(output)
    proc, restart_s = service(work, args.java_opts)
    ready_at = time.time()
    while lines_of(output) <= before:
        time.sleep(0.05)
    first_new_s = time.time() - ready_at
    while api(f"/jobs/{jid}").get("endedAt") is None:
        time.sleep(0.5)
    summary = api(f"/jobs/{jid}")
    bench.stop([proc])
    results = [json.loads(l) for l in open(output)]
    indexes = {r["index"] for r in results}
    seqs = sorted(r["seq"] for r in results)
    left = sorted(os.path.basename(p) for p in glob.glob(f"{work}/data/{job['name']}/*"))
    print(f"| {kind} | {total:,} requests, killed at {before:,} lines | restart to ready {restart_s:.1f} s"
          f" | ready to first new line {first_new_s:.1f} s | lines {len(results):,}, distinct indexes {len(indexes):,},"
          f" seq 0..N-1 {seqs == list(range(len(results)))} | refetched {summary['refetched']}, resumed {summary['resumed']},"
          f" state {summary['state']} | files left: {', '.join(f.split('.', 1)[1] for f in left)} |")
    return summary


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("which", nargs="?", default="all")
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--products", type=int, default=100_000)
    ap.add_argument("--java-opts", default="-XX:+UseSerialGC -Xmx256m -XX:+ExitOnOutOfMemoryError")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="trawl-resume.")
    site = bench.start(["java", "-jar", bench.JAR, "site", "--port", str(SITE_PORT), "--products", str(args.products),
                        "--page-bytes", "2000"], "products at", f"{work}/site.log")
    try:
        for kind in (["file", "crawl"] if args.which == "all" else [args.which]):
            run(kind, f"{work}/{kind}", args)
            if kind == "crawl":
                stats = json.load(urllib.request.urlopen(f"http://127.0.0.1:{SITE_PORT}/__stats"))
                note = " (the file job before it asked each product many times)" if args.which == "all" else ""
                print(f"| crawl: site served {stats['requests']:,} requests, {stats['distinctPaths']:,} distinct paths,"
                      f" {stats['repeated']} asked more than once{note} |")
    finally:
        bench.stop([site])
    print(f"(work files in {work})")


if __name__ == "__main__":
    main()
