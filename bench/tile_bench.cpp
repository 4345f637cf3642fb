// onemap-tile-bench PLAN LAYER [ZMIN ZMAX]: uncached vector tiles of one layer — for each zoom
// the 3×3 tiles around the layer's middle feature, each encoded 5 times; the median ms per tile,
// the bytes of the biggest, each tile's median ("tiles"), and the time to build the layer's tiles
// (reprojection and index). JSON on stdout. bench/tile_compare.py times PostGIS's ST_AsMVT on the
// same tiles.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cmath>
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
}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: onemap-tile-bench PLAN LAYER [ZMIN ZMAX]\n";
        return 2;
    }
    const int zmin = argc > 3 ? std::stoi(argv[3]) : 6, zmax = argc > 4 ? std::stoi(argv[4]) : 14;
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
                for (int r = 0; r < 5; ++r) {
                    const auto s = Clock::now();
                    bytes = tiles.tile(a).size();
                    runs.push_back(
                        std::chrono::duration<double, std::milli>(Clock::now() - s).count());
                }
                std::sort(runs.begin(), runs.end());
                ms.push_back(runs[2]);
                out["tiles"].push_back(
                    {{"z", z}, {"x", a.x}, {"y", a.y}, {"ms", runs[2]}, {"bytes", bytes}});
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
