#pragma once
// The check's report as CSV: one row per site × rule, UTF-8 with a BOM for Excel, text that
// a spreadsheet would run made inert. A pure function of the Report: any thread may call it.
#include <string>

#include "onemap/core/check/report.hpp"

namespace onemap::core {

/// One row per site × rule.
[[nodiscard]] std::string reportCsv(const Report& report);

}  // namespace onemap::core
