#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>

#include "onemap/core/heat/plan_heatmap.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/core/rules/rule_registry.hpp"
#include "onemap/gis/base/error.hpp"

using namespace onemap;
namespace fs = std::filesystem;

TEST_CASE("A good plan parses with defaults filled in", "[core][plan]") {
    const auto plan = core::Plan::parse(R"(name = "测试 一张图"
crs = "EPSG:4549"

[[layers]]
id = "farmland"
title = "永久基本农田"
source = "data/g60.gpkg"
table = "farmland"
id_field = "parcel_id"
[layers.style]
fill = "#f3e38b"
opacity = 0.8

[[layers]]
id = "city"
title = "城市边界"
source = "PG:dbname=g60 host=127.0.0.1"
role = "admin"
label = "name"

[[rules]]
id = "no-farmland"
title = "不得占用永久基本农田"
kind = "must_not_overlap"
layer = "farmland"
by = "地类"

[[rules]]
id = "in-park"
title = "园区内"
kind = "must_be_within"
layer = "city"
match = { site = "industry", layer = "industry" }
severity = "warning"
)",
                                        "/plans/test.toml");
    CHECK(plan.name == "测试 一张图");
    CHECK(plan.crs.epsg() == 4549);
    REQUIRE(plan.layers.size() == 2);
    CHECK(plan.layers[0].source == "/plans/data/g60.gpkg");  // relative to the plan file
    CHECK(plan.layers[1].source ==
          "PG:dbname=g60 host=127.0.0.1");  // connection strings pass through
    CHECK(plan.layers[0].style.fill == "#f3e38b");
    CHECK(plan.layers[0].line == 4);
    CHECK(plan.adminLayer()->id == "city");
    REQUIRE(plan.rules.size() == 2);
    CHECK(plan.rules[0].number("tolerance_m2") == 0.0);  // default
    CHECK(plan.rules[0].text("by") == "地类");
    CHECK(plan.rules[1].severity == core::Severity::Warning);
    CHECK(plan.rules[1].number("min_fraction") == 1.0);
    CHECK(plan.rules[1].line == 28);
}

TEST_CASE("Every registered rule kind is documented in the plan-file reference", "[core][plan]") {
    std::ifstream doc(std::string(ONEMAP_TEST_CASES) + "/../../docs/plan-file.md");
    const std::string text((std::istreambuf_iterator<char>(doc)), {});
    for (const auto& name : core::RuleRegistry::instance().names()) {
        INFO(name);
        CHECK(text.find("`" + name + "`") != std::string::npos);
    }
}

TEST_CASE("Bad plan files are reported with file and line (tests/cases/plans)",
          "[core][plan][cases]") {
    int count = 0;
    for (const auto& entry : fs::directory_iterator(std::string(ONEMAP_TEST_CASES) + "/plans")) {
        const std::string path = entry.path().string();
        std::ifstream in(path);
        std::string first;
        std::getline(in, first);
        std::smatch m;
        REQUIRE(std::regex_match(first, m, std::regex("# expect: (\\d+): (.*)")));
        const std::string where = path + ":" + m[1].str() + ":";
        const std::string what = m[2].str();
        DYNAMIC_SECTION(entry.path().filename().string()) {
            try {
                (void)core::Plan::load(path);
                FAIL("no error for " << path);
            } catch (const InputError& e) {
                const std::string msg = e.what();
                INFO(msg);
                CHECK(msg.rfind(where, 0) == 0);
                CHECK(msg.find(what) != std::string::npos);
                CHECK(msg.find('\n') == std::string::npos);  // one line
            }
        }
        ++count;
    }
    CHECK(count >= 15);
}

TEST_CASE("A missing plan file is named", "[core][plan]") {
    CHECK_THROWS_WITH(core::Plan::load("/no/such/plan.toml"),
                      Catch::Contains("/no/such/plan.toml"));
}

TEST_CASE("[[heatmaps]] parse with defaults, and leave with their layer", "[core][plan][heat]") {
    const std::string text = R"(name = "热力"
crs = "EPSG:4549"

[[layers]]
id = "services"
title = "公共服务设施"
[[layers.versions]]
from = "2024-01-01"
source = "x.gpkg"

[[layers]]
id = "population"
title = "人口格网"
source = "x.gpkg"

[[heatmaps]]
id = "clinics"
title = "医疗设施核密度"
layer = "services"
where = "kind = '医疗'"
weight = "capacity"
kernel = "epanechnikov"
radius = 3000
cell = 250
ramp = "blues"
opacity = 0.5

[[heatmaps]]
id = "people"
layer = "population"
)";
    const auto plan = core::Plan::parse(text, "/tmp/heat.toml").inForceOn("2025-01-01");
    REQUIRE(plan.heatmaps.size() == 2);
    const auto& h = plan.heatmaps[0];
    CHECK(h.id == "clinics");
    CHECK(h.title == "医疗设施核密度");
    CHECK(h.layer == "services");
    CHECK(h.where == "kind = '医疗'");
    CHECK(h.weight == "capacity");
    CHECK(h.kernel == gis::Kernel::Epanechnikov);
    CHECK(h.radius == 3000);
    CHECK(h.cell == 250);
    CHECK(h.ramp == "blues");
    CHECK(h.opacity == 0.5);
    CHECK(h.line == 16);  // its [[heatmaps]] header
    // Defaults: the layer's title, quartic, Silverman's radius, the default cell, heat ramp.
    const auto* people = plan.heatmap("people");
    REQUIRE(people != nullptr);
    CHECK(people->title == "人口格网 核密度");
    CHECK(people->kernel == gis::Kernel::Quartic);
    CHECK_FALSE(people->radius.has_value());
    CHECK_FALSE(people->cell.has_value());
    CHECK(people->ramp == "heat");
    CHECK(people->opacity == 0.85);
    CHECK(plan.heatmap("nope") == nullptr);

    // Before the services' first version the heat map of them is left out, and said so.
    const auto early = plan.inForceOn("2023-06-01");
    REQUIRE(early.heatmaps.size() == 1);
    CHECK(early.heatmaps[0].id == "people");
    CHECK(std::any_of(early.notes.begin(), early.notes.end(), [](const std::string& n) {
        return n.find("heatmap 'clinics' is left out on 2023-06-01") != std::string::npos;
    }));
    // Asked for by id: why it is not there.
    CHECK_THROWS_WITH(core::planHeatmap(early, "clinics", "render --heatmap"),
                      Catch::StartsWith("render --heatmap: heatmap 'clinics' is left out on "
                                        "2023-06-01: its layer 'services' is not in force"));
    CHECK_THROWS_WITH(core::planHeatmap(plan, "gyms", "heat --heatmap"),
                      "heat --heatmap: the plan has no heatmap 'gyms' (it has clinics, people)");
    CHECK(&core::planHeatmap(plan, "people", "x") == plan.heatmap("people"));
}
