#include "onemap/core/check/plan_cities.hpp"

#include <algorithm>

#include "onemap/core/check/layer_source.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core {

std::vector<std::string> planCityNames(const Plan& plan) {
    const LayerSpec* admin = plan.adminLayer();
    if (!admin || admin->label.empty()) return {};
    const gis::VectorLayer layer = readRaw(plan, *admin);
    std::vector<std::string> names;
    for (std::size_t i = 0; i < layer.features.size(); ++i)
        names.push_back(gis::toString(layer.value(i, admin->label)));
    return names;
}

void checkCitiesInPlan(const std::vector<std::string>& cities, const Plan& plan,
                       const std::string& what) {
    if (cities.empty()) return;
    const std::vector<std::string> names = planCityNames(plan);
    if (names.empty()) return;
    for (const auto& city : cities) {
        if (std::find(names.begin(), names.end(), city) != names.end()) continue;
        std::string known;
        for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
        throw InputError(what + " " + city + ": not a city of the plan's layer " +
                         plan.adminLayer()->id + " (" + known + ")");
    }
}

}  // namespace onemap::core
