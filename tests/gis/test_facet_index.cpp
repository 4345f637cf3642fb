// The facet index's distance against the brute-force loop it replaces: the same doubles, bit
// for bit (distance and closest pair), on random and degenerate shapes, ties, extreme
// coordinates and invalid geometry. GEOS checks the brute force in test_planar_distance.cpp.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>

#include "onemap/gis/geom/facet_index.hpp"
#include "onemap/gis/geom/planar_distance.hpp"

using namespace onemap::gis;

namespace {

constexpr double kX = 500000, kY = 3400000;

std::uint64_t bits(double v) {
    std::uint64_t b = 0;
    std::memcpy(&b, &v, sizeof b);
    return b;
}

std::string describe(const Geometry& g) {
    try {
        return g.wkt(17);
    } catch (const std::exception&) {
        return g.typeName() + " beyond WKT's range";
    }
}

// Returns the distance for the callers' tallies.
double sameAsBruteForce(const Geometry& site, const Geometry& other) {
    const PlanarDistance kernel(site);
    const FacetIndex index(other);
    const auto slow = kernel.to(other, nullptr);
    const auto fast = kernel.to(other, &index);
    INFO(describe(site) << " to " << describe(other));
    REQUIRE(bits(fast.distance) == bits(slow.distance));
    REQUIRE(bits(fast.onFrom.x) == bits(slow.onFrom.x));
    REQUIRE(bits(fast.onFrom.y) == bits(slow.onFrom.y));
    REQUIRE(bits(fast.onOther.x) == bits(slow.onOther.x));
    REQUIRE(bits(fast.onOther.y) == bits(slow.onOther.y));
    return slow.distance;
}

Geometry box(double x, double y, double w, double h) {
    return Geometry::polygon({{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}, {x, y}}});
}

struct Shapes {
    std::mt19937 rng{60};
    double unit() { return std::uniform_real_distribution<double>(0, 1)(rng); }
    double within(double a, double b) { return a + (b - a) * unit(); }
    // A random walk: long, winding, crossing itself; `grid` snaps to whole metres (ties).
    Geometry walk(Point from, std::size_t n, double step, bool grid) {
        std::vector<Point> pts{from};
        double heading = within(0, 2 * M_PI);
        while (pts.size() < n) {
            heading += within(-0.6, 0.6);
            Point p{pts.back().x + step * std::cos(heading),
                    pts.back().y + step * std::sin(heading)};
            if (grid) p = {std::round(p.x), std::round(p.y)};
            pts.push_back(p);
            if (unit() < 0.03) pts.push_back(pts.back());  // a repeated vertex
        }
        return Geometry::lineString(pts);
    }
    // A star-shaped ring of n vertices, often concave.
    std::vector<Point> ring(Point c, double r, std::size_t n, bool grid) {
        std::vector<Point> pts;
        for (std::size_t i = 0; i < n; ++i) {
            const double a = 2 * M_PI * static_cast<double>(i) / static_cast<double>(n);
            const double radius = r * within(0.5, 1.0);
            Point p{c.x + radius * std::cos(a), c.y + radius * std::sin(a)};
            if (grid) p = {std::round(p.x), std::round(p.y)};
            pts.push_back(p);
        }
        pts.push_back(pts.front());
        return pts;
    }
    Geometry site(Point c, double r, bool grid) {
        return Geometry::polygon({ring(c, r, 3 + static_cast<std::size_t>(unit() * 10), grid)});
    }
};

}  // namespace

TEST_CASE("Facet index: long random lines give the brute force's doubles",
          "[gis][distance][facets]") {
    Shapes s;
    int zero = 0, apart = 0;
    for (int k = 0; k < 30; ++k) {
        const bool grid = k % 2 == 0;
        const Geometry line = s.walk({kX, kY}, 200 + static_cast<std::size_t>(s.unit() * 1500),
                                     s.within(5, 60), grid);
        const FacetIndex index(line);
        CHECK(index.tame());
        const Envelope e = line.envelope();
        for (int q = 0; q < 25; ++q) {
            const Point c{s.within(e.minx - 300, e.maxx + 300),
                          s.within(e.miny - 300, e.maxy + 300)};
            const Geometry site = q % 5 == 0   ? Geometry::point(c.x, c.y)
                                  : q % 5 == 1 ? s.walk(c, 4, 30, grid)
                                               : s.site(c, s.within(5, 150), grid);
            (sameAsBruteForce(site, line) == 0 ? zero : apart)++;
        }
    }
    CHECK(zero > 30);  // crossing and touching lines were tried
    CHECK(apart > 300);
}

