// What a check covered (issue 34, points 1 and 2): rules not checked and why, partial verdicts,
// figures supplied with --attr / --attr-table, the plan's date in every output.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "../test_support.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/layer/layer_writer.hpp"

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

const auto onemapRun = onemap::test::runCli;
const std::string kSample = ONEMAP_SAMPLE_DIR;
const std::string kPlan = kSample + "/g60.toml";
const std::string kSites = kSample + "/sites.gpkg";
// A day when every layer of the sample is in force (the sample's versions are 2021-03-01 and
// 2024-06-30): results do not move with today's date.
const std::string kDay = "2026-12-07";
const std::vector<std::string> kAttributeRules{"plot-ratio", "investment-intensity",
                                               "park-industry"};

fs::path scratch(const std::string& name) { return onemap::test::scratch("partial-" + name); }

// The sample's sites as a 国土 TXT: boundaries only, no plot ratio, investment or industry.
std::string sitesAsTxt(const fs::path& dir) {
    const std::string txt = (dir / "sites.txt").string();
    const auto r = onemapRun({"export", kPlan, "--as-of", kDay, "--sites", kSites, "-o", txt});
    INFO(r.err);
    REQUIRE(r.code == 0);
    return txt;
}

// The worst verdict of the rules checked, worked out from the rules, not the program's own.
std::string worstChecked(const Json& site) {
    std::string worst = "pass";
    for (const auto& r : site["rules"]) {
        if (r["verdict"] == "fail") worst = "fail";
        if (r["verdict"] == "warn" && worst == "pass") worst = "warn";
    }
    return worst;
}

// The check's JSON; its exit code is 1 exactly when a site fails a rule it was checked on
// (worked out from the rules), else 0 — a partial pass is 0.
Json checkJson(std::vector<std::string> args) {
    args.insert(args.begin(), "check");
    for (const char* a : {"--format", "json"}) args.emplace_back(a);
    const auto r = onemapRun(args);
    INFO(r.err);
    REQUIRE(r.code != 2);
    const Json report = Json::parse(r.out);
    bool fails = false;
    for (const auto& site : report["sites"]) fails = fails || worstChecked(site) == "fail";
    CHECK(r.code == (fails ? 1 : 0));
    return report;
}

const Json& ruleOf(const Json& site, const std::string& id) {
    for (const auto& r : site["rules"])
        if (r["id"] == id) return r;
    FAIL("site " << site["id"] << " has no rule " << id);
    throw;
}

bool isAttributeRule(const std::string& id) {
    return std::find(kAttributeRules.begin(), kAttributeRules.end(), id) != kAttributeRules.end();
}

std::map<std::string, Json> byId(const Json& report) {
    std::map<std::string, Json> out;
    for (const auto& s : report["sites"]) out[s["id"].get<std::string>()] = s;
    return out;
}

// Every rule of `a` and `b` says the same, to what the TXT's coordinates keep: verdicts equal,
// values and limits equal, areas within 0.5 m² and fractions within 1e-4.
void requireSameRules(const Json& a, const Json& b) {
    REQUIRE(a["rules"].size() == b["rules"].size());
    for (std::size_t i = 0; i < a["rules"].size(); ++i) {
        const Json& ra = a["rules"][i];
        const Json& rb = b["rules"][i];
        INFO(a["id"] << " " << ra["id"]);
        REQUIRE(ra["id"] == rb["id"]);
        CHECK(ra["verdict"] == rb["verdict"]);
        for (const char* key : {"value", "limit"})
            if (ra.contains(key)) CHECK(ra[key] == rb[key]);
        for (const char* key : {"inside_fraction"})
            if (ra.contains(key))
                CHECK(ra[key].get<double>() == Approx(rb[key].get<double>()).margin(1e-4));
        for (const char* key : {"overlap_m2", "outside_m2", "inside_m2"})
            if (ra.contains(key))
                CHECK(ra[key].get<double>() == Approx(rb[key].get<double>()).margin(0.5));
    }
}

}  // namespace

