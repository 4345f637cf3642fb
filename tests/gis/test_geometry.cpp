#include <catch2/catch.hpp>
#include <cmath>

#include "onemap/gis/base/error.hpp"
#include "onemap/gis/geom/geometry.hpp"
#include "onemap/gis/geom/prepared_geometry.hpp"
#include "onemap/gis/text/terminal_text.hpp"

using onemap::gis::Geometry;

TEST_CASE("WKT round trip and planar measures", "[gis][geometry]") {
    const auto g = Geometry::fromWkt("POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,4 2,4 4,2 4,2 2))");
    CHECK(g.area() == Approx(100 - 4));  // hand-worked: square minus hole
    CHECK(g.length() == Approx(40 + 8));
    CHECK(g.typeName() == "Polygon");
    CHECK(Geometry::fromWkt(g.wkt()).equalsExact(g));
    const auto wkb = g.wkb();
    CHECK(Geometry::fromWkb(wkb.data(), wkb.size()).equalsExact(g));
}

TEST_CASE("Bad WKT is an input error", "[gis][geometry]") {
    CHECK_THROWS_AS(Geometry::fromWkt("POLYGON((0 0, 1"), onemap::InputError);
}

TEST_CASE("make-valid repairs a bowtie into two triangles of the right area", "[gis][geometry]") {
    // Bowtie (0,0)-(10,10)-(10,0)-(0,10): two triangles of area 25 each, by hand.
    const auto bowtie = Geometry::fromWkt("POLYGON((0 0,10 10,10 0,0 10,0 0))");
    REQUIRE_FALSE(bowtie.isValid());
    CHECK_THAT(bowtie.invalidReason(), Catch::Contains("Self-intersection"));
    const auto fixed = bowtie.makeValid();
    CHECK(fixed.isValid());
    CHECK(fixed.kind() == onemap::gis::GeometryKind::Polygon);
    CHECK(fixed.area() == Approx(50));
}

TEST_CASE("make-valid falls back to linework where GEOS's structure method throws",
          "[gis][geometry]") {
    // Found by fuzz_wkt: GEOS 3.11's structure method throws "unable to assign hole to a
    // shell" on this ring soup. The repair must still give a valid polygon, never an exit 3.
    const auto soup = Geometry::fromWkt(
        "POLYGON((3400000 34000,500100 3400000,1000 500100,500000 3400,500100 40030100,"
        "500100 5000000,1000 0,5000000 3400000,500100 0,60003000 500000,10000 10000,"
        "500100 3400000,3400000 3400,10000 500000,3400000 34000),(3400 500000,"
        "40030100 40030100,3400 500000,1000 3400000,100 100,40030100 40030100,3400 500000))");
    REQUIRE_FALSE(soup.isValid());
    const auto fixed = soup.makeValid();
    CHECK(fixed.isValid());
    CHECK(fixed.kind() == onemap::gis::GeometryKind::Polygon);
    CHECK(fixed.area() > 0);
    // Nothing outside what the rings span: x 100 … 60003000, y 0 … 40030100 by reading them.
    const auto box = fixed.envelope();
    CHECK(box.minx >= 100);
    CHECK(box.maxx <= 60003000);
    CHECK(box.miny >= 0);
    CHECK(box.maxy <= 40030100);
}

TEST_CASE("Union merges overlaps instead of adding them", "[gis][geometry]") {
    const auto a = Geometry::fromWkt("POLYGON((0 0,10 0,10 10,0 10,0 0))");
    const auto b = Geometry::fromWkt("POLYGON((5 0,15 0,15 10,5 10,5 0))");
    CHECK(Geometry::unionOf({a, b}).area() == Approx(150));  // 100 + 100 - 50
    CHECK(a.intersection(b).area() == Approx(50));
    CHECK(a.difference(b).area() == Approx(50));
}

TEST_CASE("Prepared predicates agree with plain ones", "[gis][geometry]") {
    const auto site = Geometry::fromWkt("POLYGON((0 0,10 0,10 10,0 10,0 0))");
    const onemap::gis::PreparedGeometry p(site);
    const auto inside = Geometry::fromWkt("POLYGON((1 1,2 1,2 2,1 2,1 1))");
    const auto touching = Geometry::fromWkt("POLYGON((10 0,20 0,20 10,10 10,10 0))");
    const auto far = Geometry::fromWkt("POINT(50 50)");
    CHECK(p.covers(inside));
    CHECK(p.intersects(touching));
    CHECK(site.intersection(touching).area() == 0);  // edge contact has no area
    CHECK_FALSE(p.intersects(far));
    CHECK(site.distance(far) == Approx(std::hypot(40, 40)));
}

