#include "onemap/core/rules/rule_registry.hpp"

#include <algorithm>

#include "rules/builtin_rules.hpp"

namespace onemap::core {

// The built-in kinds, in the order they are registered and listed. Each is made by a function
// `RuleKind <name>Kind()` in its own file under rules/: a new kind is one line here.
#define ONEMAP_BUILTIN_RULE_KINDS(KIND) \
    KIND(mustNotOverlap)                \
    KIND(mustBeWithin)                  \
    KIND(maxDistance)                   \
    KIND(minDistance)                   \
    KIND(attribute)                     \
    KIND(quota)

#define ONEMAP_DECLARE_RULE_KIND(name) RuleKind name##Kind();
ONEMAP_BUILTIN_RULE_KINDS(ONEMAP_DECLARE_RULE_KIND)
#undef ONEMAP_DECLARE_RULE_KIND

const RuleRegistry& RuleRegistry::instance() {
    static const RuleRegistry registry = [] {
        RuleRegistry r;
#define ONEMAP_ADD_RULE_KIND(name) r.add(name##Kind());
        ONEMAP_BUILTIN_RULE_KINDS(ONEMAP_ADD_RULE_KIND)
#undef ONEMAP_ADD_RULE_KIND
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

}  // namespace onemap::core
