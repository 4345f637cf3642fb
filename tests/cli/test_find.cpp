// onemap find in-process on the bundled sample: every candidate passes the real check when
// read back from the --candidates file; the same inputs give the same JSON; bad briefs exit 2.
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "../test_support.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kPlan = std::string(ONEMAP_SAMPLE_DIR) + "/g60.toml";

fs::path scratch(const std::string& name) { return onemap::test::scratch("find-" + name); }

}  // namespace

TEST_CASE("onemap find on the sample: candidates pass the real check", "[cli][find]") {
    const auto dir = scratch("sample");
    std::ofstream(dir / "brief.toml") << R"(name = "12英寸晶圆厂"
area_mu = 150
industry = "集成电路"
count = 3
[attributes]
plot_ratio = 1.5
investment_intensity = 450
[weights]
station = 2
park = 4
)";
    const std::string json = (dir / "r.json").string(), plots = (dir / "c.gpkg").string();
    const auto r = onemap::test::runCli({"find", kPlan, "--brief", (dir / "brief.toml").string(),
                                         "--output", json, "--candidates", plots});
    INFO(r.err);
    REQUIRE(r.code == 0);
    std::ifstream in(json);
    const auto j = nlohmann::json::parse(in);
    CHECK(j["free_land"]["total_m2"].get<double>() > 0);
    CHECK(j["free_land"]["total_mu"].get<double>() ==
          Approx(j["free_land"]["total_m2"].get<double>() * 15 / 10000).epsilon(1e-6));
    double perCity = 0;
    for (const auto& c : j["free_land"]["per_city"]) perCity += c["m2"].get<double>();
    CHECK(perCity == Approx(j["free_land"]["total_m2"].get<double>()).epsilon(1e-6));
    REQUIRE(j["candidates"].size() == 3);
    for (const auto& c : j["candidates"]) {
        INFO(c["id"]);
        CHECK(c["area_mu"].get<double>() == Approx(150).epsilon(0.01));
        CHECK(c["center_lonlat"][0].get<double>() == Approx(120.6).margin(0.6));  // Suzhou
        CHECK(c["center_lonlat"][1].get<double>() == Approx(31.3).margin(0.5));
        CHECK(c["admin"] == "苏州市");  // the only city with 集成电路 parks, weighed 4
        CHECK(c["check"]["verdict"] != "fail");
        CHECK(c["terms"].contains("station"));
        CHECK(c["terms"]["station"]["weight"] == 2);
        CHECK(c["terms"]["park"]["value"].get<double>() == Approx(1));
        // Not cross-boundary: 1 exactly when the check finds the plot in one admin unit.
        REQUIRE(c["terms"].contains("single_unit"));
        CHECK((c["terms"]["single_unit"]["value"].get<double>() > 1 - 1e-9) ==
              (c["check"]["admin"].size() == 1));
        double sum = 0, weights = 0;
        for (const auto& [name, t] : c["terms"].items()) {
            sum += t["weight"].get<double>() * t["value"].get<double>();
            weights += t["weight"].get<double>();
        }
        CHECK(c["score"].get<double>() == Approx(sum / weights).margin(1e-5));
    }
    std::set<std::string> parks;
    for (std::size_t i = 0; i < j["candidates"].size(); ++i) {
        const auto& a = j["candidates"][i];
        parks.insert(a["park"].get<std::string>());
        if (i > 0) CHECK(a["score"] <= j["candidates"][i - 1]["score"]);
        // Pareto: no other candidate at least as good on every term and better on one.
        bool dominated = false;
        for (const auto& b : j["candidates"]) {
            bool allAtLeast = true, oneBetter = false;
            for (const auto& [name, t] : a["terms"].items()) {
                const double va = t["value"].get<double>(), vb = b["terms"][name]["value"];
                allAtLeast = allAtLeast && vb >= va;
                oneBetter = oneBetter || vb > va;
            }
            dominated = dominated || (allAtLeast && oneBetter);
        }
        CHECK(a["pareto"] == !dominated);
    }
    CHECK(parks.size() == 3);  // spread: one plot in each of the three 集成电路 parks first
    CHECK(j["candidates"][0]["id"] == "C-001");

    // The plots as written, checked by `onemap check` itself.
    const auto check = onemap::test::runCli({"check", kPlan, plots, "--format", "json"});
    INFO(check.err);
    CHECK(check.code == 0);
    const auto checked = nlohmann::json::parse(check.out);
    REQUIRE(checked["sites"].size() == 3);
    for (const auto& s : checked["sites"]) {
        CHECK(s["verdict"] != "fail");
        for (const auto& rule : s["rules"])
            if (rule["severity"] == "error") CHECK(rule["verdict"] == "pass");
    }
}

