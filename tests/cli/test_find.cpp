// onemap find in-process on the bundled sample: every candidate passes the real check when
// read back from the --candidates file; the same inputs give the same JSON; bad briefs exit 2.
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

#include "../test_support.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/gis/layer/layer_reader.hpp"

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
        {{"--brief", brief("aspect.toml")},
         "aspect.toml:2: brief: max_aspect must be from 1 to 20"},
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
    auto r = onemap::test::runCli(
        {"find", kPlan, "--area-mu", "150000", "--count", "1", "--candidates", txt, "-o", report});
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

TEST_CASE("onemap find --city by admin id scores the city term like its name", "[cli][find]") {
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
        const auto r =
            onemap::test::runCli({"find", kPlan, "--area-mu", "150", "--count", "1", "--candidates",
                                  shp, "--output", (dir / side).string()});
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains("is part of the output " + shp));
        CHECK(fs::is_empty(dir));
    }
}

namespace {

onemap::gis::VectorLayer sampleLayer(const std::string& table) {
    onemap::gis::ReadOptions o;
    o.table = table;
    return onemap::gis::readLayer(std::string(ONEMAP_SAMPLE_DIR) + "/g60.gpkg", o);
}

}  // namespace

TEST_CASE(
    "onemap find on the sample: every candidate keeps the rail setback from rail and "
    "stations, and lies wholly in or wholly out of each park",
    "[cli][find]") {
    using onemap::gis::Geometry;
    // The oracle: the sample's own layers read with GDAL, distances and predicates by GEOS,
    // the setback from the plan's rule, ground distance by the ellipsoid.
    const auto plan = onemap::core::Plan::load(kPlan);
    double setback = 0;
    for (const auto& r : plan.rules)
        if (r.id == "rail-setback") setback = r.number("distance_m");
    REQUIRE(setback > 0);
    const auto rail = sampleLayer("rail"), station = sampleLayer("station"),
               park = sampleLayer("park");
    REQUIRE(station.features.size() > 0);
    const onemap::gis::EllipsoidalMeasure ground(onemap::gis::Crs::fromEpsg(4549));
    const std::string ic = std::string(ONEMAP_SAMPLE_DIR) + "/../docs/examples/ic-fab.toml";
    const std::vector<std::vector<std::string>> briefs{
        {"--area-mu", "150"},
        {"--area-mu", "150", "--industry", "nev"},
        {"--area-mu", "150", "--industry", "新能源汽车", "--count", "8"},
        {"--brief", ic},
        {"--area-mu", "40", "--any-park", "--count", "8"}};
    for (std::size_t b = 0; b < briefs.size(); ++b) {
        INFO("brief " << b);
        const auto dir = scratch("floor-" + std::to_string(b));
        const std::string plots = (dir / "c.gpkg").string();
        std::vector<std::string> args{"find", kPlan, "--candidates", plots};
        args.insert(args.end(), briefs[b].begin(), briefs[b].end());
        const auto r = onemap::test::runCli(args);
        INFO(r.err);
        REQUIRE(r.code == 0);
        const auto candidates = onemap::gis::readLayer(plots);
        REQUIRE(candidates.features.size() >= 5);
        for (const auto& c : candidates.features) {
            const Geometry& plot = c.geometry;
            INFO(onemap::gis::toString(c.values[0]));
            for (const auto* layer : {&rail, &station})
                for (const auto& f : layer->features) {
                    INFO(onemap::gis::toString(f.values.empty() ? onemap::gis::Value{}
                                                                : f.values[0]));
                    CHECK(plot.distance(f.geometry) >= setback);  // the plane's scale is ≥ 1
                    const auto [a, p] = plot.nearestPoints(f.geometry);
                    CHECK(ground.distance(a, p) >= setback);
                }
            for (const auto& f : park.features) {
                INFO(onemap::gis::toString(f.values[0]));
                CHECK((f.geometry.covers(plot) || !f.geometry.intersects(plot)));
            }
        }
    }
}

