#pragma once
// MapTiles: the tile source `onemap serve` answers /tiles/{layer}/{z}/{x}/{y}.mvt from. Owns a
// LayerTiles per plan layer of the one map it is given (built at once), those of other days
// (built on first ask), and a bounded cache of encoded tiles. tile() from any number of threads.
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "onemap/core/check/one_map.hpp"
#include "onemap/core/tiles/layer_tiles.hpp"
#include "onemap/core/tiles/tile_cache.hpp"

namespace onemap::core {

class MapTiles {
  public:
    struct Options {
        std::size_t cacheBytes = std::size_t{256} << 20;
        gis::TileEncoding encoding;
        /// The one map on another day (the plan taken on it, see Plan::inForceOn), for tiles
        /// asked with an as-of date whose layer version differs from the loaded map's. Default:
        /// OneMap::load of the loaded map's plan on that day.
        std::function<std::shared_ptr<const OneMap>(const Plan& onThatDay)> loadDay;
    };

    /// An encoded tile: `bytes` empty when nothing of the layer is in it (an MVT of no
    /// layers; serve it as an empty body, or 204), `etag` the quoted strong ETag to send.
    struct Tile {
        std::shared_ptr<const std::string> bytes;
        std::string etag;
    };

    explicit MapTiles(std::shared_ptr<const OneMap> map);
    MapTiles(std::shared_ptr<const OneMap> map, Options options);

    /// True when the plan declares the layer (in force today or not): else a 404.
    [[nodiscard]] bool hasLayer(const std::string& layerId) const;
    /// The layer's tile z/x/y on `asOf` (YYYY-MM-DD; "" = the loaded map's day). Throws
    /// InputError for an unknown layer, an address out of range (TileAddress::checked) or a bad
    /// date. A layer not in force that day gives an empty tile.
    [[nodiscard]] Tile tile(const std::string& layerId, std::int64_t z, std::int64_t x,
                            std::int64_t y, const std::string& asOf = "") const;
    /// tile(layerId, z, x, y) of the loaded map's day when it is in the cache, else nullopt
    /// (also for a layer not in force that day): nothing encoded or loaded, for a caller that
    /// must not wait. Throws as tile() does for a bad address.
    [[nodiscard]] std::optional<Tile> cachedTile(const std::string& layerId, std::int64_t z,
                                                 std::int64_t x, std::int64_t y) const;
    /// The ETag tile() would send, without encoding anything (for If-None-Match); the same
    /// exceptions, except that the address is not needed.
    [[nodiscard]] std::string etag(const std::string& layerId, const std::string& asOf = "") const;

    [[nodiscard]] const TileCache& cache() const { return cache_; }

  private:
    /// The tiles of the layer as taken on `asOf`, or null when it is not in force then.
    [[nodiscard]] std::shared_ptr<const LayerTiles> layerOn(const std::string& layerId,
                                                            const std::string& asOf) const;

    /// The same for a day not asked before (the plan taken on that day).
    [[nodiscard]] std::shared_ptr<const LayerTiles> layerOnDay(const std::string& layerId,
                                                               const std::string& asOf) const;

    std::shared_ptr<const OneMap> map_;
    Options options_;
    std::map<std::string, std::shared_ptr<const LayerTiles>> today_;  ///< by layer id
    mutable std::mutex dayMutex_;
    /// Other days' layers, by layer id and version; the last other day's map, kept for the
    /// next layer asked on that day.
    mutable std::map<std::string, std::shared_ptr<const LayerTiles>> otherDays_;
    mutable std::shared_ptr<const OneMap> lastDay_;
    /// What each (layer, day) asked so far resolved to (null: not in force that day).
    mutable std::map<std::string, std::shared_ptr<const LayerTiles>> asked_;
    mutable TileCache cache_;
};

}  // namespace onemap::core
