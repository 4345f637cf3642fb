// PlanarDistance against GEOS's distance and nearest points (an independent
// implementation), on hand-worked cases and on random shapes at Gauss–Krüger magnitudes.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "onemap/gis/geom/planar_distance.hpp"

using namespace onemap::gis;

namespace {

constexpr double kX = 500000, kY = 3400000;

Geometry box(double x, double y, double w, double h) {
    return Geometry::polygon({{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}, {x, y}}});
}

double between(Point a, Point b) { return std::hypot(a.x - b.x, a.y - b.y); }

// The kernel's answer is GEOS's: the same distance to rounding, and a closest pair that
// lies that far apart on the two geometries (GEOS's own pair, unless two pairs tie).
void agreesWithGeos(const Geometry& from, const Geometry& other) {
    const PlanarDistance kernel(from);
    const auto got = kernel.to(other);
    const double want = from.distance(other);
    INFO(from.wkt(3) << " to " << other.wkt(3));
    REQUIRE(got.distance == Approx(want).epsilon(1e-12).margin(1e-9));
    if (want <= 0) return;
    const auto [a, b] = from.nearestPoints(other);
    CHECK(between(got.onFrom, got.onOther) == Approx(want).epsilon(1e-12).margin(1e-9));
    CHECK(Geometry::point(got.onFrom.x, got.onFrom.y).distance(from) < 1e-6);
    CHECK(Geometry::point(got.onOther.x, got.onOther.y).distance(other) < 1e-6);
    if (between(a, got.onFrom) > 1e-6 || between(b, got.onOther) > 1e-6)
        WARN("tie: GEOS chose another closest pair at the same distance");
}

}  // namespace

TEST_CASE("Planar distance: hand-worked cases match GEOS", "[gis][distance]") {
    const Geometry site = box(kX, kY, 100, 50);
    SECTION("a line 30 m east of the site") {
        const auto line = Geometry::lineString({{kX + 130, kY - 10}, {kX + 130, kY + 80}});
        const auto got = PlanarDistance(site).to(line);
        CHECK(got.distance == Approx(30).margin(1e-9));
        CHECK(got.onOther.x == kX + 130);
        agreesWithGeos(site, line);
    }
    SECTION("a diagonal line nearest the corner: 3-4-5") {
        const auto line = Geometry::lineString({{kX + 103, kY + 54}, {kX + 200, kY + 300}});
        CHECK(PlanarDistance(site).to(line).distance == Approx(5).margin(1e-9));
        agreesWithGeos(site, line);
    }
    SECTION("crossing, touching at a vertex, along an edge, inside: 0") {
        for (const auto& line : {Geometry::lineString({{kX - 10, kY + 20}, {kX + 200, kY + 20}}),
                                 Geometry::lineString({{kX + 100, kY + 50}, {kX + 200, kY + 300}}),
                                 Geometry::lineString({{kX + 100, kY - 20}, {kX + 100, kY + 90}}),
                                 Geometry::lineString({{kX + 40, kY + 20}, {kX + 60, kY + 30}}),
                                 Geometry::lineString({{kX + 50, kY + 25}, {kX + 50, kY + 150}})}) {
            CHECK(PlanarDistance(site).to(line).distance == 0);
            agreesWithGeos(site, line);
        }
    }
    SECTION("a line inside the hole of a polygon is apart from it") {
        const auto ring = Geometry::polygon(
            {{{kX, kY}, {kX + 100, kY}, {kX + 100, kY + 100}, {kX, kY + 100}, {kX, kY}},
             {{kX + 20, kY + 20},
              {kX + 80, kY + 20},
              {kX + 80, kY + 80},
              {kX + 20, kY + 80},
              {kX + 20, kY + 20}}});
        const auto line = Geometry::lineString({{kX + 40, kY + 50}, {kX + 60, kY + 50}});
        CHECK(PlanarDistance(ring).to(line).distance == Approx(20).margin(1e-9));
        agreesWithGeos(ring, line);
    }
    SECTION("points, multi-geometries and the empty geometry") {
        agreesWithGeos(site, Geometry::point(kX + 130, kY + 90));
        agreesWithGeos(Geometry::point(kX - 7, kY - 24), site);
        agreesWithGeos(site, Geometry::fromWkt("MULTILINESTRING((500300 3400300, 500400 3400310),"
                                               "(500120 3400060, 500140 3400300))"));
        agreesWithGeos(Geometry::collect({site, box(kX + 500, kY, 10, 10)}),
                       Geometry::lineString({{kX + 480, kY - 30}, {kX + 480, kY + 30}}));
        CHECK(PlanarDistance(site).to(Geometry()).distance == 0);
    }
}

TEST_CASE("Planar distance: random polygons and lines agree with GEOS", "[gis][distance]") {
    std::mt19937 rng(60);
    std::uniform_real_distribution<double> at(-400, 400), size(5, 200), unit(0, 1);
    const auto polygon = [&] {  // a star-shaped ring, often concave
        const double cx = kX + at(rng), cy = kY + at(rng), r = size(rng);
        const int n = 3 + static_cast<int>(unit(rng) * 12);
        std::vector<Point> ring;
        for (int i = 0; i < n; ++i) {
            const double a = 2 * M_PI * i / n, radius = r * (0.4 + 0.6 * unit(rng));
            ring.push_back({cx + radius * std::cos(a), cy + radius * std::sin(a)});
        }
        ring.push_back(ring.front());
        return Geometry::polygon({ring});
    };
    const auto line = [&] {
        std::vector<Point> pts{{kX + at(rng), kY + at(rng)}};
        const int n = 1 + static_cast<int>(unit(rng) * 20);
        for (int i = 0; i < n; ++i)
            pts.push_back({pts.back().x + at(rng) / 4, pts.back().y + at(rng) / 4});
        return Geometry::lineString(pts);
    };
    int zero = 0, apart = 0;
    for (int i = 0; i < 400; ++i) {
        const Geometry site = polygon();
        const Geometry other = i % 3 == 0 ? polygon() : line();
        agreesWithGeos(site, other);
        (site.distance(other) == 0 ? zero : apart)++;
    }
    CHECK(zero > 20);  // both kinds of answer were tried
    CHECK(apart > 200);
}
