#include "onemap/core/report/text_report.hpp"

#include <algorithm>
#include <sstream>

#include "onemap/core/check/coverage_words.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/core/check/phrases.hpp"
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

std::string describeMeasure(const RuleResult& r, Lang lang) { return r.summary.in(lang); }

std::string reportText(const Report& report) {
    const Lang lang = report.lang;
    const auto say = [lang](const Wording& w) -> const std::string& { return w.in(lang); };
    const auto n = [](std::size_t v) { return Wording::same(std::to_string(v)); };
    std::ostringstream out;
    out << say(fill(phrase::textHeader, {Wording::same(report.planName), n(report.sites.size()),
                                         Wording::same(report.sitesPath)}))
        << "\n";
    if (!report.asOf.empty()) {
        out << say(asOfLine(report.asOf))
            << (report.versions.empty() ? ""
                : lang == Lang::Zh      ? "："
                                        : ":");
        for (const auto& v : report.versions)
            out << "  "
                << say(fill(phrase::versionFrom,
                            {Wording::same(escapeControl(v.layer)), Wording::same(v.from)}))
                << (v.doc.empty() ? "" : " (" + escapeControl(v.doc) + ")");
        out << "\n";
        for (const auto& l : report.notInForce)
            out << "  "
                << escapeControl(
                       say(reasonNotInForce(l.title.empty() ? l.layer : l.title, report.asOf)))
                << "\n";
    }
    if (!report.notApplied.empty()) {
        out << say(phrase::rulesNotApplied) << " (--rules):";
        for (const auto& r : report.notApplied)
            out << "  " << escapeControl(r.id) << " " << escapeControl(r.title);
        out << "\n";
    }
    std::size_t titleWidth = 0, verdictWidth = 0;
    for (const auto& s : report.sites)
        for (const auto& r : s.rules) {
            titleWidth = std::max(titleWidth, displayWidth(r.title));
            verdictWidth = std::max(verdictWidth, displayWidth(say(ruleVerdictWording(r))));
        }
    for (const auto& s : report.sites) {
        out << "\n"
            << escapeControl(s.id) << "  " << escapeControl(s.name) << "  ["
            << say(siteVerdictWording(s)) << "]\n";
        out << "  " << say(phrase::area) << " " << say(areaWording(s.areaM2));
        if (!s.admin.empty()) {
            std::vector<std::string> parts;
            for (const auto& a : s.admin)
                parts.push_back(escapeControl(a.name) + " " + formatNumber(a.fraction * 100, 1) +
                                "%");
            out << "   " << say(phrase::city) << " " << joinList(parts, " / ");
            if (s.crossBoundary()) out << "  " << say(phrase::crossBoundary);
        }
        out << "\n";
        for (const auto& w : s.warnings) out << "  ! " << escapeControl(w) << "\n";
        if (!s.error.empty())
            out << "  ! " << say(phrase::couldNotCheck) << escapeControl(s.error) << "\n";
        for (const auto& r : s.rules) {
            out << "  " << padRight(r.title, titleWidth) << "  "
                << padRight(say(ruleVerdictWording(r)), verdictWidth) << "  "
                << escapeControl(say(r.checked() ? r.summary : r.notChecked)) << "\n";
        }
    }
    out << "\n" << say(phrase::summaryPrefix) << say(sitesSummary(report));
    out << "\n";
    // Warnings listed, not counted: what the readers decided is part of what was checked.
    if (!report.warnings.empty()) {
        out << say(fill(phrase::dataWarnings, {n(report.warnings.size())})) << "\n";
        constexpr std::size_t kListed = 200;  // the rest in the JSON report, counted
        for (std::size_t i = 0; i < std::min(kListed, report.warnings.size()); ++i)
            out << "  ! " << escapeControl(report.warnings[i]) << "\n";
        if (report.warnings.size() > kListed)
            out << "  " << say(fill(phrase::moreInJson, {n(report.warnings.size() - kListed)}))
                << "\n";
    }
    return out.str();
}

}  // namespace onemap::core
