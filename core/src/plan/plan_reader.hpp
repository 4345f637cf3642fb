#pragma once
// The plan file read into a Plan as declared (every layer version and rule), validated
// against the rule registry without opening data. Private to core/src/plan; Plan::parse
// calls it. Every error is one InputError line "file:line: what".
#include <string>

#include "onemap/core/plan/plan.hpp"

namespace onemap::core {

/// The plan in `content`, read from `path` (which relative sources resolve against).
[[nodiscard]] Plan readPlan(const std::string& content, const std::string& path);

}  // namespace onemap::core
