#pragma once
// Rules are data: every rule kind is registered under a stable name with typed,
// validated parameters. The plan parser checks a rule against its kind; the engine
// asks the kind to create the rule object that evaluates sites.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "onemap/core/plan.hpp"
#include "onemap/gis/geometry.hpp"

namespace onemap::core {

class Rule;

enum class ParamType { Number, Text, Layer, Field, Table };

struct ParamSpec {
    std::string name;
    ParamType type = ParamType::Number;
    bool required = false;
    std::optional<ParamValue> defaultValue;
    std::string help;
    /// Extra check of a present value; returns "" when fine, else what is wrong.
    std::function<std::string(const ParamValue&)> check;
};

struct RuleKind {
    std::string name;
    std::string help;
    std::vector<ParamSpec> params;
    /// The only kind of geometry in the rule's `layer` that the rule can measure (an overlap
    /// with points is always 0 m²: such a rule could never fail). Empty = any.
    std::optional<gis::GeometryKind> layerGeometry;
    std::function<std::unique_ptr<Rule>(const RuleSpec&)> create;
};

/// All rule kinds, by name.
class RuleRegistry {
  public:
    static const RuleRegistry& instance();
    [[nodiscard]] const RuleKind* find(const std::string& name) const;
    [[nodiscard]] std::vector<std::string> names() const;
    void add(RuleKind kind);

  private:
    std::vector<RuleKind> kinds_;
};

}  // namespace onemap::core
