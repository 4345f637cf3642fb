// POST /api/conflicts on a real server: the conflict areas of the posted sites as RFC 7946
// GeoJSON, byte for byte the file `onemap check --conflicts x.geojson` writes, and held to an
// independent route: the CLI's GeoPackage of the same conflicts, reprojected by GDAL (ogr2ogr).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "../test_support.hpp"
#include "http_client.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/web/server.hpp"

namespace fs = std::filesystem;
using Json = nlohmann::json;
using onemap::test::httpRequest;
using onemap::test::scratch;

namespace {

onemap::web::Server& server() {
    static std::unique_ptr<onemap::web::Server> s = [] {
        setenv("XDG_CACHE_HOME", onemap::test::scratch("web-conflicts-cache").c_str(), 1);
        onemap::web::ServerOptions o;
        o.port = 0;
        o.prepareAtStart = false;  // no tiles asked here
        auto made = std::make_unique<onemap::web::Server>(o);
        made->start();
        return made;
    }();
    return *s;
}

onemap::test::CliResult cliIn(const fs::path& dir, const std::vector<std::string>& args) {
    const fs::path before = fs::current_path();
    fs::current_path(dir);
    auto r = onemap::test::runCli(args);
    fs::current_path(before);
    return r;
}

std::string surveys() {
    return (fs::path(onemap::core::defaultPlanPath()).parent_path() / "surveys").string();
}

// Every vertex of a (Multi)Polygon's rings, sorted: the same shape whichever way a ring runs.
std::vector<std::pair<double, double>> vertices(const Json& geometry) {
    std::vector<std::pair<double, double>> out;
    const bool multi = geometry["type"] == "MultiPolygon";
    const Json polygons = multi ? geometry["coordinates"] : Json::array({geometry["coordinates"]});
    for (const auto& polygon : polygons)
        for (const auto& ring : polygon)
            for (const auto& p : ring) out.emplace_back(p[0].get<double>(), p[1].get<double>());
    std::sort(out.begin(), out.end());
    return out;
}

double signedArea(const Json& ring) {
    double s = 0;
    for (std::size_t i = 1; i < ring.size(); ++i)
        s += ring[i - 1][0].get<double>() * ring[i][1].get<double>() -
             ring[i][0].get<double>() * ring[i - 1][1].get<double>();
    return s / 2;
}

}  // namespace

