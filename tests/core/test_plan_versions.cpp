// Plan versions: a layer taken in the version in force on a day (--as-of), the versions used
// named in every output, and every malformed version refused with its line.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../test_support.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/layer/layer_writer.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

using test::rect;

// On the central meridian of EPSG:4549 (x = 500 000) the Gauss-Kruger scale is 1: ellipsoidal
// areas equal planar ones there to ~1e-6, so hand-worked rectangles give the expected m².
constexpr double kX = 500000, kY = 3400000;

// devbound 2021 covers the site; devbound 2024 lies 5 km away; the red line (from 2023) covers
// the site's east half: 50 m × 100 m = 5 000 m².
fs::path writeData(const std::string& name) {
    const fs::path dir = test::scratch(name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    const auto dev2021 =
        test::layerOf("devbound", {rect(kX - 1000, kY - 1000, kX + 1000, kY + 1000)});
    const auto dev2024 =
        test::layerOf("devbound_2024", {rect(kX + 5000, kY, kX + 6000, kY + 1000)});
    const auto red = test::layerOf("redline", {rect(kX + 150, kY + 100, kX + 250, kY + 200)});
    const auto city =
        test::layerOf("city", {rect(kX - 20000, kY - 20000, kX + 20000, kY + 20000)}, {"示例市"});
    gis::writeLayer((dir / "devbound-2021.gpkg").string(), dev2021);
    gis::writeLayers((dir / "g60.gpkg").string(), {&dev2024, &red, &city});
    const auto site =
        test::layerOf("sites", {rect(kX + 100, kY + 100, kX + 200, kY + 200)}, {"S1"});
    gis::writeLayer((dir / "sites.gpkg").string(), site);
    return dir;
}

const char* const kPlan = R"(name = "版本测试"
crs = "EPSG:4549"

[[layers]]
id = "city"
title = "城市"
source = "g60.gpkg"
table = "city"
role = "admin"
label = "id"

[[layers]]
id = "devbound"
title = "城镇开发边界"
[[layers.versions]]
from = "2021-03-01"
source = "devbound-2021.gpkg"
table = "devbound"
doc = "示例〔2021〕1号"
[[layers.versions]]
from = 2024-06-30
source = "g60.gpkg"
table = "devbound_2024"
doc = "示例〔2024〕3号"

[[layers]]
id = "redline"
title = "生态保护红线"
table = "redline"
[[layers.versions]]
from = "2023-01-01"
source = "g60.gpkg"

[[rules]]
id = "inside-devbound"
title = "位于城镇开发边界内"
kind = "must_be_within"
layer = "devbound"

[[rules]]
id = "no-redline"
title = "不得占用生态保护红线"
kind = "must_not_overlap"
layer = "redline"
)";

nlohmann::json checkJson(const fs::path& dir, const std::string& asOf) {
    const auto r =
        test::runCli({"check", (dir / "plan.toml").string(), (dir / "sites.gpkg").string(),
                      "--as-of", asOf, "--format", "json"});
    INFO(r.err);
    REQUIRE((r.code == 0 || r.code == 1));
    return nlohmann::json::parse(r.out);
}

const nlohmann::json* ruleOf(const nlohmann::json& site, const std::string& id) {
    for (const auto& r : site["rules"])
        if (r["id"] == id) return &r;
    return nullptr;
}

}  // namespace

TEST_CASE("A versioned layer is taken in the version in force on the day",
          "[core][plan][versions]") {
    const fs::path dir = writeData("plan-versions");
    const auto plan = core::Plan::parse(kPlan, (dir / "plan.toml").string());
    REQUIRE(plan.hasVersions());
    SECTION("before any version: the layer and its rules are left out, and said so") {
        const auto p = plan.inForceOn("2020-12-31");
        CHECK(p.layer("devbound") == nullptr);
        CHECK(p.layer("redline") == nullptr);
        CHECK(p.rules.empty());
        REQUIRE(p.notes.size() == 4);
        CHECK_THAT(p.notes[0], Catch::Contains("devbound") && Catch::Contains("2021-03-01"));
        CHECK_THAT(p.notes[2], Catch::Contains("inside-devbound"));
    }
    SECTION("from is the first day in force; the version holds until the next one's day") {
        for (const auto& [day, table, doc] :
             {std::tuple{"2021-03-01", "devbound", "示例〔2021〕1号"},
              std::tuple{"2024-06-29", "devbound", "示例〔2021〕1号"},
              std::tuple{"2024-06-30", "devbound_2024", "示例〔2024〕3号"},
              std::tuple{"2031-01-01", "devbound_2024", "示例〔2024〕3号"}}) {
            const auto p = plan.inForceOn(day);
            const auto* l = p.layer("devbound");
            REQUIRE(l);
            CHECK(l->table == table);
            REQUIRE(l->inForce);
            CHECK(l->inForce->doc == doc);
            CHECK(p.asOf == day);
        }
        // A version without its own table takes the layer's.
        CHECK(plan.inForceOn("2023-01-01").layer("redline")->table == "redline");
        CHECK(plan.inForceOn("2022-12-31").layer("redline") == nullptr);
    }
    SECTION("every version's file is an input no output may replace") {
        const auto files = plan.files();
        CHECK(std::count(files.begin(), files.end(), (dir / "devbound-2021.gpkg").string()) == 1);
        CHECK(std::count(files.begin(), files.end(), (dir / "g60.gpkg").string()) >= 1);
    }
    SECTION("a day that is not a date") {
        CHECK_THROWS_WITH(plan.inForceOn("2024-02-30"), Catch::Contains("not a date"));
        CHECK_THROWS_WITH(plan.inForceOn("24-06-30"), Catch::Contains("YYYY-MM-DD"));
    }
}