TEST_CASE("Facet index: big polygons with holes, multi-geometries, lone points",
          "[gis][distance][facets]") {
    Shapes s;
    int zero = 0, apart = 0;
    for (int k = 0; k < 20; ++k) {
        const bool grid = k % 3 == 0;
        const Point c{kX + s.within(-50, 50), kY + s.within(-50, 50)};
        const auto shell = s.ring(c, 2000, 300 + static_cast<std::size_t>(s.unit() * 500), grid);
        const auto hole = s.ring(c, 600, 120, grid);
        const Geometry big = Geometry::polygon({shell, hole});
        const Geometry multi =
            Geometry::collect({big, Geometry::polygon({s.ring({c.x + 5000, c.y}, 800, 90, grid)})});
        std::vector<Geometry> dots;
        for (int i = 0; i < 60; ++i)
            dots.push_back(
                Geometry::point(c.x + s.within(-3000, 3000), c.y + s.within(-3000, 3000)));
        const Geometry multipoint = Geometry::collect(dots);
        const Geometry lines =
            Geometry::collect({s.walk(c, 100, 40, grid), s.walk({c.x + 100, c.y}, 100, 40, grid)});
        for (int q = 0; q < 20; ++q) {
            const Point at{c.x + s.within(-3500, 6500), c.y + s.within(-3000, 3000)};
            const Geometry site =
                q % 4 == 0 ? Geometry::point(at.x, at.y) : s.site(at, s.within(10, 400), grid);
            for (const Geometry* other : {&big, &multi, &multipoint, &lines})
                (sameAsBruteForce(site, *other) == 0 ? zero : apart)++;
            // The other way round: the big one as the site, the small one indexed.
            sameAsBruteForce(big, site);
        }
    }
    CHECK(zero > 50);  // sites inside the polygons, in their holes' edges, across lines
    CHECK(apart > 500);
}

