#include "onemap/web/map_store.hpp"

#include <chrono>

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
        for (auto it = days_.begin(); it != days_.end(); ++it)
            if (it->key == key) {
                days_.splice(days_.begin(), days_, it);
                loaded = days_.front().map;
                break;
            }
        if (!loaded.valid()) {
            days_.push_front({key, loading.get_future().share(), {}});
            if (days_.size() > keptDays_) days_.pop_back();
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
        days_.remove_if([&key](const Day& d) { return d.key == key; });
        throw;
    }
}

std::shared_ptr<const core::OneMap> MapStore::loaded(const std::string& day) {
    const std::string key = day.empty() ? gis::todayIso() : day;
    std::lock_guard lock(mutex_);
    for (const auto& d : days_)
        if (d.key == key && d.map.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
            try {
                return d.map.get();
            } catch (...) {
                return nullptr;  // failed: the request that loaded it removes it
            }
        }
    return nullptr;
}

std::shared_ptr<const core::ComplianceEngine> MapStore::engine(
    const std::string& day, const std::vector<std::string>& ruleIds, bool conflictGeometries) {
    const std::shared_ptr<const core::OneMap> onMap = map(day);
    std::string key = conflictGeometries ? "g" : "-";
    for (const auto& id : ruleIds) key += "\n" + id;
    // The day's entry holding this very map (a day dropped and loaded again is another map).
    const auto dayOf = [&]() -> Day* {
        for (auto& d : days_)
            if (d.map.valid() &&
                d.map.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
                try {
                    if (d.map.get() == onMap) return &d;
                } catch (...) {
                }
            }
        return nullptr;
    };
    {
        std::lock_guard lock(mutex_);
        if (Day* d = dayOf())
            if (const auto it = d->engines.find(key); it != d->engines.end()) return it->second;
    }
    auto made = std::make_shared<core::ComplianceEngine>(onMap, ruleIds);
    made->setConflictGeometries(conflictGeometries);
    std::shared_ptr<const core::ComplianceEngine> engine = std::move(made);
    std::lock_guard lock(mutex_);
    if (Day* d = dayOf()) {
        if (d->engines.size() >= kEnginesPerDay) d->engines.clear();
        d->engines.emplace(key, engine);  // another request's may be there first: same answers
        return d->engines.at(key);
    }
    return engine;
}

void MapStore::reload() {
    std::lock_guard lock(mutex_);
    days_.clear();
    ++generation_;
}

}  // namespace onemap::web
