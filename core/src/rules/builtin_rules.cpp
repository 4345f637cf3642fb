#include "rules/builtin_rules.hpp"

namespace onemap::core {

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
