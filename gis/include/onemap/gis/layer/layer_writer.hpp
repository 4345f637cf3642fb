#pragma once
// Writing vector layers through GDAL/OGR (any driver), atomically: staged beside the target,
// then moved into place, so a failure leaves nothing behind. Any thread; one file per call.
#include <string>
#include <vector>

#include "onemap/gis/layer/shapefile.hpp"
#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::gis {

struct WriteOptions {
    std::string format;    ///< GDAL driver name; "" = from the file extension
    std::string encoding;  ///< shapefile text encoding: "UTF-8" (default) or "GBK"
    bool append = false;   ///< add the layer to an existing GeoPackage instead of replacing it
};

/// Driver name for a path by its extension (".gpkg" → "GPKG", ".shp" → "ESRI Shapefile", ...).
[[nodiscard]] std::string driverForPath(const std::string& path);
/// What a write had to change to fit the format (shapefile field names).
struct WriteResult {
    std::vector<FieldNameMapping> renamedFields;  ///< only the names that changed
};

/// Writes layers into one file (GPKG holds many; others take one). Atomic. Shapefiles get
/// DBF names of ≤ 10 bytes, numeric widths sized from the data, .prj and .cpg; a value a
/// shapefile cannot hold is an InputError naming the feature and field.
WriteResult writeLayers(const std::string& path, const std::vector<const VectorLayer*>& layers,
                        const WriteOptions& options = {});
inline WriteResult writeLayer(const std::string& path, const VectorLayer& layer,
                              const WriteOptions& options = {}) {
    return writeLayers(path, {&layer}, options);
}

}  // namespace onemap::gis
