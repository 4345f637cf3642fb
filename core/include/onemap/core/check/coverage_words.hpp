#pragma once
// What a check covered, in words: the verdict of a site checked in part (部分审查), a rule not
// checked (未审查) and why, the captions of the plan's date. Every writer (text, JSON, CSV,
// HTML/PDF, viewer, find) takes its words from here — one table the phrase table (--lang)
// takes over. Pure functions: any thread.
#include <string>

#include "onemap/core/check/report.hpp"

namespace onemap::core {

/// "pass", "warn (partial)", "fail", "unchecked": a site's verdict as JSON/CSV/text write it.
[[nodiscard]] std::string verdictText(const SiteReport& site);
/// "合规 pass", "合规 pass（部分审查 partial）", "不合规 fail", …: for the HTML/PDF and the viewer.
[[nodiscard]] std::string verdictCaption(const SiteReport& site);
/// "pass", "warn", "fail" or "not checked": a rule's verdict as JSON/CSV/text write it.
[[nodiscard]] std::string ruleVerdictText(const RuleResult& rule);
/// "合规 pass" … "未审查 not checked": a rule's verdict in the HTML/PDF and the viewer.
[[nodiscard]] std::string ruleVerdictCaption(const RuleResult& rule);

/// Why an attribute rule is not checked: the site file has no such field.
[[nodiscard]] std::string reasonNoField(const std::string& field, const std::string& sitesSource);
/// Why an attribute rule is not checked for one site: its value is NULL or empty.
[[nodiscard]] std::string reasonNoValue(const std::string& field);
/// Why a rule is not checked on the plan's date: its layer has no version in force.
[[nodiscard]] std::string reasonNotInForce(const std::string& layerTitle, const std::string& date);
/// Why a rule is not checked: --rules left it out.
[[nodiscard]] std::string reasonLeftOut();

/// Captions of the cover and headers.
struct CoverageCaptions {
    static constexpr const char* asOf = "规划基准日 Plan as of";
    static constexpr const char* versions = "图层版本 Layer versions";
    static constexpr const char* versionFrom = "施行日期 In force from";
    static constexpr const char* versionDoc = "批准文件 Document";
    static constexpr const char* notInForce = "无现行版本 No version in force";
    static constexpr const char* rulesNotApplied = "未审查规则 Rules not applied";
    static constexpr const char* notChecked = "未审查 not checked";
    static constexpr const char* partial = "部分审查 partial";
    static constexpr const char* reason = "原因 Reason";
};

/// "规划基准日 Plan as of 2022-06-01": the title line of a window or a map.
[[nodiscard]] std::string asOfLine(const std::string& date);

}  // namespace onemap::core
