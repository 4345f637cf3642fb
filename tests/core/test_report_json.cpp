// The report's JSON is written straight to text, not through a tree. Its truth: nlohmann,
// reading that text and writing it again as dump(2) does, gives back the same bytes, and
// the values read are the report's.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/core/check/one_map.hpp"
#include "onemap/core/check/site_set.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/core/report/json_report.hpp"

using namespace onemap;
using Json = nlohmann::ordered_json;

namespace {

void requireTreeEqual(const std::string& text) {
    const Json tree = Json::parse(text);
    CHECK(tree.dump(2) + "\n" == text);
}

core::Report awkwardReport() {
    core::Report report;
    report.planName = "边界 \"plan\"";
    report.crs = "EPSG:4549";
    core::SiteReport site;
    site.id = "S-1\t\"quoted\" \\ back";
    site.name = std::string("控制\x01\x1f\x7f 字符 😀 é");
    site.areaM2 = 1234567.891;
    site.warnings = {"line\nbreak", "\r\b\f"};
    site.admin = {{"苏州市", 3.0, 0.75}, {"嘉兴市", 1.0, 0.25}};
    core::RuleResult r;
    r.ruleId = "every-kind";
    r.title = "全部";
    r.kind = "must_not_overlap";
    r.layer = "farmland";
    r.passed = false;
    r.measures.push_back(
        core::Measure::area("overlap_m2", core::Wording::same("Overlap"), 1500.505, true));
    r.measures.push_back(core::Measure::area("tiny_m2", core::Wording::same("Tiny"), 1e-7, true));
    r.measures.push_back(
        core::Measure::metres("distance_m", core::Wording::same("Distance"), std::nullopt));
    r.measures.push_back(
        core::Measure::fraction("inside_fraction", core::Wording::same("Inside"), 1.0 / 3.0));
    r.measures.push_back(
        core::Measure::plain("big", core::Wording::same("Big"), std::int64_t{9007199254740993}));
    r.measures.push_back(core::Measure::plain("min", core::Wording::same("Min"),
                                              std::numeric_limits<std::int64_t>::min()));
    r.measures.push_back(core::Measure::plain("huge", core::Wording::same("Huge"), 1.5e300));
    r.measures.push_back(core::Measure::plain("small", core::Wording::same("Small"), -2.5e-12));
    r.measures.push_back(core::Measure::plain("negzero", core::Wording::same("-0"), -0.0));
    r.measures.push_back(core::Measure::plain("nan", core::Wording::same("NaN"), std::nan("")));
    r.measures.push_back(core::Measure::plain("inf", core::Wording::same("Inf"), HUGE_VAL));
    r.measures.push_back(core::Measure::plain("null", core::Wording::same("Null"), gis::Value{}));
    r.measures.push_back(
        core::Measure::text("text", core::Wording::same("Text"), "一张图 \"one map\""));
    r.measures.push_back(
        core::Measure::list("features", core::Wording::same("Features"), {"A", "B\\C", ""}));
    r.measures.push_back(core::Measure::list("none", core::Wording::same("None"), {}));
    r.measures.push_back(core::Measure::byClass("by_class_m2", core::Wording::same("By class"),
                                                {{"水田", 12.345}, {"旱地", 0.005}}));
    r.measures.push_back(core::Measure::byClass("empty_m2", core::Wording::same("Empty"), {}));
    site.rules.push_back(r);
    core::RuleResult plainRule;
    plainRule.ruleId = "attr";
    plainRule.title = "容积率";
    plainRule.kind = "attribute";
    site.rules.push_back(plainRule);
    report.sites.push_back(site);
    core::SiteReport unchecked;
    unchecked.id = "S-2";
    unchecked.error = "geometry is empty";
    report.sites.push_back(unchecked);
    return report;
}

}  // namespace

TEST_CASE("Report JSON: awkward values are written as nlohmann writes them",
          "[core][report][json]") {
    const core::Report report = awkwardReport();
    const std::string text = core::reportJson(report, "test");
    requireTreeEqual(text);
    const Json tree = Json::parse(text);
    const Json& site = tree["sites"][0];
    CHECK(site["id"] == report.sites[0].id);
    CHECK(site["name"] == report.sites[0].name);
    CHECK(site["warnings"][0] == "line\nbreak");
    const Json& rule = site["rules"][0];
    CHECK(rule["overlap_m2"] == 1500.51);  // 2 decimals
    CHECK(rule["overlap_mu"] == 2.2508);   // 1500.505 m² / 666.67 m² per 亩, 4 decimals
    CHECK(rule["tiny_m2"] == 0.0);
    CHECK(rule["distance_m"].is_null());
    CHECK(rule["big"] == 9007199254740993);
    CHECK(rule["min"] == std::numeric_limits<std::int64_t>::min());
    CHECK(rule["huge"] == 1.5e300);
    CHECK(rule["small"] == -2.5e-12);
    CHECK(rule["nan"].is_null());
    CHECK(rule["inf"].is_null());
    CHECK(rule["none"] == Json::array());
    CHECK(rule["by_class_m2"]["水田"] == 12.35);
    CHECK(rule["empty_m2"] == Json::object());
    CHECK(site["rules"][1].size() == 5);  // no layer, no measures
    CHECK(tree["sites"][1]["error"] == "geometry is empty");
    CHECK(text.find("\\u0001") != std::string::npos);  // C0 controls escaped, lower-case hex
    CHECK(text.find("\x7f") != std::string::npos);     // DEL as it is, like nlohmann
}

TEST_CASE("Report JSON: a rule repeating a key, and text that is not UTF-8, take the tree",
          "[core][report][json]") {
    core::Report report = awkwardReport();
    // Two measures under one key: a tree keeps the first place and the last value.
    report.sites[0].rules[0].measures.push_back(
        core::Measure::plain("big", core::Wording::same("Again"), std::int64_t{7}));
    const std::string text = core::reportJson(report, "test");
    requireTreeEqual(text);
    CHECK(Json::parse(text)["sites"][0]["rules"][0]["big"] == 7);

    report.sites[1].name = "\xC3\x28";  // an invalid two-byte sequence
    CHECK_THROWS_AS(core::reportJson(report, "test"), nlohmann::json::type_error);
    report.sites[1].name = "\xED\xA0\x80";  // a UTF-16 surrogate encoded as UTF-8
    CHECK_THROWS_AS(core::reportJson(report, "test"), nlohmann::json::type_error);
}

TEST_CASE("Report JSON: the bundled G60 check reads back byte for byte", "[core][report][json]") {
    const auto plan = core::Plan::load(std::string(ONEMAP_SAMPLE_DIR) + "/g60.toml");
    const core::ComplianceEngine engine(core::OneMap::load(plan));
    const auto sites =
        core::SiteSet::load(std::string(ONEMAP_SAMPLE_DIR) + "/sites.gpkg", plan.crs);
    const auto report = engine.run(sites);
    REQUIRE(report.sites.size() >= 30);
    const std::string text = core::reportJson(report, "test");
    requireTreeEqual(text);
    const Json tree = Json::parse(text);
    REQUIRE(tree["sites"].size() == report.sites.size());
    for (std::size_t i = 0; i < report.sites.size(); ++i) {
        CHECK(tree["sites"][i]["id"] == report.sites[i].id);
        CHECK(tree["sites"][i]["rules"].size() == report.sites[i].rules.size());
    }
}
