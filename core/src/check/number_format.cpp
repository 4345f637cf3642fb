#include "onemap/core/check/number_format.hpp"

#include <charconv>
#include <cmath>

#include "onemap/core/check/phrases.hpp"
#include "onemap/gis/crs/area_units.hpp"

namespace onemap::core {

double roundTo(double v, int decimals) {
    const double f = std::pow(10.0, decimals);
    const double r = std::round(v * f) / f;
    return r == 0 ? 0.0 : r;  // no "-0"
}

// Qt sets LC_ALL from the environment; printf under de_DE would write decimal commas.
std::string fixedDecimals(double v, int decimals) {
    char buf[400];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
    return r.ec == std::errc{} ? std::string(buf, r.ptr) : std::string("nan");
}

std::string formatNumber(double value, int decimals) {
    std::string digits = fixedDecimals(roundTo(std::abs(value), decimals), decimals);
    const auto dot = digits.find('.');
    std::string intPart = digits.substr(0, dot);
    const std::string frac = dot == std::string::npos ? "" : digits.substr(dot);
    for (int i = static_cast<int>(intPart.size()) - 3; i > 0; i -= 3)
        intPart.insert(static_cast<std::size_t>(i), ",");
    return (value < 0 && roundTo(value, decimals) != 0 ? "-" : "") + intPart + frac;
}

Wording areaWording(double m2) {
    return fill(phrase::areaPattern,
                {Wording::same(formatNumber(m2, 2)), Wording::same(formatNumber(gis::toMu(m2), 2)),
                 Wording::same(formatNumber(gis::toHectares(m2), 4))});
}

std::string describeArea(double m2) {
    return formatNumber(m2, 2) + " m² (" + formatNumber(gis::toMu(m2), 2) + " 亩, " +
           formatNumber(gis::toHectares(m2), 4) + " ha)";
}

}  // namespace onemap::core
