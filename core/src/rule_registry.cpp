#include <algorithm>

#include "onemap/core/rule_kind.hpp"
#include "rules/builtin_rules.hpp"

namespace onemap::core {

const RuleRegistry& RuleRegistry::instance() {
    static const RuleRegistry registry = [] {
        RuleRegistry r;
        r.add(mustNotOverlapKind());
        r.add(mustBeWithinKind());
        r.add(maxDistanceKind());
        r.add(minDistanceKind());
        r.add(attributeKind());
        r.add(quotaKind());
        return r;
    }();
    return registry;
}

const RuleKind* RuleRegistry::find(const std::string& name) const {
    for (const auto& k : kinds_)
        if (k.name == name) return &k;
    return nullptr;
}

const RuleKind& RuleRegistry::kind(const std::string& name) const {
    static const RuleKind none;
    const RuleKind* k = find(name);
    return k ? *k : none;
}

std::vector<std::string> RuleRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& k : kinds_) out.push_back(k.name);
    return out;
}

void RuleRegistry::add(RuleKind kind) { kinds_.push_back(std::move(kind)); }

std::string nonNegative(const ParamValue& v) {
    const auto* d = std::get_if<double>(&v);
    return d && *d < 0 ? "must not be negative" : "";
}

std::string fraction(const ParamValue& v) {
    const auto* d = std::get_if<double>(&v);
    return d && (*d < 0 || *d > 1) ? "must be a fraction in [0, 1]" : "";
}

ParamSpec layerParam() {
    return {"layer", ParamType::Layer, true, std::nullopt, "id of a plan layer", {}};
}

}  // namespace onemap::core
