// TileCache: a byte-bounded LRU of encoded tiles.
#include "onemap/core/tiles/tile_cache.hpp"

namespace onemap::core {

std::shared_ptr<const std::string> TileCache::get(const std::string& key) {
    const std::lock_guard lock(mutex_);
    const auto it = byKey_.find(key);
    if (it == byKey_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->tile;
}

void TileCache::put(const std::string& key, std::shared_ptr<const std::string> tile) {
    if (!tile) return;
    Entry entry{key, std::move(tile)};
    if (cost(entry) > maxBytes_) return;
    const std::lock_guard lock(mutex_);
    if (const auto it = byKey_.find(key); it != byKey_.end()) {
        bytes_ -= cost(*it->second);
        order_.erase(it->second);
        byKey_.erase(it);
    }
    bytes_ += cost(entry);
    order_.push_front(std::move(entry));
    byKey_[key] = order_.begin();
    while (bytes_ > maxBytes_ && !order_.empty()) {
        bytes_ -= cost(order_.back());
        byKey_.erase(order_.back().key);
        order_.pop_back();
    }
}

std::size_t TileCache::bytes() const {
    const std::lock_guard lock(mutex_);
    return bytes_;
}

std::size_t TileCache::size() const {
    const std::lock_guard lock(mutex_);
    return order_.size();
}

}  // namespace onemap::core
