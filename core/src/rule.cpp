#include "onemap/core/rule.hpp"

#include "onemap/core/one_map.hpp"
#include "onemap/gis/error.hpp"

namespace onemap::core {

void Rule::bind(const OneMap& map, const SiteSet& /*sites*/) const {
    const std::string layer = spec_.text("layer");
    if (!layer.empty() && !map.layer(layer))
        fail("names layer '" + layer + "', which is not loaded");
}

RuleResult Rule::result() const {
    RuleResult r;
    r.ruleId = spec_.id;
    r.title = spec_.title;
    r.kind = spec_.kind;
    r.layer = spec_.text("layer");
    r.severity = spec_.severity;
    return r;
}

void Rule::fail(const std::string& message) const {
    throw InputError("rule '" + spec_.id + "' (" + spec_.kind + "): " + message);
}

}  // namespace onemap::core
