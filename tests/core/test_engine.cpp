// Engine-level behaviour on small real files: binding errors name the rule, sites need a
// CRS, non-polygon sites are refused, --rules filters, verdict aggregation.
#include <tbb/global_control.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "../test_support.hpp"
#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/core/check/coverage_words.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/core/report/csv_report.hpp"
#include "onemap/core/report/json_report.hpp"
#include "onemap/core/report/text_report.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/layer/layer_writer.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

struct Fixture {
    // ctest runs test cases in parallel processes: each gets its own folder.
    fs::path dir = test::scratch("engine-" + std::to_string(::getpid()));
    Fixture() {
        const auto farm =
            test::layerOf("farm",
                          {gis::Geometry::fromWkt("POLYGON((500000 3400000,500100 3400000,500100 "
                                                  "3400100,500000 3400100,500000 3400000))")},
                          {"F1"});
        gis::writeLayer((dir / "layers.gpkg").string(), farm);
        std::ofstream(dir / "plan.toml") << R"(name = "t"
crs = "EPSG:4549"
[[layers]]
id = "farm"
title = "农田"
source = "layers.gpkg"
id_field = "id"
[[rules]]
id = "no-farm"
title = "不占农田"
kind = "must_not_overlap"
layer = "farm"
[[rules]]
id = "fa"
title = "容积率"
kind = "attribute"
field = "plot_ratio"
op = ">="
value = 1.0
severity = "warning"
)";
    }
    gis::VectorLayer sites(const std::string& wkt, bool withCrs = true) const {
        gis::VectorLayer s;
        s.name = "sites";
        if (withCrs) s.crs = gis::Crs::fromEpsg(4549);
        s.geometryType = "Unknown";
        s.fields = {{"id", gis::FieldType::String}, {"plot_ratio", gis::FieldType::Real}};
        gis::Feature f;
        f.fid = 7;
        f.values = {std::string("P-1"), 0.8};
        f.geometry = gis::Geometry::fromWkt(wkt);
        s.features = {f};
        return s;
    }
    std::string plan() const { return (dir / "plan.toml").string(); }
};

const char* kOnFarm =
    "POLYGON((500050 3400050,500150 3400050,500150 3400150,500050 3400150,500050 3400050))";

}  // namespace

TEST_CASE("Verdicts aggregate: error rule failing makes the site fail", "[core][engine]") {
    Fixture fx;
    const auto plan = core::Plan::load(fx.plan());
    const core::ComplianceEngine engine(core::OneMap::load(plan));
    const auto sites = core::SiteSet::fromGeometries(fx.sites(kOnFarm), plan.crs);
    const auto report = engine.run(sites);
    REQUIRE(report.sites.size() == 1);
    CHECK(report.sites[0].rules[0].verdict() == core::Verdict::Fail);
    CHECK(report.sites[0].rules[1].verdict() == core::Verdict::Warn);
    CHECK(report.sites[0].verdict() == core::Verdict::Fail);
    CHECK(report.exitCode() == 1);
    CHECK(*report.sites[0].rules[0].number("overlap_m2") == Approx(2500).epsilon(1e-6));
}

TEST_CASE("The rules option keeps only the named rules and refuses unknown ids", "[core][engine]") {
    Fixture fx;
    const auto plan = core::Plan::load(fx.plan());
    const auto map = core::OneMap::load(plan);
    const core::ComplianceEngine engine(map, {"fa"});
    const auto report = engine.run(core::SiteSet::fromGeometries(fx.sites(kOnFarm), plan.crs));
    REQUIRE(report.sites[0].rules.size() == 1);
    CHECK(report.sites[0].verdict() == core::Verdict::Warn);
    CHECK(report.exitCode() == 0);  // warnings do not fail a check
    // The rule left out is named, and the site was checked in part only.
    REQUIRE(report.notApplied.size() == 1);
    CHECK(report.notApplied[0].id == plan.rules[0].id);
    CHECK(report.sites[0].partial());
    CHECK(core::verdictText(report.sites[0]) == "warn (partial)");
    CHECK(report.countWhole(core::Verdict::Warn) == 0);
    CHECK(report.countPartial() == 1);
    CHECK_THROWS_WITH(core::ComplianceEngine(map, {"nope"}), Catch::Contains("nope"));
}