TEST_CASE("onemap find: an industry no park has exits 2 naming the industries the plan knows",
          "[cli][find]") {
    const auto dir = scratch("industry");
    const std::string out = (dir / "r.json").string();
    const auto r = onemap::test::runCli(
        {"find", kPlan, "--area-mu", "150", "--industry", "芯片", "--output", out});
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK_FALSE(fs::exists(out));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find("'芯片'") != std::string::npos);
    CHECK(r.err.find("--any-park") != std::string::npos);
    // Every code and name the sample's parks carry, read from the layer itself.
    const auto park = sampleLayer("park");
    const auto code = std::find_if(park.fields.begin(), park.fields.end(),
                                   [](const auto& f) { return f.name == "industry"; }) -
                      park.fields.begin();
    const auto name = std::find_if(park.fields.begin(), park.fields.end(),
                                   [](const auto& f) { return f.name == "industry_cn"; }) -
                      park.fields.begin();
    REQUIRE(static_cast<std::size_t>(name) < park.fields.size());
    for (const auto& f : park.features) {
        const std::string pair = onemap::gis::toString(f.values[static_cast<std::size_t>(code)]) +
                                 " " +
                                 onemap::gis::toString(f.values[static_cast<std::size_t>(name)]);
        INFO(pair);
        CHECK(r.err.find(pair) != std::string::npos);
    }
    // The same from a brief file, which the message names.
    std::ofstream(dir / "b.toml") << "area_mu = 150\nindustry = \"芯片\"\n";
    const auto b = onemap::test::runCli({"find", kPlan, "--brief", (dir / "b.toml").string()});
    CHECK(b.code == 2);
    CHECK(b.err.find("b.toml") != std::string::npos);
    CHECK(b.err.find("ic 集成电路") != std::string::npos);
}

