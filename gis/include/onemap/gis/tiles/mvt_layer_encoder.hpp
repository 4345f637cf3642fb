#pragma once
// MvtLayerEncoder: one layer of a Mapbox Vector Tile (spec 2.1) written from EPSG:3857
// geometries: clipped to the tile and its buffer, quantised to the extent, simplified, polygons
// kept valid, attributes in the layer's deduplicated keys/values tables. One encoder per tile
// and layer, used by one thread; it owns what it has written until finish() hands it over.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "onemap/gis/geom/geometry.hpp"
#include "onemap/gis/layer/feature.hpp"
#include "onemap/gis/tiles/tile_address.hpp"

namespace onemap::gis {

/// How a tile is drawn from the geometries: the generalisation per zoom is the grid of the
/// extent (each zoom halves a unit on the ground) and the two thresholds below, in tile units.
struct TileEncoding {
    std::uint32_t extent = 4096;  ///< units across the tile
    std::uint32_t buffer = 64;    ///< units kept around the tile (drawing across tile edges)
    /// Douglas-Peucker tolerance on quantised lines and rings (0: none).
    double simplifyTolerance = 1.0;
    /// Rings (an exterior drops its holes with it) whose quantised area is below this are
    /// left out: slivers and parcels smaller than a pixel at this zoom.
    double minRingArea = 16.0;
    /// Polygons too small to draw are not all lost (tippecanoe's tiny polygon reduction):
    /// their areas are summed in the order they come, and each time the sum reaches the
    /// minimum, the polygon that made it is drawn as a square of that area at its centre (so
    /// a zoomed-out tile keeps the density of a layer of small parcels). Needs their areas
    /// (add measures them; addPolygons is given them).
    bool tinyPolygonsAsSquares = true;
    /// false: GEOS checks every polygon (and repairs and snap-rounds to the grid those it finds
    /// invalid) even when the integer proof has found it valid — the slow path the fast one is
    /// tested against.
    bool proveValidityWithoutGeos = true;
};

/// An attribute's value: MVT's string, sint64, double and bool values.
using TileValue = std::variant<std::string, std::int64_t, double, bool>;
struct TileAttribute {
    std::string_view key;
    TileValue value;
};

/// A feature's attributes as its layer holds them: the layer's fields and the feature's values
/// (one per field, in schema order; NULLs left out, integers as sint64, reals as double, text
/// as strings: what TileAttributes made from them would give). Nothing is copied: both must
/// stay unchanged until the encoder's finish().
struct TileFieldRow {
    const std::vector<Field>* fields = nullptr;
    const std::vector<Value>* values = nullptr;
};

class MvtLayerEncoder {
  public:
    MvtLayerEncoder(std::string name, TileAddress tile, TileEncoding encoding = {});
    ~MvtLayerEncoder();
    MvtLayerEncoder(const MvtLayerEncoder&) = delete;
    MvtLayerEncoder& operator=(const MvtLayerEncoder&) = delete;

    /// The feature's part in the tile, in EPSG:3857. Points, lines and polygons (a mixed
    /// collection gives its polygons, else its lines, else its points). Returns false, adding
    /// nothing, when nothing of it is left in the tile (outside, or below a pixel).
    bool add(std::uint64_t id, const Geometry& geometry,
             const std::vector<TileAttribute>& attributes = {});
    /// The same, the attributes asked for only when something of the feature is in the tile
    /// (most features of a low zoom are not).
    bool addFeature(std::uint64_t id, const Geometry& geometry,
                    const std::function<void(std::vector<TileAttribute>&)>& attributes);
    /// The same for a polygon (or multipolygon) given as rings, exterior first, in EPSG:3857:
    /// what callers keep instead of GEOS geometries on their hot path. `box` and `area` are
    /// the polygon's (EPSG:3857, planar m²): one too small to draw is decided on them alone
    /// (and may come out as a square, see TileEncoding::tinyPolygonsAsSquares).
    bool addPolygons(std::uint64_t id, const std::vector<std::vector<std::vector<Point>>>& polygons,
                     const Envelope& box, double area,
                     const std::function<void(std::vector<TileAttribute>&)>& attributes);
    /// The same two with the attributes read from the feature's fields, uncopied: the
    /// encoder's own path (no attribute list built, no value copied or hashed twice).
    bool addPolygons(std::uint64_t id, const std::vector<std::vector<std::vector<Point>>>& polygons,
                     const Envelope& box, double area, const TileFieldRow& row);
    bool addFeature(std::uint64_t id, const Geometry& geometry, const TileFieldRow& row);
    /// True when a polygon with this box (EPSG:3857) is sure to be left out (below the
    /// minimum area once quantised): callers holding boxes skip such features unread.
    [[nodiscard]] bool polygonTooSmall(const Envelope& box) const;

    [[nodiscard]] std::size_t featureCount() const;
    /// The bytes of the features written so far: finish() gives at least this many.
    [[nodiscard]] std::size_t featureBytes() const;
    /// The tile: a Tile message holding this one layer, "" when no feature was added. Tiles of
    /// several layers concatenated are one tile of several layers.
    [[nodiscard]] std::string finish();

  private:
    bool polygonCommands(const std::vector<std::vector<std::vector<Point>>>& polygons,
                         const Envelope& box, double area);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace onemap::gis
