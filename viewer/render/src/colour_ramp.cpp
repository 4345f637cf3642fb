#include "onemap/render/colour_ramp.hpp"

#include <algorithm>
#include <cmath>

#include "onemap/gis/raster/colour_ramps.hpp"

namespace onemap::render {

ColourRamp::ColourRamp(std::string name, std::vector<QColor> stops)
    : name_(std::move(name)), stops_(std::move(stops)) {}

std::optional<ColourRamp> ColourRamp::named(std::string_view name) {
    const auto stops = gis::rampStops(name);
    if (!stops) return std::nullopt;
    std::vector<QColor> colours;
    for (const auto& c : *stops) colours.emplace_back(c.red, c.green, c.blue);
    return ColourRamp(std::string(name), std::move(colours));
}

std::string ColourRamp::names() { return gis::rampNames(); }

QColor ColourRamp::at(double t) const {
    t = std::isnan(t) ? 0 : std::clamp(t, 0.0, 1.0);
    const double scaled = t * static_cast<double>(stops_.size() - 1);
    const std::size_t i = std::min(static_cast<std::size_t>(scaled), stops_.size() - 2);
    const double f = scaled - static_cast<double>(i);
    const QColor& a = stops_[i];
    const QColor& b = stops_[i + 1];
    const auto mix = [f](int x, int y) { return static_cast<int>(std::lround(x + (y - x) * f)); };
    return QColor(mix(a.red(), b.red()), mix(a.green(), b.green()), mix(a.blue(), b.blue()));
}

}  // namespace onemap::render
