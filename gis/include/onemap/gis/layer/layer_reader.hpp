#pragma once
// Reading vector data through GDAL/OGR (any driver): a whole layer, or the part near some
// boxes, into a VectorLayer the caller owns. Any thread; one source per call.
#include <functional>
#include <string>
#include <vector>

#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::gis {

/// Measured on the bench data (GeoPackage, 2 cores): one R-tree query per box costs about as
/// much as reading 50 features whole.
inline constexpr double kFeaturesPerNearBox = 50;

struct ReadOptions {
    std::string table;     ///< layer inside the source; "" = the only (or first) layer
    std::string filter;    ///< OGR attribute filter: one expression (no ';', no comments)
    std::string encoding;  ///< force a text encoding for shapefiles ("GBK", "UTF-8")
    bool rawText = false;  ///< shapefiles: no recoding at all (to inspect the bytes)
    /// Read only the features whose bounding boxes meet one of these boxes (in nearCrs),
    /// through the source's spatial index. Taken only for a GeoPackage stored in nearCrs
    /// whose R-tree is proven to match its table (rtree_proof.hpp), or a PostGIS table
    /// whose every row has a usable box, and with more than kFeaturesPerNearBox features per
    /// box; otherwise the whole layer is read (never wrong, only slower) and
    /// VectorLayer::readWholeBecause says why. A near read carries VectorLayer::fullExtent.
    /// Empty = every feature.
    std::vector<Envelope> near;
    Crs nearCrs;
    /// Where proofs that a GeoPackage's R-tree matches its table (which a near read needs)
    /// are kept between runs, against the file's identity; "" = prove on every near read.
    std::string keepProofsIn;
    /// For a layer stored in this CRS, each geometry's validity is checked (GEOS) as it is
    /// read, in parallel, and a valid one is kept as its WKB: built again only when something
    /// looks inside it, while isValid() answers at once. A million parcels then cost their
    /// bytes, not their GEOS objects. Unknown (the default): geometries are kept built.
    Crs checkValidityIn;
    /// Called with the names of every layer of the source as this read opened it, before a
    /// layer is chosen or read (listLayers' answer without opening it again); may throw to
    /// refuse the source. Empty: not called.
    std::function<void(const std::vector<std::string>&)> onLayers;

    /// Every feature of one layer of the source.
    static ReadOptions forTable(std::string name) {
        ReadOptions o;
        o.table = std::move(name);
        return o;
    }
};

/// A PostgreSQL source ("PG:...") gets connect_timeout=kConnectTimeoutSeconds unless it names
/// one, so an unreachable host fails in bounded time; other sources come back unchanged.
inline constexpr int kConnectTimeoutSeconds = 10;
[[nodiscard]] std::string withConnectTimeout(const std::string& source);

/// Names of the layers in a data source.
[[nodiscard]] std::vector<std::string> listLayers(const std::string& source);
/// Reads a whole layer into memory, or throws: never a part of it. InputError naming the
/// source (and layer, feature, field) for: a path that is not a regular file (FIFO, device,
/// symlink loop; a folder only when GDAL finds layers in it), any GDAL error while reading,
/// fewer features than the driver declares (shapefiles: .shp vs .dbf record counts), a
/// NaN/infinite vertex, text that is neither UTF-8 nor GBK (GBK is decoded, with a note).
/// Curves are stroked every 0.5° (area error < 0.01 %). Any thread; one source per call.
[[nodiscard]] VectorLayer readLayer(const std::string& source, const ReadOptions& options = {});

/// A filter is handed to OGR's SQL WHERE: it must be one expression, never a second
/// statement (';') or a comment that hides the rest. Throws InputError.
void checkAttributeFilter(const std::string& filter);

}  // namespace onemap::gis
