#pragma once
// Private: what every bureau store writes the same way (SQLite and PostgreSQL), so both give the
// same audit records byte for byte: times as text, the hashes of inputs and answers, cities
// joined, the details of user changes. Pure functions; any thread.
#include <initializer_list>
#include <string>
#include <vector>

#include "onemap/core/bureau/user.hpp"

namespace onemap::core::bureau {

/// UTC now, "2026-12-07T11:04:05.123Z" (sorts as text in time order).
[[nodiscard]] std::string utcNow();
/// UTC `seconds` from now, in utcNow's form.
[[nodiscard]] std::string utcAfter(long long seconds);
/// Fields joined unambiguously (8-byte length before each) and hashed: the inputs' and answers'
/// hashes of audit records.
[[nodiscard]] std::string fieldsHash(std::initializer_list<std::string> fields);
[[nodiscard]] std::string joinCities(const std::vector<std::string>& cities);
[[nodiscard]] std::vector<std::string> splitCities(const std::string& text);
/// The answer hash of a user change: the user's name, role, cities and state.
[[nodiscard]] std::string userDigest(const User& user);
/// "role approver (审批), cities 合肥市": a role in an audit record's detail.
[[nodiscard]] std::string roleDetail(Role role, const std::vector<std::string>& cities);
/// checkCity on each; InputError for the first bad one.
void checkCities(const std::vector<std::string>& cities);

}  // namespace onemap::core::bureau
