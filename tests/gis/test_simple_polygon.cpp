// The GEOS-free validity proof for one-ring polygons, checked against GEOS's own isValid
// (the independent oracle) on hand-made and random rings, degenerate ones above all.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>

#include "onemap/gis/geom/geometry.hpp"
#include "onemap/gis/geom/simple_polygon.hpp"

using namespace onemap::gis;

namespace {

bool proved(const Geometry& g, Envelope* box = nullptr) {
    const auto wkb = g.wkb();
    Envelope b;
    const bool yes = provablyValidSimplePolygon(wkb.data(), wkb.size(), b);
    if (box) *box = b;
    return yes;
}

bool proved(const std::string& wkt) { return proved(Geometry::fromWkt(wkt)); }

Geometry ring(const std::vector<Point>& pts) {
    auto closed = pts;
    closed.push_back(pts.front());
    return Geometry::polygon({closed});
}

}  // namespace

TEST_CASE("One-ring polygons are proved valid only where GEOS finds them valid", "[gis]") {
    SECTION("hand-made rings") {
        CHECK(proved("POLYGON((0 0,10 0,10 10,0 10,0 0))"));
        CHECK(proved("MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)))"));
        CHECK(proved("POLYGON((0 0,5 0,10 0,10 10,0 10,0 0))"));       // collinear vertex
        CHECK(proved("POLYGON((0 0,10 0,10 0,10 10,0 10,0 0,0 0))"));  // repeated points
        CHECK(proved("POLYGON Z((0 0 1,10 0 2,10 10 3,0 10 4,0 0 1))"));
        CHECK_FALSE(proved("POLYGON((0 0,10 10,10 0,0 10,0 0))"));              // bow-tie
        CHECK_FALSE(proved("POLYGON((0 0,10 0,10 10,10 20,10 10,0 10,0 0))"));  // spike
        CHECK_FALSE(proved("POLYGON((0 0,10 0,20 0,10 0,10 10,0 0))"));         // back along
        CHECK_FALSE(proved("POLYGON((0 0,10 0,5 5,10 10,0 10,5 5,0 0))"));      // touches itself
        CHECK_FALSE(proved("POLYGON((0 0,10 0,10 10,5 0,0 10,0 0))"));          // vertex on an edge
        CHECK_FALSE(proved("POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,4 2,4 4,2 2))"));  // hole
        CHECK_FALSE(proved("MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))"));
        CHECK_FALSE(proved("POLYGON EMPTY"));
        CHECK_FALSE(proved("LINESTRING(0 0,1 1)"));
        CHECK_FALSE(proved("POLYGON((0 0,10 0,20 0,0 0))"));  // flat
        for (const char* wkt :
             {"POLYGON((0 0,10 10,10 0,0 10,0 0))", "POLYGON((0 0,10 0,5 5,10 10,0 10,5 5,0 0))",
              "POLYGON((0 0,10 0,10 10,5 0,0 10,0 0))"})
            CHECK_FALSE(Geometry::fromWkt(wkt).isValid());  // the oracle agrees they are not
        Envelope box;
        REQUIRE(proved(Geometry::fromWkt("POLYGON((3 -1,7 2,4 9,3 -1))"), &box));
        CHECK(box.minx == 3);
        CHECK(box.miny == -1);
        CHECK(box.maxx == 7);
        CHECK(box.maxy == 9);
    }
    SECTION("malformed or unsupported WKB is never proved") {
        auto wkb = Geometry::fromWkt("POLYGON((0 0,10 0,10 10,0 10,0 0))").wkb();
        Envelope box;
        for (std::size_t cut = 0; cut < wkb.size(); ++cut)
            CHECK_FALSE(provablyValidSimplePolygon(wkb.data(), cut, box));
        auto nan = wkb;
        const double bad = std::nan("");
        std::memcpy(nan.data() + 9 + 4 + 16, &bad, 8);  // the second vertex's x
        CHECK_FALSE(provablyValidSimplePolygon(nan.data(), nan.size(), box));
    }
    SECTION(
        "random rings: small grids (touches and collinear edges everywhere) and "
        "Gauss-Krüger magnitudes nudged by an ulp") {
        std::mt19937_64 rng(60);
        std::size_t cases = 0, validByGeos = 0, provedValid = 0, starValid = 0, starProved = 0;
        for (int round = 0; round < 30000; ++round) {
            const int kind = round % 3;
            const int n = 3 + static_cast<int>(rng() % (kind == 2 ? 40 : 9));
            std::vector<Point> pts;
            if (kind == 0) {  // integer grid 0..4: degenerate on purpose
                for (int i = 0; i < n; ++i)
                    pts.push_back({static_cast<double>(rng() % 5), static_cast<double>(rng() % 5)});
            } else {  // a star around a GK point, some vertices nudged onto others' lines
                const double cx = 500000, cy = 3400000;
                std::uniform_real_distribution<double> r(1, 100), jitter(-1, 1);
                for (int i = 0; i < n; ++i) {
                    const double a = 2 * M_PI * i / n;
                    const double rad = kind == 1 ? 50 + jitter(rng) * 1e-9 : r(rng);
                    pts.push_back({cx + rad * std::cos(a), cy + rad * std::sin(a)});
                }
                if (kind == 1 && n > 4) {  // a vertex moved onto a far edge's line, or 1 ulp off
                    const std::size_t i = rng() % n, j = (i + 2) % n, k = (i + 3) % n;
                    const double t = 0.5;
                    Point on{pts[j].x + t * (pts[k].x - pts[j].x),
                             pts[j].y + t * (pts[k].y - pts[j].y)};
                    if (rng() % 2) on.x = std::nextafter(on.x, 0.0);
                    pts[i] = on;
                }
            }
            const Geometry g = ring(pts);
            const bool geos = g.isValid();
            const bool fast = proved(g);
            ++cases;
            validByGeos += geos;
            provedValid += fast;
            if (fast && !geos)
                FAIL("proved valid, GEOS says " << g.invalidReason() << " (round " << round << ")");
            if (kind == 2 && geos) {
                ++starValid;
                starProved += fast;
            }
            if (fast) {
                Envelope box;
                proved(g, &box);
                const Envelope want = g.envelope();
                CHECK(box.minx == want.minx);
                CHECK(box.maxy == want.maxy);
            }
        }
        INFO(cases << " rings, " << validByGeos << " valid by GEOS, " << provedValid << " proved");
        CHECK(validByGeos > 10000);
        CHECK(provedValid > 0.9 * validByGeos);  // the proof takes nearly all it can
        CHECK(starProved == starValid);          // generic rings: every one
    }
}