TEST_CASE(
    "web: /api/conflicts on P-012 is the CLI's --conflicts .geojson, and GDAL's reprojection "
    "of its .gpkg",
    "[web]") {
    const auto dir = scratch("web-conflicts");
    fs::copy_file(surveys() + "/P-012.txt", dir / "P-012.txt");
    const auto cli =
        cliIn(dir, {"check", "P-012.txt", "--format", "json", "--conflicts", "c.geojson"});
    REQUIRE(cli.code == 1);  // P-012 fails: it takes farmland
    REQUIRE(cliIn(dir, {"check", "P-012.txt", "--conflicts", "c.gpkg"}).code == 1);
    const std::string body = onemap::test::slurp((dir / "P-012.txt").string());
    const auto api =
        httpRequest(server().port(), "POST", "/api/conflicts?filename=P-012.txt", body);
    REQUIRE(api.status == 200);
    CHECK(api.contentType.find("application/geo+json") == 0);
    CHECK(api.body == onemap::test::slurp((dir / "c.geojson").string()));

    const Json ours = Json::parse(api.body);
    (void)onemap::test::capture(
        "ogr2ogr -f GeoJSON -t_srs EPSG:4326 -lco COORDINATE_PRECISION=10 " +
        (dir / "gdal.geojson").string() + " " + (dir / "c.gpkg").string() + " 2>&1");
    const Json gdal = Json::parse(onemap::test::slurp((dir / "gdal.geojson").string()));
    REQUIRE(ours["type"] == "FeatureCollection");
    REQUIRE(ours["features"].size() == gdal["features"].size());
    REQUIRE(!ours["features"].empty());
    const Json report = Json::parse(cli.out);
    for (std::size_t i = 0; i < ours["features"].size(); ++i) {
        const Json& a = ours["features"][i];
        const Json& b = gdal["features"][i];
        INFO("conflict " << i << ": " << a["properties"].dump());
        for (const char* k : {"site_id", "site_name", "rule_id", "layer", "verdict"})
            CHECK(a["properties"][k] == b["properties"][k]);
        for (const char* k : {"area_m2", "area_mu", "area_ha"})
            CHECK(a["properties"][k].get<double>() == b["properties"][k].get<double>());
        std::string joined;
        for (const auto& id : a["properties"]["features"])
            joined += (joined.empty() ? "" : ";") + id.get<std::string>();
        CHECK(joined == b["properties"]["features"]);
        // The same vertices within 1e-7° (GDAL rounds to 10 decimals, we to 9).
        const auto va = vertices(a["geometry"]), vb = vertices(b["geometry"]);
        REQUIRE(va.size() == vb.size());
        double worst = 0;
        for (std::size_t k = 0; k < va.size(); ++k)
            worst = std::max({worst, std::abs(va[k].first - vb[k].first),
                              std::abs(va[k].second - vb[k].second)});
        CHECK(worst < 1e-7);
        // RFC 7946: exterior rings counter-clockwise, holes clockwise.
        const bool multi = a["geometry"]["type"] == "MultiPolygon";
        const Json polygons =
            multi ? a["geometry"]["coordinates"] : Json::array({a["geometry"]["coordinates"]});
        for (const auto& polygon : polygons)
            for (std::size_t r = 0; r < polygon.size(); ++r)
                CHECK((signedArea(polygon[r]) > 0) == (r == 0));
        // The overlap the check reports for that rule has the area drawn.
        for (const auto& rule : report["sites"][0]["rules"])
            if (rule["id"] == a["properties"]["rule_id"] && rule.contains("overlap_m2"))
                CHECK(rule["overlap_m2"].get<double>() == a["properties"]["area_m2"].get<double>());
    }
}

TEST_CASE(
    "web: /api/conflicts with no conflict is an empty collection, and bad input is the check's "
    "400",
    "[web]") {
    // A small square: as many conflict areas as rules the check finds an overlap (or a part
    // outside) for — none at all for a site clear of every layer, and still a collection.
    const std::string site =
        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"A"},)"
        R"("geometry":{"type":"Polygon","coordinates":[[[120.6,31.3],[120.601,31.3],)"
        R"([120.601,31.301],[120.6,31.301],[120.6,31.3]]]}}]})";
    const auto dir = scratch("web-conflicts-none");
    onemap::test::put(dir / "a.geojson", site);
    const auto cli =
        cliIn(dir, {"check", "a.geojson", "--format", "json", "--conflicts", "c.geojson"});
    REQUIRE(cli.code <= 1);
    const auto api = httpRequest(server().port(), "POST", "/api/conflicts", site);
    REQUIRE(api.status == 200);
    CHECK(api.body == onemap::test::slurp((dir / "c.geojson").string()));
    const Json j = Json::parse(api.body);
    CHECK(j["type"] == "FeatureCollection");
    std::size_t withArea = 0;
    const Json checked =
        Json::parse(cli.out);  // named: a range-for over a temporary's member dangles
    for (const auto& rule : checked["sites"][0]["rules"])
        withArea += rule.value("overlap_m2", 0.0) > 0 || rule.value("outside_m2", 0.0) > 0;
    CHECK(j["features"].size() == withArea);

    const auto bad = httpRequest(server().port(), "POST", "/api/conflicts?filename=x.txt", "junk");
    CHECK(bad.status == 400);
    CHECK(Json::parse(bad.body).contains("error"));
    const auto typo = httpRequest(server().port(), "POST", "/api/conflicts?asof=2024-01-01", site);
    CHECK(typo.status == 400);
    const auto again = httpRequest(server().port(), "POST", "/api/conflicts", site);
    CHECK(again.status == 200);
}
