// The quota rule: per admin unit, quota (亩) + transfers in force − land used by approved
// projects − this site. Every figure below is hand-worked from rectangles on the central
// meridian of EPSG:4549, where ellipsoidal areas equal planar ones to within 1e-6.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "../test_support.hpp"
#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/layer/layer_writer.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

using test::rect;

constexpr double kX = 500000, kY = 3400000;
constexpr double kMu = gis::kSquareMetresPerMu;  // 666.67 m²

// Two cities side by side: 甲市 west of the meridian (quota 30 亩), 乙市 east (15 亩), and
// 丙市 further east stating no quota. Farmland: one band across 甲 and 乙, and a parcel
// duplicating its west end (shared ground must count once).
void writeMap(const fs::path& dir) {
    gis::VectorLayer city = test::layerOf(
        "city",
        {rect(kX - 5000, kY - 5000, kX, kY + 5000), rect(kX, kY - 5000, kX + 5000, kY + 5000),
         rect(kX + 5000, kY - 5000, kX + 9000, kY + 5000)},
        {"甲市", "乙市", "丙市"});
    city.fields.push_back({"quota_mu", gis::FieldType::Real});
    city.features[0].values.emplace_back(30.0);
    city.features[1].values.emplace_back(15.0);
    city.features[2].values.emplace_back();  // NULL
    const auto farmland =
        test::layerOf("farmland", {rect(kX - 3000, kY - 1000, kX + 8000, kY + 1000),
                                   rect(kX - 3000, kY - 1000, kX - 2900, kY + 1000)});
    // Approved projects: P1 (2023) wholly on farmland in 甲, 100 × 100; P2 (2024-05) at the
    // band's north edge over the duplicated parcel: 100 × 100 of its 100 × 200 on farmland.
    gis::VectorLayer reg = test::layerOf(
        "register",
        {rect(kX - 2000, kY, kX - 1900, kY + 100), rect(kX - 3000, kY + 900, kX - 2900, kY + 1100)},
        {"P1", "P2"});
    reg.fields.push_back({"approved", gis::FieldType::String});
    reg.features[0].values.emplace_back(std::string("2023-01-01"));
    reg.features[1].values.emplace_back(std::string("2024-05-01"));
    gis::writeLayers((dir / "map.gpkg").string(), {&city, &farmland, &reg});
    // 6 亩 moved from 乙市 to 甲市 on 2024-01-01 (a table: no geometry).
    std::ofstream(dir / "transfers.csv") << "from,to,mu,date,doc\n乙市,甲市,6,2024-01-01,调剂1\n";
}

std::string plan(const std::string& transfers = "transfers.csv",
                 const std::string& extra = "layer = \"farmland\"\n") {
    return R"(name = "指标"
crs = "EPSG:4549"
[[layers]]
id = "city"
title = "城市"
source = "map.gpkg"
table = "city"
role = "admin"
label = "id"
[[layers]]
id = "farmland"
title = "永久基本农田"
source = "map.gpkg"
table = "farmland"
[[layers]]
id = "approved"
title = "已批项目"
source = "map.gpkg"
table = "register"
id_field = "id"
date_field = "approved"
[[layers]]
id = "transfers"
title = "指标调剂"
source = ")" +
           transfers +
           R"("
date_field = "date"
id_field = "doc"
[[rules]]
id = "farmland-quota"
title = "占用耕地指标"
kind = "quota"
admin = "city"
quota_field = "quota_mu"
register = "approved"
transfers = "transfers"
)" + extra;
}

struct Run {
    core::RuleResult rule;
    double number(const char* name) const { return rule.number(name).value_or(-1e300); }
};

Run check(const fs::path& dir, const std::string& planText, const std::string& asOf,
          const gis::Geometry& site, const std::string& id = "S") {
    std::ofstream(dir / "plan.toml") << planText;
    gis::writeLayer((dir / "site.gpkg").string(), test::layerOf("sites", {site}, {id}));
    const auto p = core::Plan::load((dir / "plan.toml").string()).inForceOn(asOf);
    const core::ComplianceEngine engine(core::OneMap::load(p));
    const auto sites = core::SiteSet::load((dir / "site.gpkg").string(), p.crs);
    const auto report = engine.run(sites);
    REQUIRE(report.sites.size() == 1);
    REQUIRE(report.sites[0].error.empty());
    REQUIRE(report.sites[0].rules.size() == 1);
    return {report.sites[0].rules[0]};
}

void near(double got, double want) { CHECK(got == Approx(want).epsilon(1e-6).margin(0.01)); }

}  // namespace

