// ServiceCoverage (core/coverage) against brute force: every cell × every facility, with cells
// exactly at a tier's distance and just beyond it, cells on unit boundaries and outside every
// unit; the street network's Dijkstra against Floyd–Warshall on small random graphs; refusals.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>

#include "onemap/core/coverage/coverage_inputs.hpp"
#include "onemap/core/coverage/point_grid.hpp"
#include "onemap/core/coverage/service_coverage.hpp"
#include "onemap/core/coverage/street_network.hpp"
#include "onemap/gis/base/error.hpp"

namespace {

using namespace onemap::core;
using onemap::gis::Geometry;
constexpr double kInf = std::numeric_limits<double>::infinity();

Geometry box(double x0, double y0, double x1, double y1) {
    return Geometry::polygon({{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}});
}

struct Scene {
    FacilitySet facilities;
    std::vector<PopulationCell> cells;
    std::vector<ServiceUnit> units;
};

// Facilities of three kinds at whole metres; cells at random, at exactly 300, 500 and 1000 m
// (straight along an axis, or 3-4-5 triangles) from some facility and one ulp beyond, on the
// shared edge of the two units, and outside both.
Scene randomScene(std::mt19937_64& rng, std::size_t nFacilities, std::size_t nCells) {
    Scene s;
    s.facilities.kinds = {"医疗", "教育", "文化"};
    std::uniform_int_distribution<int> coord(0, 6000), kind(0, 2), pop(0, 400);
    std::uniform_real_distribution<double> real(-500, 6500);
    for (std::size_t i = 0; i < nFacilities; ++i)
        s.facilities.facilities.push_back(
            {double(coord(rng)), double(coord(rng)), std::size_t(kind(rng))});
    std::int64_t fid = 0;
    const auto add = [&](double x, double y) {
        s.cells.push_back({x, y, double(pop(rng)), ++fid});
    };
    for (std::size_t i = 0; i < nCells; ++i) add(real(rng), real(rng));
    const double offsets[][2] = {{300, 0},    {0, -500},   {-1000, 0}, {180, 240},
                                 {-300, 400}, {600, -800}, {0, 1000}};
    for (std::size_t i = 0; i < nFacilities; i += 3) {
        const auto& f = s.facilities.facilities[i];
        for (const auto& o : offsets) {
            add(f.x + o[0], f.y + o[1]);
            add(std::nextafter(f.x + o[0], o[0] > 0 ? kInf : -kInf), f.y + o[1]);
        }
    }
    for (int i = 0; i < 20; ++i) add(3000, 500.0 * i);  // on the shared edge x = 3000
    s.units.push_back({"西区", box(0, 0, 3000, 6000)});
    s.units.push_back({"东区", box(3000, 0, 6000, 6000)});
    return s;
}

// The answer worked by brute force: its own loops, GEOS `covers` on plain geometries.
CoverageResult bruteStraight(const Scene& s, const std::vector<double>& tiers) {
    CoverageResult r;
    r.tiers = tiers;
    r.kinds = s.facilities.kinds;
    std::vector<std::size_t> unitOf;
    bool outside = false;
    for (const auto& c : s.cells) {
        std::size_t u = 0;
        while (u < s.units.size() && !s.units[u].area.covers(Geometry::point(c.x, c.y))) ++u;
        unitOf.push_back(u);
        outside = outside || u == s.units.size();
    }
    const std::size_t rows = s.units.size() + (outside ? 1 : 0) + 1, total = rows - 1;
    r.units.resize(rows);
    for (auto& u : r.units) {
        u.kinds.resize(r.kinds.size());
        for (std::size_t k = 0; k < r.kinds.size(); ++k)
            for (const double t : tiers) u.kinds[k].tiers.push_back({t, 0, 0});
    }
    for (std::size_t i = 0; i < s.cells.size(); ++i) {
        const auto& c = s.cells[i];
        for (const std::size_t row : {unitOf[i], total}) {
            ++r.units[row].cells;
            for (std::size_t k = 0; k < r.kinds.size(); ++k)
                for (std::size_t t = 0; t < tiers.size(); ++t) {
                    auto& tier = r.units[row].kinds[k].tiers[t];
                    tier.residents += c.residents;
                    bool near = false;
                    for (const auto& f : s.facilities.facilities) {
                        const double dx = f.x - c.x, dy = f.y - c.y;
                        near = near || (f.kind == k && dx * dx + dy * dy <= tiers[t] * tiers[t]);
                    }
                    if (near) tier.covered += c.residents;
                }
        }
    }
    return r;
}

void requireSame(const CoverageResult& a, const CoverageResult& b) {
    REQUIRE(a.units.size() == b.units.size());
    for (std::size_t u = 0; u < a.units.size(); ++u) {
        INFO("unit " << u << " " << a.units[u].name);
        REQUIRE(a.units[u].cells == b.units[u].cells);
        for (std::size_t k = 0; k < a.kinds.size(); ++k)
            for (std::size_t t = 0; t < a.tiers.size(); ++t) {
                const auto& x = a.units[u].kinds[k].tiers[t];
                const auto& y = b.units[u].kinds[k].tiers[t];
                INFO("kind " << a.kinds[k] << " tier " << a.tiers[t]);
                REQUIRE(x.residents == y.residents);
                REQUIRE(x.covered == y.covered);  // to the person
            }
    }
}

}  // namespace

