#pragma once
// TileCache: encoded tiles kept in memory up to a byte limit, the least recently used dropped
// first. Tiles are shared (shared_ptr<const std::string>): an entry dropped while a reply still
// sends it stays alive until that reply is done. Any thread; one mutex.
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace onemap::core {

class TileCache {
  public:
    explicit TileCache(std::size_t maxBytes) : maxBytes_(maxBytes) {}

    /// The tile kept under `key`, or null.
    [[nodiscard]] std::shared_ptr<const std::string> get(const std::string& key);
    /// Keeps `tile` under `key` (replacing what was there), then drops the least recently used
    /// until the limit holds. A tile bigger than the whole limit is not kept.
    void put(const std::string& key, std::shared_ptr<const std::string> tile);

    [[nodiscard]] std::size_t bytes() const;
    [[nodiscard]] std::size_t size() const;

  private:
    struct Entry {
        std::string key;
        std::shared_ptr<const std::string> tile;
    };
    static std::size_t cost(const Entry& e) { return e.key.size() + e.tile->size() + 64; }

    mutable std::mutex mutex_;
    std::size_t maxBytes_;
    std::size_t bytes_ = 0;
    std::list<Entry> order_;  ///< most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> byKey_;
};

}  // namespace onemap::core