TEST_CASE("An attribute rule on a field the sites lack is not checked — --attr supplies it",
          "[core][engine][partial]") {
    Fixture fx;
    const auto plan = core::Plan::load(fx.plan());
    const core::ComplianceEngine engine(core::OneMap::load(plan));
    const auto whole = engine.run(core::SiteSet::fromGeometries(fx.sites(kOnFarm), plan.crs));
    auto layer = fx.sites(kOnFarm);
    layer.fields[1].name = "far";
    auto sites = core::SiteSet::fromGeometries(layer, plan.crs);
    const auto report = engine.run(sites);  // no longer an input error
    const auto& fa = report.sites[0].rules[1];
    CHECK(fa.ruleId == "fa");
    CHECK_FALSE(fa.checked());
    CHECK(core::ruleVerdictText(fa) == "not checked");
    CHECK_THAT(fa.notChecked.both(), Catch::Contains("plot_ratio") &&
                                         Catch::Contains("--attr plot_ratio=") &&
                                         Catch::Contains("--attr-table"));
    CHECK(fa.measures.empty());
    CHECK(report.sites[0].partial());
    CHECK(report.sites[0].verdict() == core::Verdict::Fail);  // the farmland rule still fails
    CHECK(core::verdictText(report.sites[0]) == "fail");
    // The same figure supplied for every site gives the result of the file that has it.
    core::SuppliedAttributes figures;
    figures.addForEverySite("plot_ratio=" +
                            gis::toString(whole.sites[0].rules[1].measures[0].value));
    sites.supply(figures);
    const auto supplied = engine.run(sites);
    const auto& again = supplied.sites[0].rules[1];
    CHECK(again.checked());
    CHECK(again.verdict() == whole.sites[0].rules[1].verdict());
    CHECK(again.number("value") == whole.sites[0].rules[1].number("value"));
    CHECK_FALSE(supplied.sites[0].partial());
}

TEST_CASE("Sites without a CRS need --sites-crs", "[core][engine]") {
    Fixture fx;
    const auto plan = core::Plan::load(fx.plan());
    CHECK_THROWS_WITH(core::SiteSet::fromGeometries(fx.sites(kOnFarm, false), plan.crs),
                      Catch::Contains("--sites-crs"));
    core::SiteOptions o;
    o.sitesCrs = "EPSG:4549";
    CHECK(core::SiteSet::fromGeometries(fx.sites(kOnFarm, false), plan.crs, o).sites.size() == 1);
}

TEST_CASE("Non-polygon sites are refused naming the site", "[core][engine]") {
    Fixture fx;
    const auto plan = core::Plan::load(fx.plan());
    CHECK_THROWS_WITH(core::SiteSet::fromGeometries(fx.sites("POINT(500000 3400000)"), plan.crs),
                      Catch::Contains("P-1") && Catch::Contains("polygons"));
}