TEST_CASE("Paths expose rings for drawing", "[gis][geometry]") {
    const auto g = Geometry::fromWkt(
        "MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5),(5.2 5.1,5.8 5.1,5.8 5.7,5.2 5.1)))");
    CHECK(g.polygons().size() == 2);
    CHECK(g.paths().size() == 3);
    CHECK(g.numVertices() == 12);
}

TEST_CASE("Subdivided pieces are small and add back up to the whole", "[gis][geometry]") {
    // A 2000-vertex circle-like polygon with a hole, and a long polyline.
    std::vector<onemap::gis::Point> shell, hole;
    for (int i = 0; i < 2000; ++i) {
        const double a = 2 * M_PI * i / 2000;
        shell.push_back({1000 * std::cos(a) * (1 + 0.05 * std::sin(7 * a)), 1000 * std::sin(a)});
    }
    for (int i = 0; i < 100; ++i) {
        const double a = -2 * M_PI * i / 100;
        hole.push_back({200 * std::cos(a), 200 * std::sin(a)});
    }
    const auto poly = Geometry::polygon({shell, hole});
    REQUIRE(poly.isValid());
    const auto pieces = poly.subdivide(64);
    CHECK(pieces.size() > 20);
    double sum = 0;
    for (const auto& p : pieces) {
        CHECK(p.numVertices() <= 64 + 8);  // clipping adds a few corner vertices
        CHECK(p.kind() == onemap::gis::GeometryKind::Polygon);
        sum += p.area();
    }
    CHECK(sum == Approx(poly.area()).epsilon(1e-9));
    CHECK(Geometry::unionOf(pieces).area() == Approx(poly.area()).epsilon(1e-9));

    std::vector<onemap::gis::Point> line;
    for (int i = 0; i < 1000; ++i) line.push_back({i * 10.0, std::sin(i / 30.0) * 500});
    const auto rail = Geometry::lineString(line);
    double length = 0;
    for (const auto& p : rail.subdivide(50)) length += p.length();
    CHECK(length == Approx(rail.length()).epsilon(1e-9));
}

TEST_CASE("Union of apart, edge-sharing and overlapping pieces", "[gis][geometry]") {
    const auto a = Geometry::fromWkt("POLYGON((0 0,10 0,10 10,0 10,0 0))");
    const auto apart = Geometry::fromWkt("POLYGON((20 0,30 0,30 10,20 10,20 0))");
    const auto sharing = Geometry::fromWkt("POLYGON((10 0,20 0,20 10,10 10,10 0))");
    const auto overlapping = Geometry::fromWkt("POLYGON((5 0,15 0,15 10,5 10,5 0))");
    const auto u1 = Geometry::unionOf({a, apart});
    CHECK(u1.area() == Approx(200));
    CHECK(u1.isValid());
    const auto u2 = Geometry::unionOf({a, sharing});
    CHECK(u2.area() == Approx(200));
    CHECK(u2.isValid());
    CHECK(u2.numParts() == 1);  // merged along the shared edge
    const auto u3 = Geometry::unionOf({a, overlapping, apart});
    CHECK(u3.area() == Approx(150 + 100));  // the overlap counted once
    CHECK(u3.isValid());
}

TEST_CASE("Terminal text: controls escaped, one line cut at a character boundary", "[gis][text]") {
    using onemap::gis::escapeControl;
    using onemap::gis::oneLine;
    CHECK(escapeControl("a\x1b[31mb") == "a\\x1B[31mb");
    CHECK(escapeControl("a\nb") == "a\\x0Ab");
    CHECK(escapeControl("a\nb", true) == "a\nb");
    CHECK(escapeControl("x\xC2\x9By") == "x\\u009By");
    CHECK(escapeControl("永久基本农田 ©") == "永久基本农田 ©");  // U+00A9 is C2 A9: kept
    CHECK(oneLine("a\nb\tc") == "a b c");
    // 100 three-byte characters cut at 10 bytes: 3 whole characters, never half of one.
    std::string chinese;
    for (int i = 0; i < 100; ++i) chinese += "农";
    CHECK(oneLine(chinese, 10) == "农农农…");
    CHECK(oneLine(std::string(700, '9')).size() == 300 + std::string("…").size());
}

TEST_CASE("A coordinate GEOS cannot write as WKT is refused, not a crash", "[gis][geometry]") {
    // Found by fuzz/fuzz_wkt: GEOS 3.11 aborts on stack overflow writing 1e300.
    const auto g = Geometry::fromWkt("POLYGON((0 0,1e300 0,0 1,0 0))");
    CHECK_THROWS_AS(g.wkt(), onemap::InputError);
    CHECK(Geometry::fromWkt("POLYGON((0 0,1e14 0,0 1,0 0))").wkt().find("100000000000000") !=
          std::string::npos);
}
