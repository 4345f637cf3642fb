// Outputs that are safe to open: no spreadsheet formulas from site data, numbers with a dot
// whatever the locale.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <clocale>
#include <cstdlib>
#include <filesystem>
#include <locale>

#include "../test_support.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/core/report/csv_report.hpp"
#include "onemap/core/report/json_report.hpp"

using namespace onemap;

namespace {

core::Report reportWith(const std::string& id, const std::string& name) {
    core::Report report;
    core::SiteReport site;
    site.id = id;
    site.name = name;
    site.areaM2 = 1234567.891;
    core::RuleResult r;
    r.ruleId = "no-farmland";
    r.title = "不得占用永久基本农田";
    r.kind = "must_not_overlap";
    r.passed = false;
    r.measures.push_back(
        core::Measure::area("overlap_m2", core::Wording::same("Overlap"), 1500.5, true));
    r.features = {"@SUM(A1)"};
    r.measures.push_back(
        core::Measure::list("features", core::Wording::same("Features"), r.features));
    site.rules.push_back(r);
    report.sites.push_back(site);
    return report;
}

// The cells of row `row` (0 = header), split on commas outside quotes (an RFC 4180 reader).
std::vector<std::string> csvRow(const std::string& csv, int row) {
    std::size_t start = csv.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;  // the BOM for Excel
    for (int i = 0; i < row; ++i) start = csv.find('\n', start) + 1;
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (std::size_t i = start; i < csv.size() && (quoted || csv[i] != '\n'); ++i) {
        const char c = csv[i];
        if (c == '"') {
            if (quoted && i + 1 < csv.size() && csv[i + 1] == '"') {
                cells.back() += '"';
                ++i;
            } else {
                quoted = !quoted;
            }
        } else if (c == ',' && !quoted) {
            cells.emplace_back();
        } else {
            cells.back() += c;
        }
    }
    return cells;
}

std::vector<std::string> firstRow(const std::string& csv) { return csvRow(csv, 1); }

// The first data row's cell under `column`.
std::string cell(const std::string& csv, const std::string& column) {
    const auto header = csvRow(csv, 0);
    const auto row = firstRow(csv);
    for (std::size_t i = 0; i < header.size() && i < row.size(); ++i)
        if (header[i] == column) return row[i];
    FAIL("no CSV column " << column);
    return "";
}

struct CommaDecimal : std::numpunct<char> {
    char do_decimal_point() const override { return ','; }
    char do_thousands_sep() const override { return '.'; }
    std::string do_grouping() const override { return "\3"; }
};

}  // namespace

TEST_CASE("CSV cells that a spreadsheet would run as formulas are neutralised", "[core][report]") {
    const std::string csv =
        core::reportCsv(reportWith("=HYPERLINK(\"http://x\",\"y\")", "+cmd|'/c calc'!A1"));
    CHECK(csvRow(csv, 0).size() == firstRow(csv).size());
    CHECK(cell(csv, "site_id") == "'=HYPERLINK(\"http://x\",\"y\")");
    CHECK(cell(csv, "site_name") == "'+cmd|'/c calc'!A1");
    CHECK(cell(csv, "features") == "'@SUM(A1)");
    CHECK(cell(csv, "area_m2") == "1234567.89");  // numbers stay numbers
    CHECK(cell(csv, "overlap_m2") == "1500.50");
    // A negative number is a number, not a formula.
    CHECK(firstRow(core::reportCsv(reportWith("-12.5", "普通名称")))[0] == "-12.5");
    CHECK(firstRow(core::reportCsv(reportWith("-x", "普通名称")))[0] == "'-x");
}

TEST_CASE("Numbers are written with a dot under a comma-decimal locale", "[core][report]") {
    const std::locale before =
        std::locale::global(std::locale(std::locale::classic(), new CommaDecimal));
    const std::string formatted = core::formatNumber(1234567.891, 2);
    const std::string area = core::describeArea(1500.5);
    const std::string csv = core::reportCsv(reportWith("S-1", "名称"));
    const std::string json = core::reportJson(reportWith("S-1", "名称"), "test");
    const std::string value = gis::toString(gis::Value{2.5});
    std::locale::global(before);
    CHECK(formatted == "1,234,567.89");
    CHECK(area.rfind("1,500.50 m²", 0) == 0);
    CHECK(cell(csv, "area_m2") == "1234567.89");
    CHECK(json.find("1234567.89") != std::string::npos);
    CHECK(value == "2.5");
}

TEST_CASE("Numbers are written with a dot under the C locale de_DE.UTF-8", "[core][report]") {
    // Qt sets LC_ALL from the environment; printf then writes decimal commas. Build a real
    // German locale with glibc's localedef (package `locales`) into a private folder.
    const auto dir = onemap::test::scratch("locale");
    std::filesystem::create_directories(dir);
    const std::string cmd =
        "localedef -i de_DE -f UTF-8 " + (dir / "de_DE.UTF-8").string() + " 2>/dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
    ::setenv("LOCPATH", dir.c_str(), 1);
    REQUIRE(std::setlocale(LC_ALL, "de_DE.UTF-8") != nullptr);
    char probe[32];
    std::snprintf(probe, sizeof probe, "%.1f", 2.5);
    const std::string printfSays = probe;
    const std::string formatted = core::formatNumber(1234567.891, 2);
    const std::string csv = core::reportCsv(reportWith("S-1", "名称"));
    const std::string value = gis::toString(gis::Value{2.5});
    std::setlocale(LC_ALL, "C");
    ::unsetenv("LOCPATH");
    std::filesystem::remove_all(dir);
    CHECK(printfSays == "2,5");  // the locale really is in force
    CHECK(formatted == "1,234,567.89");
    CHECK(cell(csv, "area_m2") == "1234567.89");
    CHECK(value == "2.5");
}
