#include "onemap/core/report/csv_report.hpp"

#include <charconv>
#include <sstream>
#include <string_view>
#include <tuple>

#include "onemap/core/check/coverage_words.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "report/report_fields.hpp"

namespace onemap::core {
namespace {

std::string quoteCsv(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

bool isNumber(const std::string& s) {
    double v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return !s.empty() && r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

// Text that a spreadsheet would run as a formula (=, +, -, @, or a leading tab/CR, which
// some strip first) gets a leading ' and is quoted. A number ("-12.5" as an id) cannot run
// and stays as it is.
std::string csvText(const std::string& s) {
    if (s.empty() || std::string_view("=+-@\t\r").find(s.front()) == std::string_view::npos ||
        isNumber(s))
        return quoteCsv(s);
    std::string out = "\"'";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string numberOrEmpty(const std::optional<double>& v, int decimals) {
    if (!v) return "";
    return fixedDecimals(roundTo(*v, decimals), decimals);
}

// One CSV column from the measures, or "" when the rule has no such measure.
std::string csvCell(const RuleResult& r, const std::string& column) {
    if (const Measure* m = r.measure(column)) {
        switch (m->unit) {
            case Unit::List:
                return csvText(joinList(m->items, ";"));
            case Unit::Breakdown: {
                std::vector<std::string> parts;
                for (const auto& [cls, m2] : m->breakdown)
                    parts.push_back(cls + "=" + numberOrEmpty(m2, 2));
                return csvText(joinList(parts, ";"));
            }
            case Unit::Text:
                return csvText(gis::toString(m->value));
            default:
                break;
        }
        if (const int d = unitDecimals(m->unit); d >= 0) return numberOrEmpty(m->number(), d);
        if (std::holds_alternative<std::string>(m->value)) return csvText(gis::toString(m->value));
        return gis::toString(m->value);  // a number as it is, NULL as empty
    }
    for (const auto& [suffix, factor, d] :
         {std::tuple{"_mu", 1.0 / gis::kSquareMetresPerMu, 4},
          std::tuple{"_ha", 1.0 / gis::kSquareMetresPerHectare, 6}}) {
        const std::string s = suffix;
        if (column.size() <= s.size() || column.compare(column.size() - s.size(), s.size(), s))
            continue;
        const Measure* m = r.measure(column.substr(0, column.size() - s.size()) + "_m2");
        if (m && m->alsoMuHa && m->number()) return numberOrEmpty(*m->number() * factor, d);
    }
    return "";
}

// A comment line stays one line whatever a layer id or a title holds.
std::string oneLine(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    return s;
}

}  // namespace

// The measure columns of the CSV, in the order docs/check-json.md lists them; a rule
// without a measure leaves its cell empty, and its summary is in the last column.
const std::vector<std::string> kMeasureColumns{
    "overlap_m2", "overlap_mu", "overlap_ha", "inside_fraction", "outside_m2",
    "distance_m", "nearest",    "value",      "features",        "distance_method"};

std::string reportCsv(const Report& report) {
    std::ostringstream out;
    // A UTF-8 BOM, so Excel on a Chinese Windows reads the Chinese text right.
    out << "\xEF\xBB\xBF";
    // What the check covered, before the header, as '#' lines (pandas: comment='#'): the
    // plan's date and versions, layers with none that day, rules --rules left out.
    if (!report.asOf.empty()) {
        out << "# as_of=" << report.asOf;
        for (const auto& v : report.versions) out << " " << v.layer << "=" << v.from;
        out << "\n";
        for (const auto& l : report.notInForce)
            out << "# not_in_force=" << l.layer << " "
                << oneLine(reasonNotInForce(l.title.empty() ? l.layer : l.title, report.asOf)
                               .in(report.lang))
                << "\n";
    }
    if (!report.notApplied.empty()) {
        out << "# rules_not_applied=";
        for (std::size_t i = 0; i < report.notApplied.size(); ++i)
            out << (i ? ";" : "") << oneLine(report.notApplied[i].id);
        out << "\n";
    }
    out << "site_id,site_name,site_verdict,area_m2,area_mu,admin,rule_id,rule_title,kind,severity,"
           "verdict";
    for (const auto& c : kMeasureColumns) out << "," << c;
    // Warnings last, so the columns before keep their places: the site's own (a declared
    // area its coordinates disagree with) and the run's (what the readers decided).
    out << ",summary,site_warnings,warnings\n";
    const auto warningsCell = [](const std::vector<std::string>& items) {
        std::string joined;
        for (const auto& w : items) joined += (joined.empty() ? "" : " | ") + w;
        for (char& c : joined)
            if (c == '\n' || c == '\r') c = ' ';  // one row per line
        return csvText(joined);
    };
    const std::string runWarnings = warningsCell(report.warnings);
    for (const auto& s : report.sites) {
        const std::string siteWarnings = warningsCell(s.warnings);
        for (const auto& r : s.rules) {
            std::vector<std::string> row{
                csvText(s.id),
                csvText(s.name),
                verdictText(s),
                numberOrEmpty(s.areaM2, 2),
                numberOrEmpty(gis::toMu(s.areaM2), 4),
                csvText(joinList(adminNames(s), ";")),
                csvText(r.ruleId),
                csvText(r.title),
                r.kind,
                toString(r.severity),
                ruleVerdictText(r),
            };
            for (const auto& c : kMeasureColumns) row.push_back(csvCell(r, c));
            row.push_back(
                csvText(r.checked() ? r.summary.in(report.lang) : r.notChecked.in(report.lang)));
            row.push_back(siteWarnings);
            row.push_back(runWarnings);
            for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << row[i];
            out << "\n";
        }
    }
    return out.str();
}

}  // namespace onemap::core
