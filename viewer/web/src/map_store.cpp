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
    std::lock_guard lock(mutex_);
    for (auto it = maps_.begin(); it != maps_.end(); ++it)
        if (it->first == key) {
            maps_.splice(maps_.begin(), maps_, it);
            return maps_.front().second;
        }
    auto loaded = core::OneMap::load(plan(day));
    maps_.emplace_front(key, loaded);
    if (maps_.size() > keptDays_) maps_.pop_back();
    return loaded;
}

}  // namespace onemap::web