TEST_CASE("A 国土 TXT without figures: the attribute rules are not checked, the verdict partial",
          "[cli][partial]") {
    const auto dir = scratch("txt");
    const std::string txt = sitesAsTxt(dir);
    const Json gpkg = checkJson({kPlan, kSites, "--as-of", kDay});
    // Exit 1 only because spatial rules fail somewhere; no exit 2 for the missing fields.
    const Json report = checkJson({kPlan, txt, "--as-of", kDay});
    const auto gpkgSites = byId(gpkg);
    std::size_t partial = 0, fail = 0;
    for (const auto& site : report["sites"]) {
        INFO(site["id"]);
        for (const auto& id : kAttributeRules) {
            const Json& r = ruleOf(site, id);
            CHECK(r["verdict"] == "not checked");
            CHECK(r["reason"].get<std::string>().find("--attr") != std::string::npos);
        }
        CHECK(site["not_checked"] == Json(kAttributeRules));
        // The verdict is worked out from the rules checked: partial unless a rule fails.
        const std::string worst = worstChecked(site);
        CHECK(site["verdict"] == (worst == "fail" ? worst : worst + " (partial)"));
        // The spatial rules measure as on the GeoPackage: the same sites, the same answers.
        const Json& same = gpkgSites.at(site["id"].get<std::string>());
        for (const auto& r : same["rules"])
            if (!isAttributeRule(r["id"])) CHECK(ruleOf(site, r["id"])["verdict"] == r["verdict"]);
        if (worst == "fail")
            ++fail;
        else
            ++partial;
    }
    CHECK(partial > 0);
    const Json& summary = report["summary"];
    CHECK(summary["partial"] == partial);
    CHECK(summary["pass"] == 0);
    CHECK(summary["warn"] == 0);
    CHECK(summary["fail"] == fail);
    CHECK(report["rules_not_applied"].empty());

    SECTION("without failing rules a partial pass exits 0, and the text says partial") {
        const auto r = onemapRun(
            {"check", kPlan, txt, "--as-of", kDay, "--rules", "plot-ratio,investment-intensity"});
        INFO(r.err);
        CHECK(r.code == 0);
        CHECK(r.out.find("合规（部分审查）") != std::string::npos);
        CHECK(r.out.find("未审查") != std::string::npos);
        CHECK(r.out.find("--attr plot_ratio=") != std::string::npos);
        CHECK(r.out.find("未审查规则 (--rules):  no-farmland") !=
              std::string::npos);
        CHECK(r.out.find(" 合规，") != std::string::npos);
        CHECK(r.out.find(" 部分审查") != std::string::npos);
    }
}

