// The onemap command in-process: exit codes, messages and outputs on the bundled sample.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "../test_support.hpp"
#include "onemap/cli/run.hpp"
#include "onemap/gis/layer/layer_reader.hpp"

namespace fs = std::filesystem;

namespace {

const auto onemapRun = onemap::test::runCli;

const std::string kSample = ONEMAP_SAMPLE_DIR;
const std::string kPlan = kSample + "/g60.toml";
const std::string kSites = kSample + "/sites.gpkg";

fs::path scratch(const std::string& name) { return onemap::test::scratch("cli-" + name); }

std::size_t fileCount(const fs::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
    return n;
}

}  // namespace

TEST_CASE("onemap info prints the bundled one map by default", "[cli][info]") {
    const auto r = onemapRun({"info"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("长三角G60科创走廊") != std::string::npos);
    CHECK(r.out.find("EPSG:4549") != std::string::npos);
    for (const char* title : {"城市边界", "永久基本农田", "生态保护红线", "城镇开发边界",
                              "产业园区", "高铁站", "铁路"}) {
        INFO(title);
        CHECK(r.out.find(title) != std::string::npos);
    }
    for (const char* kind :
         {"must_not_overlap", "must_be_within", "max_distance", "min_distance", "attribute"})
        CHECK(r.out.find(kind) != std::string::npos);
}

TEST_CASE("onemap check on the bundled sample: table, exit 1, JSON contract", "[cli][check]") {
    const auto text = onemapRun({"check"});
    INFO(text.err);
    CHECK(text.code == 1);  // the sample has failing sites
    CHECK(text.out.find("汇总：30 个项目") != std::string::npos);  // the plan writes Chinese
    CHECK(text.out.find("不得占用永久基本农田") != std::string::npos);

    const auto dir = scratch("check");
    const auto r = onemapRun({"check", kPlan, kSites, "--format", "json", "--output",
                              (dir / "r.json").string(), "--conflicts", (dir / "c.gpkg").string()});
    REQUIRE(r.code == 1);
    std::ifstream in(dir / "r.json");
    const auto j = nlohmann::json::parse(in);
    CHECK(j["plan"] == "长三角G60科创走廊 一张图");
    CHECK(j["crs"] == "EPSG:4549");
    REQUIRE(j["sites"].size() >= 25);
    std::set<std::string> verdicts;
    bool crossBoundary = false;
    for (const auto& s : j["sites"]) {
        verdicts.insert(s["verdict"].get<std::string>());
        crossBoundary = crossBoundary || s["admin"].size() > 1;
        CHECK(s["area_mu"].get<double>() ==
              Approx(s["area_m2"].get<double>() * 15 / 10000).margin(1e-3));
        for (const auto& rule : s["rules"]) {
            if (rule["kind"] == "must_be_within") {
                CHECK(rule["inside_m2"].get<double>() + rule["outside_m2"].get<double>() ==
                      Approx(s["area_m2"].get<double>()).margin(0.05));
            }
        }
    }
    // P-024 has no plot ratio (NULL): that rule is not checked there, so it passes in part.
    CHECK(verdicts == std::set<std::string>{"pass", "warn", "fail", "pass (partial)"});
    CHECK(crossBoundary);
    CHECK(j["inputs"].size() >= 2);

    // Conflicts: one feature per failing overlap/within rule result, openable by GDAL.
    const auto conflicts = onemap::gis::readLayer((dir / "c.gpkg").string());
    CHECK(conflicts.crs.epsg() == 4549);
    std::size_t expected = 0;
    for (const auto& s : j["sites"])
        for (const auto& rule : s["rules"])
            if ((rule.contains("overlap_m2") && rule["overlap_m2"].get<double>() > 0) ||
                (rule.contains("outside_m2") && rule["outside_m2"].get<double>() > 0))
                ++expected;
    CHECK(conflicts.features.size() == expected);
}

TEST_CASE("onemap check --format csv has one row per site and rule", "[cli][check]") {
    const auto r =
        onemapRun({"check", kPlan, kSites, "--format", "csv", "--rules", "no-farmland,plot-ratio"});
    long lines = 0, comments = 0;  // '#' lines first: the plan's date, the rules left out
    std::istringstream in(r.out.substr(3));
    for (std::string line; std::getline(in, line);) (line.rfind('#', 0) == 0 ? comments : lines)++;
    const auto json =
        nlohmann::json::parse(onemapRun({"check", kPlan, kSites, "--format", "json"}).out);
    CHECK(lines == 1 + 2 * static_cast<long>(json["sites"].size()));
    CHECK(comments == 2);
    CHECK(r.out.find("# as_of=") == 3);
    CHECK(r.out.find("# rules_not_applied=no-redline;") != std::string::npos);
}

TEST_CASE("Bad input: exit 2, one line naming the fault, no output file", "[cli][errors]") {
    const auto dir = scratch("errors");
    const std::string out = (dir / "out.json").string();
    struct Case {
        std::vector<std::string> args;
        std::string mentions;
    };
    std::ofstream(dir / "bad.toml") << "name = \"x\"\ncrs = \"EPSG:4549\"\n[[layers]]\nid = "
                                       "\"a\"\ntitle = \"a\"\nsource = \"a.gpkg\"\ncolor = 1\n";
    const std::vector<Case> cases = {
        {{"check", kPlan, "/no/such/sites.gpkg", "-o", out}, "/no/such/sites.gpkg"},
        {{"check", (dir / "bad.toml").string(), kSites, "-o", out}, "bad.toml:7:"},
        {{"check", kPlan, kSites, "--rules", "no-such-rule", "-o", out}, "no-such-rule"},
        {{"check", kPlan, kSites, "--id-field", "nope", "-o", out}, "nope"},
        {{"check", kPlan, kSites, "--format", "xml", "-o", out}, "xml"},
        {{"check", kPlan, kSites, "--sites-crs", "EPSG:0", "-o", out}, "EPSG:0"},
        {{"info", "/no/such/plan.toml"}, "/no/such/plan.toml"},
    };
    for (const auto& c : cases) {
        INFO(c.args[1] << " " << c.args.back());
        const auto r = onemapRun(c.args);
        CHECK(r.code == 2);
        CHECK(r.err.find(c.mentions) != std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') <= 2);
        CHECK_FALSE(fs::exists(out));
    }
    CHECK(fileCount(dir) == 1);  // bad.toml only: nothing partial left behind
}

TEST_CASE("onemap --help and --version", "[cli]") {
    CHECK(onemapRun({"--help"}).code == 0);
    const auto v = onemapRun({"--version"});
    CHECK(v.code == 0);
    CHECK(v.out.find('.') != std::string::npos);
    CHECK(onemapRun({"frobnicate"}).code == 2);
}

TEST_CASE("Escape sequences from user files are shown, not obeyed, on the terminal",
          "[cli][safety]") {
    const auto dir = scratch("escapes");
    std::ifstream in(kPlan);
    std::stringstream text;
    text << in.rdbuf();
    std::string plan = text.str();
    // A layer title carrying ESC[2J (clear screen) and an 8-bit CSI (U+009B).
    const std::string from = "title = \"城市边界\"";
    plan.replace(plan.find(from), from.size(), "title = \"城市\\u001b[2J边界\\u009b31m\"");
    for (const std::string file : {"g60.gpkg", "register.gpkg"}) {
        const std::string source = "source = \"" + file + "\"";
        for (auto at = plan.find(source); at != std::string::npos; at = plan.find(source, at))
            plan.replace(at, source.size(), "source = \"" + kSample + "/" + file + "\"");
    }
    std::ofstream(dir / "plan.toml") << plan;
    for (const std::string command : {"info", "validate"}) {
        const auto r = onemapRun({command, (dir / "plan.toml").string()});
        INFO(command << ": " << r.err);
        CHECK(r.out.find('\x1b') == std::string::npos);
        CHECK(r.out.find("\xC2\x9B") == std::string::npos);
        CHECK(r.out.find("城市\\x1B[2J边界\\u009B31m") != std::string::npos);
    }
}

TEST_CASE("An error is one short line whatever the input holds", "[cli][safety]") {
    const std::string huge(700, '9');
    const auto r = onemapRun({"render", "-o", (scratch("long") / "m.png").string(), "--extent",
                              huge + ",0,1,1\n\x1b[2J"});
    CHECK(r.code == 2);
    CHECK(r.err.size() <= 320);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.back() == '\n');
    CHECK(r.err.find('\x1b') == std::string::npos);
    CHECK(r.err.find("…") != std::string::npos);
}

TEST_CASE("onemap: an empty date option is refused naming it, never read as today",
          "[cli][dates]") {
    // Each date option given '' (a script's unset variable): exit 2, one line naming the
    // option. It was read as today (only --approval-date was refused).
    const auto dir = scratch("empty-dates");
    const std::string out = (dir / "x.png").string();
    const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
        {"--as-of", {"check", kPlan, kSites, "--as-of", ""}},
        {"--approval-date", {"check", kPlan, kSites, "--approve", "--approval-date", ""}},
        {"--as-of", {"info", kPlan, "--as-of", ""}},
        {"--as-of", {"render", kPlan, "-o", out, "--as-of", ""}},
        {"--as-of", {"find", kPlan, "--as-of", ""}},
        {"--to", {"diff", kPlan, "--layer", "devbound", "--from", "2020-01-01", "--to", ""}},
        {"--from", {"diff", kPlan, "--layer", "devbound", "--from", ""}},
        {"--as-of", {"export", kPlan, "--layer", "devbound", "-o", out, "--as-of", ""}},
    };
    for (const auto& [option, args] : cases) {
        const auto r = onemapRun(args);
        INFO(args[0] << " " << option << ": " << r.err);
        CHECK(r.code == 2);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK(r.err.find(option + ": '' is not a date") != std::string::npos);
    }
    CHECK(fileCount(dir) == 0);  // nothing written
    // A date that is not one is refused the same way, before anything is read.
    const auto bad = onemapRun({"diff", kPlan, "--layer", "devbound", "--from", "2024-02-30"});
    CHECK(bad.code == 2);
    CHECK(bad.err.find("--from: '2024-02-30' is not a date") != std::string::npos);
}
