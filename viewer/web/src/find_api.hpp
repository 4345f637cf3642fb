#pragma once
// POST /api/find: a project brief (TOML as `onemap find --brief` reads it, or the same keys as
// JSON) → the JSON of `onemap find --format json`, through the same SiteFinder and findJson.
// Called from many worker threads at once.
#include <string>

#include "onemap/web/api_request.hpp"
#include "onemap/web/map_store.hpp"

namespace onemap::web {

class FindApi {
  public:
    FindApi(MapStore& maps, std::string version) : maps_(maps), version_(std::move(version)) {}
    /// ?as_of=&filename= ; the body is the brief.
    ApiResponse find(const ApiRequest& request) const;

  private:
    MapStore& maps_;
    std::string version_;
};

/// A JSON brief written as the TOML brief with the same keys (objects become tables).
/// HttpError 400 for text that is not a JSON object or holds what a brief cannot (null,
/// arrays of objects, nesting deeper than one table).
[[nodiscard]] std::string briefTomlFromJson(const std::string& json);

}  // namespace onemap::web
