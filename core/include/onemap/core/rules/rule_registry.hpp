#pragma once
// Rules are data: every rule kind is registered under a stable name with typed, validated
// parameters. The plan parser checks a rule against its kind; the engine asks the kind to
// create the rule object that evaluates sites. The one registry is built on first use and
// read-only after: any thread may call it.
#include <string>
#include <vector>

#include "onemap/core/rules/rule_kind.hpp"

namespace onemap::core {

/// All rule kinds, by name.
class RuleRegistry {
  public:
    static const RuleRegistry& instance();
    [[nodiscard]] const RuleKind* find(const std::string& name) const;
    /// The kind of that name; a kind with no part in `find` or the register when none is.
    [[nodiscard]] const RuleKind& kind(const std::string& name) const;
    [[nodiscard]] std::vector<std::string> names() const;
    void add(RuleKind kind);

  private:
    std::vector<RuleKind> kinds_;
};

}  // namespace onemap::core
