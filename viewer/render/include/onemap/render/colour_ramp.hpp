#pragma once
// The colour ramps of a heat map: named, sequential, from the lowest value to the highest; the
// stops of gis::rampStops, interpolated. Values; any thread.
#include <QColor>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace onemap::render {

class ColourRamp {
  public:
    /// "heat" (yellow → red, the default) or "blues" (light → dark blue); nullopt otherwise.
    static std::optional<ColourRamp> named(std::string_view name);
    /// "heat or blues" (for messages and --help).
    static std::string names();

    [[nodiscard]] const std::string& name() const { return name_; }
    /// The stops, evenly spaced from t = 0 to t = 1.
    [[nodiscard]] const std::vector<QColor>& stops() const { return stops_; }
    /// The colour at t (clamped to [0, 1]): linear in RGB between the two stops around it,
    /// each channel rounded to the nearest integer; opaque.
    [[nodiscard]] QColor at(double t) const;

  private:
    ColourRamp(std::string name, std::vector<QColor> stops);
    std::string name_;
    std::vector<QColor> stops_;
};

}  // namespace onemap::render
