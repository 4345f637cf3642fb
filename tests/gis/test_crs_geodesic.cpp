#include <catch2/catch.hpp>
#include <cmath>

#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/gis/geom/geometry.hpp"

using namespace onemap::gis;

TEST_CASE("EPSG:4549 is CGCS2000 3-degree GK CM 120E", "[gis][crs]") {
    const auto crs = Crs::fromUserInput("EPSG:4549");
    CHECK(crs.isProjected());
    CHECK(crs.epsg() == 4549);
    CHECK_THAT(crs.name(), Catch::Contains("CGCS2000") && Catch::Contains("120E"));
    CHECK(crs.geographic().isGeographic());
}

TEST_CASE("ESRI .prj text is recognised as its EPSG code", "[gis][crs]") {
    const auto esri = Crs::fromUserInput(Crs::fromEpsg(4549).wkt1Esri());
    CHECK(esri.epsg() == 4549);
}

TEST_CASE("Unknown CRS is an input error", "[gis][crs]") {
    CHECK_THROWS_AS(Crs::fromUserInput("EPSG:999999"), onemap::InputError);
}

TEST_CASE("The central meridian maps to false easting 500000", "[gis][crs]") {
    // Gauss-Kruger: on the central meridian x = false easting, y = meridian arc length.
    const CoordinateTransform t(Crs::fromEpsg(4490), Crs::fromEpsg(4549));
    const Point p = t.apply(Point{120.0, 30.0});
    CHECK(p.x == Approx(500000).margin(1e-6));
    // Northing on the central meridian is the meridian arc: integrate the meridional
    // radius of curvature M(φ) = a(1−e²)/(1−e² sin²φ)^{3/2} on GRS80 (Simpson's rule).
    const double a = 6378137.0, f = 1 / 298.257222101, e2 = f * (2 - f);
    const int n = 2000;
    const double h = (30.0 * M_PI / 180) / n;
    double arc = 0;
    for (int i = 0; i <= n; ++i) {
        const double s = std::sin(i * h);
        const double M = a * (1 - e2) / std::pow(1 - e2 * s * s, 1.5);
        arc += M * (i == 0 || i == n ? 1 : (i % 2 ? 4 : 2));
    }
    arc *= h / 3;
    CHECK(p.y == Approx(arc).margin(0.001));
    const CoordinateTransform back(Crs::fromEpsg(4549), Crs::fromEpsg(4490));
    const Point q = back.apply(p);
    CHECK(q.x == Approx(120.0).margin(1e-10));
    CHECK(q.y == Approx(30.0).margin(1e-10));
}

TEST_CASE("Ellipsoidal area of a square on the central meridian equals its planar area",
          "[gis][geodesic]") {
    // On the central meridian the GK scale factor is 1, so a 1 km square measured on the
    // ellipsoid must match 1,000,000 m² to within the scale change across 500 m (~3e-9).
    const auto crs = Crs::fromEpsg(4549);
    const EllipsoidalMeasure m(crs);
    const auto sq = Geometry::fromWkt(
        "POLYGON((499500 3320000,500500 3320000,500500 3321000,499500 3321000,499500 3320000))");
    CHECK(m.area(sq) == Approx(1e6).epsilon(1e-6));
    CHECK(m.length(Geometry::fromWkt("LINESTRING(500000 3320000,500000 3321000)")) ==
          Approx(1000).epsilon(1e-6));
    // Holes are subtracted.
    const auto holed = Geometry::fromWkt(
        "POLYGON((499500 3320000,500500 3320000,500500 3321000,499500 3321000,499500 3320000),"
        "(499900 3320400,500100 3320400,500100 3320600,499900 3320600,499900 3320400))");
    CHECK(m.area(holed) == Approx(1e6 - 4e4).epsilon(1e-6));
}

