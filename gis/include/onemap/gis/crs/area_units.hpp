#pragma once
// The area units of Chinese planning, in one place: m² ↔ 亩 ↔ 公顷 (ha). Constants and pure
// conversions; any thread.

namespace onemap::gis {

/// 1 亩 = 10000/15 m² (≈ 666.67 m²), 1 公顷 = 10000 m².
constexpr double kSquareMetresPerMu = 10000.0 / 15.0;
constexpr double kSquareMetresPerHectare = 10000.0;
constexpr double toMu(double m2) { return m2 / kSquareMetresPerMu; }
constexpr double toHectares(double m2) { return m2 / kSquareMetresPerHectare; }

}  // namespace onemap::gis
