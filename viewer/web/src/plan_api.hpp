#pragma once
// GET /api/info, /api/diff and /api/export: the plan and its layers as `onemap info`, `diff
// --format json` and `export` give them, through the same core functions. Called from many
// worker threads at once.
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "onemap/web/api_request.hpp"
#include "onemap/web/map_store.hpp"

namespace onemap::web {

class PlanApi {
  public:
    PlanApi(MapStore& maps, std::string version) : maps_(maps), version_(std::move(version)) {}

    /// ?as_of= → layers and rules (core::planInfoJson).
    ApiResponse info(const ApiRequest& request) const;
    /// ?layer=&from=&to= → core::diffJson; 404 for a layer the plan does not declare.
    ApiResponse diff(const ApiRequest& request) const;
    /// ?layer=&format=shp|gpkg|geojson&as_of= → the layer as `onemap export` writes it, a zip
    /// for a shapefile; 404 for a layer not in the plan on that day.
    ApiResponse exportLayer(const ApiRequest& request) const;
    /// Builds today's info now (what the page's first request would otherwise wait for).
    void prepare() const;

  private:
    MapStore& maps_;
    std::string version_;
    // The info of each map answered (PROJ's transforms make it ~0.1 s to build), kept with
    // the map it describes: a map loaded again is described again.
    mutable std::mutex infoMutex_;
    mutable std::map<std::shared_ptr<const core::OneMap>, std::string> infos_;
};

}  // namespace onemap::web