TEST_CASE("check --as-of: a site that complied in 2022 fails under the 2024 boundary",
          "[core][plan][versions][cli]") {
    const fs::path dir = writeData("plan-versions-check");
    std::ofstream(dir / "plan.toml") << kPlan;

    const auto y2022 = checkJson(dir, "2022-01-01");
    CHECK(y2022["as_of"] == "2022-01-01");
    CHECK(y2022["versions"]["devbound"]["from"] == "2021-03-01");
    CHECK(y2022["versions"]["devbound"]["doc"] == "示例〔2021〕1号");
    CHECK_FALSE(y2022["versions"].contains("redline"));  // not yet in force
    const auto& s2022 = y2022["sites"][0];
    // The red line had no version yet: its rule is not checked, so the pass is partial.
    CHECK(s2022["verdict"] == "pass (partial)");
    REQUIRE(ruleOf(s2022, "inside-devbound"));
    REQUIRE(ruleOf(s2022, "no-redline"));
    CHECK((*ruleOf(s2022, "no-redline"))["verdict"] == "not checked");
    CHECK_FALSE(ruleOf(s2022, "no-redline")->contains("overlap_m2"));
    CHECK(y2022["not_in_force"].contains("redline"));  // and said so:
    bool said = false;
    for (const auto& w : y2022["warnings"])
        said = said || w.get<std::string>().find("no-redline") != std::string::npos;
    CHECK(said);

    const auto y2024 = checkJson(dir, "2024-07-01");
    CHECK(y2024["versions"]["devbound"]["from"] == "2024-06-30");
    CHECK(y2024["versions"]["redline"]["from"] == "2023-01-01");
    const auto& s2024 = y2024["sites"][0];
    CHECK(s2024["verdict"] == "fail");
    CHECK((*ruleOf(s2024, "inside-devbound"))["verdict"] == "fail");
    const auto& red = *ruleOf(s2024, "no-redline");
    CHECK(red["verdict"] == "fail");
    CHECK(red["overlap_m2"].get<double>() == Approx(5000).epsilon(1e-4));  // 50 m × 100 m

    // The text table names the day and the versions too.
    const auto text = test::runCli({"check", (dir / "plan.toml").string(),
                                    (dir / "sites.gpkg").string(), "--as-of", "2024-07-01"});
    CHECK_THAT(text.out, Catch::Contains("规划基准日 2024-07-01") && Catch::Contains("示例〔2024〕3号"));
#ifdef ONEMAP_TEST_HTML_REPORT
    // The report's audit appendix lists the versions used.
    const std::string html = (dir / "report.html").string();
    const auto h =
        test::runCli({"check", (dir / "plan.toml").string(), (dir / "sites.gpkg").string(),
                      "--as-of", "2024-07-01", "-o", html});
    INFO(h.err);
    REQUIRE(h.code == 1);
    std::ifstream in(html);
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK_THAT(doc, Catch::Contains("图层版本（规划基准日 2024-07-01）") &&
                        Catch::Contains("示例〔2024〕3号"));
#endif
    // --rules naming a rule left out that day says why, not "no such rule".
    const auto leftOut =
        test::runCli({"check", (dir / "plan.toml").string(), (dir / "sites.gpkg").string(),
                      "--as-of", "2022-01-01", "--rules", "no-redline"});
    CHECK(leftOut.code == 2);
    CHECK_THAT(leftOut.err, Catch::Contains("rule 'no-redline' is left out on 2022-01-01"));
    // A day before every version: only the city is in force, no rule is checked; said so.
    const auto early = test::runCli({"check", (dir / "plan.toml").string(),
                                     (dir / "sites.gpkg").string(), "--as-of", "1999-01-01"});
    CHECK(early.code == 0);
    CHECK_THAT(early.out,
               Catch::Contains("城镇开发边界：1999-01-01 无现行版本 — 未审查"));
    CHECK_THAT(early.out, Catch::Contains("合规（部分审查）"));
    // info lists every version, the one in force marked.
    const auto info = test::runCli({"info", (dir / "plan.toml").string(), "--as-of", "2022-01-01"});
    INFO(info.err);
    REQUIRE(info.code == 0);
    CHECK_THAT(info.out, Catch::Contains("* from 2021-03-01") &&
                             Catch::Contains("  from 2024-06-30") && Catch::Contains("redline"));
    // No output may replace a version's file, even with --overwrite.
    const auto clobber = test::runCli({"export", (dir / "plan.toml").string(), "--layer", "city",
                                       "-o", (dir / "devbound-2021.gpkg").string(), "--overwrite"});
    CHECK(clobber.code == 2);
}

