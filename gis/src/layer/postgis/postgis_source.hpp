#pragma once
// What a PostGIS table must show before a near read may trust OGR's spatial filter on it.
// Called by the reading thread on its own dataset (withConnectTimeout, for "PG:" sources,
// is declared in layer_reader.hpp).
#include <gdal_priv.h>

#include <cstdint>
#include <optional>

#include "onemap/gis/geom/envelope.hpp"

namespace onemap::gis::detail {

struct PostgisRows {
    std::int64_t rows = 0;
    Envelope extent;
};

/// A PostGIS table filtered by OGR gets `geom && ST_MakeEnvelope(...)` in its SQL: exact for
/// boxes, whatever the state of the GiST index. What it cannot meet is a row without a usable
/// box (NULL or empty geometry, a NaN vertex): trust it only when there is none. One scan also
/// gives the layer's extent. Returns the number of rows and the extent, or nothing: then read
/// whole, which reports such rows feature by feature.
std::optional<PostgisRows> rowsBehindPostgisFilter(GDALDataset& ds, OGRLayer& layer);

}  // namespace onemap::gis::detail