TEST_CASE(
    "Sites read in parallel: the first bad site in file order is named, and the rest "
    "equals a one-thread read",
    "[core][engine]") {
    std::vector<gis::Geometry> shapes;
    std::vector<std::string> ids;
    for (int i = 0; i < 3000; ++i) {
        const double x = 500000 + 50.0 * (i % 60), y = 3400000 + 50.0 * (i / 60);
        shapes.push_back(test::rect(x, y, x + 40, y + 30));
        ids.push_back("S-" + std::to_string(i));
    }
    const auto crs = gis::Crs::fromEpsg(4549);
    const auto all = core::SiteSet::fromGeometries(test::layerOf("sites", shapes, ids), crs);
    {
        const tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
        const auto serial = core::SiteSet::fromGeometries(test::layerOf("sites", shapes, ids), crs);
        REQUIRE(serial.sites.size() == all.sites.size());
        for (std::size_t i = 0; i < all.sites.size(); ++i) {
            REQUIRE(all.sites[i].id == serial.sites[i].id);
            REQUIRE(all.sites[i].index == i);
            REQUIRE(all.sites[i].geometry.equalsExact(serial.sites[i].geometry));
            REQUIRE(all.sites[i].warnings == serial.sites[i].warnings);
        }
    }
    // Bad sites late and early in different chunks: the earliest is the one named, every time.
    shapes[2900] = gis::Geometry::fromWkt("POINT(500000 3400000)");
    shapes[1234] = gis::Geometry();
    shapes[1500] = gis::Geometry::fromWkt("LINESTRING(500000 3400000,500010 3400000)");
    for (int run = 0; run < 5; ++run)
        CHECK_THROWS_WITH(core::SiteSet::fromGeometries(test::layerOf("sites", shapes, ids), crs),
                          Catch::Contains("'S-1234'") && Catch::Contains("has no geometry"));
}

TEST_CASE("A plan layer whose field is missing is named with its line", "[core][engine]") {
    Fixture fx;
    std::ofstream(fx.dir / "bad.toml")
        << "name = \"t\"\ncrs = \"EPSG:4549\"\n[[layers]]\nid = \"farm\"\ntitle = \"农田\"\n"
           "source = \"layers.gpkg\"\nid_field = \"parcel\"\n";
    const auto plan = core::Plan::load((fx.dir / "bad.toml").string());
    CHECK_THROWS_WITH(core::OneMap::load(plan),
                      Catch::Contains("bad.toml:3: layer 'farm'") && Catch::Contains("parcel"));
}

TEST_CASE("JSON, CSV and text outputs carry the contract fields", "[core][report]") {
    Fixture fx;
    const auto plan = core::Plan::load(fx.plan());
    const core::ComplianceEngine engine(core::OneMap::load(plan));
    const auto report = engine.run(core::SiteSet::fromGeometries(fx.sites(kOnFarm), plan.crs));
    const std::string json = core::reportJson(report, "9.9");
    for (const char* key :
         {"\"plan\"", "\"crs\"", "\"onemap\": \"9.9\"", "\"inputs\"", "\"verdict\": \"fail\"",
          "\"area_m2\"", "\"area_mu\"", "\"overlap_m2\": 2500.0", "\"overlap_mu\"",
          "\"overlap_ha\"", "\"features\"", "\"F1\"", "\"value\": 0.8"}) {
        INFO(key);
        CHECK(json.find(key) != std::string::npos);
    }
    const std::string csv = core::reportCsv(report);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 3);  // header + 2 rules
    CHECK(csv.find("P-1,,fail,10000.00") != std::string::npos);
    const std::string text = core::reportText(report);
    CHECK(text.find("不占农田") != std::string::npos);
    CHECK(text.find("1 不合规") != std::string::npos);  // Chinese unless the plan says
}

TEST_CASE("Display width counts CJK as two columns", "[core][report]") {
    CHECK(core::displayWidth("abc") == 3);
    CHECK(core::displayWidth("永久基本农田") == 12);
    CHECK(core::displayWidth("m² 亩") == 5);
    CHECK(core::formatNumber(1234567.891, 2) == "1,234,567.89");
    CHECK(core::formatNumber(-0.004, 2) == "0.00");
}

namespace {

// A 1 km square with 2000 vertices per side: big enough to be split into pieces, while its
// area and edges stay hand-computable.
std::string denseSquare(double x0, double y0, double side, int perSide) {
    std::string wkt = "POLYGON((";
    auto add = [&](double x, double y) {
        wkt += std::to_string(x) + " " + std::to_string(y) + ",";
    };
    for (int i = 0; i < perSide; ++i) add(x0 + side * i / perSide, y0);
    for (int i = 0; i < perSide; ++i) add(x0 + side, y0 + side * i / perSide);
    for (int i = 0; i < perSide; ++i) add(x0 + side - side * i / perSide, y0 + side);
    for (int i = 0; i < perSide; ++i) add(x0, y0 + side - side * i / perSide);
    add(x0, y0);
    wkt.back() = ')';
    return wkt + ")";
}

}  // namespace