TEST_CASE("Facet index: degenerate and extreme shapes", "[gis][distance][facets]") {
    SECTION("collinear lines, zero-length segments, repeated vertices: exact ties") {
        std::vector<Point> along;
        for (int i = 0; i < 400; ++i) along.push_back({kX + (i / 2) * 10.0, kY});  // each twice
        const Geometry line = Geometry::lineString(along);
        for (const Geometry& site :
             {box(kX + 95, kY + 30, 10, 10), box(kX + 100, kY + 30, 20, 5),
              Geometry::point(kX + 500, kY - 7), Geometry::point(kX + 505, kY - 7),
              Geometry::lineString({{kX - 20, kY}, {kX - 10, kY}}),  // on the line's extension
              Geometry::lineString({{kX + 300, kY - 5}, {kX + 300, kY + 5}}),  // crossing
              box(kX + 1990, kY, 10, 10)})                                     // touching its end
            sameAsBruteForce(site, line);
    }
    SECTION("a walk on a small whole-metre grid: many pairs tie, the first in order wins") {
        Shapes s;
        const auto step = [&](Point p) {
            const int d = static_cast<int>(s.unit() * 4);
            return Point{p.x + (d == 0) - (d == 1), p.y + (d == 2) - (d == 3)};
        };
        for (int k = 0; k < 20; ++k) {
            std::vector<Point> pts{{kX, kY}};
            while (pts.size() < 400) pts.push_back(step(pts.back()));
            const Geometry line = Geometry::lineString(pts);
            const Envelope e = line.envelope();
            for (int q = 0; q < 30; ++q) {
                const double x = std::round(s.within(e.minx - 5, e.maxx + 5));
                const double y = std::round(s.within(e.miny - 5, e.maxy + 5));
                const double w = std::round(s.within(1, 4)), h = std::round(s.within(1, 4));
                sameAsBruteForce(
                    q % 2 ? box(x, y, w, h) : Geometry::lineString({{x, y}, {x + w, y + h}}), line);
            }
        }
    }
    SECTION("a line that doubles back on itself, a closed loop, a spike") {
        std::vector<Point> back;
        for (int i = 0; i < 100; ++i) back.push_back({kX + i, kY + (i % 2)});
        for (int i = 99; i >= 0; --i) back.push_back({kX + i, kY + (i % 2)});
        const Geometry line = Geometry::lineString(back);
        for (int i = 0; i < 40; ++i)
            sameAsBruteForce(box(kX + i * 3.3, kY + 2 + i % 3, 1, 1), line);
        sameAsBruteForce(box(kX + 50, kY - 10, 1, 1), line);
    }
    SECTION("huge, tiny and mixed coordinates: the slow path where the slack would not hold") {
        for (const double scale : {1e-120, 1e-90, 1e-7, 1.0, 1e12, 1e90, 1e120, 1e200}) {
            std::vector<Point> pts;
            for (int i = 0; i < 100; ++i)
                pts.push_back({scale * (1 + i * 0.01), scale * (1 + 0.3 * std::sin(i * 0.5))});
            const Geometry line = Geometry::lineString(pts);
            CHECK(FacetIndex(line).tame() == (scale >= 1e-100 && scale <= 1e98));
            for (int i = 0; i < 10; ++i) {
                const double x = scale * (1 + i * 0.11), y = scale * (1.4 - i * 0.07);
                sameAsBruteForce(Geometry::point(x, y), line);
                sameAsBruteForce(box(x, y, scale * 0.01, scale * 0.02), line);
            }
        }
        const Geometry mixed = Geometry::lineString(
            {{0, 0},   {1e-200, 1}, {2, 1e-300}, {3, 0},   {1e-5, 4}, {5, 5},   {6, 1e-150},
             {7, 7},   {0, 8},      {9, 0},      {10, 10}, {11, 0},   {0, 12},  {13, 13},
             {14, 0},  {15, 15},    {16, 0},     {17, 17}, {0, 18},   {19, 19}, {20, 0},
             {21, 21}, {0, 22},     {23, 23},    {24, 0},  {25, 25},  {26, 0},  {27, 27},
             {0, 28},  {29, 29},    {30, 0},     {31, 31}, {32, 32}});
        CHECK_FALSE(FacetIndex(mixed).tame());
        sameAsBruteForce(box(3, 3, 1, 1), mixed);
    }
    SECTION("invalid geometry: bow-ties, a hole outside its shell, overlapping parts") {
        Shapes s;
        std::vector<Point> zigzag;  // a shell crossing itself many times
        for (int i = 0; i < 200; ++i)
            zigzag.push_back({kX + i * 10.0, kY + (i % 2 ? 500 : -500) + s.within(-50, 50)});
        zigzag.push_back({kX + 1000, kY + 2000});
        zigzag.push_back(zigzag.front());
        const Geometry bowties = Geometry::polygon({zigzag});
        const Geometry holeOutside = Geometry::polygon(
            {s.ring({kX, kY}, 1000, 100, false), s.ring({kX + 5000, kY}, 500, 60, false)});
        const Geometry overlapping =
            Geometry::collect({Geometry::polygon({s.ring({kX, kY}, 1000, 100, true)}),
                               Geometry::polygon({s.ring({kX + 300, kY}, 1000, 100, true)})});
        for (const Geometry* bad : {&bowties, &holeOutside, &overlapping}) {
            CHECK_FALSE(bad->isValid());
            for (int q = 0; q < 40; ++q) {
                const Point at{kX + s.within(-1500, 6000), kY + s.within(-1500, 1500)};
                sameAsBruteForce(s.site(at, s.within(5, 300), q % 2 == 0), *bad);
            }
        }
    }
    SECTION("empty geometries") {
        const Geometry line = Geometry::lineString({{kX, kY}, {kX + 10, kY}});
        sameAsBruteForce(Geometry(), line);
        sameAsBruteForce(line, Geometry());
        CHECK(FacetIndex(Geometry()).facetCount() == 0);
    }
}
