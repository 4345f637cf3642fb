#pragma once
// What a check covered, in words: the verdict of a site checked in part (部分审查), a rule not
// checked (未审查) and why, the plan's date. The machine words (JSON, CSV, the find table)
// are fixed English; the words a planner reads are Wordings from the phrase table
// (check/phrases.hpp). Pure functions: any thread.
#include <string>

#include "onemap/core/check/report.hpp"
#include "onemap/core/check/wording.hpp"

namespace onemap::core {

/// "pass", "warn (partial)", "fail", "unchecked": a site's verdict as JSON/CSV/text write it.
[[nodiscard]] std::string verdictText(const SiteReport& site);
/// "pass", "warn", "fail" or "not checked": a rule's verdict as JSON/CSV write it.
[[nodiscard]] std::string ruleVerdictText(const RuleResult& rule);
/// 合规 / 合规（部分审查）/ 不合规 … — pass / pass (partial) / fail …: a site's verdict in words.
[[nodiscard]] Wording siteVerdictWording(const SiteReport& site);
/// 合规 … 未审查 — pass … not checked: a rule's verdict in words.
[[nodiscard]] Wording ruleVerdictWording(const RuleResult& rule);

/// 30 个：10 合规，5 警示，14 不合规，1 部分审查 — the count of each verdict, partial apart.
[[nodiscard]] Wording sitesSummary(const Report& report);

/// Why an attribute rule is not checked: the site file has no such field.
[[nodiscard]] Wording reasonNoField(const std::string& field, const std::string& sitesSource);
/// Why an attribute rule is not checked for one site: its value is NULL or empty.
[[nodiscard]] Wording reasonNoValue(const std::string& field);
/// Why a rule is not checked on the plan's date: its layer has no version in force.
[[nodiscard]] Wording reasonNotInForce(const std::string& layerTitle, const std::string& date);
/// Why a rule is not checked: --rules left it out.
[[nodiscard]] Wording reasonLeftOut();

/// 规划基准日 2022-06-01 — Plan as of 2022-06-01: the title line of a window or a map.
[[nodiscard]] Wording asOfLine(const std::string& date);

}  // namespace onemap::core
