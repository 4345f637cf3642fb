#include "onemap/core/rules/rule.hpp"

#include "onemap/core/check/one_map.hpp"
#include "onemap/core/rules/rule_registry.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core {

void Rule::bind(const OneMap& map) const {
    const std::string layer = spec_.text("layer");
    if (!layer.empty() && !map.layer(layer))
        fail("names layer '" + layer + "', which is not loaded");
    const RuleKind* kind = RuleRegistry::instance().find(spec_.kind);
    if (layer.empty() || !kind || !kind->layerGeometry) return;
    const MapLayer& data = *map.layer(layer);
    for (std::size_t i = 0; i < data.size(); ++i) {
        const gis::GeometryKind k = data.geometry(i).kind();
        if (k == gis::GeometryKind::Empty || k == *kind->layerGeometry) continue;
        throw InputError(map.plan().path + ":" + std::to_string(spec_.line) + ": rule '" +
                         spec_.id + "' (" + spec_.kind + ") needs a polygon layer, but layer '" +
                         layer + "' feature " + data.featureId(i) + " is a " +
                         data.geometry(i).typeName() + ": this rule could never fail");
    }
}

RuleResult Rule::notChecked(Wording reason) const {
    RuleResult r = result();
    r.passed = false;
    r.notChecked = std::move(reason);
    return r;
}

RuleResult Rule::result() const {
    RuleResult r;
    r.ruleId = spec_.id;
    r.title = spec_.title;
    r.kind = spec_.kind;
    if (const RuleKind* kind = RuleRegistry::instance().find(spec_.kind)) r.kindLabel = kind->label;
    r.layer = spec_.text("layer");
    r.severity = spec_.severity;
    return r;
}

void Rule::fail(const std::string& message) const {
    throw InputError("rule '" + spec_.id + "' (" + spec_.kind + "): " + message);
}

}  // namespace onemap::core
