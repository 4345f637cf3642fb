#include "onemap/render/colour_ramp.hpp"

#include <algorithm>
#include <cmath>

namespace onemap::render {

ColourRamp::ColourRamp(std::string name, std::vector<QColor> stops)
    : name_(std::move(name)), stops_(std::move(stops)) {}

std::optional<ColourRamp> ColourRamp::named(std::string_view name) {
    if (name == "heat")  // ColorBrewer YlOrRd, 5 classes
        return ColourRamp(
            "heat", {QColor(0xff, 0xff, 0xb2), QColor(0xfe, 0xcc, 0x5c), QColor(0xfd, 0x8d, 0x3c),
                     QColor(0xf0, 0x3b, 0x20), QColor(0xbd, 0x00, 0x26)});
    if (name == "blues")  // ColorBrewer Blues, 5 classes
        return ColourRamp(
            "blues", {QColor(0xef, 0xf3, 0xff), QColor(0xbd, 0xd7, 0xe7), QColor(0x6b, 0xae, 0xd6),
                      QColor(0x31, 0x82, 0xbd), QColor(0x08, 0x51, 0x9c)});
    return std::nullopt;
}

std::string ColourRamp::names() { return "heat or blues"; }

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
