#include "onemap/core/check/coverage_words.hpp"

namespace onemap::core {
namespace {

bool partialVerdict(const SiteReport& site) {
    const Verdict v = site.verdict();
    return (v == Verdict::Pass || v == Verdict::Warn) && site.partial();
}

const char* caption(Verdict v) {
    switch (v) {
        case Verdict::Pass:
            return "合规 pass";
        case Verdict::Warn:
            return "警示 warn";
        case Verdict::Fail:
            return "不合规 fail";
        case Verdict::Unchecked:
            break;
    }
    return "未能审查 unchecked";
}

}  // namespace

std::string verdictText(const SiteReport& site) {
    return std::string(toString(site.verdict())) + (partialVerdict(site) ? " (partial)" : "");
}

std::string verdictCaption(const SiteReport& site) {
    return std::string(caption(site.verdict())) +
           (partialVerdict(site) ? std::string("（") + CoverageCaptions::partial + "）" : "");
}

std::string ruleVerdictText(const RuleResult& rule) {
    return rule.checked() ? toString(rule.verdict()) : "not checked";
}

std::string ruleVerdictCaption(const RuleResult& rule) {
    return rule.checked() ? caption(rule.verdict()) : CoverageCaptions::notChecked;
}

std::string reasonNoField(const std::string& field, const std::string& sitesSource) {
    return "场地文件无字段 " + field + " — 用 --attr " + field + "=… 或 --attr-table 补充 / " +
           sitesSource + " has no field " + field + "; supply it with --attr " + field +
           "=VALUE or --attr-table FILE.csv";
}

std::string reasonNoValue(const std::string& field) {
    return "场地无 " + field + " 值 — 用 --attr-table 补充 / the site has no value of " + field +
           "; supply it with --attr-table FILE.csv";
}

std::string reasonNotInForce(const std::string& layerTitle, const std::string& date) {
    return layerTitle + ": " + date + " 无现行版本 — 未审查 / no version in force on " + date +
           " — not checked";
}

std::string reasonLeftOut() { return "未选用 (--rules) / left out by --rules"; }

std::string asOfLine(const std::string& date) {
    return std::string(CoverageCaptions::asOf) + " " + date;
}

}  // namespace onemap::core
