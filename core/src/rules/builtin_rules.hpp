#pragma once
#include "onemap/core/rule_kind.hpp"

namespace onemap::core {

// Each built-in kind describes itself; rule_registry.cpp registers them all.
RuleKind mustNotOverlapKind();
RuleKind mustBeWithinKind();
RuleKind maxDistanceKind();
RuleKind minDistanceKind();
RuleKind attributeKind();
RuleKind quotaKind();

/// Shared parameter checks.
std::string nonNegative(const ParamValue& v);
std::string fraction(const ParamValue& v);
ParamSpec layerParam();

}  // namespace onemap::core
