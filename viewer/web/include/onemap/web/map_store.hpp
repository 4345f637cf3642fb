#pragma once
// The plan and its one map, loaded once and shared read-only by every request: the plan as
// declared, and the one map as of a day (today's loaded at start through the prepared-layer
// cache; other days' on first use, a few kept). Any thread may call it; a day being loaded
// holds up only the requests for that day.
#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

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
    [[nodiscard]] const std::string& planPath() const { return planPath_; }

  private:
    std::string planPath_;
    core::Plan declared_;
    std::size_t keptDays_;
    std::mutex mutex_;
    using Loaded = std::shared_future<std::shared_ptr<const core::OneMap>>;
    std::list<std::pair<std::string, Loaded>> maps_;  ///< most recently used first
};

}  // namespace onemap::web