TEST_CASE("check --attr-table and --attr give the figures: the same results as the GeoPackage's",
          "[cli][partial]") {
    const auto dir = scratch("attr");
    const std::string txt = sitesAsTxt(dir);
    const auto layer = onemap::gis::readLayer(kSites);
    const Json gpkg = checkJson({kPlan, kSites, "--as-of", kDay});

    SECTION("--attr-table: the gpkg's own figures, read back from a CSV") {
        const fs::path csv = dir / "figures.csv";
        {
            std::ofstream out(csv);
            out << "id,plot_ratio,investment_intensity,industry\n";
            for (std::size_t i = 0; i < layer.features.size(); ++i) {
                out << onemap::gis::toString(layer.value(i, "id"));
                for (const char* f : {"plot_ratio", "investment_intensity", "industry"})
                    out << "," << onemap::gis::toString(layer.value(i, f));
                out << "\n";
            }
        }
        const Json report = checkJson({kPlan, txt, "--as-of", kDay, "--attr-table", csv.string()});
        const auto gpkgSites = byId(gpkg);
        REQUIRE(report["sites"].size() == gpkg["sites"].size());
        for (const auto& site : report["sites"]) {
            const Json& same = gpkgSites.at(site["id"].get<std::string>());
            CHECK(site["verdict"] == same["verdict"]);
            // Not checked only where the gpkg has no figure either (a NULL plot ratio).
            CHECK(site.value("not_checked", Json()) == same.value("not_checked", Json()));
            requireSameRules(site, same);
        }
        CHECK(report["summary"] == gpkg["summary"]);
        CHECK(report["inputs"].contains(csv.string()));
    }

    SECTION("--attr: one figure for every site, as a GeoPackage whose sites all carry it") {
        auto same = layer;
        for (auto& f : same.features) {
            f.values[*same.fieldIndex("plot_ratio")] = 0.8;  // below the 1.0 limit: fails
            f.values[*same.fieldIndex("investment_intensity")] = 320.0;
            f.values[*same.fieldIndex("industry")] = std::string("生物医药");
        }
        const std::string uniform = (dir / "uniform.gpkg").string();
        onemap::gis::writeLayer(uniform, same);
        const Json expected = checkJson({kPlan, uniform, "--as-of", kDay});
        const Json report =
            checkJson({kPlan, txt, "--as-of", kDay, "--attr", "plot_ratio=0.8", "--attr",
                       "investment_intensity=320", "--attr", "industry=生物医药"});
        const auto expectedSites = byId(expected);
        for (const auto& site : report["sites"]) {
            const Json& e = expectedSites.at(site["id"].get<std::string>());
            CHECK(site["verdict"] == e["verdict"]);
            requireSameRules(site, e);
            CHECK(ruleOf(site, "plot-ratio")["verdict"] == "fail");  // 0.8 < 1.0, by hand
            CHECK(ruleOf(site, "plot-ratio")["value"] == 0.8);
            CHECK(ruleOf(site, "investment-intensity")["verdict"] == "pass");  // 320 ≥ 300
        }
    }
}

