#include "onemap/core/validate/plan_validation.hpp"

#include <algorithm>

#include "onemap/core/check/layer_source.hpp"

namespace onemap::core {

std::size_t PlanValidation::layersWithProblems() const {
    return static_cast<std::size_t>(
        std::count_if(layers.begin(), layers.end(), [](const auto& l) { return !l.ok(); }));
}

std::size_t PlanValidation::conflicts() const {
    std::size_t n = 0;
    for (const auto& c : consistency) n += c.conflicts.size();
    return n;
}

std::vector<LayerSpec> layersToValidate(const Plan& plan, const std::optional<std::string>& day) {
    if (day) return plan.inForceOn(*day, "--as-of").layers;
    std::vector<LayerSpec> out;
    for (const auto& declared : plan.declaredLayers()) {
        if (declared.versions.empty()) {
            out.push_back(declared);
            out.back().inForce.reset();
            continue;
        }
        for (const auto& v : declared.versions) {
            LayerSpec l = declared;
            l.source = v.source;
            l.table = v.table;
            l.filter = v.filter;
            l.encoding = v.encoding;
            l.crs = v.crs;
            l.inForce = v;
            out.push_back(std::move(l));
        }
    }
    return out;
}

namespace {

// On a day, a dated layer holds the records dated then or before; records without a date stay,
// so that validation names them.
void keepDatedBy(const std::string& day, const LayerSpec& spec, gis::VectorLayer& layer,
                 std::vector<std::string>& notes) {
    const auto field = spec.dateField.empty() ? std::nullopt : layer.fieldIndex(spec.dateField);
    if (!field) return;
    std::vector<gis::Feature> kept;
    for (auto& f : layer.features) {
        const auto d = recordDate(f.values[*field]);
        if (!d || *d <= day) kept.push_back(std::move(f));
    }
    if (kept.size() < layer.features.size())
        notes.push_back(std::to_string(layer.features.size() - kept.size()) + " of " +
                        std::to_string(layer.features.size()) + " records dated after " + day +
                        ", not yet in force");
    layer.features = std::move(kept);
}

}  // namespace

PlanValidation validatePlan(const Plan& plan, const ValidateOptions& options) {
    PlanValidation out;
    out.planPath = plan.path;
    const Plan onDay = options.asOf ? plan.inForceOn(*options.asOf, "--as-of") : plan;
    out.asOf = options.asOf.value_or("");
    out.consistencyAsOf = onDay.asOf;
    if (options.asOf) out.notes = onDay.notes;
    for (const auto& spec : layersToValidate(plan, options.asOf)) {
        gis::VectorLayer raw = readRaw(plan, spec, {}, /*checkValidity=*/true);
        std::vector<std::string> dated;
        if (options.asOf) keepDatedBy(*options.asOf, spec, raw, dated);
        LayerValidation v = validateLayer(spec, raw, plan.crs);
        v.notes.insert(v.notes.end(), dated.begin(), dated.end());
        out.layers.push_back(std::move(v));
    }
    // Entries left out on the day (a layer not in force yet): said, never silently passed.
    if (!options.asOf)
        for (const auto& n : onDay.notes)
            if (n.rfind("consistency '", 0) == 0) out.notes.push_back(n);
    out.consistency = checkPlanConsistency(onDay, options.cache);
    return out;
}

}  // namespace onemap::core
