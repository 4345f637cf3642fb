#include "onemap/core/report.hpp"

namespace onemap::core {

const char* toString(Verdict v) {
    switch (v) {
        case Verdict::Pass:
            return "pass";
        case Verdict::Warn:
            return "warn";
        case Verdict::Unchecked:
            return "unchecked";
        default:
            return "fail";
    }
}

Verdict SiteReport::verdict() const {
    if (!error.empty()) return Verdict::Unchecked;
    Verdict worst = Verdict::Pass;
    for (const auto& r : rules) worst = std::max(worst, r.verdict());
    return worst;
}

std::size_t Report::count(Verdict v) const {
    std::size_t n = 0;
    for (const auto& s : sites) n += s.verdict() == v ? 1 : 0;
    return n;
}

}  // namespace onemap::core
