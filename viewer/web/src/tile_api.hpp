#pragma once
// GET /tiles/{layer}/{z}/{x}/{y}.mvt[?as_of=]: a plan layer's Mapbox Vector Tile
// (core::MapTiles, built on the first tile asked from the store's map of today, and built again
// after the store reloads it: an approval appended to the register shows in its tiles).
// Answers 304 to a current If-None-Match, 204 for a tile with nothing of the layer, gzip when
// the client takes it (the gzip form kept too, in a cache of its own, keyed like the tiles').
// Called from many worker threads at once.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "onemap/core/tiles/map_tiles.hpp"
#include "onemap/core/tiles/tile_cache.hpp"
#include "onemap/web/api_request.hpp"
#include "onemap/web/map_store.hpp"

namespace onemap::web {

class TileApi {
  public:
    explicit TileApi(MapStore& maps) : maps_(maps) {}

    ApiResponse tile(const ApiRequest& request) const;
    /// Builds today's tile indexes now (what the first tile request would otherwise wait for).
    void prepare() const { (void)tiles(); }
    /// tile()'s answer when it needs no encoding and no loading (a 304, or a tile of today's
    /// map already in a cache): cheap enough for an I/O thread. nullopt for anything else
    /// (throws as tile() does for bad input).
    std::optional<ApiResponse> cachedTile(const ApiRequest& request) const;

  private:
    /// The tiles of the store's current map (built, or built again after a reload, here).
    [[nodiscard]] std::shared_ptr<const core::MapTiles> tiles() const;
    /// The tiles if they are built on the store's current map, else null (nothing built).
    [[nodiscard]] std::shared_ptr<const core::MapTiles> builtTiles() const;
    /// tile() (`encode`), or cachedTile(): one path, so the two answers cannot differ.
    std::optional<ApiResponse> answer(const ApiRequest& request, bool encode) const;

    MapStore& maps_;
    mutable std::mutex building_;  ///< one build at a time
    mutable std::mutex mutex_;     ///< guards tiles_ and tilesGeneration_
    mutable std::shared_ptr<const core::MapTiles> tiles_;
    mutable std::uint64_t tilesGeneration_ = 0;  ///< the MapStore::generation() tiles_ is of
    /// Gzipped tiles by ETag and address: compressing is most of a cached tile's cost.
    mutable core::TileCache gzipCache_{std::size_t{96} << 20};
};

/// `bytes` in gzip form (RFC 1952), for a client that sends Accept-Encoding: gzip.
[[nodiscard]] std::string gzipped(const std::string& bytes);

/// Whether an Accept-Encoding header takes gzip (a "gzip" coding whose q is not 0).
[[nodiscard]] bool acceptsGzip(const std::string& acceptEncoding);

}  // namespace onemap::web
