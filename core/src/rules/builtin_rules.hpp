#pragma once
// What the built-in rule kinds share (private to core/src/rules): their parameter checks.
#include "onemap/core/rules/rule_kind.hpp"

namespace onemap::core {

// The kinds are listed in rule_registry.cpp; each defines `RuleKind <name>Kind()` in its
// own file here. Shared parameter checks:
std::string nonNegative(const ParamValue& v);
std::string fraction(const ParamValue& v);
ParamSpec layerParam();

}  // namespace onemap::core
