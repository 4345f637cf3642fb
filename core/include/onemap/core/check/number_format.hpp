#pragma once
// How numbers read in every output: rounding to a number of decimals, fixed decimals with a
// dot, thousands separators, areas in m², 亩 and ha, and text width in a terminal.
// Pure functions of their arguments, no state: any thread may call them.
#include <cstddef>
#include <string>

#include "onemap/core/check/wording.hpp"
#include "onemap/gis/text/terminal_text.hpp"

namespace onemap::core {

/// `value` rounded to `decimals` places (half away from zero); never -0.
[[nodiscard]] double roundTo(double value, int decimals);
/// Fixed-point text with a dot whatever the process locale ("1234.50").
[[nodiscard]] std::string fixedDecimals(double value, int decimals);
/// Display width in a terminal: East Asian wide characters count 2 (gis/text).
using gis::displayWidth;
/// "12,345.6" style: fixed decimals with thousands separators.
[[nodiscard]] std::string formatNumber(double value, int decimals);
/// "1,234.50 m² (1.85 亩, 0.1235 ha)".
[[nodiscard]] std::string describeArea(double m2);
/// The same in both languages: "1,234.50 m²（1.85 亩，0.1235 公顷）" in Chinese.
[[nodiscard]] Wording areaWording(double m2);

}  // namespace onemap::core