TEST_CASE("Big features split into pieces measure like the whole", "[core][engine]") {
    const fs::path dir = onemap::test::scratch("engine-pieces");
    fs::remove_all(dir);
    fs::create_directories(dir);
    const auto big = test::layerOf(
        "big", {gis::Geometry::fromWkt(denseSquare(499500, 3400000, 1000, 2000))}, {"B1"});
    REQUIRE(big.features[0].geometry.numVertices() > 8000);
    std::vector<gis::Point> line;
    for (int i = 0; i <= 5000; ++i)
        line.push_back({490000.0 + 4 * i, 3402000.0});  // y = 3402000, 20 km long
    const auto rail = test::layerOf("rail", {gis::Geometry::lineString(line)}, {"B1"});
    gis::writeLayers((dir / "l.gpkg").string(), {&big, &rail});
    std::ofstream(dir / "plan.toml") << R"(name = "t"
crs = "EPSG:4549"
[[layers]]
id = "big"
title = "大"
source = "l.gpkg"
table = "big"
id_field = "id"
[[layers]]
id = "rail"
title = "铁路"
source = "l.gpkg"
table = "rail"
id_field = "id"
[[rules]]
id = "over"
title = "重叠"
kind = "must_not_overlap"
layer = "big"
[[rules]]
id = "in"
title = "范围内"
kind = "must_be_within"
layer = "big"
[[rules]]
id = "rail"
title = "铁路"
kind = "min_distance"
layer = "rail"
distance_m = 50
)";
    const auto plan = core::Plan::load((dir / "plan.toml").string());
    const auto map = core::OneMap::load(plan);
    CHECK(map->layer("big")->size() == 1);
    // The square's 8000 vertices and the line's 5001 are split into many small pieces.
    CHECK(map->layer("big")->pieceIndex().size() >= 32);
    CHECK(map->layer("rail")->pieceIndex().size() >= 20);
    const core::ComplianceEngine engine(map);
    // A 200 × 300 m site straddling the square's east edge (x = 500500): 100 × 300 inside.
    gis::VectorLayer s;
    s.name = "sites";
    s.crs = gis::Crs::fromEpsg(4549);
    s.geometryType = "Polygon";
    s.fields = {{"id", gis::FieldType::String}};
    gis::Feature site;
    site.fid = 1;
    site.values = {std::string("S")};
    site.geometry = gis::Geometry::fromWkt(
        "POLYGON((500400 3400300,500600 3400300,500600 3400600,500400 3400600,500400 3400300))");
    s.features = {site};
    const auto report = engine.run(core::SiteSet::fromGeometries(s, plan.crs));
    const auto& r = report.sites[0].rules;
    CHECK(*r[0].number("overlap_m2") == Approx(30000).epsilon(1e-6));
    CHECK(r[0].features == std::vector<std::string>{"B1"});  // one feature, however many pieces
    CHECK(*r[1].number("inside_fraction") == Approx(0.5).epsilon(1e-6));
    CHECK(*r[1].number("outside_m2") == Approx(30000).epsilon(1e-6));
    CHECK(*r[2].number("distance_m") == Approx(3402000.0 - 3400600.0).margin(1e-6));
    CHECK(gis::toString(r[2].measure("nearest")->value) ==
          "B1");  // the rail feature's id (copied layer keeps "B1")
}