TEST_CASE("Coverage: straight-line coverage equals a brute force to the person", "[coverage]") {
    std::mt19937_64 rng(37);
    const std::vector<double> tiers{300, 500, 1000};
    for (int round = 0; round < 4; ++round) {
        const Scene s = randomScene(rng, 60 + 40 * round, 1500);
        CoverageOptions o;
        o.tiers = tiers;
        o.listUncovered = true;
        const ServiceCoverage coverage(s.facilities, s.cells, s.units, o);
        const auto got = coverage.compute();
        const auto want = bruteStraight(s, tiers);
        REQUIRE(got.units.back().name == CoverageResult::kTotalUnit);
        REQUIRE(got.units[2].name == CoverageResult::kOutsideUnit);
        requireSame(got, want);
        // The uncovered cells of the largest tier: every one, with its nearest facility.
        std::size_t expected = 0;
        for (const auto& c : s.cells)
            for (std::size_t k = 0; k < 3; ++k) {
                double nearest = kInf;
                for (const auto& f : s.facilities.facilities)
                    if (f.kind == k) nearest = std::min(nearest, std::hypot(f.x - c.x, f.y - c.y));
                if (c.residents > 0 && !(nearest <= 1000)) ++expected;
            }
        REQUIRE(got.uncovered.size() == expected);
        for (const auto& u : got.uncovered) {
            double nearest = kInf;
            for (const auto& f : s.facilities.facilities)
                if (f.kind == u.kind) nearest = std::min(nearest, std::hypot(f.x - u.x, f.y - u.y));
            REQUIRE(u.nearest == nearest);
            REQUIRE(u.nearest > 1000);
        }
        // The same answer on one thread.
        tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
        requireSame(ServiceCoverage(s.facilities, s.cells, s.units, o).compute(), got);
    }
}

TEST_CASE("Coverage: a cell exactly at the tier is covered, one ulp beyond is not", "[coverage]") {
    FacilitySet f{{"all"}, {{1000, 2000, 0}}};
    std::vector<PopulationCell> cells{{1300, 2000, 7, 1},
                                      {std::nextafter(1300.0, 2000.0), 2000, 11, 2},
                                      {1180, 2240, 13, 3},
                                      {1000, 1500, 17, 4}};
    CoverageOptions o;
    o.tiers = {300, 500};
    const auto r = ServiceCoverage(f, cells, {}, o).compute();
    REQUIRE(r.units.size() == 2);  // outside, total
    CHECK(r.units[0].name == CoverageResult::kOutsideUnit);
    const auto& tiers = r.units[1].kinds[0].tiers;
    CHECK(tiers[0].residents == 48);
    CHECK(tiers[0].covered == 7 + 13);
    CHECK(tiers[1].covered == 7 + 11 + 13 + 17);
}

