#include "onemap/core/check/wording.hpp"

namespace onemap::core {

Wording& Wording::operator+=(const Wording& more) {
    zh += more.zh;
    en += more.en;
    return *this;
}

Wording& Wording::operator+=(std::string_view same) {
    zh += same;
    en += same;
    return *this;
}

Wording operator+(Wording a, const Wording& b) { return a += b; }
Wording operator+(Wording a, std::string_view same) { return a += same; }

namespace {
std::string fillOne(const std::string& pattern, std::initializer_list<Wording> args, Lang lang) {
    std::string out;
    out.reserve(pattern.size());
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' && pattern[i + 1] >= '0' &&
            pattern[i + 1] <= '9') {
            const auto k = static_cast<std::size_t>(pattern[i + 1] - '0');
            if (k < args.size()) out += (args.begin() + k)->in(lang);
            i += 2;
            continue;
        }
        out += c;
    }
    return out;
}
}  // namespace

Wording fill(const Wording& pattern, std::initializer_list<Wording> args) {
    return {fillOne(pattern.zh, args, Lang::Zh), fillOne(pattern.en, args, Lang::En)};
}

}  // namespace onemap::core
