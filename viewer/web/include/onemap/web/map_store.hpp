#pragma once
// The plan and its one map, loaded once and shared read-only by every request: the plan as
// declared, the one map as of a day (today's loaded at start through the prepared-layer cache;
// other days' on first use, a few kept), and per day the compliance engines checks ask for
// (rules bound once per map, what they compute once kept). Any thread may call it; a day being
// loaded holds up only the requests for that day.
#include <atomic>
#include <cstdint>
#include <future>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/core/check/one_map.hpp"
#include "onemap/core/plan/plan.hpp"

namespace onemap::web {

class MapStore {
  public:
    /// Loads the plan at `planPath` and today's one map. Throws InputError as `check` does.
    explicit MapStore(const std::string& planPath, std::size_t keptDays = 4);

    /// The plan taken on `day` (YYYY-MM-DD; "" = today). InputError for a bad day.
    [[nodiscard]] core::Plan plan(const std::string& day) const;
    /// The one map of the plan taken on `day` ("" = today), every feature of every layer.
    [[nodiscard]] std::shared_ptr<const core::OneMap> map(const std::string& day);
    /// The one map of `day` ("" = today) if it is loaded already, else null (nothing loaded).
    /// Its plan is plan(day), taken when it loaded.
    [[nodiscard]] std::shared_ptr<const core::OneMap> loaded(const std::string& day);
    /// An engine on map(day) with these rules (empty = all) and conflict geometries or not,
    /// shared by the requests that ask for the same: what `ComplianceEngine(map(day), ruleIds)`
    /// answers, its rules bound once. InputError as that constructor throws (not kept).
    [[nodiscard]] std::shared_ptr<const core::ComplianceEngine> engine(
        const std::string& day, const std::vector<std::string>& ruleIds, bool conflictGeometries);
    /// Forgets every day loaded and its engines, after a source changed under them (an approval
    /// appended to the register): the next request loads afresh. Requests in flight finish on
    /// the maps they hold.
    void reload();
    /// How many times reload() ran: what is built on a map (tiles) is rebuilt when it moves.
    [[nodiscard]] std::uint64_t generation() const { return generation_.load(); }
    [[nodiscard]] const std::string& planPath() const { return planPath_; }
    /// The plan as declared (every version of every layer), read once at start.
    [[nodiscard]] const core::Plan& declared() const { return declared_; }

    /// Engines kept per day at most (one per rule list asked for): beyond, the day's are dropped.
    static constexpr std::size_t kEnginesPerDay = 16;

  private:
    using Loaded = std::shared_future<std::shared_ptr<const core::OneMap>>;
    struct Day {
        std::string key;
        Loaded map;
        std::map<std::string, std::shared_ptr<const core::ComplianceEngine>> engines;
    };

    std::string planPath_;
    core::Plan declared_;
    std::size_t keptDays_;
    std::mutex mutex_;
    std::list<Day> days_;  ///< most recently used first
    std::atomic<std::uint64_t> generation_{0};
};

}  // namespace onemap::web