TEST_CASE("Quota: used, this site and remaining follow approvals and transfers by date",
          "[core][quota]") {
    const fs::path dir = test::scratch("quota");
    writeMap(dir);
    const auto site = rect(kX - 1000, kY, kX - 900, kY + 100);  // 10,000 m² of farmland in 甲

    // 2023-06: quota 20,000 m² (30 亩), P1 used 10,000, this 10,000: exactly used up.
    auto r = check(dir, plan(), "2023-06-01", site);
    CHECK(r.rule.passed);
    CHECK(gis::toString(r.rule.measure("unit")->value) == "甲市");
    near(r.number("quota_m2"), 30 * kMu);
    near(r.number("transferred_m2"), 0);
    near(r.number("used_m2"), 10000);
    near(r.number("this_m2"), 10000);
    near(r.number("remaining_m2"), 30 * kMu - 20000);
    CHECK(r.rule.features == std::vector<std::string>{"P1"});

    // 2024-02: the 6 亩 transfer is in force: 4,000 m² more.
    r = check(dir, plan(), "2024-02-01", site);
    CHECK(r.rule.passed);
    near(r.number("transferred_m2"), 6 * kMu);
    near(r.number("remaining_m2"), 36 * kMu - 20000);

    // 2024-06: P2 approved, 10,000 m² on farmland (the duplicated parcel counted once).
    r = check(dir, plan(), "2024-06-01", site);
    CHECK_FALSE(r.rule.passed);
    CHECK(r.rule.verdict() == core::Verdict::Fail);
    near(r.number("used_m2"), 20000);
    near(r.number("remaining_m2"), 36 * kMu - 30000);
    CHECK(r.rule.features == std::vector<std::string>{"P1", "P2"});
    CHECK_THAT(r.rule.summary.en, Catch::Contains("甲市") && Catch::Contains("remaining"));

    // A site across the two cities: 5,000 m² in each. 乙 has 15 − 6 亩 left: fine; 甲 decides.
    r = check(dir, plan(), "2024-06-01", rect(kX - 50, kY, kX + 50, kY + 100));
    CHECK_FALSE(r.rule.passed);
    CHECK(gis::toString(r.rule.measure("unit")->value) == "甲市");
    near(r.number("this_m2"), 5000);
    const core::Measure* byUnit = r.rule.measure("remaining_by_m2");
    REQUIRE(byUnit);
    REQUIRE(byUnit->breakdown.size() == 2);
    double west = 0, east = 0;
    for (const auto& [unit, m2] : byUnit->breakdown) (unit == "甲市" ? west : east) = m2;
    near(west, 36 * kMu - 25000);
    near(east, 9 * kMu - 5000);

    // Re-checking an approved project does not count it against itself.
    r = check(dir, plan(), "2023-06-01", rect(kX - 2000, kY, kX - 1900, kY + 100), "P1");
    near(r.number("used_m2"), 0);
    near(r.number("remaining_m2"), 30 * kMu - 10000);

    // Off the farmland: nothing drawn, whatever is left.
    r = check(dir, plan(), "2024-06-01", rect(kX - 1000, kY + 2000, kX - 900, kY + 2100));
    CHECK(r.rule.passed);
    near(r.number("this_m2"), 0);
    CHECK_THAT(r.rule.summary.en, Catch::Contains("no quota drawn"));

    // A unit stating no quota cannot give any; a site in no unit has none to draw on.
    r = check(dir, plan(), "2024-06-01", rect(kX + 6000, kY, kX + 6100, kY + 100));
    CHECK_FALSE(r.rule.passed);
    CHECK(gis::isNull(r.rule.measure("quota_m2")->value));
    r = check(dir, plan(), "2024-06-01", rect(kX + 20000, kY, kX + 20100, kY + 100));
    CHECK_FALSE(r.rule.passed);
    CHECK_THAT(r.rule.summary.en, Catch::Contains("no unit"));

    // Without a layer the quota counts the whole site (new construction land): 100 × 200.
    r = check(dir, plan("transfers.csv", ""), "2023-06-01",
              rect(kX - 1000, kY + 900, kX - 900, kY + 1100));
    near(r.number("this_m2"), 20000);
    near(r.number("used_m2"), 10000);  // P1's whole area
}

TEST_CASE("Quota: bad transfers and fields are exit 2 naming what is wrong", "[core][quota][cli]") {
    const fs::path dir = test::scratch("quota-bad");
    writeMap(dir);
    gis::writeLayer((dir / "site.gpkg").string(),
                    test::layerOf("sites", {rect(kX - 1000, kY, kX - 900, kY + 100)}, {"S"}));
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"from,to,mu,date,doc\n乙市,丁市,6,2024-01-01,调剂1\n", "'丁市' is not a unit"},
        {"from,to,mu,date,doc\n乙市,甲市,-6,2024-01-01,调剂1\n", "positive number"},
        {"from,to,mu,date,doc\n乙市,乙市,6,2024-01-01,调剂1\n", "to itself"},
        {"from,to,amount,date,doc\n乙市,甲市,6,2024-01-01,调剂1\n", "no field 'mu'"},
        {"from,to,mu,date,doc\n乙市,甲市,6,2024-13-01,调剂1\n", "is not a date"}};
    for (const auto& [csv, message] : cases) {
        INFO(csv);
        std::ofstream(dir / "bad.csv") << csv;
        std::ofstream(dir / "plan.toml") << plan("bad.csv");
        const auto r =
            test::runCli({"check", (dir / "plan.toml").string(), (dir / "site.gpkg").string()});
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains(message));
    }
    // The good table: a verdict, not an error (today P2 is approved and 甲市 is over quota).
    std::ofstream(dir / "plan.toml") << plan();
    auto r = test::runCli(
        {"check", (dir / "plan.toml").string(), (dir / "site.gpkg").string(), "--format", "json"});
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK_THAT(r.out, Catch::Contains("\"remaining_mu\""));
    // A quota field the admin layer lacks.
    std::string text = plan();
    text.replace(text.find("quota_field = \"quota_mu\""), 24, "quota_field = \"指标\"");
    std::ofstream(dir / "plan.toml") << text;
    r = test::runCli({"check", (dir / "plan.toml").string(), (dir / "site.gpkg").string()});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("quota_field names field '指标'"));
}
