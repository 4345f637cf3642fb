#pragma once
// The .dbf side of shapefiles: its record count matched with the .shx when reading, and its
// fields sized (and its values checked) before writing. Pure functions over files and
// layers; any thread, one layer per call.
#include <string>
#include <vector>

#include "onemap/gis/layer/layer_writer.hpp"
#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::gis::detail {

/// A shapefile whose .dbf holds fewer (or more) records than the .shp: GDAL pairs them by
/// index and would silently read attributes of the wrong length. Throws InputError naming
/// both counts. `folder`: source is a folder of shapefiles, the layer one of them.
void checkShapefileCounts(const std::string& source, const std::string& layerName, bool folder);

/// Shapefile fields sized from the data; names shortened to 10 bytes (the renamed ones are
/// added to result). Values a DBF cannot hold are refused here with an InputError naming the
/// feature and the field, before anything is written.
std::vector<Field> shapefileFields(const VectorLayer& layer, const std::string& encoding,
                                   const std::string& path, WriteResult& result);

}  // namespace onemap::gis::detail
