#pragma once
// A geometry turned into MVT geometry commands for one tile: clipped to the tile and its
// buffer, quantised to the extent, simplified, small rings dropped, polygons valid (proved on
// the integer grid, else checked by GEOS and, if invalid, snap-rounded). Functions of their
// arguments; calling thread only (GEOS work runs on its context).
#include <cstdint>
#include <vector>

#include "onemap/gis/geom/geometry.hpp"
#include "onemap/gis/tiles/mvt_layer_encoder.hpp"
#include "onemap/gis/tiles/tile_address.hpp"

namespace onemap::gis::detail {

/// MVT's GeomType.
enum class MvtGeometryType : std::uint32_t { Unknown = 0, Point = 1, LineString = 2, Polygon = 3 };

/// Map coordinates (EPSG:3857) to tile units (x east, y down) for one tile.
class TileFrame {
  public:
    TileFrame(const TileAddress& tile, const TileEncoding& encoding);
    [[nodiscard]] std::int64_t x(double mapX) const;
    [[nodiscard]] std::int64_t y(double mapY) const;
    /// The tile and its buffer, in map coordinates: what is clipped to.
    [[nodiscard]] const Envelope& clipBox() const { return clipBox_; }
    /// The size of a box of the map in tile units, both ways.
    [[nodiscard]] double units(double metres) const { return metres * scale_; }
    [[nodiscard]] const TileEncoding& encoding() const { return encoding_; }
    /// A polygon with this box cannot hold the minimum area once quantised (each side grows
    /// by at most one unit on the grid).
    [[nodiscard]] bool polygonTooSmall(const Envelope& box) const {
        return (units(box.width()) + 1) * (units(box.height()) + 1) < encoding_.minRingArea;
    }

  private:
    Envelope bounds_;
    Envelope clipBox_;
    double scale_ = 1;
    TileEncoding encoding_;
};

/// The commands of a feature's geometry, and its type; empty commands when nothing is left.
struct TileCommands {
    MvtGeometryType type = MvtGeometryType::Unknown;
    std::vector<std::uint32_t> commands;
};

/// A square of the minimum ring area (rounded up to whole units) on the grid, centred on
/// `centre` (EPSG:3857): what a tiny polygon is drawn as. Empty if outside the clip box.
[[nodiscard]] TileCommands squareCommands(const Point& centre, const TileFrame& frame);
[[nodiscard]] TileCommands tileCommands(const Geometry& geometry, const TileFrame& frame);
[[nodiscard]] TileCommands polygonCommands(
    const std::vector<std::vector<std::vector<Point>>>& polygons, const TileFrame& frame);
/// The same into `out` (cleared first): its buffer is reused from feature to feature.
void polygonCommands(const std::vector<std::vector<std::vector<Point>>>& polygons,
                     const TileFrame& frame, TileCommands& out);

}  // namespace onemap::gis::detail
