// onemap-tile-bench PLAN LAYER [ZMIN ZMAX [RUNS]]: uncached vector tiles of one layer — for each
// zoom the 3×3 tiles around the layer's middle feature, each encoded RUNS times (5; more to
// profile with perf); the median ms per tile,
// the bytes of the biggest, each tile's median ("tiles"), and the time to build the layer's tiles
// (reprojection and index). JSON on stdout. bench/tile_compare.py times PostGIS's ST_AsMVT on the
// same tiles.
// onemap-tile-bench --scan PLAN LAYER ZMIN ZMAX: every tile over the layer's extent at each
// zoom, encoded once: how many hold something, the biggest (bytes and address), the time, and a
// digest of all the tiles' bytes (FNV-1a, in order) to show that a change left them alone.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onemap/core/check/one_map.hpp"
#include "onemap/core/tiles/layer_tiles.hpp"
#include "onemap/gis/crs/crs.hpp"

using namespace onemap;
using Clock = std::chrono::steady_clock;

namespace {
// The resident set now, in MB (/proc/self/statm), to see what the layer's tiles add to the map.
double residentMb() {
    malloc_trim(0);  // what was freed goes back first: the count is what is held
    std::ifstream statm("/proc/self/statm");
    double pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * 4096 / 1e6;
}

// The layer's extent in EPSG:3857: its edges sampled densely (the plan CRS is not Mercator).
gis::Envelope mercatorExtent(const core::OneMap& map, const std::string& layerId) {
    const gis::Envelope e = map.layer(layerId)->extent();
    const gis::CoordinateTransform toWeb(map.plan().crs, gis::Crs::fromEpsg(3857));
    gis::Envelope out;
    for (int k = 0; k <= 100; ++k) {
        const double fx = e.minx + e.width() * k / 100, fy = e.miny + e.height() * k / 100;
        for (const gis::Point p : {gis::Point{fx, e.miny}, gis::Point{fx, e.maxy},
                                   gis::Point{e.minx, fy}, gis::Point{e.maxx, fy}}) {
            const gis::Point q = toWeb.apply(p);
            out.expand(q.x, q.y);
        }
    }
    return out;
}

int scan(const std::string& plan, const std::string& layerId, int zmin, int zmax) {
    const auto map = core::OneMap::load(core::Plan::load(plan));
    const core::LayerTiles tiles(map, layerId);
    const gis::Envelope e = mercatorExtent(*map, layerId);
    nlohmann::ordered_json out;
    out["layer"] = layerId;
    for (int z = zmin; z <= zmax; ++z) {
        const double side = 2 * gis::kWebMercatorHalfSide / static_cast<double>(1 << z);
        const std::int64_t last = (std::int64_t{1} << z) - 1;
        const auto column = [&](double x) {
            return std::clamp<std::int64_t>(
                static_cast<std::int64_t>((x + gis::kWebMercatorHalfSide) / side), 0, last);
        };
        const auto row = [&](double y) {
            return std::clamp<std::int64_t>(
                static_cast<std::int64_t>((gis::kWebMercatorHalfSide - y) / side), 0, last);
        };
        std::uint64_t digest = 14695981039346656037ULL;
        std::size_t count = 0, nonEmpty = 0, maxBytes = 0, totalBytes = 0;
        std::string biggest;
        const auto s = Clock::now();
        for (std::int64_t x = column(e.minx); x <= column(e.maxx); ++x)
            for (std::int64_t y = row(e.maxy); y <= row(e.miny); ++y) {
                const auto a = gis::TileAddress::checked(z, x, y);
                const std::string bytes = tiles.tile(a);
                for (const char c : bytes)
                    digest = (digest ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
                digest = (digest ^ bytes.size()) * 1099511628211ULL;
                ++count;
                nonEmpty += bytes.empty() ? 0 : 1;
                totalBytes += bytes.size();
                if (bytes.size() > maxBytes) maxBytes = bytes.size(), biggest = a.text();
            }
        const double seconds = std::chrono::duration<double>(Clock::now() - s).count();
        char hex[17];
        std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(digest));
        out["zooms"].push_back({{"z", z},
                                {"tiles", count},
                                {"non_empty", nonEmpty},
                                {"max_bytes", maxBytes},
                                {"biggest", biggest},
                                {"mean_bytes", nonEmpty ? totalBytes / nonEmpty : 0},
                                {"seconds", seconds},
                                {"digest", hex}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
}
}  // namespace

int main(int argc, char** argv) {
    if (argc >= 6 && std::string(argv[1]) == "--scan")
        return scan(argv[2], argv[3], std::stoi(argv[4]), std::stoi(argv[5]));
    if (argc < 3) {
        std::cerr << "usage: onemap-tile-bench PLAN LAYER [ZMIN ZMAX [RUNS]]\n"
                     "       onemap-tile-bench --scan PLAN LAYER ZMIN ZMAX\n";
        return 2;
    }
    const int zmin = argc > 3 ? std::stoi(argv[3]) : 6, zmax = argc > 4 ? std::stoi(argv[4]) : 14;
    const int runsPerTile = argc > 5 ? std::max(1, std::stoi(argv[5])) : 5;
    const auto t0 = Clock::now();
    const auto map = core::OneMap::load(core::Plan::load(argv[1]));
    const auto t1 = Clock::now();
    const double mapMb = residentMb();
    const core::LayerTiles tiles(map, argv[2]);
    const auto t2 = Clock::now();
    const double tilesMb = residentMb() - mapMb;
    const auto* layer = map->layer(argv[2]);
    // Around the middle feature: where the layer is, even when its extent is mostly empty.
    const auto c = layer->geometry(layer->size() / 2).envelope().center();
    const gis::Point centre = gis::CoordinateTransform(map->plan().crs, gis::Crs::fromEpsg(3857))
                                  .apply(gis::Point{c.x, c.y});
    nlohmann::ordered_json out;
    out["layer"] = argv[2];
    out["features"] = tiles.featureCount();
    out["load_s"] = std::chrono::duration<double>(t1 - t0).count();
    out["build_s"] = std::chrono::duration<double>(t2 - t1).count();
    out["rss_map_mb"] = mapMb;
    out["rss_layer_tiles_mb"] = tilesMb;
    for (int z = zmin; z <= zmax; ++z) {
        const double side = 2 * gis::kWebMercatorHalfSide / static_cast<double>(1 << z);
        const auto cx = static_cast<std::int64_t>((centre.x + gis::kWebMercatorHalfSide) / side);
        const auto cy = static_cast<std::int64_t>((gis::kWebMercatorHalfSide - centre.y) / side);
        std::vector<double> ms;
        std::size_t maxBytes = 0, totalBytes = 0, n = 0;
        for (std::int64_t dx = -1; dx <= 1; ++dx)
            for (std::int64_t dy = -1; dy <= 1; ++dy) {
                const auto a = gis::TileAddress::checked(z, cx + dx, cy + dy);
                std::vector<double> runs;
                std::size_t bytes = 0;
                for (int r = 0; r < runsPerTile; ++r) {
                    const auto s = Clock::now();
                    bytes = tiles.tile(a).size();
                    runs.push_back(
                        std::chrono::duration<double, std::milli>(Clock::now() - s).count());
                }
                std::sort(runs.begin(), runs.end());
                const double median = runs[runs.size() / 2];
                ms.push_back(median);
                out["tiles"].push_back(
                    {{"z", z}, {"x", a.x}, {"y", a.y}, {"ms", median}, {"bytes", bytes}});
                maxBytes = std::max(maxBytes, bytes);
                totalBytes += bytes;
                ++n;
            }
        std::sort(ms.begin(), ms.end());
        out["zooms"].push_back({{"z", z},
                                {"median_ms", ms[ms.size() / 2]},
                                {"max_ms", ms.back()},
                                {"max_bytes", maxBytes},
                                {"mean_bytes", totalBytes / n}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
}
