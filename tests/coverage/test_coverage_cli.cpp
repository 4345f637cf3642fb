// `onemap coverage` end to end on GeoPackages of its own (never the sample): the JSON against a
// brute force over the same features, text and CSV, the uncovered cells read back by GDAL,
// --as-of with the services' date field, network distance, and bad input (exit 2, one line,
// nothing written).
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "../test_support.hpp"
#include "onemap/gis/layer/layer_writer.hpp"

namespace fs = std::filesystem;
using onemap::test::runCli;
namespace gis = onemap::gis;

namespace {

std::size_t filesIn(const fs::path& dir) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
}

struct Fixture {
    fs::path dir;
    std::string plan, planDegrees;
    // What was written, for the brute force.
    std::vector<std::array<double, 2>> services;
    std::vector<std::string> kinds, opened;
    std::vector<std::array<double, 3>> cells;  // x, y, pop
};

gis::Feature feature(std::int64_t fid, std::vector<gis::Value> values, gis::Geometry g) {
    gis::Feature f;
    f.fid = fid;
    f.values = std::move(values);
    f.geometry = std::move(g);
    return f;
}

Fixture makeFixture(const std::string& name) {
    Fixture fx;
    fx.dir = onemap::test::scratch(name);
    std::mt19937_64 rng(99);
    std::uniform_int_distribution<int> coord(0, 4000), pop(0, 300);
    const gis::Crs crs = gis::Crs::fromEpsg(4549);
    const double x0 = 500000, y0 = 3400000;

    gis::VectorLayer services;
    services.name = "svc";
    services.crs = crs;
    services.geometryType = "Point";
    services.fields = {{"kind", gis::FieldType::String}, {"opened", gis::FieldType::String}};
    const char* kinds[] = {"教育", "医疗"};
    for (int i = 0; i < 30; ++i) {
        const double x = x0 + coord(rng), y = y0 + coord(rng);
        fx.services.push_back({x, y});
        fx.kinds.push_back(kinds[i % 2]);
        fx.opened.push_back(i < 20 ? "2020-01-01" : "2025-06-01");
        services.features.push_back(
            feature(i + 1, {fx.kinds.back(), fx.opened.back()}, gis::Geometry::point(x, y)));
    }
    gis::VectorLayer population;
    population.name = "pop";
    population.crs = crs;
    population.geometryType = "Point";
    population.fields = {{"pop", gis::FieldType::Integer},
                         {"bad", gis::FieldType::Integer},
                         {"label", gis::FieldType::String}};
    for (int i = 0; i < 600; ++i) {
        // On a 100 m lattice, some exactly 300/500/1000 m from a facility.
        double x = x0 - 200 + 100.0 * (i % 25), y = y0 - 200 + 200.0 * (i / 25);
        if (i % 50 == 7) {
            x = fx.services[i % 30][0] + 300;
            y = fx.services[i % 30][1];
        }
        const double p = pop(rng);
        fx.cells.push_back({x, y, p});
        population.features.push_back(
            feature(i + 1, {std::int64_t(p), std::int64_t(i == 10 ? -4 : 1), std::string("c")},
                    gis::Geometry::point(x, y)));
    }
    gis::VectorLayer units;
    units.name = "district";
    units.crs = crs;
    units.geometryType = "Polygon";
    units.fields = {{"name", gis::FieldType::String}};
    units.features.push_back(
        feature(1, {std::string("甲区")}, onemap::test::rect(x0, y0, x0 + 1500, y0 + 4000)));
    units.features.push_back(
        feature(2, {std::string("乙区")}, onemap::test::rect(x0 + 1500, y0, x0 + 4000, y0 + 4000)));
    gis::VectorLayer roads;
    roads.name = "roads";
    roads.crs = crs;
    roads.geometryType = "LineString";
    roads.fields = {{"id", gis::FieldType::String}};
    // Noded: every line has a vertex at each crossing (500 m apart).
    for (int i = 0; i <= 8; ++i) {
        const double at = 500.0 * i;
        std::vector<gis::Point> h, v;
        for (int j = 0; j <= 8; ++j) {
            h.push_back({x0 + 500.0 * j, y0 + at});
            v.push_back({x0 + at, y0 + 500.0 * j});
        }
        roads.features.push_back(
            feature(2 * i + 1, {std::string("h")}, gis::Geometry::lineString(h)));
        roads.features.push_back(
            feature(2 * i + 2, {std::string("v")}, gis::Geometry::lineString(v)));
    }
    gis::writeLayers((fx.dir / "data.gpkg").string(), {&services, &population, &units, &roads});
    const std::string layers =
        "[[layers]]\nid = \"district\"\ntitle = \"区\"\nsource = \"data.gpkg\"\ntable = "
        "\"district\"\nrole = \"admin\"\nlabel = \"name\"\n"
        "[[layers]]\nid = \"services\"\ntitle = \"设施\"\nsource = \"data.gpkg\"\ntable = "
        "\"svc\"\ndate_field = \"opened\"\n"
        "[[layers]]\nid = \"population\"\ntitle = \"人口\"\nsource = \"data.gpkg\"\ntable = "
        "\"pop\"\n"
        "[[layers]]\nid = \"streets\"\ntitle = \"街道\"\nsource = \"data.gpkg\"\ntable = "
        "\"roads\"\n";
    fx.plan =
        onemap::test::put(fx.dir / "plan.toml", "name = \"cov\"\ncrs = \"EPSG:4549\"\n" + layers);
    fx.planDegrees =
        onemap::test::put(fx.dir / "deg.toml", "name = \"cov\"\ncrs = \"EPSG:4490\"\n" + layers);
    return fx;
}

}  // namespace

