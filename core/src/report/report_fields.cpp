#include "report/report_fields.hpp"

namespace onemap::core {

std::string joinList(const std::vector<std::string>& items, const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
    return out;
}

std::vector<std::string> adminNames(const SiteReport& s) {
    std::vector<std::string> names;
    for (const auto& a : s.admin) names.push_back(a.name);
    return names;
}

int unitDecimals(Unit u) {
    switch (u) {
        case Unit::SquareMetres:
        case Unit::Metres:
            return 2;
        case Unit::Fraction:
            return 6;
        default:
            return -1;
    }
}

std::string areaStem(const std::string& name) {
    return name.size() > 3 && name.compare(name.size() - 3, 3, "_m2") == 0
               ? name.substr(0, name.size() - 3)
               : name;
}

}  // namespace onemap::core
