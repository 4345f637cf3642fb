#include "onemap/core/report/text_report.hpp"

#include <algorithm>
#include <sstream>

#include "onemap/core/check/coverage_words.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/gis/text/terminal_text.hpp"
#include "report/report_fields.hpp"

namespace onemap::core {
namespace {

std::string padRight(const std::string& s, std::size_t width) {
    const std::size_t w = displayWidth(s);
    return w >= width ? s : s + std::string(width - w, ' ');
}

// Ids and names come from user files: a terminal shows their control characters.
using gis::escapeControl;

}  // namespace

std::string describeMeasure(const RuleResult& r) { return r.summary; }

std::string reportText(const Report& report) {
    std::ostringstream out;
    out << report.planName << "  —  " << report.sites.size() << " sites from " << report.sitesPath
        << "\n";
    if (!report.asOf.empty()) {
        out << asOfLine(report.asOf) << (report.versions.empty() ? "" : ":");
        for (const auto& v : report.versions)
            out << "  " << escapeControl(v.layer) << " from " << v.from
                << (v.doc.empty() ? "" : " (" + escapeControl(v.doc) + ")");
        out << "\n";
        for (const auto& l : report.notInForce)
            out << "  " << CoverageCaptions::notChecked << ": "
                << escapeControl(reasonNotInForce(l.title.empty() ? l.layer : l.title, report.asOf))
                << "\n";
    }
    if (!report.notApplied.empty()) {
        out << CoverageCaptions::rulesNotApplied << " (--rules):";
        for (const auto& r : report.notApplied)
            out << "  " << escapeControl(r.id) << " " << escapeControl(r.title);
        out << "\n";
    }
    std::size_t titleWidth = 0;
    for (const auto& s : report.sites)
        for (const auto& r : s.rules) titleWidth = std::max(titleWidth, displayWidth(r.title));
    for (const auto& s : report.sites) {
        out << "\n"
            << escapeControl(s.id) << "  " << escapeControl(s.name) << "  [" << verdictText(s)
            << "]\n";
        out << "  area " << describeArea(s.areaM2);
        if (!s.admin.empty()) {
            std::vector<std::string> parts;
            for (const auto& a : s.admin)
                parts.push_back(escapeControl(a.name) + " " + formatNumber(a.fraction * 100, 1) +
                                "%");
            out << "   city " << joinList(parts, " / ");
            if (s.crossBoundary()) out << "  (cross-boundary 跨界)";
        }
        out << "\n";
        for (const auto& w : s.warnings) out << "  ! " << escapeControl(w) << "\n";
        if (!s.error.empty()) out << "  ! could not be checked: " << escapeControl(s.error) << "\n";
        for (const auto& r : s.rules) {
            out << "  " << padRight(r.title, titleWidth) << "  " << padRight(ruleVerdictText(r), 4)
                << "  " << escapeControl(r.checked() ? r.summary : r.notChecked) << "\n";
        }
    }
    out << "\nSummary: " << report.sites.size() << " sites — " << report.countWhole(Verdict::Pass)
        << " pass, " << report.countWhole(Verdict::Warn) << " warn, ";
    if (const auto n = report.countPartial()) out << n << " partial (部分审查), ";
    out << report.count(Verdict::Fail) << " fail";
    if (const auto n = report.count(Verdict::Unchecked))
        out << ", " << n << " could not be checked";
    out << "\n";
    if (!report.warnings.empty())
        out << report.warnings.size() << " data warning(s); see --format json\n";
    return out.str();
}

}  // namespace onemap::core
