#!/usr/bin/env bash
# Cached vector tiles under load: `onemap serve` on a loopback port, wrk at 64 connections for
# 10 s cycling over the farmland tiles of z10-z14 around the middle of the layer (a 5x5 block
# of tiles a zoom, the non-empty ones), each asked once before so that all are cached.
#
#   bench/serve_tiles.sh [PLAN] [LAYER]          # default: the bundled sample, farmland
#   CONNECTIONS=64 DURATION=10s THREADS=2 WRK_THREADS=2 TILE_GZIP=1 bench/serve_tiles.sh
#
# Prints tiles/s, p50/p99/max latency, the server's CPU time per tile and its resident set
# (loaded, and after the run), and
# writes them to bench/results/serve-tiles-<LAYER>[-gzip].json. Needs wrk (scripts/setup.sh) and a
# build (cmake --build build --target onemap). Targets (issue 35): >= 20,000 tiles/s, p99 <= 20 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
PLAN=${1:-sample-data/g60.toml}
LAYER=${2:-farmland}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
WRK_THREADS=${WRK_THREADS:-2}
export TILE_GZIP=${TILE_GZIP:-1}
ONEMAP=${ONEMAP:-build/cli/onemap}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
WORK=$(mktemp -d)
"$ONEMAP" serve "$PLAN" --listen "127.0.0.1:$PORT" --threads "$THREADS" >"$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$PORT/api/info" -o "$WORK/info.json" && break
  kill -0 $SERVER 2>/dev/null || { cat "$WORK/serve.log"; exit 1; }
  sleep 0.5
done
rss() { awk '/VmRSS/ {print int($2 * 1.024 / 1000)}' "/proc/$SERVER/status"; }  # MB (10^6 B)
RSS_LOADED=$(rss)
# The tiles: 5x5 a zoom around the middle of the layer's WGS84 extent, z10-z14.
python3 - "$WORK/info.json" "$LAYER" >"$WORK/candidates" <<'PY'
import json, math, sys
layer = next(l for l in json.load(open(sys.argv[1]))["layers"] if l["id"] == sys.argv[2])
w, s, e, n = layer["extent_wgs84"]
lon, lat = (w + e) / 2, (s + n) / 2
for z in range(10, 15):
    x = int((lon + 180) / 360 * 2**z)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * 2**z)
    for dx in range(-2, 3):
        for dy in range(-2, 3):
            print(f"/tiles/{sys.argv[2]}/{z}/{x + dx}/{y + dy}.mvt")
PY
# Asked once each (encoded and cached now); the empty ones (204) are left out of the run.
: >"$WORK/tiles"
BYTES=0
while read -r path; do
  read -r code size < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' \
    -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT$path")
  if [ "$code" = 200 ]; then echo "$path" >>"$WORK/tiles"; BYTES=$((BYTES + size)); fi
done <"$WORK/candidates"
N=$(wc -l <"$WORK/tiles")
[ "$N" -gt 0 ] || { echo "no tile with content around the middle of $LAYER"; exit 1; }
echo "serve_tiles: $N cached tiles of $LAYER (z10-z14, mean $((BYTES / N)) bytes sent), $CONNECTIONS connections, $DURATION, server --threads $THREADS, gzip=$TILE_GZIP"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }  # user + system, 1/100 s
CPU0=$(cpu_ticks)
TILE_LIST="$WORK/tiles" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
  -s bench/serve_tiles.lua "http://127.0.0.1:$PORT" | tee "$WORK/wrk.out"
CPU1=$(cpu_ticks)
RSS_AFTER=$(rss)
REQUESTS=$(awk '/requests in/ {print $1}' "$WORK/wrk.out")
# The server's CPU per tile: what the machine's other load (wrk included) does not change much.
echo "server_cpu_us_per_tile $(( (CPU1 - CPU0) * 10000 / (REQUESTS > 0 ? REQUESTS : 1) ))" | tee -a "$WORK/wrk.out"
echo "rss_mb loaded $RSS_LOADED after $RSS_AFTER"
mkdir -p bench/results
python3 - "$WORK/wrk.out" "$N" "$RSS_LOADED" "$RSS_AFTER" "$LAYER" "$CONNECTIONS" "$DURATION" "$THREADS" "$TILE_GZIP" \
  >"bench/results/serve-tiles-$LAYER$([ "$TILE_GZIP" = 1 ] && echo -gzip).json" <<'PY'
import json, sys
out = dict(line.split() for line in open(sys.argv[1]) if line.split()[:1] and line.split()[0] in
           ("tiles_per_s", "p50_ms", "p99_ms", "max_ms", "errors", "server_cpu_us_per_tile"))
print(json.dumps({"layer": sys.argv[5], "tiles": int(sys.argv[2]), "connections": int(sys.argv[6]),
                  "duration": sys.argv[7], "server_threads": int(sys.argv[8]), "gzip": sys.argv[9] == "1",
                  **{k: float(v) for k, v in out.items()},
                  "rss_loaded_mb": int(sys.argv[3]), "rss_after_mb": int(sys.argv[4])}, indent=2))
PY
