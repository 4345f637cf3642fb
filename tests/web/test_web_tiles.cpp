// GET /tiles/{layer}/{z}/{x}/{y}.mvt on a real server: the tile source's bytes, read back by an
// independent decoder (GDAL's MVT driver), gzip when asked, 304 on a current ETag, 204 where
// the layer has nothing, and clean refusals of addresses that are not tiles.
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <memory>

#include "../mvt_decode.hpp"
#include "../test_support.hpp"
#include "http_client.hpp"
#include "onemap/core/check/one_map.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/core/tiles/map_tiles.hpp"
#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/web/server.hpp"

namespace {

onemap::web::Server& server() {
    static std::unique_ptr<onemap::web::Server> s = [] {
        setenv("XDG_CACHE_HOME", onemap::test::scratch("web-tiles-cache").c_str(), 1);
        onemap::web::ServerOptions o;
        o.port = 0;
        auto made = std::make_unique<onemap::web::Server>(o);
        made->start();
        return made;
    }();
    return *s;
}

std::string gunzip(const std::string& in) {
    z_stream z{};
    REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK);
    std::string out;
    char buf[65536];
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buf, sizeof buf - z.avail_out);
    }
    inflateEnd(&z);
    REQUIRE(rc == Z_STREAM_END);
    return out;
}

}  // namespace

TEST_CASE("web: a farmland tile is the tile source's, with the parcel under it, gzip and ETag",
          "[web][tiles]") {
    using namespace onemap;
    const unsigned short port = server().port();
    // A parcel of the sample, and the z12 tile under its centre (the XYZ formulas, by hand).
    const auto plan = core::Plan::load(core::defaultPlanPath());
    const auto farmland = gis::readLayer(
        (std::filesystem::path(core::defaultPlanPath()).parent_path() / "g60.gpkg").string(),
        gis::ReadOptions::forTable("farmland"));
    REQUIRE(!farmland.features.empty());
    const auto& parcel = farmland.features[farmland.features.size() / 2];
    const gis::CoordinateTransform toLonLat(farmland.crs, gis::Crs::fromEpsg(4326));
    const auto lonLat = toLonLat.apply(parcel.geometry.envelope().center());
    const int z = 12, n = 1 << z;
    const double lat = lonLat.y * M_PI / 180;
    const int x = static_cast<int>(std::floor((lonLat.x + 180) / 360 * n));
    const int y = static_cast<int>(
        std::floor((1 - std::log(std::tan(lat) + 1 / std::cos(lat)) / M_PI) / 2 * n));
    const std::string target = "/tiles/farmland/" + std::to_string(z) + "/" + std::to_string(x) +
                               "/" + std::to_string(y) + ".mvt";

    const auto plain = test::httpRequest(port, "GET", target);
    REQUIRE(plain.status == 200);
    CHECK(plain.contentType == "application/vnd.mapbox-vector-tile");
    CHECK(plain.headers.count("content-encoding") == 0);
    // The server's tile is the tile source's, byte for byte.
    const core::MapTiles tiles(core::OneMap::load(plan));
    const auto direct = tiles.tile("farmland", z, x, y);
    REQUIRE(direct.bytes);
    CHECK(plain.body == *direct.bytes);
    CHECK(plain.headers.at("etag") == direct.etag);
    // GDAL reads it: one layer named after the plan layer, the parcel in it by its FID.
    const auto layers = test::decodeTile(plain.body, z, x, y);
    REQUIRE(layers.size() == 1);
    CHECK(layers[0].name == "farmland");
    CHECK(layers[0].find(parcel.fid) != nullptr);

    const auto zipped =
        test::httpRequest(port, "GET", target, "", {{"Accept-Encoding", "deflate, gzip;q=0.8"}});
    REQUIRE(zipped.status == 200);
    CHECK(zipped.headers.at("content-encoding") == "gzip");
    CHECK(gunzip(zipped.body) == plain.body);
    CHECK(test::httpRequest(port, "GET", target, "", {{"Accept-Encoding", "gzip;q=0"}})
              .headers.count("content-encoding") == 0);

    // Asked again, the tile is answered from the caches on the I/O thread (the quick path):
    // the answers of the first time, headers and all; bad input there is still refused.
    const auto plainAgain = test::httpRequest(port, "GET", target);
    CHECK(plainAgain.status == 200);
    CHECK(plainAgain.body == plain.body);
    CHECK(plainAgain.headers == plain.headers);
    const auto zippedAgain =
        test::httpRequest(port, "GET", target, "", {{"Accept-Encoding", "deflate, gzip;q=0.8"}});
    CHECK(zippedAgain.status == 200);
    CHECK(zippedAgain.body == zipped.body);
    CHECK(zippedAgain.headers == zipped.headers);
    CHECK(test::httpRequest(port, "GET", target + "?zoom=3").status == 400);

    const auto again = test::httpRequest(port, "GET", target, "", {{"If-None-Match", direct.etag}});
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    // Before farmland's first version (2021-03-01) the layer has nothing: 204, no body.
    const auto before = test::httpRequest(port, "GET", target + "?as_of=2019-01-01");
    CHECK(before.status == 204);
    CHECK(before.body.empty());
}

TEST_CASE("web: tile addresses that are not tiles get 400 or 404, and the server goes on",
          "[web][tiles]") {
    const unsigned short port = server().port();
    const auto status = [&](const std::string& target) {
        return onemap::test::httpRequest(port, "GET", target).status;
    };
    CHECK(status("/tiles/farmland/40/0/0.mvt") == 400);
    CHECK(status("/tiles/farmland/12/4096/0.mvt") == 400);
    CHECK(status("/tiles/farmland/12/-1/0.mvt") == 400);
    CHECK(status("/tiles/farmland/12/abc/0.mvt") == 400);
    CHECK(status("/tiles/farmland/12/1e3/0.mvt") == 400);
    CHECK(status("/tiles/farmland/99999999999999999999/0/0.mvt") == 400);
    CHECK(status("/tiles/farmland/0/0/0.mvt?as_of=NaN") == 400);
    CHECK(status("/tiles/farmland/0/0/0.mvt?color=red") == 400);
    CHECK(status("/tiles/no-such-layer/0/0/0.mvt") == 404);
    CHECK(status("/tiles/farmland/0/0/0.png") == 404);
    CHECK(onemap::test::httpRequest(port, "POST", "/tiles/farmland/0/0/0.mvt").status == 405);
    CHECK(status("/tiles/city/0/0/0.mvt") == 200);
}
