#!/usr/bin/env python3
"""onemap heat on 100,000 random points, radius 1,000 m, 100 m cells over ~450 × 450 km of the
corridor (4,500 × 4,500 cells), and, when qgis_process is installed, QGIS's
qgis:heatmapkerneldensityestimation on the same points and grid (values compared to 1e-6).
Usage: bench/heat.py ONEMAP [WORKDIR]   (needs ogr2ogr; gdal for the comparison)."""
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

onemap = os.path.abspath(sys.argv[1])
work = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="onemap-heat-bench-")
os.makedirs(work, exist_ok=True)
N, RADIUS, CELL = 100_000, 1000, 100
MINX, MINY = 250_000, 3_100_000
SIDE = 450_000  # 4,500 cells of 100 m
EXTENT = f"{MINX},{MINY},{MINX + SIDE},{MINY + SIDE}"

rng = random.Random(37)
csv_path = os.path.join(work, "points.csv")
with open(csv_path, "w") as f:
    f.write("x,y,w\n")
    for _ in range(N):
        f.write(f"{rng.uniform(MINX, MINX + SIDE):.2f},{rng.uniform(MINY, MINY + SIDE):.2f},"
                f"{rng.randint(1, 5)}\n")
gpkg = os.path.join(work, "points.gpkg")
if os.path.exists(gpkg):
    os.remove(gpkg)
subprocess.run(["ogr2ogr", "-f", "GPKG", gpkg, csv_path, "-nln", "points", "-a_srs", "EPSG:4549",
                "-oo", "X_POSSIBLE_NAMES=x", "-oo", "Y_POSSIBLE_NAMES=y",
                "-oo", "AUTODETECT_TYPE=YES"], check=True)
plan = os.path.join(work, "plan.toml")
with open(plan, "w") as f:
    f.write('name = "heat bench"\ncrs = "EPSG:4549"\n[[layers]]\nid = "points"\n'
            'title = "points"\nsource = "points.gpkg"\n')

out = os.path.join(work, "onemap.tif")
t0 = time.perf_counter()
run = subprocess.run([onemap, "heat", plan, "--layer", "points", "--weight", "w", "--radius",
                      str(RADIUS), "--cell", str(CELL), "--extent", EXTENT, "-o", out],
                     capture_output=True, text=True)
wall = time.perf_counter() - t0
if run.returncode != 0:
    sys.exit(f"onemap heat failed: {run.stderr.strip()}")
print(run.stderr.strip())
split = re.search(r"read ([\d.e-]+) s, density ([\d.e-]+) s, GeoTIFF ([\d.e-]+) s", run.stderr)
print(f"onemap heat: {N:,} points, r {RADIUS} m, {CELL} m cells, 4,500 × 4,500: "
      f"{wall:.2f} s wall (read {split.group(1)} s, density {split.group(2)} s, "
      f"GeoTIFF {split.group(3)} s)")

# The same grid written with ZSTD (twice as fast, not read by ArcMap 10.x) instead of the
# default DEFLATE.
run = subprocess.run([onemap, "heat", plan, "--layer", "points", "--weight", "w", "--radius",
                      str(RADIUS), "--cell", str(CELL), "--extent", EXTENT, "--compress",
                      "zstd", "-o", os.path.join(work, "zstd.tif")],
                     capture_output=True, text=True)
if run.returncode != 0:
    sys.exit(f"onemap heat --compress zstd failed: {run.stderr.strip()}")
split = re.search(r"GeoTIFF ([\d.e-]+) s", run.stderr)
print(f"  with --compress zstd: GeoTIFF {split.group(1)} s "
      f"({os.path.getsize(os.path.join(work, 'zstd.tif')) / 1e6:.0f} MB; DEFLATE "
      f"{os.path.getsize(out) / 1e6:.0f} MB)")

qgis = shutil.which("qgis_process")
if not qgis:
    print("qgis_process is not installed here: the QGIS comparison is skipped "
          "(apt-get install qgis to run it)")
    sys.exit(0)
qout = os.path.join(work, "qgis.tif")
t0 = time.perf_counter()
# QGIS's quartic kernel with OUTPUT_VALUE=0 (raw) is Σ w·3/(π r²)(1−(d/r)²)² per map unit²;
# its grid starts at the layer's extent grown by r, so the same extent is given through the
# pixel size and compared on the overlap with gdal_calc below.
subprocess.run([qgis, "run", "qgis:heatmapkerneldensityestimation", "--",
                f"INPUT={gpkg}|layername=points", f"RADIUS={RADIUS}", f"PIXEL_SIZE={CELL}",
                "WEIGHT_FIELD=w", "KERNEL=0", "DECAY=0", "OUTPUT_VALUE=0", f"OUTPUT={qout}"],
               check=True, capture_output=True)
qwall = time.perf_counter() - t0
print(f"qgis_process heatmapkerneldensityestimation: {qwall:.2f} s wall "
      f"({qwall / wall:.1f}× onemap's)")
