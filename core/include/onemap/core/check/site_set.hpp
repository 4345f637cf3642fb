#pragma once
// Proposed project sites read from any OGR source and brought into the plan CRS. A SiteSet
// owns its sites; loaded by one thread (the work inside runs in parallel), then read-only:
// any thread may read it.
#include <map>
#include <string>
#include <vector>

#include "onemap/core/check/supplied_attributes.hpp"
#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/layer/vector_layer.hpp"

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
    std::string sitesCrs;  ///< CRS of the sources without one; must agree with one declared
    std::string from;      ///< "", "gcj02" or "bd09": web-map offsets to undo
    std::string table;     ///< layer inside the source
};

class SiteSet {
  public:
    /// Reads sites: any OGR source, and as planners receive them DXF drawings (closed
    /// polylines and hatches; options.table = the CAD layer), boundary-point tables (CSV,
    /// XLSX, ODS; options.table = the sheet) and KML/KMZ (polygon placemarks). Throws InputError
    /// naming the source (and site): no CRS, a --sites-crs that disagrees with the file's,
    /// coordinates that do not fit the CRS, no polygons, unknown id field, several layers and no
    /// options.table, no sites at all. Doubtful sites (repeated ids, < 1 m², --from outside China)
    /// get Site::warnings.
    static SiteSet load(const std::string& source, const gis::Crs& planCrs,
                        const SiteOptions& options = {});
    /// Sites built in memory (the viewer's drawn site, tests); errors name `sourceName`
    /// (default: the layer's name).
    static SiteSet fromGeometries(gis::VectorLayer attributes, const gis::Crs& planCrs,
                                  const SiteOptions& options = {});
    static SiteSet fromGeometries(gis::VectorLayer attributes, const gis::Crs& planCrs,
                                  const SiteOptions& options, const std::string& sourceName);
    /// Throws InputError when no site comes within 50 km of `mapExtent` (the plan's layers,
    /// plan CRS): sites in another place, or coordinates read in the wrong CRS.
    void requireNear(const gis::Envelope& mapExtent) const;

    std::string source;
    /// path → SHA-256 of each file the sites were read from (a shapefile's .dbf and other
    /// sidecars too; none when the source is not a file), for the audit trail.
    std::map<std::string, std::string> inputs;
    gis::VectorLayer attributes;  ///< schema and values (geometries as read)
    std::vector<Site> sites;
    /// What reading decided for the whole source (CAD layer, axis order of a point table,
    /// a KML that looks like GCJ-02); reports carry them as warnings.
    std::vector<std::string> notes;

    /// Figures the site file lacks (--attr, --attr-table), read where the file has no such
    /// field. Throws InputError when a supplied field is one the file has (the file's own
    /// figures are never overridden), or the table names an id no site has ("FILE:LINE: …").
    void supply(SuppliedAttributes figures);
    SuppliedAttributes supplied;

    /// A site's value of `field`: the file's, else the supplied one (NULL when none).
    [[nodiscard]] gis::Value value(const Site& site, const std::string& field) const;
    [[nodiscard]] bool hasField(const std::string& field) const;
};

}  // namespace onemap::core
