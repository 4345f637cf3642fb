"""The four measures per site with GeoPandas, as a planner on Debian 12 would write them
(geopandas 0.12 on shapely 1.8: rtree index, Python loops). Usage:
    geopandas_measures.py DATA.gpkg SITES.gpkg OUT.csv"""
import csv
import sys

import geopandas as gpd
from shapely.ops import unary_union

data, sites_path, out = sys.argv[1:4]
farmland = gpd.read_file(data, layer="farmland")
redline = gpd.read_file(data, layer="redline")
devbound = gpd.read_file(data, layer="devbound")
rail = gpd.read_file(data, layer="rail")
sites = gpd.read_file(sites_path, layer="sites")


def overlap(layer, site):
    hits = layer.sindex.query(site, predicate="intersects")
    if len(hits) == 0:
        return 0.0
    return unary_union([site.intersection(g) for g in layer.geometry.iloc[hits]]).area


with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "farmland_m2", "redline_m2", "inside_fraction", "rail_m"])
    for sid, site in zip(sites["id"], sites.geometry):
        w.writerow([sid, overlap(farmland, site), overlap(redline, site),
                    overlap(devbound, site) / site.area, min(site.distance(g) for g in rail.geometry)])
