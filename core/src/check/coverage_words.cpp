#include "onemap/core/check/coverage_words.hpp"

#include "onemap/core/check/phrases.hpp"

namespace onemap::core {
namespace {

bool partialVerdict(const SiteReport& site) {
    const Verdict v = site.verdict();
    return (v == Verdict::Pass || v == Verdict::Warn) && site.partial();
}

Wording same(const std::string& s) { return Wording::same(s); }

}  // namespace

std::string verdictText(const SiteReport& site) {
    return std::string(toString(site.verdict())) + (partialVerdict(site) ? " (partial)" : "");
}

std::string ruleVerdictText(const RuleResult& rule) {
    return rule.checked() ? toString(rule.verdict()) : "not checked";
}

Wording siteVerdictWording(const SiteReport& site) {
    Wording w = verdictWording(site.verdict());
    if (partialVerdict(site)) w += phrase::partialSuffix;
    return w;
}

Wording ruleVerdictWording(const RuleResult& rule) {
    return rule.checked() ? verdictWording(rule.verdict()) : phrase::notChecked;
}

Wording sitesSummary(const Report& report) {
    const auto n = [](std::size_t v) { return same(std::to_string(v)); };
    Wording w = fill(phrase::sitesCount,
                     {n(report.sites.size()), n(report.countWhole(Verdict::Pass)),
                      n(report.countWhole(Verdict::Warn)), n(report.count(Verdict::Fail))});
    if (const auto k = report.countPartial()) w += fill(phrase::partialCount, {n(k)});
    if (const auto k = report.count(Verdict::Unchecked))
        w += fill(phrase::summaryUnchecked, {n(k)});
    return w;
}

Wording reasonNoField(const std::string& field, const std::string& sitesSource) {
    return fill(phrase::reasonNoField, {same(field), same(sitesSource)});
}

Wording reasonNoValue(const std::string& field) {
    return fill(phrase::reasonNoValue, {same(field)});
}

Wording reasonNotInForce(const std::string& layerTitle, const std::string& date) {
    return fill(phrase::reasonNotInForce, {same(layerTitle), same(date)});
}

Wording reasonLeftOut() { return phrase::reasonLeftOut; }

Wording asOfLine(const std::string& date) { return fill(phrase::asOfDay, {same(date)}); }

}  // namespace onemap::core