TEST_CASE("Coverage: the point grid finds what a loop finds", "[coverage]") {
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> d(-1e4, 1e4);
    std::vector<double> xs, ys;
    for (int i = 0; i < 3000; ++i) {
        xs.push_back(std::round(d(rng)));
        ys.push_back(std::round(d(rng)));
    }
    for (const double bucket : {1.0, 250.0, 1000.0, 1e6}) {
        const PointGrid grid(xs, ys, bucket, 100'000);
        for (int q = 0; q < 300; ++q) {
            const double x = std::round(d(rng)), y = std::round(d(rng)), r = 400;
            double best = kInf;
            for (std::size_t i = 0; i < xs.size(); ++i) {
                const double dx = xs[i] - x, dy = ys[i] - y, d2 = dx * dx + dy * dy;
                if (d2 <= r * r) best = std::min(best, d2);
            }
            REQUIRE(grid.nearestSquaredWithin(x, y, r) == best);
        }
    }
    CHECK(PointGrid({}, {}, 10).nearestSquaredWithin(0, 0, 5) == kInf);
}

TEST_CASE("Coverage: multi-source Dijkstra equals Floyd–Warshall on random graphs", "[coverage]") {
    std::mt19937_64 rng(11);
    for (int round = 0; round < 30; ++round) {
        const std::size_t n = 5 + round;
        std::uniform_real_distribution<double> coord(0, 1000);
        std::vector<onemap::gis::Point> nodes;
        for (std::size_t i = 0; i < n; ++i) nodes.push_back({coord(rng), coord(rng)});
        std::uniform_int_distribution<std::size_t> pick(0, n - 1);
        std::vector<std::tuple<std::size_t, std::size_t, double>> edges;
        for (std::size_t e = 0; e < 2 * n; ++e) {
            const auto a = pick(rng), b = pick(rng);
            if (a == b) continue;
            edges.emplace_back(a, b, std::hypot(nodes[a].x - nodes[b].x, nodes[a].y - nodes[b].y));
        }
        const StreetNetwork net(nodes, edges);
        std::vector<std::vector<double>> fw(n, std::vector<double>(n, kInf));
        for (std::size_t i = 0; i < n; ++i) fw[i][i] = 0;
        for (const auto& [a, b, l] : edges) {
            fw[a][b] = std::min(fw[a][b], l);
            fw[b][a] = std::min(fw[b][a], l);
        }
        for (std::size_t k = 0; k < n; ++k)
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t j = 0; j < n; ++j)
                    fw[i][j] = std::min(fw[i][j], fw[i][k] + fw[k][j]);
        std::vector<StreetNetwork::Source> sources{{pick(rng), 0}, {pick(rng), 37.5}};
        for (const double cutoff : {kInf, 600.0}) {
            const auto got = net.distances(sources, cutoff);
            for (std::size_t v = 0; v < n; ++v) {
                double want = kInf;
                for (const auto& s : sources) want = std::min(want, s.distance + fw[s.node][v]);
                INFO("round " << round << " node " << v << " cutoff " << cutoff);
                if (want <= cutoff * (1 - 1e-12))
                    REQUIRE(got[v] == Approx(want).epsilon(1e-12));
                else if (want > cutoff * (1 + 1e-12))
                    REQUIRE(got[v] == kInf);
            }
        }
    }
}

TEST_CASE("Coverage: lines meet at exactly equal vertices, nowhere else", "[coverage]") {
    const StreetNetwork net({Geometry::fromWkt("LINESTRING (0 0, 100 0, 100 100)"),
                             Geometry::fromWkt("LINESTRING (100 100, 200 100)"),
                             Geometry::fromWkt("LINESTRING (100 0.000001, 300 0)"),
                             Geometry::fromWkt("MULTILINESTRING ((0 0, 0 0, 0 50))")});
    CHECK(net.nodeCount() == 7);  // (0 0) (100 0) (100 100) (200 100) (100 1e-6) (300 0) (0 50)
    CHECK(net.edgeCount() == 5);  // the repeated vertex adds none
    const auto from = net.nearestNode(1, 1);
    CHECK(net.node(from.node).x == 0);
    CHECK(from.distance == Approx(std::sqrt(2.0)));
    const auto d = net.distances({{from.node, 0}}, 1e9);
    const auto at = [&](double x, double y) {
        for (std::size_t i = 0; i < net.nodeCount(); ++i)
            if (net.node(i).x == x && net.node(i).y == y) return d[i];
        FAIL("no node");
        return 0.0;
    };
    CHECK(at(200, 100) == 300);
    CHECK(at(0, 50) == 50);
    CHECK(at(300, 0) == kInf);  // its line ends 1e-6 from the others: not joined
}

