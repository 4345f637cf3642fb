#pragma once
// `onemap validate` written out: the text a planner reads, the JSON a script reads
// (docs/plan-file.md, "Checking a plan"), and the conflicts of [[consistency]] as a layer of
// polygons. Pure functions of the validation: any thread.
#include <string>

#include "onemap/core/validate/plan_validation.hpp"
#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::core {

/// Per layer its problems; then each consistency entry with its conflicts as a table (ids,
/// m², 亩, ha); then the verdict line.
[[nodiscard]] std::string validationText(const PlanValidation& v);
/// The same as one JSON document.
[[nodiscard]] std::string validationJson(const PlanValidation& v);
/// One feature per conflict (layer "conflicts", in `crs`): check, a_layer, a_id, b_layer, b_id,
/// area_m2, area_mu, area_ha, as_of.
[[nodiscard]] gis::VectorLayer consistencyConflictLayer(const PlanValidation& v,
                                                        const gis::Crs& crs);

}  // namespace onemap::core
