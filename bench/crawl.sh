#!/usr/bin/env bash
# Issue 4's crawl figure: crawl `trawl site` (PAGES products under category pages of 100, from its
# front page) with dedupe, run as a user runs it (bin/trawl run); the site counts what it served, so "each page fetched
# once" is checked on the server. Usage: bench/crawl.sh [PAGES]      (make bench-crawl)
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES=${1:-100000}
PORT=${PORT:-18090}
JAR=target/trawl.jar
WORK=$(mktemp -d /tmp/trawl-crawl.XXXXXX)

java -jar "$JAR" site --port "$PORT" --products "$PAGES" --page-bytes 2000 2> "$WORK/site.log" &
SITE=$!
trap 'kill $SITE 2>/dev/null || true' EXIT
until grep -q "products at" "$WORK/site.log" 2>/dev/null; do sleep 0.2; done

echo '{"politeness":{"perHost":100000,"adaptive":false},"fetch":{"blockPrivateNetworks":false},"retry":{"attempts":1}}' > "$WORK/conf.json"
cat > "$WORK/crawl.json" <<JSON
{"name": "crawl", "requests": ["http://127.0.0.1:$PORT/"],
 "follow": {"maxDepth": 1000, "maxPages": 10000000},
 "limits": {"concurrency": 64},
 "parse": {"fields": {"title": "h1", "price": ".price"}}}
JSON
TRAWL_JAVA_OPTS="${TRAWL_JAVA_OPTS:-} -Xlog:gc:file=$WORK/gc.log" /usr/bin/time -f "%e %M" -o "$WORK/time" bin/trawl \
  run "$WORK/crawl.json" --out "$WORK/out" -conf "$WORK/conf.json" 2> "$WORK/run.log" > /dev/null
curl -s "http://127.0.0.1:$PORT/__stats" > "$WORK/stats.json"
python3 - "$WORK" "$PAGES" <<'PY'
import glob, json, re, sys
work, pages = sys.argv[1], int(sys.argv[2])
wall, rss = open(f"{work}/time").read().split()
stats = json.load(open(f"{work}/stats.json"))
summary = json.load(open(glob.glob(f"{work}/out/crawl/*.summary.json")[0]))
def mb(v, u): return float(v) * {"K": 1 / 1024, "M": 1, "G": 1024}[u]
before, after = [], []
for line in open(f"{work}/gc.log"):
    m = re.search(r"(\d+)([KMG])->(\d+)([KMG])\(", line)
    if m: before.append(mb(m[1], m[2])); after.append(mb(m[3], m[4]))
site_pages = 1 + -(-pages // 100) + pages
print(f"| site pages (front + categories + products) | {site_pages:,} |")
print(f"| results | {summary['done']:,} ({summary['ok']:,} ok, state {summary['state']}) |")
print(f"| requests the site served / distinct paths / repeated | {stats['requests']:,} / {stats['distinctPaths']:,} / {stats['repeated']} |")
print(f"| wall (whole CLI run, JVM start included) | {float(wall):.1f} s ({summary['done'] / float(wall):,.0f} pages/s) |")
print(f"| peak heap in use / peak after GC (live) | {max(before):.0f} MB / {max(after):.0f} MB |")
print(f"| peak RSS | {int(rss) / 1024:.0f} MB |")
print(f"| live heap per million URLs seen (peak after GC / URLs) | {max(after) / (summary['done'] / 1e6):.0f} MB |")
PY
echo "(command: $(bin/trawl --print run "$WORK/crawl.json" --out "$WORK/out" -conf "$WORK/conf.json"); work files in $WORK)"
