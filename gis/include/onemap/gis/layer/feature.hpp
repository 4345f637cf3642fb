#pragma once
// One feature's schema and values: Field, Value (NULL, integer, real or UTF-8 text) and
// Feature (fid, values, geometry). Plain values owned by the layer holding them; any thread.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "onemap/gis/geom/geometry.hpp"

namespace onemap::gis {

enum class FieldType { Integer, Real, String, Date };

struct Field {
    std::string name;
    FieldType type = FieldType::String;
    int width = 0;      ///< 0 = unspecified
    int precision = 0;  ///< decimals, for Real
};

/// A NULL (monostate), a 64-bit integer, a double or UTF-8 text.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

[[nodiscard]] inline bool isNull(const Value& v) {
    return std::holds_alternative<std::monostate>(v);
}
[[nodiscard]] std::string toString(const Value& v);            ///< "" for NULL
[[nodiscard]] std::optional<double> toNumber(const Value& v);  ///< numbers and numeric text

struct Feature {
    std::int64_t fid = -1;
    std::vector<Value> values;  ///< one per field of the layer, in schema order
    Geometry geometry;
};

}  // namespace onemap::gis
