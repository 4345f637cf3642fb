#pragma once
// `onemap validate` as a whole: every layer of a plan checked as data (each version of a
// versioned layer, or the layers as they stand on one day) and the plan's [[consistency]]
// entries checked across layers on that day. Results are values the caller owns; validatePlan
// reads files and may be called from any one thread at a time per plan.
#include <optional>
#include <string>
#include <vector>

#include "onemap/core/plan/plan.hpp"
#include "onemap/core/validate/layer_validation.hpp"
#include "onemap/core/validate/plan_consistency.hpp"

namespace onemap::core {

struct ValidateOptions {
    /// The day to validate the layers on (YYYY-MM-DD, checked). Without it, every version of
    /// every versioned layer and every record of a dated layer; consistency on the plan's day.
    std::optional<std::string> asOf;
    bool cache = true;  ///< the prepared-layer cache for consistency (false: --no-cache)
};

struct PlanValidation {
    std::string planPath;
    std::string asOf;                     ///< "" when every version was validated
    std::string consistencyAsOf;          ///< the day the [[consistency]] entries were checked on
    std::vector<LayerValidation> layers;  ///< file order; versions by date
    std::vector<ConsistencyResult> consistency;
    /// Layers not in force that day, entries left out with them: one line each.
    std::vector<std::string> notes;

    [[nodiscard]] std::size_t layersWithProblems() const;
    [[nodiscard]] std::size_t conflicts() const;
    /// 0 all well, 1 a layer with problems or a conflict above tolerance.
    [[nodiscard]] int exitCode() const { return layersWithProblems() || conflicts() ? 1 : 0; }
};

/// `plan` as Plan::load gives it (taken today). Throws InputError (exit 2) on bad input.
PlanValidation validatePlan(const Plan& plan, const ValidateOptions& options);

/// The layers validate reads: each version of each layer as a spec of its own (`inForce` says
/// which), or with `day`, the plan's layers in force that day.
std::vector<LayerSpec> layersToValidate(const Plan& plan, const std::optional<std::string>& day);

}  // namespace onemap::core
