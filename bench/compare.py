#!/usr/bin/env python3
"""Two builds of Trawl side by side in one run: W1 and W4 of make bench, alternated job by job.

Starts one `trawl site` (from the new jar), then two services, one per jar, each warmed like
make bench does; then runs W1 and W4 on each in turn (old, new, old, new, ...) --repeat times
and reports the median pages/s of each and the ratio new / old. Alternating spreads the noise of
a shared machine over both builds alike.

Usage: bench/compare.py OLD_JAR [--new-jar target/trawl.jar] [--products 20000] [--repeat 5]
       [--max-warmups 10] [--java-opts "..."]
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (start, stop, warm_up, rate_of, measure)


def service(jar, java_opts, port, work, label):
    conf = {"http": {"port": port, "host": "127.0.0.1"}, "sink": {"dir": f"{work}/data-{label}"},
            "fetch": {"blockPrivateNetworks": False, "robots": "ignore", "perHostPool": 512},
            "retry": {"attempts": 1}}
    if "dev/trawl/config/PolitenessSettings.class" in zipfile.ZipFile(jar).namelist():
        conf["politeness"] = {"perHost": 100000, "adaptive": False}  # one host, as in an older build
    return bench.start(["java"] + java_opts.split() + ["-jar", jar, "-conf", json.dumps(conf)],
                       "trawl: ready", f"{work}/service-{label}.log")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old_jar")
    ap.add_argument("--new-jar", default=bench.JAR)
    ap.add_argument("--products", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--max-warmups", type=int, default=10)
    ap.add_argument("--java-opts", default="-XX:+UseSerialGC -Xmx256m -XX:+ExitOnOutOfMemoryError")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="trawl-compare.")
    site_port, ports = 18195, {"old": 18197, "new": 18198}
    jars = {"old": os.path.realpath(args.old_jar), "new": os.path.realpath(args.new_jar)}
    n = args.products
    procs = []
    try:
        procs.append(bench.start(["java", "-jar", jars["new"], "site", "--port", str(site_port), "--products", str(n)],
                                 "products at", f"{work}/site.log"))
        pids = {}
        for label in ("old", "new"):
            proc = service(jars[label], args.java_opts, ports[label], work, label)
            procs.append(proc)
            pids[label] = proc.pid
        pages = [f"http://127.0.0.1:{site_port}/p/{i + 1}" for i in range(n)]
        fields = {"fields": {"title": "h1", "price": ".price"}}
        jobs = {"W1": {"name": "W1", "requests": pages, "parse": fields, "limits": {"concurrency": 64}},
                "W4": {"name": "W4", "requests": [f"http://127.0.0.1:{site_port}/"], "parse": fields,
                       "limits": {"concurrency": 64}, "follow": {"maxDepth": 10, "maxPages": 10 * n}}}
        for label in ("old", "new"):
            print(f"warm-up of the {label} build ...", file=sys.stderr)
            bench.warm_up(ports[label], f"W1-{label}", jobs["W1"], args.max_warmups)
        rates = {(w, label): [] for w in jobs for label in ports}
        for i in range(args.repeat):
            for w, job in jobs.items():
                for label in (("old", "new") if i % 2 == 0 else ("new", "old")):
                    summary, _, _ = bench.measure(pids[label], ports[label], job)
                    rates[(w, label)].append(bench.rate_of(summary))
                    print(f"  {w} {label} run {i + 1}: {rates[(w, label)][-1]:,.0f} pages/s ({summary['ok']:,} ok)",
                          file=sys.stderr)
        print(f"\nbench/compare.py — old {jars['old']}\n  vs new {jars['new']}; {args.java_opts}; "
              f"trawl site ({n:,} products); {args.repeat} runs each, alternated\n")
        print("| workload | old pages/s (median) | new pages/s (median) | new / old | old runs | new runs |")
        print("|---|---:|---:|---:|---|---|")
        for w in jobs:
            old, new = statistics.median(rates[(w, "old")]), statistics.median(rates[(w, "new")])
            runs = {label: " / ".join(f"{r:,.0f}" for r in rates[(w, label)]) for label in ports}
            print(f"| {w} | {old:,.0f} | {new:,.0f} | {new / old:.2f} | {runs['old']} | {runs['new']} |")
    finally:
        bench.stop(procs)


if __name__ == "__main__":
    main()
