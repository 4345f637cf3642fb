#pragma once
// Reading and writing vector data through GDAL/OGR. Every GDAL driver works;
// writers are atomic (temporary file, then rename) so a failure leaves nothing behind.
#include <string>
#include <vector>

#include "onemap/gis/shapefile.hpp"
#include "onemap/gis/vector_layer.hpp"

namespace onemap::gis {

struct ReadOptions {
    std::string table;     ///< layer inside the source; "" = the only (or first) layer
    std::string filter;    ///< OGR attribute filter
    std::string encoding;  ///< force a text encoding for shapefiles ("GBK", "UTF-8")
    bool rawText = false;  ///< shapefiles: no recoding at all (to inspect the bytes)
};

/// Names of the layers in a data source.
[[nodiscard]] std::vector<std::string> listLayers(const std::string& source);
/// Reads a whole layer into memory. Throws InputError naming the source on failure.
[[nodiscard]] VectorLayer readLayer(const std::string& source, const ReadOptions& options = {});

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

/// GDAL's version string, e.g. "3.6.2"; and GEOS's, PROJ's.
[[nodiscard]] std::string gdalVersion();
[[nodiscard]] std::string geosVersion();
[[nodiscard]] std::string projVersion();

}  // namespace onemap::gis
