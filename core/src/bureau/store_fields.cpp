#include "bureau/store_fields.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>

#include "onemap/gis/base/atomic_file.hpp"

namespace onemap::core::bureau {
namespace {

std::string utcText(std::chrono::system_clock::time_point at) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count() % 1000;
    std::tm tm{};
    ::gmtime_r(&seconds, &tm);
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms));
    return text;
}

}  // namespace

std::string utcNow() { return utcText(std::chrono::system_clock::now()); }

std::string utcAfter(long long seconds) {
    return utcText(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
}

/// Fields joined unambiguously (8-byte length before each), for the inputs' and answers' hashes.
std::string fieldsHash(std::initializer_list<std::string> fields) {
    std::string bytes;
    for (const auto& f : fields) {
        for (int shift = 56; shift >= 0; shift -= 8)
            bytes.push_back(
                static_cast<char>((static_cast<std::uint64_t>(f.size()) >> shift) & 0xff));
        bytes += f;
    }
    return gis::sha256(bytes);
}

std::string joinCities(const std::vector<std::string>& cities) {
    std::string out;
    for (const auto& c : cities) out += (out.empty() ? "" : ",") + c;
    return out;
}

std::vector<std::string> splitCities(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto comma = text.find(',', start);
        const auto end = comma == std::string::npos ? text.size() : comma;
        out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::string userDigest(const User& u) {
    return fieldsHash({u.name, roleName(u.role), joinCities(u.cities), u.disabled ? "1" : "0"});
}

std::string roleDetail(Role role, const std::vector<std::string>& cities) {
    std::string out = "role " + roleName(role) + " (" + roleLabel(role) + ")";
    if (!cities.empty()) out += ", cities " + joinCities(cities);
    return out;
}

void checkCities(const std::vector<std::string>& cities) {
    for (const auto& c : cities) checkCity(c);
}

}  // namespace onemap::core::bureau
