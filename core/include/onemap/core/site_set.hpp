#pragma once
// Proposed project sites read from any OGR source and brought into the plan CRS.
#include <string>
#include <vector>

#include "onemap/gis/crs.hpp"
#include "onemap/gis/vector_layer.hpp"

namespace onemap::core {

struct Site {
    std::string id;
    std::string name;
    std::size_t index = 0;   ///< feature index in SiteSet::attributes
    gis::Geometry geometry;  ///< in the plan CRS, repaired if it was invalid
    std::vector<std::string> warnings;
};

struct SiteOptions {
    std::string idField;   ///< "" = field "id", else the fid
    std::string sitesCrs;  ///< CRS to assume when the source has none
    std::string from;      ///< "", "gcj02" or "bd09": web-map offsets to undo
    std::string table;     ///< layer inside the source
};

class SiteSet {
  public:
    /// Reads sites; throws InputError (no CRS, no polygons, unknown id field, ...).
    static SiteSet load(const std::string& source, const gis::Crs& planCrs,
                        const SiteOptions& options = {});
    /// Sites built in memory (the viewer's drawn site, tests).
    static SiteSet fromGeometries(gis::VectorLayer attributes, const gis::Crs& planCrs,
                                  const SiteOptions& options = {});

    std::string source;
    gis::VectorLayer attributes;  ///< schema and values (geometries as read)
    std::vector<Site> sites;

    [[nodiscard]] gis::Value value(const Site& site, const std::string& field) const;
    [[nodiscard]] bool hasField(const std::string& field) const;
};

}  // namespace onemap::core
