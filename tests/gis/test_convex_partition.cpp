// Area moments and clipping against convex pieces, checked against GEOS overlay (an
// independent computation) and hand-worked integrals.
#include <catch2/catch.hpp>
#include <cmath>

#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/gis/geom/convex_partition.hpp"

using namespace onemap::gis;

namespace {

// Gauss–Krüger magnitudes, where cancellation would show.
constexpr double kX = 500000, kY = 3400000;

Geometry box(double x, double y, double w, double h) {
    return Geometry::polygon({{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}, {x, y}}});
}

// A star-shaped ring (non-convex), clockwise when cw.
std::vector<Point> star(Point c, double r, int points, bool cw, double phase = 0.3) {
    std::vector<Point> ring;
    for (int i = 0; i < 2 * points; ++i) {
        const double a = (cw ? -1 : 1) * (i * M_PI / points + phase);
        const double radius = i % 2 ? r * 0.45 : r;
        ring.push_back({c.x + radius * std::cos(a), c.y + radius * std::sin(a)});
    }
    ring.push_back(ring.front());
    return ring;
}

}  // namespace

TEST_CASE("Moments of a rectangle are the hand-worked integrals", "[gis][moments]") {
    // [0,a]×[0,b] about its corner: ∫x = a²b/2, ∫x² = a³b/3, ∫xy = a²b²/4.
    const double a = 30, b = 20;
    const std::vector<Point> ring{{kX, kY}, {kX + a, kY}, {kX + a, kY + b}, {kX, kY + b}};
    const AreaMoments m = AreaMoments::ofRing(ring.data(), ring.size(), {kX, kY});
    CHECK(m.area == Approx(a * b));
    CHECK(m.mx == Approx(a * a * b / 2));
    CHECK(m.my == Approx(a * b * b / 2));
    CHECK(m.mxx == Approx(a * a * a * b / 3));
    CHECK(m.myy == Approx(a * b * b * b / 3));
    CHECK(m.mxy == Approx(a * a * b * b / 4));
    // Taken about its centre instead: first moments vanish, ∫x² = a³b/12.
    const AreaMoments c = m.about(a / 2, b / 2);
    CHECK(std::abs(c.mx) < 1e-9);
    CHECK(std::abs(c.mxy) < 1e-6);
    CHECK(c.mxx == Approx(a * a * a * b / 12));
    // Clockwise: all negative.
    const std::vector<Point> cw(ring.rbegin(), ring.rend());
    CHECK(AreaMoments::ofRing(cw.data(), cw.size(), {kX, kY}).area == Approx(-a * b));
}

TEST_CASE("Area inside a convex or triangulated polygon equals the GEOS intersection",
          "[gis][moments]") {
    const Point c{kX + 123.4, kY + 567.8};
    // Sites: a convex rotated quadrilateral, a star (triangulated), an L with a hole, two
    // separate squares.
    std::vector<Point> quad{{c.x - 300, c.y - 100},
                            {c.x + 250, c.y - 220},
                            {c.x + 330, c.y + 260},
                            {c.x - 180, c.y + 300},
                            {c.x - 300, c.y - 100}};
    const Geometry lShape = Geometry::polygon({{{c.x - 400, c.y - 400},
                                                {c.x + 400, c.y - 400},
                                                {c.x + 400, c.y},
                                                {c.x, c.y},
                                                {c.x, c.y + 400},
                                                {c.x - 400, c.y + 400},
                                                {c.x - 400, c.y - 400}},
                                               {{c.x - 300, c.y - 300},
                                                {c.x - 300, c.y - 100},
                                                {c.x - 100, c.y - 100},
                                                {c.x - 100, c.y - 300},
                                                {c.x - 300, c.y - 300}}});
    const std::vector<Geometry> sites{
        Geometry::polygon({quad}), Geometry::polygon({star(c, 350, 7, false)}), lShape,
        Geometry::collect({box(c.x - 350, c.y - 350, 200, 200), box(c.x + 50, c.y, 250, 150)})};
    // Subjects: stars either way round with a hole, a parcel sharing the site's edge, a
    // subject covering everything, one far away, a multipolygon.
    const std::vector<Geometry> subjects{
        Geometry::polygon(
            {star({c.x + 60, c.y - 40}, 380, 5, true), star({c.x + 60, c.y - 40}, 60, 4, false)}),
        Geometry::polygon({star({c.x - 150, c.y + 90}, 260, 9, false)}),
        box(c.x - 300, c.y - 500, 550, 400),
        box(c.x - 5000, c.y - 5000, 10000, 10000),
        box(c.x + 3000, c.y, 50, 50),
        Geometry::collect(
            {box(c.x - 390, c.y - 390, 100, 700), box(c.x + 100, c.y + 100, 90, 90)})};
    for (std::size_t s = 0; s < sites.size(); ++s) {
        const auto partition = ConvexPartition::of(sites[s]);
        REQUIRE(partition);
        for (std::size_t k = 0; k < subjects.size(); ++k) {
            INFO("site " << s << " subject " << k);
            const Geometry geos = sites[s].intersection(subjects[k]).polygonalPart();
            const AreaMoments m = partition->momentsInside(subjects[k]);
            const double expected = geos.isEmpty() ? 0.0 : geos.area();
            CHECK(std::abs(m.area - expected) <= 1e-9 * std::max(expected, 1.0));
            if (expected > 0) {  // the first moments put the centroid where GEOS does
                const Point o = partition->origin();
                const auto centroid = geos.centroid().envelope().center();
                CHECK(m.mx / m.area + o.x == Approx(centroid.x).margin(1e-6));
                CHECK(m.my / m.area + o.y == Approx(centroid.y).margin(1e-6));
            }
        }
    }
    CHECK(ConvexPartition::of(Geometry::polygon({quad}))->pieceCount() == 1);
    CHECK(ConvexPartition::of(lShape)->pieceCount() > 1);
    CHECK_FALSE(ConvexPartition::of(Geometry()));
    CHECK_FALSE(ConvexPartition::of(Geometry::lineString({{kX, kY}, {kX + 1, kY}})));
}

