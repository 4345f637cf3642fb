#!/usr/bin/env bash
# libFuzzer on the parsers of everything a user hands onemap: the plan file, WKT, CRS text
# the sites readers, and the zip-based formats (KMZ, XLSX, ODS) and point tables with their
# expansion limits. Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] (default 60), or
# scripts/fuzz.sh ci: a fixed seed and a fixed number of runs per target, so CI is
# reproducible (the same inputs every time; explore new ones with a time budget).
# A finding (crash, non-InputError exception, hang, sanitizer report) fails the run and
# names the input that caused it. The repository is never written: corpora live in /tmp.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-60}
bash scripts/setup.sh
cmake --preset asan >/dev/null   # the fuzzers live in the sanitizer build (clang)
cmake --build build-asan -j"$(nproc)" --target fuzz_plan fuzz_wkt fuzz_crs fuzz_sites \
  fuzz_archives

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{plan,wkt,crs,sites,archives,artifacts}
cp tests/cases/plans/*.toml sample-data/g60.toml "$work/plan/"
cp fuzz/seeds/wkt/* "$work/wkt/"
cp fuzz/seeds/crs/* "$work/crs/"
cp fuzz/seeds/sites/* "$work/sites/"
# A GeoPackage seed (format byte 1), made from the GeoJSON seed.
tail -c +2 fuzz/seeds/sites/geojson > "$work/seed.geojson"
ogr2ogr -q -f GPKG "$work/seed.gpkg" "$work/seed.geojson"
{ printf '\x01'; cat "$work/seed.gpkg"; } > "$work/sites/gpkg"
# Whole archives (format bytes 0-2: KMZ, XLSX, ODS), made by GDAL from the point-table seed.
cp fuzz/seeds/archives/* "$work/archives/"
tail -c +2 fuzz/seeds/archives/csv | tail -n +2 > "$work/points.csv"
ogr2ogr -q -f LIBKML "$work/seed.kmz" "$work/seed.geojson"
ogr2ogr -q -f XLSX "$work/seed.xlsx" "$work/points.csv"
ogr2ogr -q -f ODS "$work/seed.ods" "$work/points.csv"
{ printf '\x00'; cat "$work/seed.kmz"; } > "$work/archives/kmz"
{ printf '\x01'; cat "$work/seed.xlsx"; } > "$work/archives/xlsx"
{ printf '\x02'; cat "$work/seed.ods"; } > "$work/archives/ods"

status=0
declare -A ci_runs=([plan]=5000 [wkt]=300000 [crs]=60 [sites]=10000 [archives]=20000)
for target in plan wkt crs sites archives; do
  if [ "$mode" = ci ]; then
    budget=(-seed=1 -runs="${ci_runs[$target]}")
  else
    budget=(-max_total_time="$mode")
  fi
  echo "fuzz_$target: ${budget[*]}"
  if ! ASAN_OPTIONS=detect_leaks=0 ./build-asan/fuzz/fuzz_$target "$work/$target" \
      "${budget[@]}" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
      -artifact_prefix="$work/artifacts/$target-" > "$work/$target.log" 2>&1; then
    echo "fuzz_$target FOUND A FAULT:"; tail -40 "$work/$target.log"
    for a in "$work"/artifacts/$target-*; do echo "input ($a):"; od -c "$a" | head -20; done
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::average_exec_per_sec" "$work/$target.log" | tr '\n' ' '
  echo
done
exit $status
