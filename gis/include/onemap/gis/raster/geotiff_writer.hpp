#pragma once
// Writes one band of values as a GeoTIFF (Float32, tiled, ZSTD or DEFLATE, internal overviews
// averaged from the values in memory) through GDAL, whole or not at all: into a temporary file
// beside the target, renamed into place only when complete. Free function over the caller's values,
// nothing kept; any thread.
#include <string>
#include <vector>

#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/raster/raster_grid.hpp"

namespace onemap::gis {

/// DEFLATE (level 1, floating-point predictor), the default: read by every TIFF reader
/// (ArcMap 10.x too); ZSTD (level 1): about twice as fast to write, read by GDAL ≥ 2.3 (QGIS).
enum class GeoTiffCompression { Zstd, Deflate };

struct GeoTiffOptions {
    double noData = -9999;  ///< declared on the band (values equal to it read as missing)
    int tileSize = 256;     ///< internal tiles, tileSize × tileSize
    GeoTiffCompression compression = GeoTiffCompression::Deflate;
    /// Overviews halving the size until the smaller side fits in one tile: each cell the
    /// average of its 2^k × 2^k block of values, nodata and NaN left out (nodata if all are).
    bool overviews = true;
};

/// Writes `values` (row-major, row 0 the top row, grid.cells() of them, stored as Float32) to
/// `path` with the grid's geotransform and `crs`. The file appears only once written whole
/// (a symbolic link is written through, as gis::writeFileAtomically does); any failure
/// leaves nothing and throws InputError "<path>: cannot write: <reason>". Deterministic: the
/// same values give the same bytes.
void writeGeoTiff(const std::string& path, const RasterGrid& grid, const Crs& crs,
                  const std::vector<double>& values, const GeoTiffOptions& options = {});

}  // namespace onemap::gis
