// MapTiles: layer tiles per day and version, behind a byte-bounded cache.
#include "onemap/core/tiles/map_tiles.hpp"

#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core {

MapTiles::MapTiles(std::shared_ptr<const OneMap> map) : MapTiles(std::move(map), Options{}) {}

MapTiles::MapTiles(std::shared_ptr<const OneMap> map, Options options)
    : map_(std::move(map)), options_(std::move(options)), cache_(options_.cacheBytes) {
    if (!options_.loadDay) options_.loadDay = [](const Plan& plan) { return OneMap::load(plan); };
    for (const auto& layer : map_->layers())
        today_[layer->spec().id] =
            std::make_shared<const LayerTiles>(map_, layer->spec().id, options_.encoding);
}

bool MapTiles::hasLayer(const std::string& layerId) const {
    for (const auto& spec : map_->plan().declaredLayers())
        if (spec.id == layerId) return true;
    return false;
}

std::shared_ptr<const LayerTiles> MapTiles::layerOn(const std::string& layerId,
                                                    const std::string& asOf) const {
    if (!hasLayer(layerId)) throw InputError("no layer '" + layerId + "' in the plan");
    const auto today = today_.find(layerId);
    if (asOf.empty() || asOf == map_->plan().asOf)
        return today != today_.end() ? today->second : nullptr;
    const std::string asked = layerId + "\n" + asOf;
    {
        const std::lock_guard lock(dayMutex_);
        if (const auto it = asked_.find(asked); it != asked_.end()) return it->second;
    }
    auto tiles = layerOnDay(layerId, asOf);
    const std::lock_guard lock(dayMutex_);
    if (asked_.size() >= 4096) asked_.clear();  // days are the clients' to choose: bounded
    asked_[asked] = tiles;
    return tiles;
}

std::shared_ptr<const LayerTiles> MapTiles::layerOnDay(const std::string& layerId,
                                                       const std::string& asOf) const {
    const auto today = today_.find(layerId);
    const Plan day = map_->plan().inForceOn(asOf, "as_of");
    const LayerSpec* spec = day.layer(layerId);
    if (!spec) return nullptr;
    const std::string version = layerVersion(day, *spec);
    if (today != today_.end() && today->second->version() == version) return today->second;
    const std::lock_guard lock(dayMutex_);
    const std::string key = layerId + "\n" + version;
    if (const auto it = otherDays_.find(key); it != otherDays_.end()) return it->second;
    if (!lastDay_ || lastDay_->plan().asOf != asOf) lastDay_ = options_.loadDay(day);
    auto tiles = std::make_shared<const LayerTiles>(lastDay_, layerId, options_.encoding);
    otherDays_[key] = tiles;
    return tiles;
}

std::string MapTiles::etag(const std::string& layerId, const std::string& asOf) const {
    const auto tiles = layerOn(layerId, asOf);
    if (tiles) return tiles->etag();
    // Not in force that day: empty tiles, named by the plan and the day.
    return "\"" +
           gis::sha256("none\n" + layerId + "\n" + asOf + "\n" + map_->plan().text).substr(0, 32) +
           "\"";
}

std::optional<MapTiles::Tile> MapTiles::cachedTile(const std::string& layerId, std::int64_t z,
                                                   std::int64_t x, std::int64_t y) const {
    const gis::TileAddress address = gis::TileAddress::checked(z, x, y);
    const auto today = today_.find(layerId);
    if (today == today_.end()) return std::nullopt;  // not in force: tile() names it
    const auto& tiles = today->second;
    if (auto hit = cache_.get(tiles->etag() + " " + address.text()))
        return Tile{std::move(hit), tiles->etag()};
    return std::nullopt;
}

MapTiles::Tile MapTiles::tile(const std::string& layerId, std::int64_t z, std::int64_t x,
                              std::int64_t y, const std::string& asOf) const {
    const gis::TileAddress address = gis::TileAddress::checked(z, x, y);
    const auto tiles = layerOn(layerId, asOf);
    if (!tiles) return {std::make_shared<const std::string>(), etag(layerId, asOf)};
    const std::string key = tiles->etag() + " " + address.text();
    if (auto hit = cache_.get(key)) return {std::move(hit), tiles->etag()};
    auto bytes = std::make_shared<const std::string>(tiles->tile(address));
    cache_.put(key, bytes);
    return {std::move(bytes), tiles->etag()};
}

}  // namespace onemap::core
