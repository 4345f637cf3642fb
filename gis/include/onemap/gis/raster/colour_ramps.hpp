#pragma once
// Named sequential colour ramps for rasters such as heat maps: what a plan's [[heatmaps]] and
// `onemap heat --ramp` accept, and the stops render::ColourRamp interpolates (ColorBrewer's
// YlOrRd and Blues, five classes). One list, read by the plan reader and the renderer alike.
// Constants; any thread.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace onemap::gis {

struct RampColour {
    std::uint8_t red = 0;
    std::uint8_t green = 0;
    std::uint8_t blue = 0;
};

/// Five stops, evenly spaced from the lowest value (first) to the highest (last).
using RampStops = std::array<RampColour, 5>;

/// "heat" (yellow → red, the default) or "blues" (light → dark blue); nullopt otherwise.
[[nodiscard]] std::optional<RampStops> rampStops(std::string_view name);
/// "heat or blues" (for messages and --help).
[[nodiscard]] std::string rampNames();

}  // namespace onemap::gis