TEST_CASE("A site GEOS cannot measure is reported as unchecked, and the others are checked",
          "[core][engine]") {
    Fixture fx;
    const auto plan = core::Plan::load(fx.plan());
    const core::ComplianceEngine engine(core::OneMap::load(plan));
    auto sites = core::SiteSet::fromGeometries(fx.sites(kOnFarm), plan.crs);
    // A bowtie slipped past the reader's repair (as a bug or a hostile caller could): GEOS's
    // overlay refuses invalid input with a TopologyException.
    core::Site bad = sites.sites[0];
    bad.id = "P-BAD";
    bad.geometry = gis::Geometry::fromWkt(
        "POLYGON((500050 3400050,500150 3400150,500150 3400050,500050 3400150,500050 3400050))");
    REQUIRE_FALSE(bad.geometry.isValid());
    sites.sites.insert(sites.sites.begin(), bad);
    auto report = engine.run(sites, nullptr, 2);
    REQUIRE(report.sites.size() == 2);
    CHECK(report.sites[0].id == "P-BAD");
    CHECK(report.sites[0].verdict() == core::Verdict::Unchecked);
    CHECK_FALSE(report.sites[0].error.empty());
    CHECK(report.sites[1].verdict() == core::Verdict::Fail);  // still checked: on the farm
    CHECK(report.sites[1].rules[0].number("overlap_m2").value() == Approx(2500.0).epsilon(1e-3));
    CHECK(report.exitCode() == 2);
    const std::string json = core::reportJson(report, "test");
    CHECK(json.find("\"unchecked\"") != std::string::npos);
    CHECK(core::reportText(report).find("未能审查") != std::string::npos);
    report.lang = core::Lang::En;
    CHECK(core::reportText(report).find("could not be checked") != std::string::npos);
}

TEST_CASE("A rule that could never fail on its layer's geometry is refused", "[core][engine]") {
    Fixture fx;
    // must_not_overlap against points: the overlap is always 0 m², every site would pass.
    gis::writeLayer((fx.dir / "stations.gpkg").string(),
                    test::layerOf("stations", {gis::Geometry::point(500050, 3400050)}, {"S1"}));
    std::ofstream(fx.dir / "points.toml") << R"(name = "t"
crs = "EPSG:4549"
[[layers]]
id = "stations"
title = "车站"
source = "stations.gpkg"
[[rules]]
id = "no-station"
title = "不占车站"
kind = "must_not_overlap"
layer = "stations"
)";
    const auto plan = core::Plan::load((fx.dir / "points.toml").string());
    const core::ComplianceEngine engine(core::OneMap::load(plan));
    const auto sites = core::SiteSet::fromGeometries(fx.sites(kOnFarm), plan.crs);
    CHECK_THROWS_WITH(engine.run(sites), Catch::Contains("points.toml:7: rule 'no-station'") &&
                                             Catch::Contains("could never fail"));
    // An engine binds once, but a binding that threw is tried again: refused again, alike.
    CHECK_THROWS_WITH(engine.run(sites), Catch::Contains("points.toml:7: rule 'no-station'") &&
                                             Catch::Contains("could never fail"));
}

TEST_CASE("Rules say which site attributes they read", "[core][engine]") {
    // The truth from the plan text: an attribute rule reads its `field`, a rule with
    // `match` reads match.site; the others read none (a drawn site can be checked by them).
    const auto plan = core::Plan::load(std::string(ONEMAP_SAMPLE_DIR) + "/g60.toml");
    const auto map = core::OneMap::load(plan);
    const core::ComplianceEngine engine(map);
    REQUIRE(engine.rules().size() == plan.rules.size());
    std::size_t reading = 0;
    for (std::size_t i = 0; i < plan.rules.size(); ++i) {
        const auto& spec = plan.rules[i];
        std::vector<std::string> expected;
        if (spec.kind == "attribute") expected = {spec.text("field")};
        if (const auto m = spec.params.find("match"); m != spec.params.end())
            expected = {std::get<std::map<std::string, std::string>>(m->second).at("site")};
        INFO(spec.id);
        CHECK(engine.rules()[i]->siteFields() == expected);
        reading += expected.empty() ? 0 : 1;
    }
    CHECK(reading > 0);
    CHECK(reading < plan.rules.size());
}