TEST_CASE("onemap find --candidates FILE.txt writes a 国土 TXT that check reads back",
          "[cli][find][guotu]") {
    const auto dir = scratch("txt");
    const std::string gpkg = (dir / "c.gpkg").string(), txt = (dir / "c.txt").string();
    for (const auto& out : {gpkg, txt}) {
        const auto r = onemap::test::runCli({"find", kPlan, "--area-mu", "150", "--industry",
                                             "集成电路", "--count", "3", "--candidates", out});
        INFO(r.err);
        REQUIRE(r.code == 0);
    }
    // The TXT holds outlines and ids, no attributes: the spatial rules, on both files.
    const std::vector<std::string> spatial = {
        "--rules", "no-farmland,no-redline,in-devbound,rail-setback,no-approved", "--format",
        "json"};
    auto run = [&](const std::string& file) {
        std::vector<std::string> args = {"check", kPlan, file};
        args.insert(args.end(), spatial.begin(), spatial.end());
        const auto r = onemap::test::runCli(args);
        INFO(r.err);
        CHECK(r.code == 0);
        return nlohmann::json::parse(r.out);
    };
    const auto a = run(gpkg), b = run(txt);
    REQUIRE(a["sites"].size() == 3);
    REQUIRE(b["sites"].size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(b["sites"][i]["id"] == a["sites"][i]["id"]);
        // Millimetre coordinates: the area moves by under 1e-5.
        CHECK(b["sites"][i]["area_m2"].get<double>() ==
              Approx(a["sites"][i]["area_m2"].get<double>()).epsilon(1e-5));
        // Only the spatial rules were applied (--rules): a pass, but a partial one.
        CHECK(b["sites"][i]["verdict"] == "pass (partial)");
        CHECK(a["sites"][i]["verdict"] == "pass (partial)");
    }
    std::ifstream in(txt, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    CHECK(bytes.rfind("[属性描述]", 0) != 0);  // GBK by default, not UTF-8
    CHECK(bytes.find("C-001") != std::string::npos);
}

TEST_CASE("onemap find --as-of takes the plan on that day and names the versions",
          "[cli][find][versions]") {
    auto run = [](std::vector<std::string> extra) {
        std::vector<std::string> args = {"find",   kPlan,     "--area-mu", "150",      "--city",
                                         "金华市", "--count", "1",         "--format", "json"};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto r = onemap::test::runCli(args);
        INFO(r.err);
        CHECK(r.code <= 1);
        return nlohmann::json::parse(r.out);
    };
    const auto then = run({"--as-of", "2022-06-01"}), now = run({});
    CHECK(then["as_of"] == "2022-06-01");
    CHECK(then["versions"]["devbound"]["from"] == "2021-03-01");
    CHECK(now["versions"]["devbound"]["from"] == "2024-06-30");
    // 金华市's 2021 boundary: today's less ~250 m at its edges, plus the land given up in 2024.
    CHECK(then["free_land"]["total_m2"].get<double>() !=
          now["free_land"]["total_m2"].get<double>());
}

TEST_CASE("onemap find twice gives the same JSON", "[cli][find]") {
    const std::vector<std::string> args = {"find",       kPlan,    "--area-mu", "80",
                                           "--industry", "biomed", "--count",   "2",
                                           "--format",   "json"};
    const auto a = onemap::test::runCli(args);
    const auto b = onemap::test::runCli(args);
    INFO(a.err);
    REQUIRE(a.code == 0);
    CHECK(a.out == b.out);
    CHECK(nlohmann::json::parse(a.out)["candidates"].size() == 2);
}

TEST_CASE("onemap find: bad briefs and outputs exit 2 naming the fault", "[cli][find]") {
    const auto dir = scratch("errors");
    std::ofstream(dir / "bad.toml") << "name = \"x\"\narea_mu = 10\ncount = \"many\"\n";
    const std::string out = (dir / "out.json").string();
    struct Case {
        std::vector<std::string> args;
        std::string mentions;
    };
    const std::vector<Case> cases = {
        {{"find", kPlan, "--brief", (dir / "bad.toml").string(), "-o", out}, "bad.toml:3:"},
        {{"find", kPlan, "--industry", "ic", "-o", out}, "--area-mu"},
        {{"find", kPlan, "--area-mu", "10", "--industry", "ic", "--city", "Atlantis", "-o", out},
         "Atlantis"},
        {{"find", kPlan, "--area-mu", "10", "--industry", "ic", "-o", kPlan}, "g60.toml"},
        {{"find", kPlan, "--area-mu", "-5", "-o", out}, "area"},
    };
    for (const auto& c : cases) {
        INFO(c.args.back() << " " << c.mentions);
        const auto r = onemap::test::runCli(c.args);
        CHECK(r.code == 2);
        CHECK(r.err.find(c.mentions) != std::string::npos);
        CHECK_FALSE(fs::exists(out));
    }
}

TEST_CASE("onemap find: text not UTF-8, numbers out of range, non-regular files exit 2",
          "[cli][find]") {
    const auto dir = scratch("input");
    std::ofstream(dir / "aspect.toml") << "area_mu = 150\nmax_aspect = 1e308\n";
    std::ofstream(dir / "width.toml") << "area_mu = 150\nmin_width_m = 1e9\n";
    std::ofstream(dir / "weight.toml") << "area_mu = 150\n[weights]\npark = 1e308\n";
    std::ofstream(dir / "huge.toml") << "area_m2 = 1e300\n";
    std::ofstream(dir / "gbk.toml") << "area_mu = 150\nindustry = \"\xb9\xfa\"\n";
    const std::string fifo = (dir / "fifo.toml").string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const std::string out = (dir / "out.json").string();
    const std::string gbk = "\xb9\xfa";  // 国 in GBK
    struct Case {
        std::vector<std::string> args;
        std::string mentions;
    };
    const auto brief = [&](const char* name) { return (dir / name).string(); };
    const std::vector<Case> cases = {
        {{"--area-mu", "150", "--industry", gbk}, "--industry: not UTF-8"},
        {{"--area-mu", "150", "--city", "金华市," + gbk}, "--city: not UTF-8"},
        {{"--area-mu", "1e308"}, "--area-mu: the area must be from"},
        {{"--area-m2", "0.001"}, "--area-m2: the area must be from"},
        {{"--brief", brief("aspect.toml")}, "aspect.toml:2: brief: max_aspect must be from 1 to 20"},
        {{"--brief", brief("width.toml")}, "width.toml:2: brief: min_width_m"},
        {{"--brief", brief("weight.toml")}, "weight.toml:3: brief: weight 'park'"},
        {{"--brief", brief("huge.toml")}, "huge.toml:1: brief: the area must be from"},
        {{"--brief", brief("gbk.toml")}, "gbk.toml:2:"},
        {{"--brief", fifo}, "fifo.toml: not a regular file (a FIFO)"},
        {{"--brief", dir.string()}, "not a regular file (a folder)"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> args = {"find", kPlan, "--format", "json", "-o", out};
        args.insert(args.end(), c.args.begin(), c.args.end());
        INFO(c.mentions);
        const auto r = onemap::test::runCli(args);
        CHECK(r.code == 2);
        CHECK(r.err.find(c.mentions) != std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK_FALSE(fs::exists(out));
    }
    // A FIFO as the plan of check would block for ever too.
    const auto r = onemap::test::runCli({"check", fifo, kPlan});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("not a regular file (a FIFO)"));
}

TEST_CASE("onemap find --candidates FILE.txt with no candidate: exit 1 with the report",
          "[cli][find][guotu]") {
    const auto dir = scratch("txt-none");
    const std::string txt = (dir / "c.txt").string(), gpkg = (dir / "c.gpkg").string();
    const std::string report = (dir / "r.json").string();
    std::ofstream(txt) << "an earlier run's plots\n";
    // 150,000 亩 fits nowhere on the sample: the why-not report, as for a .gpkg.
    auto r = onemap::test::runCli({"find", kPlan, "--area-mu", "150000", "--count", "1",
                                   "--candidates", txt, "-o", report});
    INFO(r.err);
    CHECK(r.code == 1);
    REQUIRE(fs::exists(report));
    std::ifstream in(report);
    const auto j = nlohmann::json::parse(in);
    CHECK(j["candidates"].empty());
    CHECK_FALSE(j["binding"].is_null());
    CHECK_THAT(r.err, Catch::Contains("nothing written to " + txt) &&
                          Catch::Contains("the earlier file there is removed"));
    CHECK_FALSE(fs::exists(txt));  // no stale plots beside this run's report
    r = onemap::test::runCli(
        {"find", kPlan, "--area-mu", "150000", "--count", "1", "--candidates", gpkg});
    CHECK(r.code == 1);
    CHECK(fs::exists(gpkg));  // an empty layer
}

TEST_CASE("onemap find --city by admin id scores the city term like its name",
          "[cli][find]") {
    const auto run = [](const std::string& city) {
        const auto r = onemap::test::runCli({"find", kPlan, "--area-mu", "150", "--city", city,
                                             "--count", "2", "--format", "json"});
        INFO(r.err);
        REQUIRE(r.code == 0);
        return nlohmann::json::parse(r.out);
    };
    const auto byId = run("330100"), byName = run("杭州市");
    REQUIRE(byId["candidates"].size() == 2);
    for (const auto& c : byId["candidates"]) {
        CHECK(c["admin"] == "杭州市");
        CHECK(c["terms"]["city"]["value"].get<double>() == Approx(1));
    }
    CHECK(byId["candidates"][0]["score"] == byName["candidates"][0]["score"]);
}

TEST_CASE("onemap find: a report named as a sidecar of the --candidates shapefile exits 2",
          "[cli][find][output]") {
    const auto dir = scratch("sidecar");
    const std::string shp = (dir / "c.shp").string();
    for (const char* side : {"c.dbf", "c.prj", "c.cpg", "c.SHX"}) {
        INFO(side);
        const auto r = onemap::test::runCli({"find", kPlan, "--area-mu", "150", "--count", "1",
                                             "--candidates", shp, "--output",
                                             (dir / side).string()});
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains("is part of the output " + shp));
        CHECK(fs::is_empty(dir));
    }
}
