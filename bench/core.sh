#!/usr/bin/env bash
# The core pipeline's figures (issue 2), all on loopback, with nothing but the JDK:
#   1. wall time of an N-request job (default 10,000 product pages of ~20 KB, h1 + .price),
#      with the fetch-only time of the same URLs (parse.as none) measured in the same run;
#   2. the heap and resident memory of a LINES-line requestsFile job (default 1,000,000), run as a
#      user runs it (bin/trawl run, its one-shot flags): peak heap in use and peak heap after GC
#      (the live set), from the JVM's own GC log, and peak RSS.
# The target is `trawl site` (a Vert.x server on the same machine, so it shares the cores).
# Usage: bench/core.sh [N] [LINES]      (make bench-core)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
LINES=${2:-1000000}
PORT=${PORT:-18080}
JAR=target/trawl.jar
TRAWL=bin/trawl
WORK=$(mktemp -d /tmp/trawl-bench.XXXXXX)
EXTRA_JAVA_OPTS=${TRAWL_JAVA_OPTS:-}

java -jar "$JAR" site --port "$PORT" --products "$N" 2> "$WORK/site.log" &
SITE=$!
trap 'kill $SITE 2>/dev/null || true' EXIT
until grep -q "products at" "$WORK/site.log" 2>/dev/null; do sleep 0.2; done

echo '{"politeness":{"perHost":100000,"adaptive":false},"fetch":{"blockPrivateNetworks":false},"retry":{"attempts":1}}' > "$WORK/conf.json"
python3 - "$WORK" "$N" "$LINES" "$PORT" <<'PY'
import json, sys
work, n, lines, port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
urls = [f"http://127.0.0.1:{port}/p/{i % n + 1}" for i in range(n)]
fields = {"fields": {"title": "h1", "price": ".price"}}
json.dump({"name": "pages", "requests": urls, "parse": fields}, open(f"{work}/pages.json", "w"))
json.dump({"name": "fetch-only", "requests": urls, "parse": {"as": "none"}}, open(f"{work}/fetch.json", "w"))
with open(f"{work}/urls.txt", "w") as f:
    for i in range(lines):
        f.write(f"http://127.0.0.1:{port}/api/products/{i % n + 1}.json\n")
json.dump({"name": "million", "requestsFile": f"{work}/urls.txt", "parse": {"json": {"name": "/name"}}},
          open(f"{work}/million.json", "w"))
PY

run() { # name job-file extra-jvm-flags...
  local name=$1 job=$2; shift 2
  TRAWL_JAVA_OPTS="$EXTRA_JAVA_OPTS $*" /usr/bin/time -f "%e %M" -o "$WORK/$name.time" \
    "$TRAWL" run "$job" --out "$WORK/out" -conf "$WORK/conf.json" 2> "$WORK/$name.log" >/dev/null
  read -r wall rss < "$WORK/$name.time"
  echo "$wall $((rss / 1024))"
}

echo "warm-up (JIT of the target server)..."
run warm "$WORK/fetch.json" > /dev/null
read -r fetch_wall fetch_rss <<< "$(run fetch "$WORK/fetch.json")"
read -r pages_wall pages_rss <<< "$(run pages "$WORK/pages.json")"
read -r big_wall big_rss <<< "$(run million "$WORK/million.json" "-Xlog:gc:file=$WORK/gc.log")"

python3 - "$WORK" "$N" "$LINES" "$fetch_wall" "$pages_wall" "$pages_rss" "$big_wall" "$big_rss" <<'PY'
import glob, json, re, sys
work, n, lines = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
fetch_wall, pages_wall, pages_rss, big_wall, big_rss = map(float, sys.argv[4:9])
def unit(v, u): return float(v) * {"K": 1 / 1024, "M": 1, "G": 1024}[u]
before, after = [], []
for line in open(f"{work}/gc.log"):
    m = re.search(r"(\d+)([KMG])->(\d+)([KMG])\((\d+)([KMG])\)", line)
    if m:
        before.append(unit(m[1], m[2])); after.append(unit(m[3], m[4]))
summary = lambda name: json.load(open(glob.glob(f"{work}/out/{name}/*.summary.json")[0]))
big = summary("million")
print()
print(f"| measure | value |")
print(f"|---|---|")
print(f"| {n:,} pages, fetch + parse h1/.price: wall | {pages_wall:.2f} s ({n / pages_wall:,.0f} pages/s), peak RSS {pages_rss:.0f} MB |")
print(f"| same URLs, fetch only (parse none): wall | {fetch_wall:.2f} s ({n / fetch_wall:,.0f} pages/s) |")
print(f"| parse cost, ratio of the two walls | {pages_wall / fetch_wall:.2f} |")
print(f"| {lines:,}-line requestsFile (bin/trawl run): results | {big['done']:,} ({big['ok']:,} ok, state {big['state']}) |")
print(f"| ... wall | {big_wall:.1f} s ({lines / big_wall:,.0f} requests/s) |")
print(f"| ... peak heap in use (before a GC) | {max(before):.0f} MB |")
print(f"| ... peak heap after GC (live set) | {max(after):.0f} MB (last GC: {after[-1]:.0f} MB, {len(after)} GCs) |")
print(f"| ... peak RSS | {big_rss:.0f} MB |")
PY
echo "(command: $("$TRAWL" --print run JOB.json --out "$WORK/out" -conf "$WORK/conf.json"); work files in $WORK)"
