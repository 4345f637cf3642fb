#pragma once
// A name as an SQL identifier, for the SQL onemap writes itself (GeoPackage, PostGIS): pure,
// any thread.
#include <string>

namespace onemap::gis::detail {

/// A table name as an SQL identifier: in double quotes, inner quotes doubled.
inline std::string sqlIdentifier(const std::string& name) {
    std::string q = "\"";
    for (const char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

}  // namespace onemap::gis::detail