TEST_CASE("Areas from moments add up over parts and match the ellipsoid to 1e-9",
          "[gis][moments][geodesic]") {
    // Hefei, 2.8° off the central meridian of EPSG:4549, where the scale factor varies most.
    const auto crs = Crs::fromEpsg(4549);
    const EllipsoidalMeasure m(crs);
    const Point c = CoordinateTransform(Crs::fromEpsg(4490), crs).apply(Point{117.28, 31.85});
    const Geometry site = Geometry::polygon({star(c, 2400, 6, false)});  // 4.8 km across
    const auto partition = ConvexPartition::of(site);
    REQUIRE(partition);
    // Four quadrants measured separately add up to the whole, measured as one polygon.
    double sum = 0;
    for (const auto& q : {box(c.x - 3000, c.y - 3000, 3000, 3000), box(c.x, c.y - 3000, 3000, 3000),
                          box(c.x - 3000, c.y, 3000, 3000), box(c.x, c.y, 3000, 3000)})
        sum += m.area(partition->momentsInside(q), partition->origin());
    CHECK(std::abs(sum - m.area(site)) / m.area(site) < 1e-11);
    // And the whole agrees with the vertex-by-vertex geodesic area.
    CHECK(std::abs(m.area(site) - m.geodesicArea(site)) / m.geodesicArea(site) < 1e-9);
    // Not projected: no moment area.
    CHECK(EllipsoidalMeasure(Crs::fromEpsg(4490)).area(AreaMoments{1, 0, 0, 0, 0, 0}, {0, 0}) < 0);
}

TEST_CASE("A separating edge proves convex parcels apart — anything else is left to clipping",
          "[gis][convex]") {
    // Parcels of a 20 m grid, rotated by 0.3 rad at Gauss-Krüger magnitudes, so no edge is
    // axis-parallel and every shared vertex has rounded coordinates.
    const double a = 0.3, ca = std::cos(a), sa = std::sin(a);
    const auto at = [&](double u, double v) -> Point {
        return {kX + 20 * (u * ca - v * sa), kY + 20 * (u * sa + v * ca)};
    };
    const auto cell = [&](double u, double v, double w = 1, double h = 1) {
        return Geometry::polygon(
            {{at(u, v), at(u + w, v), at(u + w, v + h), at(u, v + h), at(u, v)}});
    };
    const auto apart = [](const Geometry& p, const Geometry& q) {
        const bool proved = ConvexPartition::of(p)->provablyApart(q);
        // Whenever it says apart, GEOS finds no shared area (the truth, by overlay).
        if (proved) CHECK(p.intersection(q).polygonalPart().area() < 1e-6);
        return proved;
    };
    const Geometry centre = cell(0, 0);
    for (const auto& [u, v] : {std::pair{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {-1, -1}}) {
        INFO(u << "," << v);
        CHECK(apart(centre, cell(u, v)));  // sharing an edge or a corner
        CHECK(apart(cell(u, v), centre));
    }
    CHECK(apart(centre, cell(3, 0)));                        // well apart
    CHECK_FALSE(apart(centre, cell(0.5, 0.5)));              // overlapping a quarter
    CHECK_FALSE(apart(centre, cell(0.25, 0.25, 0.5, 0.5)));  // inside
    CHECK_FALSE(apart(centre, centre));
    // An L-shaped neighbour is not convex: not proved, though it only touches.
    const Geometry lShape =
        Geometry::polygon({{at(1, 0), at(3, 0), at(3, 2), at(2, 2), at(2, 1), at(1, 1), at(1, 0)}});
    CHECK_FALSE(apart(centre, lShape));
    // A neighbour with a hole: not proved either.
    const Geometry holed = Geometry::polygon({{at(1, 0), at(4, 0), at(4, 3), at(1, 3), at(1, 0)},
                                              {at(2, 1), at(2, 2), at(3, 2), at(3, 1), at(2, 1)}});
    CHECK_FALSE(apart(centre, holed));
    // A partition of several pieces (a non-convex polygon) does not try.
    CHECK_FALSE(ConvexPartition::of(lShape)->provablyApart(cell(5, 5)));
}