TEST_CASE("check --attr and --attr-table refuse what they cannot mean: exit 2 naming file:line",
          "[cli][partial][errors]") {
    const auto dir = scratch("attr-bad");
    const std::string txt = sitesAsTxt(dir);
    const auto put = [&dir](const std::string& name, const std::string& text) {
        std::ofstream(dir / name) << text;
        return (dir / name).string();
    };
    struct Case {
        std::vector<std::string> extra;
        std::string mentions;
    };
    const std::vector<Case> cases{
        {{"--attr", "plot_ratio"}, "write FIELD=VALUE"},
        {{"--attr", "plot_ratio=1,8"}, "'1,8' is not a number"},
        {{"--attr", "=1.8"}, "no field name"},
        {{"--attr-table", put("unknown.csv", "id,plot_ratio\nP-001,1.2\nNOPE-9,1.5\n")},
         "unknown.csv:3: site 'NOPE-9' is not in"},
        {{"--attr-table", put("dup.csv", "id,plot_ratio\nP-001,1.2\nP-001,1.5\n")},
         "dup.csv:3: site 'P-001' again (first at line 2)"},
        {{"--attr-table", put("num.csv", "id,plot_ratio\nP-001,1.2\nP-002,2O\n")},
         "num.csv:3: plot_ratio '2O' is not a number"},
        {{"--attr-table", put("width.csv", "id,plot_ratio\nP-001\n")}, "width.csv:2:"},
        {{"--attr-table", (dir / "missing.csv").string()}, "missing.csv: no such file"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> args{"check", kPlan, txt, "--as-of", kDay};
        args.insert(args.end(), c.extra.begin(), c.extra.end());
        const auto r = onemapRun(args);
        INFO(c.mentions << "\n" << r.err);
        CHECK(r.code == 2);
        CHECK(r.out.empty());
        CHECK(r.err.find(c.mentions) != std::string::npos);
    }
    // A field the site file has is never overridden.
    const auto r = onemapRun({"check", kPlan, kSites, "--as-of", kDay, "--attr", "plot_ratio=9"});
    CHECK(r.code == 2);
    CHECK(r.err.find("has this field already") != std::string::npos);
}

TEST_CASE("check --as-of before farmland's first version: its rule is not checked for every site",
          "[cli][partial][as-of]") {
    const Json report = checkJson({kPlan, kSites, "--as-of", "2020-01-01"});
    CHECK(report["as_of"] == "2020-01-01");
    REQUIRE(report["not_in_force"].contains("farmland"));
    const std::string reason = report["not_in_force"]["farmland"]["reason"];
    CHECK(reason.find("2020-01-01 无现行版本 — 未审查") != std::string::npos);
    CHECK(reason.find("no version in force on 2020-01-01 — not checked") != std::string::npos);
    CHECK_FALSE(report["versions"].contains("farmland"));
    for (const auto& site : report["sites"]) {
        INFO(site["id"]);
        const Json& farm = ruleOf(site, "no-farmland");
        CHECK(farm["verdict"] == "not checked");  // never a pass computed on no layer
        CHECK(farm["reason"] == reason);
        CHECK_FALSE(farm.contains("overlap_m2"));
        const std::string worst = worstChecked(site);
        CHECK(site["verdict"] == (worst == "fail" ? worst : worst + " (partial)"));
    }
    // Said in the header of the text, not only as a warning line.
    const auto text = onemapRun({"check", kPlan, kSites, "--as-of", "2020-01-01"});
    const std::string head = text.out.substr(0, text.out.find("\n\n"));
    CHECK(head.find("规划基准日 2020-01-01") != std::string::npos);
    CHECK(head.find("  永久基本农田：2020-01-01 无现行版本 — 未审查") !=
          std::string::npos);
    // And in the CSV's comment lines, before the header.
    const auto csv =
        onemapRun({"check", kPlan, kSites, "--as-of", "2020-01-01", "--format", "csv"});
    CHECK(csv.out.find("# as_of=2020-01-01") == 3);  // after the BOM
    CHECK(csv.out.find("# not_in_force=farmland") != std::string::npos);
    CHECK(csv.out.find("# not_in_force=farmland") < csv.out.find("site_id,"));
}

TEST_CASE("check --rules leaving rules out: the report names them and no site is a plain pass",
          "[cli][partial]") {
    const Json all = checkJson({kPlan, kSites, "--as-of", kDay});
    const Json some = checkJson({kPlan, kSites, "--as-of", kDay, "--rules", "no-redline"});
    std::set<std::string> leftOut;
    for (const auto& r : all["sites"][0]["rules"])
        if (r["id"] != "no-redline") leftOut.insert(r["id"]);
    std::set<std::string> named;
    for (const auto& r : some["rules_not_applied"]) {
        named.insert(r["id"]);
        CHECK_FALSE(r["title"].get<std::string>().empty());
    }
    CHECK(named == leftOut);
    std::size_t notFailing = 0;
    for (const auto& site : some["sites"]) {
        const std::string worst = worstChecked(site);
        CHECK(site["verdict"] == (worst == "fail" ? worst : worst + " (partial)"));
        notFailing += worst == "fail" ? 0 : 1;
    }
    CHECK(notFailing > 0);
    CHECK(some["summary"]["pass"] == 0);
    CHECK(some["summary"]["warn"] == 0);
    CHECK(some["summary"]["partial"] == notFailing);
}

TEST_CASE("JSON, text and CSV name the plan's date and each layer's version", "[cli][as-of]") {
    const Json report = checkJson({kPlan, kSites, "--as-of", "2022-06-01"});
    CHECK(report["as_of"] == "2022-06-01");
    CHECK(report["versions"]["farmland"]["from"] == "2021-03-01");  // g60.toml, by reading it
    const auto text = onemapRun({"check", kPlan, kSites, "--as-of", "2022-06-01"});
    CHECK(text.out.find("规划基准日 2022-06-01：") != std::string::npos);
    CHECK(text.out.find("farmland 自 2021-03-01 起施行") != std::string::npos);
    const auto csv =
        onemapRun({"check", kPlan, kSites, "--as-of", "2022-06-01", "--format", "csv"});
    CHECK(csv.out.find("# as_of=2022-06-01") == 3);
    CHECK(csv.out.find("farmland=2021-03-01") < csv.out.find("site_id,"));
}
