#pragma once
// GET /tiles/{layer}/{z}/{x}/{y}.mvt[?as_of=]: a plan layer's Mapbox Vector Tile
// (core::MapTiles, built on the first tile asked, from the map the store loaded at start).
// Answers 304 to a current If-None-Match, 204 for a tile with nothing of the layer, gzip when
// the client takes it. Called from many worker threads at once.
#include <memory>
#include <mutex>

#include "onemap/core/tiles/map_tiles.hpp"
#include "onemap/web/api_request.hpp"
#include "onemap/web/map_store.hpp"

namespace onemap::web {

class TileApi {
  public:
    explicit TileApi(MapStore& maps) : maps_(maps) {}

    ApiResponse tile(const ApiRequest& request) const;
    /// Builds today's tile indexes now (what the first tile request would otherwise wait for).
    void prepare() const { (void)tiles(); }

  private:
    [[nodiscard]] const core::MapTiles& tiles() const;

    MapStore& maps_;
    mutable std::once_flag built_;
    mutable std::unique_ptr<core::MapTiles> tiles_;
};

/// `bytes` in gzip form (RFC 1952), for a client that sends Accept-Encoding: gzip.
[[nodiscard]] std::string gzipped(const std::string& bytes);

/// Whether an Accept-Encoding header takes gzip (a "gzip" coding whose q is not 0).
[[nodiscard]] bool acceptsGzip(const std::string& acceptEncoding);

}  // namespace onemap::web