TEST_CASE("onemap find --any-park ignores industry matching, says so, and scores any park",
          "[cli][find]") {
    const auto r = onemap::test::runCli({"find", kPlan, "--area-mu", "150", "--industry", "芯片",
                                         "--any-park", "--format", "json"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["brief"]["any_park"] == true);
    const auto& checked = j["rules_checked"];
    CHECK(std::find(checked.begin(), checked.end(), "park-industry") == checked.end());
    bool said = false;
    for (const auto& n : j["notes"])
        said = said || n.get<std::string>().find("industry matching ignored") != std::string::npos;
    CHECK(said);
    const auto park = sampleLayer("park");
    REQUIRE(j["candidates"].size() == 5);
    for (const auto& c : j["candidates"]) {
        REQUIRE(c["terms"].contains("park"));
        const bool in = c["terms"]["park"]["value"].get<double>() == 1;
        CHECK(in == !c["park"].get<std::string>().empty());
        if (!in) continue;
        // The park it names holds it (its centre, by GEOS), whatever that park's industry.
        const double lon = c["center_lonlat"][0], lat = c["center_lonlat"][1];
        bool named = false;
        for (const auto& f : park.features)
            named = named || onemap::gis::toString(f.values[0]) == c["park"].get<std::string>();
        CHECK(named);
        CHECK(lon > 117);
        CHECK(lat > 28);
    }
}

namespace {

std::set<std::string> jsonKeys(const nlohmann::json& j, const std::string& skip) {
    std::set<std::string> keys;
    if (j.is_object())
        for (const auto& [k, v] : j.items()) {
            keys.insert(k);
            if (k == skip) continue;
            for (const auto& sub : jsonKeys(v, skip)) keys.insert(sub);
        }
    else if (j.is_array())
        for (const auto& v : j)
            for (const auto& sub : jsonKeys(v, skip)) keys.insert(sub);
    return keys;
}

std::string docBetween(const std::string& doc, const std::string& open, std::size_t from = 0) {
    const auto a = doc.find(open, from);
    REQUIRE(a != std::string::npos);
    const auto b = doc.find("```", a + open.size());
    return doc.substr(a + open.size(), b - a - open.size());
}

// The first number after "key": in the documented JSON.
double docNumber(const std::string& block, const std::string& key) {
    const auto at = block.find("\"" + key + "\": ");
    REQUIRE(at != std::string::npos);
    return std::stod(block.substr(at + key.size() + 4));
}

}  // namespace

TEST_CASE("docs/find.md: its JSON example and its sample figures are find's on the sample",
          "[cli][find][doc]") {
    std::ifstream in(std::string(ONEMAP_SAMPLE_DIR) + "/../docs/find.md");
    REQUIRE(in);
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string ic = std::string(ONEMAP_SAMPLE_DIR) + "/../docs/examples/ic-fab.toml";

    // The JSON example names exactly the keys find writes (one site's check aside).
    const auto json = onemap::test::runCli({"find", kPlan, "--brief", ic, "--format", "json"});
    REQUIRE(json.code == 0);
    const auto j = nlohmann::json::parse(json.out);
    const std::string block = docBetween(doc, "```json\n");
    std::set<std::string> documented;
    for (std::size_t at = block.find('"'); at != std::string::npos;) {
        const auto end = block.find('"', at + 1);
        if (block.compare(end + 1, 1, ":") == 0)
            documented.insert(block.substr(at + 1, end - at - 1));
        at = block.find('"', end + 1);
    }
    const std::set<std::string> written = jsonKeys(j, "check");
    for (const auto& k : documented) {
        INFO("documented, not written: " << k);
        CHECK(written.count(k));
    }
    for (const auto& part : {j, j["brief"], j["free_land"], j["candidates"][0]})
        for (const auto& [k, v] : part.items()) {
            INFO("written, not documented: " << k);
            CHECK(documented.count(k));
        }
    // Its figures.
    CHECK(docNumber(block, "total_m2") == j["free_land"]["total_m2"].get<double>());
    CHECK(docNumber(block, "total_mu") == j["free_land"]["total_mu"].get<double>());
    CHECK(docNumber(block, "largest_piece_m2") == j["free_land"]["largest_piece_m2"].get<double>());
    CHECK(docNumber(block, "score") == j["candidates"][0]["score"].get<double>());
    CHECK(docNumber(block, "nearest_station_m") ==
          j["candidates"][0]["nearest_station_m"].get<double>());
    CHECK(docNumber(block, "plots_tried") == j["plots_tried"].get<double>());
    CHECK(block.find(j["candidates"][0]["terms"]["station"]["detail"].get<std::string>()) !=
          std::string::npos);

    for (const char* list : {"rules_checked", "notes"}) {  // written out in full
        std::string items;
        for (const auto& r : j[list]) items += (items.empty() ? "" : ", ") + r.dump();
        INFO(list);
        CHECK(block.find("\"" + std::string(list) + "\": [" + items + "]") != std::string::npos);
    }

    // The candidate lines quoted from the sample runs, each a line of find's own output.
    const auto any = onemap::test::runCli({"find", kPlan, "--area-mu", "150", "--any-park"});
    const auto fab = onemap::test::runCli({"find", kPlan, "--brief", ic});
    REQUIRE(any.code == 0);
    REQUIRE(fab.code == 0);
    std::size_t quoted = 0;
    for (std::size_t at = doc.find("\n  C-0"); at != std::string::npos;
         at = doc.find("\n  C-0", at + 1)) {
        const std::string line = doc.substr(at, doc.find('\n', at + 1) - at + 1);
        INFO(line);
        CHECK((any.out.find(line) != std::string::npos || fab.out.find(line) != std::string::npos));
        ++quoted;
    }
    CHECK(quoted >= 6);

    // The unknown-industry message as documented.
    const auto bad =
        onemap::test::runCli({"find", kPlan, "--area-mu", "150", "--industry", "芯片"});
    CHECK(bad.code == 2);
    CHECK(doc.find(bad.err) != std::string::npos);
}
