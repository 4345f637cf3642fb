#pragma once
// What the report writers (text, JSON, CSV, conflicts layer) share: lists joined, a site's
// admin names, a unit's decimals and an area measure's stem. Pure functions.
#include <string>
#include <vector>

#include "onemap/core/check/report.hpp"

namespace onemap::core {

/// The items with `sep` between them.
[[nodiscard]] std::string joinList(const std::vector<std::string>& items, const std::string& sep);
/// The names of the admin units a site lies in, largest share first.
[[nodiscard]] std::vector<std::string> adminNames(const SiteReport& s);
/// Rounding by unit (docs/check-json.md): the decimals, or -1 for "as it is".
[[nodiscard]] int unitDecimals(Unit u);
/// "<x>_m2" → "<x>"; measures with alsoMuHa carry <x>_mu and <x>_ha beside.
[[nodiscard]] std::string areaStem(const std::string& name);

}  // namespace onemap::core
