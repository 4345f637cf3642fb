#pragma once
// The check's report as JSON, the stable contract of docs/check-json.md. Pure functions of
// the Report (owned by the caller); reportJson writes sites in parallel (TBB) inside itself.
#include <string>

#include "onemap/core/check/report.hpp"

namespace onemap::core {

/// The stable JSON contract (docs/check-json.md).
[[nodiscard]] std::string reportJson(const Report& report, const std::string& version);
/// One site's check in the JSON shape of `check --format json`, on one line.
[[nodiscard]] std::string siteCheckJson(const SiteReport& site);

}  // namespace onemap::core