TEST_CASE("Off the central meridian area shrinks by the GK areal scale factor", "[gis][geodesic]") {
    // At 3° west of CM 120E (Hefei's longitude) the point scale factor is k ≈ 1 + (Δλ cos φ)²/2
    // to first order; areal scale k². Independent check: planar area / k² = ellipsoidal area.
    const auto crs = Crs::fromEpsg(4549);
    const EllipsoidalMeasure m(crs);
    const CoordinateTransform t(Crs::fromEpsg(4490), crs);
    const Point c = t.apply(Point{117.3, 31.85});
    const auto sq = Geometry::fromWkt(
        "POLYGON((" + std::to_string(c.x - 500) + " " + std::to_string(c.y - 500) + "," +
        std::to_string(c.x + 500) + " " + std::to_string(c.y - 500) + "," +
        std::to_string(c.x + 500) + " " + std::to_string(c.y + 500) + "," +
        std::to_string(c.x - 500) + " " + std::to_string(c.y + 500) + "," +
        std::to_string(c.x - 500) + " " + std::to_string(c.y - 500) + "))");
    const double dl = (117.3 - 120.0) * M_PI / 180.0;
    const double phi = 31.85 * M_PI / 180.0;
    const double eta2 = 0.00673949677548 * std::pow(std::cos(phi), 2);  // GRS80 e'^2 cos^2
    const double k = 1 + std::pow(dl * std::cos(phi), 2) / 2 * (1 + eta2);
    CHECK(m.area(sq) == Approx(sq.area() / (k * k)).epsilon(2e-5));
    CHECK(m.area(sq) < sq.area() * 0.999);  // a 0.16 % effect: why surveys use the ellipsoid
}

TEST_CASE("Unit conversions: 1 mu is 10000/15 m2", "[gis][units]") {
    CHECK(toMu(10000.0 / 15.0) == Approx(1.0));
    CHECK(toMu(1e4) == Approx(15.0));
    CHECK(toHectares(1e4) == Approx(1.0));
}

TEST_CASE("Scale-factor areas agree with vertex-by-vertex geodesic areas", "[gis][geodesic]") {
    // Parcels across the corridor (Hefei to Songjiang, 117°E–121.3°E) in EPSG:4549.
    const auto crs = Crs::fromEpsg(4549);
    const EllipsoidalMeasure m(crs);
    const CoordinateTransform t(Crs::fromEpsg(4490), crs);
    for (const auto& [lon, lat] : std::vector<std::pair<double, double>>{{117.28, 31.85},
                                                                         {118.37, 31.35},
                                                                         {120.0, 30.5},
                                                                         {120.17, 30.25},
                                                                         {121.22, 31.03},
                                                                         {119.65, 29.12}}) {
        const Point c = t.apply(Point{lon, lat});
        for (double size :
             {30.0, 300.0, 2400.0, 3000.0}) {  // 2400: 4.8 km, the largest so measured
            // An irregular hexagon with a hole.
            std::vector<Point> shell, hole;
            for (int i = 0; i < 6; ++i) {
                const double a = i * M_PI / 3, r = size * (0.8 + 0.1 * (i % 3));
                shell.push_back({c.x + r * std::cos(a), c.y + r * std::sin(a)});
                hole.push_back({c.x + 0.2 * size * std::cos(-a), c.y + 0.2 * size * std::sin(-a)});
            }
            const auto g = Geometry::polygon({shell, hole});
            INFO(lon << "," << lat << " size " << size);
            // 1e-9 relative, or 1e-4 m²: the geodesic reference's own rounding on a 30 m
            // parcel (its sums run over the whole ellipsoid's area).
            CHECK(std::abs(m.area(g) - m.geodesicArea(g)) <
                  std::max(1e-9 * m.geodesicArea(g), 1e-4));
        }
    }
}

