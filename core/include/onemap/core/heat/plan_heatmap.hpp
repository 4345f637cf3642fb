#pragma once
// A plan's heat map made ready to compute: its layer read as every command reads it (the
// records in force on the plan's day, in the plan's CRS, its filter and the heatmap's `where`),
// its weighted points taken, and its grid settled. What `onemap heat`, `onemap render
// --heatmap` and the viewer compute, so the three draw the same numbers. Owns what it read;
// const methods may be called from any thread.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "onemap/core/heat/kernel_density.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/geom/envelope.hpp"

namespace onemap::core {

/// The plan's [[heatmaps]] entry `id`. InputError beginning with `what`: left out on the plan's
/// day (its layer not yet in force, as the plan's note says), or no such entry (naming those
/// the plan has).
[[nodiscard]] const HeatmapSpec& planHeatmap(const Plan& plan, const std::string& id,
                                             const std::string& what);

class PlanHeatmap {
  public:
    /// Reads the layer `spec` names and settles the grid over `extent` (nullopt: the points'
    /// box grown by the radius). InputError: the plan has no such layer (on its day), the data
    /// or a weight is bad, the grid would be too large (docs/heat.md) — nothing allocated. For
    /// an entry of the plan file (spec.line > 0) the message begins "file:line: heatmap 'id': ".
    PlanHeatmap(const Plan& plan, HeatmapSpec spec,
                const std::optional<gis::Envelope>& extent = std::nullopt);

    [[nodiscard]] const HeatmapSpec& spec() const { return spec_; }
    [[nodiscard]] const KernelDensity& density() const { return *density_; }
    /// Points counted, and features skipped for an empty geometry.
    [[nodiscard]] std::size_t points() const { return density_->points().size(); }
    [[nodiscard]] std::size_t skipped() const { return skipped_; }
    /// The reader's warnings ("layer 'x': …"), one line each.
    [[nodiscard]] const std::vector<std::string>& notes() const { return notes_; }

    /// The density per km² at each cell's centre, row-major from the top row (KernelDensity).
    [[nodiscard]] std::vector<double> compute() const { return density_->compute(); }

  private:
    void read(const Plan& plan, const std::optional<gis::Envelope>& extent);

    HeatmapSpec spec_;
    std::size_t skipped_ = 0;
    std::vector<std::string> notes_;
    std::optional<KernelDensity> density_;
};

}  // namespace onemap::core
