// Report documents checked with independent tools: poppler's pdftotext/pdffonts for the
// PDF, headless Chromium for the HTML; plus byte-for-byte determinism.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "../test_support.hpp"
#include "onemap/cli/run.hpp"
#include "onemap/gis/atomic_file.hpp"
#include "onemap/gis/vector_io.hpp"

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