TEST_CASE("A 20 km site's area agrees with its parts to 1 ppm", "[gis][geodesic]") {
    // Near Hefei, 2.7° off EPSG:4549's central meridian, where geodesics bow most from the
    // projection's straight edges. The reference is independent of the vertex method: the
    // sum of 400 one-kilometre squares, each measured by the areal scale factor at its
    // centroid (< 1e-7 relative each).
    const auto crs = Crs::fromEpsg(4549);
    const EllipsoidalMeasure m(crs);
    const Point c = CoordinateTransform(Crs::fromEpsg(4490), crs).apply(Point{117.28, 31.85});
    const double x0 = c.x - 10000, y0 = c.y - 10000, side = 20000;
    const auto square = [](double x, double y, double s) {
        return Geometry::polygon({{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}});
    };
    const Geometry site = square(x0, y0, side);
    double reference = 0;
    for (int i = 0; i < 20; ++i)
        for (int j = 0; j < 20; ++j)
            reference += m.area(square(x0 + i * 1000, y0 + j * 1000, 1000));
    CHECK(std::abs(m.area(site) - reference) / reference < 1e-7);
    // Inside and outside a 4 km corner (what must_be_within reports) add up to the site: the
    // corner is measured by the scale factor, the rest on the ellipsoid.
    const Geometry cut = square(x0 - 1, y0 - 1, 4001);
    const double inside = m.area(site.intersection(cut));
    const double outside = m.area(site.difference(cut));
    CHECK(std::abs(inside + outside - m.area(site)) / m.area(site) < 1e-6);
}

TEST_CASE("CRS text names a CRS exactly or is refused", "[gis][crs]") {
    // PROJ's name lookup is loose: "lol" would become a US State Plane CRS in feet.
    CHECK_THROWS_AS(Crs::fromUserInput("lol"), onemap::InputError);
    CHECK_THROWS_WITH(Crs::fromUserInput("lol"), Catch::Contains("EPSG:4549"));
    CHECK_THROWS_AS(Crs::fromUserInput("CGCS2000 GK"), onemap::InputError);
    CHECK(Crs::fromUserInput("EPSG:4549").epsg() == 4549);
    CHECK(Crs::fromUserInput("CGCS2000").epsg() == 4490);
    CHECK(Crs::fromUserInput("2000国家大地坐标系").epsg() == 4490);
    CHECK(Crs::fromUserInput("China Geodetic Coordinate System 2000").epsg() == 4490);
    CHECK(Crs::fromUserInput("+proj=longlat +ellps=GRS80 +type=crs").isGeographic());
    CHECK(Crs::fromUserInput(Crs::fromEpsg(4528).wkt()).epsg() == 4528);
}

TEST_CASE("Metre and foot CRSs are told apart", "[gis][crs]") {
    CHECK(Crs::fromEpsg(4549).isMetric());
    CHECK(Crs::fromEpsg(3857).isMetric());
    CHECK_FALSE(Crs::fromEpsg(2230).isMetric());  // NAD83 / California 6 (ftUS)
    CHECK_FALSE(Crs::fromEpsg(4490).isMetric());  // degrees
}

TEST_CASE("An exception thrown while transforming coordinates keeps its type and message",
          "[gis][geometry]") {
    const auto square = Geometry::fromWkt("POLYGON((0 0,1 0,1 1,0 1,0 0))");
    int calls = 0;
    const auto throwing = [&calls](double& x, double&) {
        if (++calls == 3)
            throw onemap::InputError("site 'S-1': coordinate " + std::to_string(x) + " bad");
    };
    CHECK_THROWS_AS(square.mapCoordinates(throwing), onemap::InputError);
    calls = 0;
    CHECK_THROWS_WITH(square.mapCoordinates(throwing), Catch::Contains("site 'S-1'"));
    // Transforms that do not throw are unaffected.
    const auto moved = square.mapCoordinates([](double& x, double& y) { x += 10, y += 20; });
    CHECK(moved.envelope().minx == 10);
    CHECK(moved.envelope().maxy == 21);
}
