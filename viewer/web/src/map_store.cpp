#include "onemap/web/map_store.hpp"

#include "onemap/gis/base/calendar.hpp"

namespace onemap::web {

MapStore::MapStore(const std::string& planPath, std::size_t keptDays)
    : planPath_(planPath), declared_(core::Plan::load(planPath)), keptDays_(keptDays) {
    (void)map("");
}

core::Plan MapStore::plan(const std::string& day) const {
    // Plan::load takes the plan on today's date, as every command without --as-of does.
    return declared_.inForceOn(day.empty() ? gis::todayIso() : day,
                               day.empty() ? "today's date" : "as_of");
}

std::shared_ptr<const core::OneMap> MapStore::map(const std::string& day) {
    const std::string key = day.empty() ? gis::todayIso() : day;
    std::promise<std::shared_ptr<const core::OneMap>> loading;
    Loaded loaded;
    {
        std::lock_guard lock(mutex_);
        for (auto it = maps_.begin(); it != maps_.end(); ++it)
            if (it->first == key) {
                maps_.splice(maps_.begin(), maps_, it);
                loaded = maps_.front().second;
                break;
            }
        if (!loaded.valid()) {
            maps_.emplace_front(key, loading.get_future().share());
            if (maps_.size() > keptDays_) maps_.pop_back();
        }
    }
    if (loaded.valid()) return loaded.get();  // loaded, or being loaded by another request
    // This request loads the day, outside the lock: the other days keep being answered.
    try {
        auto map = core::OneMap::load(plan(day));
        loading.set_value(map);
        return map;
    } catch (...) {
        loading.set_exception(std::current_exception());
        std::lock_guard lock(mutex_);
        maps_.remove_if([&key](const auto& entry) { return entry.first == key; });
        throw;
    }
}

}  // namespace onemap::web
