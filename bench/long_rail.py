#!/usr/bin/python3
"""A bench workload with long rail lines: copies a generated one map and replaces its rail layer.

    bench/long_rail.py SRC DST [--vertices 13209]

SRC is a folder made by onemap-sample-gen (g60.toml, g60.gpkg, sites.gpkg, ...), e.g. bench M:
`build/sample-data/onemap-sample-gen --farmland 100000 --sites 10000 --seed 60 --out SRC`.
The generator's 4 rail lines have a few vertices each; real lines have thousands. Each line
becomes 5 parallel lines (-6, -3, 0, +3, +6 km), densified with a gentle meander (amplitude
150 m, wavelength 4 km): 20 lines, about --vertices vertices in all. What `min_distance` to
rail then costs is what docs/performance.md measures (issue 35, FacetIndex).
"""
import argparse
import csv
import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src", type=Path)
    ap.add_argument("dst", type=Path)
    ap.add_argument("--vertices", type=int, default=13209)
    a = ap.parse_args()
    shutil.copytree(a.src, a.dst, dirs_exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src_csv, out_csv = Path(tmp) / "rail.csv", Path(tmp) / "rail20.csv"
        subprocess.run(["ogr2ogr", "-f", "CSV", str(src_csv), str(a.src / "g60.gpkg"), "rail",
                        "-lco", "GEOMETRY=AS_WKT"], check=True)
        lines = []
        for r in csv.DictReader(open(src_csv, encoding="utf-8")):
            pts = [tuple(map(float, p.split())) for p in r["WKT"][len("LINESTRING ("):-1].split(",")]
            lines.append((r["name"], pts))
        offsets = (-6000, -3000, 0, 3000, 6000)
        length = sum(sum(math.dist(p, q) for p, q in zip(pts, pts[1:])) for _, pts in lines)
        step = length * len(offsets) / (a.vertices - len(lines) * len(offsets))
        count = 0
        with open(out_csv, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["WKT", "name", "approximate", "synthetic"])
            for name, pts in lines:
                for k, off in enumerate(offsets):
                    res, along = [], 0.0
                    for (ax, ay), (bx, by) in zip(pts, pts[1:]):
                        seg = math.dist((ax, ay), (bx, by))
                        nx, ny = -(by - ay) / seg, (bx - ax) / seg
                        n = max(1, round(seg / step))
                        for i in range(n):
                            t = i / n
                            w = off + 150 * math.sin(2 * math.pi * (along + t * seg) / 4000 + k)
                            res.append((ax + t * (bx - ax) + w * nx, ay + t * (by - ay) + w * ny))
                        along += seg
                    bx, by = pts[-1]
                    res.append((bx + off * nx, by + off * ny))
                    count += len(res)
                    wkt = "LINESTRING (" + ",".join("%.2f %.2f" % p for p in res) + ")"
                    out.writerow([wkt, f"{name}{k}", 1, 1])
        subprocess.run(["ogr2ogr", "-update", "-overwrite", "-nln", "rail", "-a_srs", "EPSG:4549",
                        "-nlt", "LINESTRING", "-oo", "GEOM_POSSIBLE_NAMES=WKT",
                        "-oo", "KEEP_GEOM_COLUMNS=NO", str(a.dst / "g60.gpkg"), str(out_csv)],
                       check=True)
    print(f"{a.dst}: {len(lines) * len(offsets)} rail lines, {count} vertices", file=sys.stderr)


if __name__ == "__main__":
    main()
