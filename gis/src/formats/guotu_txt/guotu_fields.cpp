#include "formats/guotu_txt/guotu_fields.hpp"

#include <charconv>
#include <cmath>

namespace onemap::gis::guotu {

std::string trim(std::string_view s) {
    const auto isSpace = [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
    };
    std::size_t b = 0, e = s.size();
    while (b < e && isSpace(s[b])) ++b;
    while (e > b && isSpace(s[e - 1])) --e;
    // A full-width space (U+3000) is as blank as an ASCII one to the people typing these.
    std::string out(s.substr(b, e - b));
    const std::string ideo = "\xE3\x80\x80";
    while (out.rfind(ideo, 0) == 0) out.erase(0, ideo.size());
    while (out.size() >= ideo.size() &&
           out.compare(out.size() - ideo.size(), ideo.size(), ideo) == 0)
        out.erase(out.size() - ideo.size());
    return out;
}

std::vector<std::string> splitFields(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const auto comma = s.find(',', start);
        out.push_back(trim(std::string_view(s).substr(start, comma - start)));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

std::optional<double> number(const std::string& text) {
    std::string_view t = text;
    if (!t.empty() && t.front() == '+') t.remove_prefix(1);
    if (t.empty()) return std::nullopt;
    double v = 0;
    const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (r.ec != std::errc() || r.ptr != t.data() + t.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

std::optional<long> integer(const std::string& text) {
    long v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size())
        return std::nullopt;
    return v;
}

std::string formatFixed(double v, int decimals) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
    return std::string(buf, r.ptr);
}

}  // namespace onemap::gis::guotu
