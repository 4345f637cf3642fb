#pragma once
// The check's report as text for a terminal, in the report's language: a table per site, CJK
// text aligned by display width. Pure functions of the Report (which the caller owns): any thread may call them.
#include <string>

#include "onemap/core/check/report.hpp"

namespace onemap::core {

/// A readable table per site for a terminal (CJK text aligned by display width).
[[nodiscard]] std::string reportText(const Report& report);
/// The measure of one rule result in words a planner reads, in `lang` ("占用 1,234.50 m²…").
[[nodiscard]] std::string describeMeasure(const RuleResult& r, Lang lang);

}  // namespace onemap::core
