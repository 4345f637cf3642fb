#pragma once
// The text of a 国土 TXT as the reader holds it (its lines, parcel lines with their points,
// [属性描述] values) and how its fields are split and read as numbers. Internal to gis/src.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace onemap::gis::guotu {

struct Line {
    std::size_t number = 0;
    std::string text;
};

struct PointLine {
    std::size_t line = 0;
    long ring = 0;
    double northing = 0;  // X
    double easting = 0;   // Y, as written (zone prefix included)
};

struct Parcel {
    std::size_t line = 0;
    std::vector<std::string> fields;  // without the final "@"
    std::vector<PointLine> points;
};

struct HeaderValue {
    std::string value;
    std::size_t line = 0;
};

/// [属性描述]: each KEY=VALUE by its key.
using Header = std::map<std::string, HeaderValue>;

/// Without ASCII blanks or full-width spaces (U+3000) at either end.
[[nodiscard]] std::string trim(std::string_view s);
/// Split at every ',', each field trimmed.
[[nodiscard]] std::vector<std::string> splitFields(const std::string& s);
/// A finite number written whole ("+1.5" too), else nullopt.
[[nodiscard]] std::optional<double> number(const std::string& text);
/// A whole number written whole, else nullopt.
[[nodiscard]] std::optional<long> integer(const std::string& text);
/// `v` with `decimals` digits after the point.
[[nodiscard]] std::string formatFixed(double v, int decimals);

}  // namespace onemap::gis::guotu
