// Deferred geometries (read from WKB on first use, as the layer cache hands them out) must
// answer exactly as the same geometry built by GEOS at once: the eager geometry is the
// reference, and hand-built WKB (big-endian, Z) checks the in-place walk on its own.
#include <catch2/catch.hpp>
#include <cstring>
#include <memory>

#include "onemap/gis/base/error.hpp"
#include "onemap/gis/geom/convex_partition.hpp"
#include "onemap/gis/geom/geometry.hpp"

using namespace onemap::gis;

namespace {

// The geometry deferred over a copy of its WKB, which only the geometry keeps alive.
Geometry deferredCopy(const Geometry& eager) {
    auto bytes = std::make_shared<std::vector<unsigned char>>(eager.wkb());
    const Geometry::WkbRef ref{bytes->data(), bytes->size(), eager.envelope()};
    return Geometry::deferred(bytes, {ref}).front();
}

void put32(std::vector<unsigned char>& out, std::uint32_t v, bool big) {
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<unsigned char>(v >> (big ? 24 - 8 * i : 8 * i)));
}
void put64(std::vector<unsigned char>& out, double d, bool big) {
    std::uint64_t v;
    std::memcpy(&v, &d, 8);
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<unsigned char>(v >> (big ? 56 - 8 * i : 8 * i)));
}

}  // namespace

TEST_CASE("A deferred geometry answers as the same geometry built at once", "[geometry]") {
    const char* shapes[] = {
        "POLYGON ((500000 3400000, 500100 3400000, 500100 3400080, 500000 3400080, 500000 "
        "3400000))",
        "POLYGON ((500000 3400000, 500300 3400000, 500300 3400300, 500000 3400300, 500000 3400000),"
        " (500100 3400100, 500100 3400200, 500200 3400200, 500200 3400100, 500100 3400100))",
        "POLYGON ((500000 3400000, 500200 3400000, 500100 3400050, 500200 3400100, 500000 3400100, "
        "500000 3400000))",
        "MULTIPOLYGON (((500000 3400000, 500050 3400000, 500050 3400050, 500000 3400000)),"
        " ((500060 3400000, 500090 3400000, 500090 3400030, 500060 3400030, 500060 3400000)))",
        "LINESTRING (500000 3400000, 500100 3400050, 500200 3400000)",
        "POINT (500010 3400020)",
        "MULTIPOINT ((500010 3400020), (500030 3400040))",
        "GEOMETRYCOLLECTION (POINT (500010 3400020), POLYGON ((500000 3400000, 500050 3400000, "
        "500050 3400050, 500000 3400000)))",
    };
    const Geometry site = Geometry::fromWkt(
        "POLYGON ((500040 3399990, 500160 3400010, 500150 3400140, 500030 3400120, 500040 "
        "3399990))");
    const auto partition = ConvexPartition::of(site);
    REQUIRE(partition);
    for (const char* wkt : shapes) {
        INFO(wkt);
        const Geometry eager = Geometry::fromWkt(wkt);
        const Geometry lazy = deferredCopy(eager);
        // Answered from the WKB, before GEOS reads it.
        CHECK(lazy.kind() == eager.kind());
        CHECK(lazy.numVertices() == eager.numVertices());
        CHECK(lazy.numParts() == eager.numParts());
        CHECK(!lazy.isEmpty());
        CHECK(lazy.envelope().minx == eager.envelope().minx);
        CHECK(lazy.envelope().maxy == eager.envelope().maxy);
        CHECK(lazy.wkb() == eager.wkb());
        // Rings walked in place: the same doubles, so the same moments to the bit.
        const AreaMoments a = partition->momentsInside(lazy), b = partition->momentsInside(eager);
        CHECK(a.area == b.area);
        CHECK(a.mxy == b.mxy);
        CHECK(ConvexPartition::ringArea(lazy) == Approx(eager.area()).epsilon(1e-12).margin(1e-9));
        if (eager.kind() == GeometryKind::Polygon) {
            const auto pa = ConvexPartition::of(lazy), pb = ConvexPartition::of(eager);
            REQUIRE(pa.has_value() == pb.has_value());
            if (pa) {
                CHECK(pa->pieceCount() == pb->pieceCount());
                CHECK(pa->momentsInside(site).area == pb->momentsInside(site).area);
            }
        }
        // And once GEOS has it, the same geometry.
        CHECK(lazy.typeName() == eager.typeName());
        CHECK(lazy.area() == eager.area());
        CHECK(lazy.equalsExact(eager));
        CHECK(lazy.intersection(site).area() == eager.intersection(site).area());
    }
}

TEST_CASE("The WKB walk reads big-endian and Z coordinates, and refuses malformed WKB",
          "[geometry]") {
    // A 3D big-endian ISO polygon (type 1003) of the unit square at Gauss–Krüger magnitudes,
    // 2 m by 3 m: area 6 m², 5 coordinates.
    std::vector<unsigned char> wkb{0};
    put32(wkb, 1003, true);
    put32(wkb, 1, true);
    put32(wkb, 5, true);
    const double ring[5][3] = {{500000, 3400000, 7},
                               {500002, 3400000, 7},
                               {500002, 3400003, 8},
                               {500000, 3400003, 8},
                               {500000, 3400000, 7}};
    for (const auto& p : ring)
        for (double v : p) put64(wkb, v, true);
    auto bytes = std::make_shared<std::vector<unsigned char>>(wkb);
    Envelope box;
    box.expand(500000, 3400000);
    box.expand(500002, 3400003);
    const Geometry g = Geometry::deferred(bytes, {{bytes->data(), bytes->size(), box}}).front();
    CHECK(g.kind() == GeometryKind::Polygon);
    CHECK(g.numVertices() == 5);
    CHECK(ConvexPartition::ringArea(g) == 6.0);
    CHECK(g.area() == 6.0);  // GEOS reads the same bytes to the same square

    // Cut short, or a ring of three points (GEOS refuses both): refused when deferred.
    const auto refuse = [&](std::vector<unsigned char> bad) {
        auto held = std::make_shared<std::vector<unsigned char>>(std::move(bad));
        CHECK_THROWS_AS(Geometry::deferred(held, {{held->data(), held->size(), box}}),
                        onemap::Error);
    };
    refuse(std::vector<unsigned char>(wkb.begin(), wkb.end() - 8));
    std::vector<unsigned char> three{1};
    put32(three, 3, false);
    put32(three, 1, false);
    put32(three, 3, false);
    for (int i = 0; i < 3; ++i) {
        put64(three, 500000 + i, false);
        put64(three, 3400000, false);
    }
    refuse(three);
    std::vector<unsigned char> trailing = wkb;
    trailing.push_back(0);
    refuse(trailing);
}
