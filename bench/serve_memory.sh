#!/usr/bin/env bash
# The server's memory with a one map loaded: `onemap serve PLAN` on a loopback port, its
# resident set (VmRSS, and the peak VmHWM) once the map is loaded, then after asking LAYER's tiles
# at every zoom 0-14 (a 3x3 block a zoom around the middle of the layer: the first one builds
# every layer's tiles), against the size of the plan's GeoPackage(s).
#
#   bench/serve_memory.sh [PLAN] [LAYER]      # e.g. bench/serve_memory.sh /tmp/benchL/g60.toml
#
# Target (issue 35): the server with the L one map loaded <= 2x the GeoPackage.
set -euo pipefail
cd "$(dirname "$0")/.."
PLAN=${1:-sample-data/g60.toml}
LAYER=${2:-farmland}
ONEMAP=${ONEMAP:-build/cli/onemap}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
WORK=$(mktemp -d)
START=$(date +%s.%N)
"$ONEMAP" serve "$PLAN" --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 1200); do
  curl -sf "http://127.0.0.1:$PORT/api/info" -o "$WORK/info.json" && break
  kill -0 $SERVER 2>/dev/null || { cat "$WORK/serve.log"; exit 1; }
  sleep 0.5
done
# MB = 10^6 bytes, as the sources' sizes below (/proc gives KiB).
mem() { awk '/VmRSS|VmHWM/ {printf "%s %d MB  ", $1, $2 * 1.024 / 1000}' "/proc/$SERVER/status"; echo; }
echo "loaded in $(python3 -c "import time; print(round(time.time() - $START, 1))") s: $(mem)"
python3 - "$WORK/info.json" "$LAYER" >"$WORK/tiles" <<'PY'
import json, math, sys
layer = next(l for l in json.load(open(sys.argv[1]))["layers"] if l["id"] == sys.argv[2])
w, s, e, n = layer["extent_wgs84"]
lon, lat = (w + e) / 2, (s + n) / 2
for z in range(0, 15):
    x = int((lon + 180) / 360 * 2**z)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * 2**z)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            if 0 <= x + dx < 2**z and 0 <= y + dy < 2**z:
                print(z, f"/tiles/{sys.argv[2]}/{z}/{x + dx}/{y + dy}.mvt")
PY
last=-1
while read -r z path; do
  curl -s -o /dev/null -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT$path"
  if [ "$z" != "$last" ]; then
    [ "$last" = 0 ] && echo "after the first tiles (all layers' tiles built): $(mem)"
    last=$z
  fi
done <"$WORK/tiles"
echo "after $(wc -l <"$WORK/tiles") tiles of $LAYER, z0-z14: $(mem)"
for f in $(grep -o 'source *= *"[^"]*"' "$PLAN" | sed 's/.*"\(.*\)"/\1/' | sort -u); do
  p="$(dirname "$PLAN")/$f"
  [ -f "$p" ] && echo "source $f: $(( $(stat -c %s "$p") / 1000000 )) MB"
done
