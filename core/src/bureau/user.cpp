#include "onemap/core/bureau/user.hpp"

#include <array>

#include "onemap/gis/base/error.hpp"
#include "onemap/gis/text/text_encoding.hpp"

namespace onemap::core::bureau {
namespace {

struct RoleNames {
    Role role;
    const char* name;
    const char* label;
};
constexpr std::array<RoleNames, 5> kRoles{{{Role::Public, "public", "公众"},
                                           {Role::Enterprise, "enterprise", "企业"},
                                           {Role::Planner, "planner", "规划"},
                                           {Role::Approver, "approver", "审批"},
                                           {Role::Admin, "admin", "管理"}}};

}  // namespace

std::string roleName(Role role) {
    for (const auto& r : kRoles)
        if (r.role == role) return r.name;
    return "public";
}

std::string roleLabel(Role role) {
    for (const auto& r : kRoles)
        if (r.role == role) return r.label;
    return "公众";
}

std::optional<Role> parseRole(const std::string& text) {
    for (const auto& r : kRoles)
        if (text == r.name || text == r.label) return r.role;
    return std::nullopt;
}

std::string roleNames() {
    std::string out;
    for (const auto& r : kRoles) out += (out.empty() ? "" : ", ") + std::string(r.name);
    return out;
}

void checkName(const std::string& text, const std::string& what) {
    if (text.empty()) throw InputError(what + ": empty");
    if (text.size() > 128) throw InputError(what + ": longer than 128 bytes");
    if (!gis::isWellFormedUtf8(text)) throw InputError(what + ": not valid UTF-8");
    for (unsigned char c : text)
        if (c < 0x20 || c == 0x7f) throw InputError(what + ": holds a control character");
    if (text.front() == ' ' || text.back() == ' ')
        throw InputError(what + " \"" + text + "\": begins or ends with a space");
}

void checkCity(const std::string& text) {
    checkName(text, "city");
    if (text.find(',') != std::string::npos)
        throw InputError("city \"" + text + "\": holds a comma");
}

}  // namespace onemap::core::bureau