TEST_CASE("Coverage: network coverage equals a brute force over Floyd–Warshall", "[coverage]") {
    std::mt19937_64 rng(23);
    // A street grid of 8 × 8 nodes, 150 m apart, with some blocks left out.
    std::vector<Geometry> lines;
    std::bernoulli_distribution keep(0.8);
    for (int i = 0; i < 8; ++i)
        for (int j = 0; j + 1 < 8; ++j) {
            if (keep(rng))
                lines.push_back(
                    Geometry::lineString({{i * 150.0, j * 150.0}, {i * 150.0, j * 150.0 + 150}}));
            if (keep(rng))
                lines.push_back(
                    Geometry::lineString({{j * 150.0, i * 150.0}, {j * 150.0 + 150, i * 150.0}}));
        }
    const StreetNetwork net(lines);
    const std::size_t n = net.nodeCount();
    std::vector<std::vector<double>> fw(n, std::vector<double>(n, kInf));
    for (std::size_t i = 0; i < n; ++i) fw[i][i] = 0;
    for (const auto& l : lines) {
        const auto p = l.paths().front();
        std::size_t a = 0, b = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (net.node(i).x == p[0].x && net.node(i).y == p[0].y) a = i;
            if (net.node(i).x == p[1].x && net.node(i).y == p[1].y) b = i;
        }
        fw[a][b] = fw[b][a] = std::hypot(p[1].x - p[0].x, p[1].y - p[0].y);
    }
    for (std::size_t k = 0; k < n; ++k)
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) fw[i][j] = std::min(fw[i][j], fw[i][k] + fw[k][j]);
    const auto snap = [&](double x, double y) {  // nearest node by a loop, first of equals
        std::size_t best = 0;
        double d = kInf;
        for (std::size_t i = 0; i < n; ++i) {
            const double e = std::hypot(net.node(i).x - x, net.node(i).y - y);
            if (e < d) d = e, best = i;
        }
        return std::pair{best, d};
    };
    std::uniform_real_distribution<double> coord(-200, 1250);
    Scene s;
    s.facilities.kinds = {"a", "b"};
    for (int i = 0; i < 6; ++i)
        s.facilities.facilities.push_back({coord(rng), coord(rng), std::size_t(i % 2)});
    for (int i = 0; i < 400; ++i) s.cells.push_back({coord(rng), coord(rng), double(i % 37), i});
    const std::vector<double> tiers{200, 400, 700};
    CoverageOptions o;
    o.tiers = tiers;
    o.mode = DistanceMode::Network;
    const auto got = ServiceCoverage(s.facilities, s.cells, {}, o, &net).compute();
    for (std::size_t k = 0; k < 2; ++k)
        for (std::size_t t = 0; t < tiers.size(); ++t) {
            double covered = 0;
            for (const auto& c : s.cells) {
                const auto [cn, cd] = snap(c.x, c.y);
                double best = kInf;
                for (const auto& f : s.facilities.facilities) {
                    const auto [fn, fd] = snap(f.x, f.y);
                    if (f.kind == k && fd <= 700 && cd <= 700)
                        best = std::min(best, fd + fw[fn][cn] + cd);
                }
                if (best <= tiers[t]) covered += c.residents;
            }
            CHECK(got.units.back().kinds[k].tiers[t].covered == covered);
        }
}

TEST_CASE("Coverage: bad options are refused before any work", "[coverage]") {
    const FacilitySet f{{"all"}, {{0, 0, 0}}};
    const std::vector<PopulationCell> cells{{1, 1, 5, 1}};
    const auto refused = [&](std::vector<double> tiers, const char* says) {
        CoverageOptions o;
        o.tiers = std::move(tiers);
        CHECK_THROWS_WITH(ServiceCoverage(f, cells, {}, o), Catch::Contains(says));
    };
    refused({}, "at least one");
    refused({0}, "> 0");
    refused({-5}, "> 0");
    refused({std::nan("")}, "> 0");
    refused({500, 300}, "ascending");
    refused({300, 300}, "ascending");
    CoverageOptions o;
    o.crs = onemap::gis::Crs::fromEpsg(4326);
    CHECK_THROWS_WITH(ServiceCoverage(f, cells, {}, o), Catch::Contains("degrees"));
    CoverageOptions net;
    net.mode = DistanceMode::Network;
    CHECK_THROWS_WITH(ServiceCoverage(f, cells, {}, net), Catch::Contains("--roads"));
    const std::vector<PopulationCell> negative{{1, 1, -5, 9}};
    CHECK_THROWS_WITH(ServiceCoverage(f, negative, {}, CoverageOptions{}),
                      Catch::Contains("fid 9"));
}

TEST_CASE("Coverage: a population cell with residents and no geometry is refused, not dropped",
          "[coverage]") {
    onemap::gis::VectorLayer layer;
    layer.fields = {{"pop", onemap::gis::FieldType::Integer}};
    const auto cell = [](std::int64_t fid, std::int64_t pop, Geometry g) {
        onemap::gis::Feature f;
        f.fid = fid;
        f.values = {pop};
        f.geometry = std::move(g);
        return f;
    };
    layer.features = {cell(1, 40, Geometry::point(10, 10)), cell(2, 0, Geometry())};
    // No residents and nowhere: nothing is lost, the cell is left out.
    const auto kept = onemap::core::readPopulation(layer, "population", "pop");
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].residents == 40);
    // Residents and nowhere: they would silently leave every total.
    layer.features.push_back(cell(3, 25, Geometry()));
    CHECK_THROWS_WITH(onemap::core::readPopulation(layer, "population", "pop"),
                      Catch::Contains("fid 3 has no geometry: its 25 residents"));
}
