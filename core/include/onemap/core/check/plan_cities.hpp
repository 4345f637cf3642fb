#pragma once
// The cities a plan names: the labels of its admin layer (the bundled plan's `city`: 合肥市,
// 芜湖市, …), against which an account's cities are checked by `onemap user` and the admin API.
// Functions of their arguments: any thread.
#include <string>
#include <vector>

#include "onemap/core/plan/plan.hpp"

namespace onemap::core {

/// The labels of the plan's admin layer, read from its source, in the layer's order; empty when
/// the plan has no admin layer with a label (cities are then free text).
[[nodiscard]] std::vector<std::string> planCityNames(const Plan& plan);

/// InputError for the first of `cities` the plan does not name: "<what> <city>: not a city of
/// the plan's layer <id> (<names>)". Nothing for an empty list or a plan without city names.
void checkCitiesInPlan(const std::vector<std::string>& cities, const Plan& plan,
                       const std::string& what);

}  // namespace onemap::core
