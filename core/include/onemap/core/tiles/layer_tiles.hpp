#pragma once
// LayerTiles: the vector tiles of one plan layer of a loaded one map. Built once (features
// reprojected to EPSG:3857 in parallel and indexed); it shares the one map it was made from.
// tile() encodes a tile now, from any number of threads at once; nothing is cached here.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "onemap/core/check/one_map.hpp"
#include "onemap/gis/index/spatial_index.hpp"
#include "onemap/gis/tiles/mvt_layer_encoder.hpp"
#include "onemap/gis/tiles/tile_address.hpp"

namespace onemap::core {

class LayerTiles {
  public:
    /// Layer `layerId` of `map`. Throws InputError when the map has no such layer.
    LayerTiles(std::shared_ptr<const OneMap> map, const std::string& layerId,
               gis::TileEncoding encoding = {});

    [[nodiscard]] const std::string& layerId() const { return layerId_; }
    /// Which version of the layer this is: the `from` of the version in force ("" for an
    /// unversioned layer), then "@" and the plan's day for a layer with a date field.
    [[nodiscard]] const std::string& version() const { return version_; }
    /// A strong ETag (quoted) of what the tiles are drawn from: the encoder's settings, the
    /// layer and its version, the plan file's content and the audit hash of each source file.
    [[nodiscard]] const std::string& etag() const { return etag_; }
    [[nodiscard]] std::size_t featureCount() const { return mercator_.size(); }

    /// The tile: one MVT layer named after the plan layer, feature ids = the source's fids,
    /// attributes = the layer's fields (NULLs left out); "" when nothing of the layer is in it.
    /// A tile over kMaxTileBytes is drawn again coarser (the minimum ring area ×4, up to three
    /// times): zoomed-out tiles of dense layers stay small enough for a browser.
    [[nodiscard]] std::string tile(const gis::TileAddress& address) const;

    static constexpr std::size_t kMaxTileBytes = 500 * 1000;  // 500 kB, as the issue counts

  private:
    /// The tile drawn with `encoding`; nullopt once its features pass `giveUpBeyond` bytes.
    [[nodiscard]] std::optional<std::string> encode(const gis::TileAddress& address,
                                                    const gis::TileEncoding& encoding,
                                                    std::size_t giveUpBeyond) const;

    std::shared_ptr<const OneMap> map_;
    const MapLayer* layer_ = nullptr;
    std::string layerId_;
    std::string version_;
    std::string etag_;
    gis::TileEncoding encoding_;
    /// The features in EPSG:3857, by feature index: polygons as their rings (read without
    /// GEOS on the hot path), anything else as a geometry.
    std::vector<std::vector<std::vector<std::vector<gis::Point>>>> rings_;
    std::vector<gis::Geometry> mercator_;
    std::vector<char> polygonal_;
    std::vector<double> area_;          ///< of polygons, planar m² in EPSG:3857
    std::vector<gis::Envelope> boxes_;  ///< EPSG:3857
    gis::SpatialIndex index_;
};

/// The version key of a layer as the plan takes it (see LayerTiles::version).
[[nodiscard]] std::string layerVersion(const Plan& plan, const LayerSpec& spec);

}  // namespace onemap::core