TEST_CASE("Malformed versions are refused with their line", "[core][plan][versions]") {
    const std::string head = R"(name = "x"
crs = "EPSG:4549"
[[layers]]
id = "devbound"
title = "城镇开发边界"
)";
    const std::string rule = R"(
[[rules]]
id = "inside"
title = "t"
kind = "must_be_within"
layer = "devbound"
)";
    auto fails = [&](const std::string& versions, const std::string& expected) {
        const std::string text = head + versions + rule;
        try {
            (void)core::Plan::parse(text, "p.toml");
            FAIL("accepted: " << versions);
        } catch (const InputError& e) {
            CHECK_THAT(e.what(), Catch::Contains(expected));
        }
    };
    // Lines: the head has 5; versions start on line 6.
    fails(
        "[[layers.versions]]\nfrom = \"2024-01-01\"\nsource = \"a.gpkg\"\n"
        "[[layers.versions]]\nfrom = \"2021-01-01\"\nsource = \"b.gpkg\"\n",
        "p.toml:10: layer 'devbound' version from 2021-01-01: dates must ascend");
    fails(
        "[[layers.versions]]\nfrom = \"2024-01-01\"\nsource = \"a.gpkg\"\n"
        "[[layers.versions]]\nfrom = \"2024-01-01\"\nsource = \"b.gpkg\"\n",
        "p.toml:10: layer 'devbound' version from 2024-01-01: dates must ascend");
    fails("[[layers.versions]]\nfrom = \"2021-02-30\"\nsource = \"a.gpkg\"\n",
          "p.toml:7: layer 'devbound' version: 'from' must be a date, YYYY-MM-DD");
    fails("[[layers.versions]]\nfrom = \"2021-02-01\"\n",
          "p.toml:6: layer 'devbound' version from 2021-02-01: missing required key 'source'");
    fails("[[layers.versions]]\nsource = \"a.gpkg\"\n",
          "p.toml:6: layer 'devbound' version: missing required key 'from'");
    fails("[[layers.versions]]\nfrom = \"2021-02-01\"\nsource = \"a.gpkg\"\nsorce = \"b\"\n",
          "p.toml:9: layer 'devbound' version: unknown key 'sorce'");
    fails("versions = 3\n", "p.toml:6: layer 'devbound': 'versions' must be [[layers.versions]]");
    // Both a layer source and versions: which one is meant?
    try {
        (void)core::Plan::parse(head +
                                    "source = \"a.gpkg\"\n[[layers.versions]]\nfrom = "
                                    "\"2021-02-01\"\nsource = \"b.gpkg\"\n" +
                                    rule,
                                "p.toml");
        FAIL("accepted both");
    } catch (const InputError& e) {
        CHECK_THAT(e.what(), Catch::Contains("p.toml:6:") &&
                                 Catch::Contains("give 'source' in each version"));
    }
    // --as-of with a bad date: exit 2, one line.
    const auto r = test::runCli({"info", "--as-of", "2024-13-01"});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("--as-of: '2024-13-01' is not a date"));
}

