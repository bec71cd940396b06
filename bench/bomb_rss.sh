#!/usr/bin/env bash
# Resident memory of a node fetching a gzip bomb (issue 13): a ~1 MiB gzip body that inflates to
# 1 GiB of zeros, served by a Python server on loopback, fetched by a Trawl service run with
# -Xmx128m (the heap of `make run`). Prints the node's VmRSS before the job, its VmHWM (peak
# resident) and VmRSS after, and the result's kind (expected: too_large).
# Usage: bench/bomb_rss.sh [JAR] [BOMB_MIB]      (default target/trawl.jar, 1024)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=$(realpath "${1:-target/trawl.jar}")
MIB=${2:-1024}
WORK=$(mktemp -d /tmp/trawl-bomb.XXXXXX)
JAVA_OPTS=${JAVA_OPTS:--XX:+UseSerialGC -Xmx128m}

python3 - "$WORK" "$MIB" "$JAR" "$JAVA_OPTS" <<'PY'
import http.server, json, os, socket, subprocess, sys, threading, time, urllib.request, zlib
work, mib, jar, java_opts = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4].split()

z = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip wrapper, ~1,000:1
zeros = bytes(1 << 20)
bomb = b"".join(z.compress(zeros) for _ in range(mib)) + z.flush()

class Bomb(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(bomb)))
        self.end_headers()
        try:
            self.wfile.write(bomb)
        except OSError:
            pass  # the fetcher cut the exchange
    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Bomb)
threading.Thread(target=server.serve_forever, daemon=True).start()

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

api = free_port()
conf = {"http": {"host": "127.0.0.1", "port": api}, "sink": {"dir": work, "flushMs": 100},
        "politeness": {"perHost": 100000, "adaptive": False}, "fetch": {"blockPrivateNetworks": False, "robots": "ignore"}, "retry": {"attempts": 1}}
open(f"{work}/conf.json", "w").write(json.dumps(conf))
log = open(f"{work}/node.log", "w")
node = subprocess.Popen(["java", *java_opts, "-jar", jar, "-conf", f"{work}/conf.json"], stdout=log, stderr=log)

def status(field):
    for line in open(f"/proc/{node.pid}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) // 1024
try:
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{api}/health", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    before = status("VmRSS")
    job = {"name": "bomb", "requests": [f"http://127.0.0.1:{server.server_port}/bomb"]}
    req = urllib.request.Request(f"http://127.0.0.1:{api}/jobs?wait=true", json.dumps(job).encode(),
                                 {"Content-Type": "application/json"})
    summary = json.loads(urllib.request.urlopen(req, timeout=120).read())
    hwm, after = status("VmHWM"), status("VmRSS")
    result = json.loads(open(summary["output"]).readline())
    kind = (result.get("error") or {}).get("kind", "ok")
    print(f"bomb: {len(bomb) / 2**20:.2f} MiB gzip -> {mib} MiB; jar {jar}; {' '.join(java_opts)}")
    print(f"VmRSS before {before} MiB, VmHWM {hwm} MiB (growth {hwm - before} MiB), VmRSS after {after} MiB; result: {kind}")
finally:
    node.terminate()
    node.wait()
PY
