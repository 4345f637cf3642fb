#include <catch2/catch.hpp>

#include "onemap/gis/crs/web_offset.hpp"

using namespace onemap::gis;

// Published test vectors of the GCJ-02 forward formula (the eviltransform project's
// table, used by many ports): WGS84 lat/lon → GCJ-02 lat/lon.
struct Vector {
    double wgsLat, wgsLon, gcjLat, gcjLon;
};
static const Vector kVectors[] = {
    {31.1774276, 121.5272106, 31.17530398364597, 121.531541859215},  // Shanghai
    {22.543847, 113.912316, 22.540796131694766, 113.9171764808363},  // Shenzhen
    {39.911954, 116.377817, 39.91334545536069, 116.38404722455657},  // Beijing
};

TEST_CASE("WGS84 → GCJ-02 matches published vectors", "[gis][webmap]") {
    for (const auto& v : kVectors) {
        const Point g = wgs84ToGcj02({v.wgsLon, v.wgsLat});
        CHECK(g.x == Approx(v.gcjLon).margin(1e-9));
        CHECK(g.y == Approx(v.gcjLat).margin(1e-9));
    }
}

TEST_CASE("GCJ-02 → WGS84 inverts to sub-millimetre", "[gis][webmap]") {
    for (const auto& v : kVectors) {
        const Point w = gcj02ToWgs84({v.gcjLon, v.gcjLat});
        CHECK(w.x == Approx(v.wgsLon).margin(1e-8));  // 1e-8° ≈ 1 mm
        CHECK(w.y == Approx(v.wgsLat).margin(1e-8));
    }
    // Over the whole corridor, the round trip closes.
    for (double lon = 117.0; lon <= 122.0; lon += 0.25) {
        for (double lat = 28.5; lat <= 32.5; lat += 0.25) {
            const Point back = gcj02ToWgs84(wgs84ToGcj02({lon, lat}));
            REQUIRE(back.x == Approx(lon).margin(1e-9));
            REQUIRE(back.y == Approx(lat).margin(1e-9));
        }
    }
}

TEST_CASE("The offset is hundreds of metres in the corridor and none abroad", "[gis][webmap]") {
    const Point g = wgs84ToGcj02({121.22, 31.03});
    const double metres =
        std::hypot((g.x - 121.22) * 111320 * std::cos(31.03 * M_PI / 180), (g.y - 31.03) * 110574);
    CHECK(metres > 300);
    CHECK(metres < 700);
    const Point tokyo = wgs84ToGcj02({139.69, 35.69});
    CHECK(tokyo.x == 139.69);
}

TEST_CASE("BD-09 round trip", "[gis][webmap]") {
    const Point w{120.1681, 30.2519};
    const Point back = bd09ToWgs84(wgs84ToBd09(w));
    CHECK(back.x == Approx(w.x).margin(1e-8));
    CHECK(back.y == Approx(w.y).margin(1e-8));
    // BD-09 sits a further ~0.006° from GCJ-02.
    const Point b = gcj02ToBd09(w);
    CHECK(std::abs(b.y - w.y - 0.006) < 0.002);
}