TEST_CASE("onemap diff: land gained and lost between two days, per admin unit",
          "[core][plan][versions][diff]") {
    const fs::path dir = test::scratch("plan-diff");
    // Two cities split at the central meridian. devbound 2021: a 2 km square on the meridian
    // and a park-sized square far east that never changes; 2024: the square moved 500 m east.
    // Lost: the 500 m × 2 km strip west (city 西), gained: the strip east (city 东). On the
    // meridian the Gauss-Kruger areal scale is 1 + ~1e-7 here: planar areas are the answer.
    const auto cities = test::layerOf("city",
                                      {rect(kX - 20000, kY - 20000, kX, kY + 20000),
                                       rect(kX, kY - 20000, kX + 20000, kY + 20000)},
                                      {"西市", "东市"});
    const auto same = rect(kX + 10000, kY, kX + 10300, kY + 300);
    const auto v2021 =
        test::layerOf("devbound", {rect(kX - 1000, kY - 1000, kX + 1000, kY + 1000), same});
    const auto v2024 =
        test::layerOf("devbound", {same, rect(kX - 500, kY - 1000, kX + 1500, kY + 1000)});
    const auto rail =
        test::layerOf("rail", {gis::Geometry::lineString({{kX, kY}, {kX + 1, kY + 1}})});
    gis::writeLayers((dir / "a.gpkg").string(), {&cities, &rail});
    gis::writeLayer((dir / "v2021.gpkg").string(), v2021);
    gis::writeLayer((dir / "v2024.gpkg").string(), v2024);
    std::ofstream(dir / "plan.toml") << R"(name = "diff"
crs = "EPSG:4549"
[[layers]]
id = "city"
title = "城市"
source = "a.gpkg"
table = "city"
role = "admin"
label = "id"
[[layers]]
id = "rail"
title = "铁路"
source = "a.gpkg"
table = "rail"
[[layers]]
id = "devbound"
title = "城镇开发边界"
table = "devbound"
[[layers.versions]]
from = "2021-03-01"
source = "v2021.gpkg"
[[layers.versions]]
from = "2024-06-30"
source = "v2024.gpkg"
doc = "示例〔2024〕3号"
)";
    const std::string plan = (dir / "plan.toml").string();
    const auto r = test::runCli({"diff", plan, "--layer", "devbound", "--from", "2022-01-01",
                                 "--to", "2025-01-01", "--format", "json", "--changes",
                                 (dir / "changes.gpkg").string()});
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["gained_m2"].get<double>() == Approx(500.0 * 2000).epsilon(1e-6));
    CHECK(j["lost_m2"].get<double>() == Approx(500.0 * 2000).epsilon(1e-6));
    CHECK(j["to_version"]["doc"] == "示例〔2024〕3号");
    REQUIRE(j["by_admin"].size() == 2);
    for (const auto& a : j["by_admin"]) {
        const bool west = a["name"] == "西市";
        CHECK(a["gained_m2"].get<double>() == Approx(west ? 0 : 1e6).margin(1e-3));
        CHECK(a["lost_m2"].get<double>() == Approx(west ? 1e6 : 0).margin(1e-3));
    }
    // The changed shapes read back: one gained strip east of the meridian, one lost west.
    const auto changes = gis::readLayer((dir / "changes.gpkg").string());
    REQUIRE(changes.features.size() == 2);
    for (const auto& f : changes.features) {
        const bool gained = gis::toString(f.values[0]) == "gained";
        const auto e = f.geometry.envelope();
        CHECK(e.minx == Approx(gained ? kX + 1000 : kX - 1000));
        CHECK(e.maxx == Approx(gained ? kX + 1500 : kX - 500));
        CHECK(gis::toString(f.values[1]) == (gained ? "东市" : "西市"));
        CHECK(f.geometry.area() == Approx(1e6));
    }
    // A layer before its first version is empty that day: everything is gained.
    const auto early = test::runCli({"diff", plan, "--layer", "devbound", "--from", "2020-01-01",
                                     "--to", "2022-01-01", "--format", "json"});
    REQUIRE(early.code == 0);
    CHECK(nlohmann::json::parse(early.out)["gained_m2"].get<double>() ==
          Approx(2000.0 * 2000 + 300.0 * 300).epsilon(1e-6));
    // Text names both days' versions; bad requests are exit 2 with one line.
    const auto text = test::runCli(
        {"diff", plan, "--layer", "devbound", "--from", "2022-01-01", "--to", "2025-01-01"});
    CHECK_THAT(text.out, Catch::Contains("version from 2021-03-01") &&
                             Catch::Contains("version from 2024-06-30 示例〔2024〕3号"));
    for (const auto& [args, message] :
         {std::pair<std::vector<std::string>, std::string>{
              {"--layer", "devbound", "--from", "2025-01-01", "--to", "2022-01-01"},
              "must be before"},
          {{"--layer", "nope", "--from", "2022-01-01"}, "no layer 'nope'"},
          {{"--layer", "rail", "--from", "2022-01-01", "--to", "2025-01-01"}, "needs polygons"},
          {{"--layer", "devbound", "--from", "2022-13-01"}, "not a date"}}) {
        std::vector<std::string> full{"diff", plan};
        full.insert(full.end(), args.begin(), args.end());
        const auto bad = test::runCli(full);
        CHECK(bad.code == 2);
        CHECK_THAT(bad.err, Catch::Contains(message));
    }
    // --changes may never replace a version's file.
    const auto clobber = test::runCli({"diff", plan, "--layer", "devbound", "--from", "2022-01-01",
                                       "--changes", (dir / "v2021.gpkg").string()});
    CHECK(clobber.code == 2);
}
