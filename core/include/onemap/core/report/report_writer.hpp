#pragma once
#include <string>

#include "onemap/core/check/report.hpp"

namespace onemap::core {

/// A readable table per site for a terminal (CJK text aligned by display width).
[[nodiscard]] std::string reportText(const Report& report);
/// The stable JSON contract (docs/check-json.md).
[[nodiscard]] std::string reportJson(const Report& report, const std::string& version);
/// One row per site × rule.
[[nodiscard]] std::string reportCsv(const Report& report);
/// Conflict geometries as a layer (GeoPackage or Shapefile), written atomically.
void writeConflicts(const Report& report, const gis::Crs& crs, const std::string& path);
/// One site's check in the JSON shape of `check --format json`, on one line.
[[nodiscard]] std::string siteCheckJson(const SiteReport& site);

/// Display width in a terminal: East Asian wide characters count 2.
[[nodiscard]] std::size_t displayWidth(const std::string& utf8);
/// "12,345.6" style: fixed decimals with thousands separators.
[[nodiscard]] std::string formatNumber(double value, int decimals);
/// "1,234.50 m² (1.85 亩, 0.1235 ha)".
[[nodiscard]] std::string describeArea(double m2);
/// The measure of one rule result in words a planner reads ("overlap 1,234.50 m² ...").
[[nodiscard]] std::string describeMeasure(const RuleResult& r);

}  // namespace onemap::core
