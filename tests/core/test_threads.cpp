// Thread safety of what the engine shares, on plain std::threads (ThreadSanitizer sees all
// of their synchronisation; Debian's TBB and Qt are not instrumented, so the TSan preset runs
// these "Threads:" cases). The truth: every thread gets exactly the serial answers.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <thread>

#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/gis/geom/convex_partition.hpp"
#include "onemap/gis/geom/facet_index.hpp"
#include "onemap/gis/geom/planar_distance.hpp"

using namespace onemap;

namespace {

const std::string kSample = ONEMAP_SAMPLE_DIR;

// Everything a site report says, to the last bit of every number.
std::string fingerprint(const core::SiteReport& s) {
    std::string out = s.id + " " + core::toString(s.verdict()) + " " + std::to_string(s.areaM2);
    for (const auto& r : s.rules) {
        out += "|" + r.ruleId + " " + core::toString(r.verdict());
        for (const auto& m : r.measures) {
            out += " " + m.name + "=" + gis::toString(m.value);
            for (const auto& i : m.items) out += "," + i;
            for (const auto& [k, v] : m.breakdown) out += "," + k + ":" + std::to_string(v);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("Threads: a one map loaded on a thread that has ended serves four threads at once",
          "[core][threads]") {
    // TBB stays on the calling thread here: only our own threads share the map.
    const tbb::global_control oneThread(tbb::global_control::max_allowed_parallelism, 1);
    std::shared_ptr<const core::OneMap> map;
    core::SiteSet sites;
    // The viewer's case: the plan is loaded on a worker whose PROJ context dies with it.
    std::thread loader([&] {
        const auto plan = core::Plan::load(kSample + "/g60.toml");
        map = core::OneMap::load(plan);
        sites = core::SiteSet::load(kSample + "/sites.gpkg", plan.crs);
    });
    loader.join();
    const core::ComplianceEngine engine(map);
    engine.bind();
    std::vector<std::string> serial;
    for (const auto& site : sites.sites) serial.push_back(fingerprint(engine.check(sites, site)));
    REQUIRE(serial.size() == 30);

    constexpr std::size_t kThreads = 4;
    std::vector<std::vector<std::string>> got(kThreads, std::vector<std::string>(serial.size()));
    std::vector<std::thread> workers;
    for (std::size_t t = 0; t < kThreads; ++t) {
        workers.emplace_back([&, t] {
            // Each thread walks the sites from a different start: all touch shared pieces.
            for (std::size_t k = 0; k < sites.sites.size(); ++k) {
                const std::size_t i = (k + t * 7) % sites.sites.size();
                got[t][i] = fingerprint(engine.check(sites, sites.sites[i]));
            }
        });
    }
    for (auto& w : workers) w.join();
    for (std::size_t t = 0; t < kThreads; ++t)
        for (std::size_t i = 0; i < serial.size(); ++i) {
            INFO("thread " << t << " site " << i);
            CHECK(got[t][i] == serial[i]);
        }
}

TEST_CASE("Threads: CRSs, transforms and measures made and used on many threads at once",
          "[core][threads]") {
    const std::vector<int> codes{4549, 4528, 4490, 3857, 32651};
    const auto square = gis::Geometry::fromWkt(
        "POLYGON((500000 3400000,503000 3400000,503000 3403000,500000 3403000,500000 3400000))");
    // Serial answers first, on this thread.
    std::vector<double> areas;
    for (int code : codes) {
        const auto crs = gis::Crs::fromEpsg(code);
        const gis::CoordinateTransform t(gis::Crs::fromEpsg(4549), crs);
        const gis::Geometry g = t.apply(square);
        areas.push_back(gis::EllipsoidalMeasure::forThisThread(crs).area(g));
    }
    // One Crs value shared by every thread, others made on each.
    const gis::Crs shared = gis::Crs::fromEpsg(4549);
    std::vector<std::vector<double>> got(4);
    std::vector<std::thread> workers;
    for (std::size_t w = 0; w < got.size(); ++w) {
        workers.emplace_back([&, w] {
            for (int round = 0; round < 3; ++round)
                for (std::size_t c = 0; c < codes.size(); ++c) {
                    const auto crs = gis::Crs::fromEpsg(codes[c]);
                    const gis::CoordinateTransform t(shared, crs);
                    const double a =
                        gis::EllipsoidalMeasure::forThisThread(crs).area(t.apply(square));
                    if (round == 0) got[w].push_back(a);
                    (void)shared.name();
                    (void)shared.isEquivalentTo(crs);
                }
        });
    }
    for (auto& w : workers) w.join();
    for (const auto& g : got) CHECK(g == areas);
    // The same CRS text gives the same measure on every thread: 3 km square near 9 km².
    CHECK(areas[0] == Approx(9e6).epsilon(1e-3));
}

TEST_CASE("Threads: deferred geometries read by their first use on four threads at once",
          "[core][threads]") {
    // The layer cache's parcels are deferred: GEOS reads each on whichever thread needs it
    // first. Four threads race to build the same 2,000 squares and must all see them whole.
    constexpr int kParcels = 2000;
    auto bytes = std::make_shared<std::vector<std::vector<unsigned char>>>();
    std::vector<gis::Geometry::WkbRef> refs;
    std::vector<double> areas;
    for (int i = 0; i < kParcels; ++i) {
        const double x = 500000 + 30.0 * (i % 50), y = 3400000 + 30.0 * (i / 50), w = 10 + i % 7;
        const auto g = gis::Geometry::polygon({{{x, y}, {x + w, y}, {x + w, y + w}, {x, y + w}}});
        bytes->push_back(g.wkb());
        areas.push_back(g.area());
    }
    for (int i = 0; i < kParcels; ++i) {
        const auto g = gis::Geometry::fromWkb(bytes->at(i).data(), bytes->at(i).size());
        refs.push_back({bytes->at(i).data(), bytes->at(i).size(), g.envelope()});
    }
    const auto parcels = gis::Geometry::deferred(bytes, refs);
    bytes.reset();  // the geometries keep the bytes
    std::vector<std::vector<double>> got(4, std::vector<double>(kParcels));
    std::vector<std::thread> workers;
    for (int t = 0; t < 4; ++t)
        workers.emplace_back([&, t] {
            for (int i = 0; i < kParcels; ++i) {
                const auto& g = parcels[(i + t * 500) % kParcels];
                got[t][(i + t * 500) % kParcels] =
                    g.area() + gis::ConvexPartition::ringArea(g) + g.envelope().width();
            }
        });
    for (auto& w : workers) w.join();
    for (int t = 0; t < 4; ++t)
        for (int i = 0; i < kParcels; ++i) {
            const double w = 10 + i % 7;
            CHECK(got[t][i] == Approx(2 * areas[i] + w).epsilon(1e-12));
            CHECK(areas[i] == w * w);
        }
}

TEST_CASE("Threads: a long line's facet indexes built by their first use on four threads at once",
          "[core][threads][facets]") {
    // A winding 3,000-vertex line is split into pieces; each piece's facet index is built by
    // whichever thread asks first. Every thread must get the one published index per piece and,
    // through it, the brute force's distances to the last bit.
    std::vector<gis::Point> pts;
    for (int i = 0; i < 3000; ++i)
        pts.push_back({500000 + 20.0 * i, 3400000 + 400 * std::sin(i * 0.05) + (i % 7)});
    gis::VectorLayer data;
    data.features.push_back({1, {}, gis::Geometry::lineString(pts)});
    data.features.push_back(
        {2, {}, gis::Geometry::lineString({{500000, 3390000}, {500100, 3390000}})});
    const core::MapLayer layer(core::LayerSpec{}, std::move(data));
    REQUIRE(layer.pieceIndex().size() > 10);
    std::vector<gis::Geometry> sites;
    for (int i = 0; i < 200; ++i) {
        const double x = 500000 + 300.0 * i, y = 3400000 + 900 * std::cos(i * 0.7), w = 20 + i % 9;
        sites.push_back(
            gis::Geometry::polygon({{{x, y}, {x + w, y}, {x + w, y + w}, {x, y + w}, {x, y}}}));
    }
    const std::size_t pieces = layer.pieceIndex().size();
    std::vector<std::vector<const gis::FacetIndex*>> seen(
        4, std::vector<const gis::FacetIndex*>(pieces));
    std::vector<std::vector<double>> got(4);
    std::vector<std::thread> workers;
    for (int t = 0; t < 4; ++t)
        workers.emplace_back([&, t] {
            for (std::size_t k = 0; k < pieces; ++k) {
                const std::size_t j = (k + static_cast<std::size_t>(t) * 3) % pieces;
                seen[t][j] = layer.pieceFacets(j);
            }
            for (const auto& site : sites) {
                const gis::PlanarDistance kernel(site);
                for (std::size_t j = 0; j < pieces; ++j) {
                    const auto n = kernel.to(layer.piece(j), layer.pieceFacets(j));
                    got[t].insert(got[t].end(),
                                  {n.distance, n.onFrom.x, n.onFrom.y, n.onOther.x, n.onOther.y});
                }
            }
        });
    for (auto& w : workers) w.join();
    std::vector<double> serial;
    for (const auto& site : sites) {
        const gis::PlanarDistance kernel(site);
        for (std::size_t j = 0; j < pieces; ++j) {
            const auto n = kernel.to(layer.piece(j), nullptr);
            serial.insert(serial.end(),
                          {n.distance, n.onFrom.x, n.onFrom.y, n.onOther.x, n.onOther.y});
        }
    }
    std::size_t indexed = 0;
    for (std::size_t j = 0; j < pieces; ++j) {
        indexed += seen[0][j] != nullptr;
        CHECK((seen[0][j] != nullptr) == gis::FacetIndex::worthIt(layer.piece(j)));
        for (int t = 1; t < 4; ++t) CHECK(seen[t][j] == seen[0][j]);
    }
    CHECK(indexed + 1 == pieces);  // all but the short line
    for (int t = 0; t < 4; ++t) REQUIRE(got[t].size() == serial.size());
    for (int t = 0; t < 4; ++t)
        CHECK(std::memcmp(got[t].data(), serial.data(), serial.size() * sizeof(double)) == 0);
}