TEST_CASE("Coverage CLI: the JSON equals a brute force over the same features", "[coverage]") {
    const Fixture fx = makeFixture("coverage-cli");
    const std::string json = (fx.dir / "out.json").string();
    const std::string gpkg = (fx.dir / "uncovered.gpkg").string();
    const auto r = runCli({"coverage", fx.plan, "--kind", "kind", "--format", "json", "-o", json,
                           "--uncovered", gpkg, "--as-of", "2026-01-01"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(onemap::test::slurp(json));
    CHECK(j["distance"] == "straight");
    CHECK(j["facilities"] == 30);
    REQUIRE(j["kinds"] == nlohmann::json({"医疗", "教育"}));
    const std::vector<double> tiers{300, 500, 1000};
    // Units: 甲区 (x < x0 + 1500, inclusive edge), 乙区, outside, total.
    REQUIRE(j["units"].size() == 4);
    CHECK(j["units"][2]["role"] == "outside");
    CHECK(j["units"][3]["role"] == "total");
    std::size_t uncovered = 0;
    for (std::size_t k = 0; k < 2; ++k)
        for (std::size_t t = 0; t < 3; ++t) {
            double residents[4] = {}, covered[4] = {};
            for (const auto& c : fx.cells) {
                const bool in = c[1] >= 3400000 && c[1] <= 3404000;
                const std::size_t u = !in || c[0] < 500000 || c[0] > 504000 ? 2
                                      : c[0] <= 501500                      ? 0
                                                                            : 1;
                bool near = false, nearMax = false;
                for (std::size_t f = 0; f < fx.services.size(); ++f) {
                    if (fx.kinds[f] != j["kinds"][k]) continue;
                    const double dx = fx.services[f][0] - c[0], dy = fx.services[f][1] - c[1];
                    near = near || dx * dx + dy * dy <= tiers[t] * tiers[t];
                    nearMax = nearMax || dx * dx + dy * dy <= 1e6;
                }
                for (const std::size_t row : {u, std::size_t(3)}) {
                    residents[row] += c[2];
                    if (near) covered[row] += c[2];
                }
                if (t == 0 && !nearMax && c[2] > 0) ++uncovered;
            }
            for (std::size_t u = 0; u < 4; ++u) {
                const auto& tier = j["units"][u]["kinds"][k]["tiers"][t];
                INFO("unit " << u << " kind " << k << " tier " << t);
                CHECK(tier["tier_m"] == tiers[t]);
                CHECK(tier["residents"] == residents[u]);
                CHECK(tier["covered"] == covered[u]);
            }
        }
    CHECK(j["uncovered_cells"] == uncovered);
    // The uncovered cells as GDAL reads them.
    GDALAllRegister();
    std::unique_ptr<GDALDataset> ds(
        GDALDataset::Open(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    OGRLayer* layer = ds->GetLayerByName("uncovered");
    REQUIRE(layer);
    CHECK(std::size_t(layer->GetFeatureCount()) == uncovered);
    for (auto& f : *layer) {
        CHECK(f->GetFieldAsInteger("pop") > 0);
        CHECK(f->GetFieldAsDouble("nearest_m") > 1000);
        CHECK(f->GetFieldAsDouble("tier_m") == 1000);
    }
    // Before the ten later facilities opened: fewer facilities, a note on the ones to come.
    const auto early = runCli({"coverage", fx.plan, "--format", "json", "--as-of", "2024-01-01"});
    REQUIRE(early.code == 0);
    CHECK(nlohmann::json::parse(early.out)["facilities"] == 20);
    CHECK(nlohmann::json::parse(early.out)["kinds"] == nlohmann::json({"all"}));

    // Text and CSV: the same numbers; the text says how distance was measured.
    const auto text = runCli({"coverage", fx.plan, "--kind", "kind", "--as-of", "2026-01-01"});
    REQUIRE(text.code == 0);
    CHECK_THAT(text.out, Catch::Contains("直线距离"));
    CHECK_THAT(text.out, Catch::Contains("甲区"));
    CHECK_THAT(text.out, Catch::Contains("单元之外"));
    const auto csv =
        runCli({"coverage", fx.plan, "--kind", "kind", "--format", "csv", "--as-of", "2026-01-01"});
    REQUIRE(csv.code == 0);
    CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') == 1 + 4 * 2 * 3);
    CHECK_THAT(csv.out, Catch::StartsWith("unit,role,kind,tier_m,residents,covered,share"));
}

TEST_CASE("Coverage CLI: network distance along the plan's streets", "[coverage]") {
    const Fixture fx = makeFixture("coverage-net");
    const auto r = runCli({"coverage", fx.plan, "--distance", "network", "--roads", "streets",
                           "--format", "json", "--as-of", "2026-01-01"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto straight =
        runCli({"coverage", fx.plan, "--format", "json", "--as-of", "2026-01-01"});
    const auto n = nlohmann::json::parse(r.out), s = nlohmann::json::parse(straight.out);
    CHECK(n["distance"] == "network");
    CHECK_THAT(r.err, Catch::Contains("network distance (81 nodes, 144 edges)"));
    // A walk is never shorter than the straight line: never more covered.
    for (std::size_t t = 0; t < 3; ++t)
        CHECK(n["units"][3]["kinds"][0]["tiers"][t]["covered"] <=
              s["units"][3]["kinds"][0]["tiers"][t]["covered"]);
    const auto text = runCli({"coverage", fx.plan, "--distance", "network", "--roads", "streets"});
    CHECK_THAT(text.out, Catch::Contains("沿街步行距离"));
}

TEST_CASE("Coverage CLI: bad input exits 2 with one line and writes nothing", "[coverage]") {
    const Fixture fx = makeFixture("coverage-bad");
    const std::string out = (fx.dir / "out.json").string();
    const std::string gpkg = (fx.dir / "u.gpkg").string();
    const auto before = filesIn(fx.dir);
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"--services", "district"}, "--centroids"},
        {{"--tiers", "0"}, "> 0"},
        {{"--tiers", "nan"}, "> 0"},
        {{"--tiers", "-300"}, "> 0"},
        {{"--tiers", "500,300"}, "ascending"},
        {{"--tiers", "300,300"}, "ascending"},
        {{"--tiers", "300,abc"}, "abc"},
        {{"--tiers", "300,"}, "--tiers"},
        {{"--pop-field", "label"}, "holds text"},
        {{"--pop-field", "bad"}, "fid 11"},
        {{"--pop-field", "nope"}, "no field 'nope'"},
        {{"--kind", "nope"}, "no field 'nope'"},
        {{"--services", "nope"}, "no layer 'nope'"},
        {{"--population", "nope"}, "no layer 'nope'"},
        {{"--distance", "network"}, "no layer 'roads'"},
        {{"--distance", "network", "--roads", "services"}, "not a line"},
        {{"--distance", "walk"}, "walk"},
        {{"--format", "xml"}, "xml"},
        {{"--uncovered", (fx.dir / "u.shp").string()}, ".gpkg"},
    };
    for (const auto& [args, says] : cases) {
        std::vector<std::string> with{"coverage", fx.plan};
        with.insert(with.end(), args.begin(), args.end());
        with.insert(with.end(), {"-o", out});
        if (args.front() != "--uncovered") with.insert(with.end(), {"--uncovered", gpkg});
        const auto r = runCli(with);
        INFO(args.front() << " " << args.back() << " → " << r.err);
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains(says));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK(filesIn(fx.dir) == before);
    }
    // A CRS in degrees; an output that is an input.
    const auto degrees = runCli({"coverage", fx.planDegrees, "-o", out});
    CHECK(degrees.code == 2);
    CHECK_THAT(degrees.err, Catch::Contains("not projected"));  // the plan refuses it
    const auto over = runCli({"coverage", fx.plan, "--uncovered", (fx.dir / "data.gpkg").string()});
    CHECK(over.code == 2);
    CHECK(filesIn(fx.dir) == before);
    // Polygons at their centroids are fine.
    const auto centroids = runCli(
        {"coverage", fx.plan, "--services", "district", "--centroids", "--as-of", "2026-01-01"});
    CHECK(centroids.code == 0);
    CHECK_THAT(centroids.err, Catch::Contains("declares no date_field"));  // all count
}
