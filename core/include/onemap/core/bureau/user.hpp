#pragma once
// A bureau account as data: its name, role, cities and state (never its password, which stays
// in the store as an Argon2id hash). Plain values; any thread.
#include <optional>
#include <string>
#include <vector>

namespace onemap::core::bureau {

/// The roles of issue 36, in the order of their powers' table.
enum class Role { Public, Enterprise, Planner, Approver, Admin };

/// "public", "enterprise", "planner", "approver", "admin": the name stored and typed.
[[nodiscard]] std::string roleName(Role role);
/// "公众", "企业", "规划", "审批", "管理": the name shown first in the UI.
[[nodiscard]] std::string roleLabel(Role role);
/// The role of an English name or a Chinese label; nullopt for anything else.
[[nodiscard]] std::optional<Role> parseRole(const std::string& text);
/// "public, enterprise, planner, approver, admin" (for messages).
[[nodiscard]] std::string roleNames();

struct User {
    std::string name;
    Role role = Role::Public;
    std::vector<std::string> cities;  ///< the cities an approver may approve in (free text)
    bool disabled = false;
    std::string created;  ///< UTC, "2026-12-07T11:04:05.123Z"
    std::string changed;  ///< UTC, the last change of any field
};

/// A user name or city name fit to store: 1..128 bytes of valid UTF-8, no control characters,
/// no leading or trailing space; cities also without ",". Anything else (SQL quotes, "<script>")
/// is kept as it is. InputError naming `what` otherwise.
void checkName(const std::string& text, const std::string& what);
void checkCity(const std::string& text);

}  // namespace onemap::core::bureau
