#pragma once
// Which columns of a boundary-point table hold what: the header row found by its names
// (Chinese or English) and the coordinate columns chosen. Internal to gis/src.
#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "formats/point_table/point_rows.hpp"
#include "onemap/gis/crs/crs.hpp"

namespace onemap::gis::point_table {

// Header rows are looked for this far down: title rows ("界址点坐标表", the project) come first.
constexpr std::size_t kHeaderSearchRows = 30;

enum class Role { None, PointNo, X, Y, North, East, Latitude, Longitude, Ring, Parcel, Name };

struct Columns {
    std::map<Role, std::size_t> at;     ///< first column of each role
    std::size_t headerRow = 0;          ///< index into Table::rows
    std::size_t first = 0, second = 0;  ///< the two coordinate columns, in the file's order
    bool explicitAxes = false;          ///< named north/east (or latitude/longitude), not X/Y
    bool degrees = false;               ///< the latitude/longitude columns
    std::string chosen;                 ///< why, when the table offers both kinds; else ""
};

/// The header row within the first kHeaderSearchRows rows and its columns; nullopt when no row
/// names a pair of coordinate columns. A table giving both projected and lon/lat columns is
/// read by `crs` (InputError naming both when it is unknown).
[[nodiscard]] std::optional<Columns> findHeader(const Table& t, const Crs& crs);

}  // namespace onemap::gis::point_table
