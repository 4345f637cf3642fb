#include "report/json_text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "onemap/gis/text/text_encoding.hpp"

namespace onemap::core {

void JsonText::newLine(std::size_t depth) {
    out_ += '\n';
    out_.append(2 * (static_cast<std::size_t>(base_) + depth), ' ');
}

void JsonText::beforeValue() {
    if (afterKey_) {
        afterKey_ = false;
        return;
    }
    if (levels_.empty()) return;
    Level& level = levels_.back();
    if (level.members++) out_ += ',';
    newLine(levels_.size());
}

void JsonText::key(std::string_view k) {
    Level& level = levels_.back();
    if (level.members++) out_ += ',';
    newLine(levels_.size());
    escaped(k);
    out_ += ": ";
    afterKey_ = true;
}

void JsonText::open(char bracket, bool object) {
    beforeValue();
    out_ += bracket;
    levels_.push_back({object, 0});
}

void JsonText::close(char bracket) {
    const bool empty = levels_.back().members == 0;
    levels_.pop_back();
    if (!empty) newLine(levels_.size());
    out_ += bracket;
}

void JsonText::string(std::string_view s) {
    beforeValue();
    escaped(s);
}

void JsonText::strings(const std::vector<std::string>& items) {
    beginArray();
    for (const auto& s : items) string(s);
    endArray();
}

void JsonText::number(double v) {
    beforeValue();
    if (!std::isfinite(v)) {
        out_ += "null";
        return;
    }
    // nlohmann's own formatting (Grisu2, ".0" on integral values), so the bytes match.
    std::array<char, 64> buf{};
    char* end = nlohmann::detail::to_chars(buf.data(), buf.data() + buf.size(), v);
    out_.append(buf.data(), end);
}

void JsonText::integer(std::int64_t v) {
    beforeValue();
    std::array<char, 24> buf{};
    const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    out_.append(buf.data(), r.ptr);
}

void JsonText::unsignedInteger(std::uint64_t v) {
    beforeValue();
    std::array<char, 24> buf{};
    const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    out_.append(buf.data(), r.ptr);
}

// nlohmann with ensure_ascii off: ", \ and the C0 controls are escaped, everything else
// (UTF-8 included, and DEL) is written as it is.
void JsonText::escaped(std::string_view s) {
    bool ascii = true;
    for (const char c : s) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (!ascii && !gis::isWellFormedUtf8(s)) throw NotUtf8();
    out_ += '"';
    std::size_t run = 0;  // start of the characters not yet written, which need no escape
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out_.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"':
                out_ += "\\\"";
                break;
            case '\\':
                out_ += "\\\\";
                break;
            case '\b':
                out_ += "\\b";
                break;
            case '\f':
                out_ += "\\f";
                break;
            case '\n':
                out_ += "\\n";
                break;
            case '\r':
                out_ += "\\r";
                break;
            case '\t':
                out_ += "\\t";
                break;
            default: {
                static constexpr char kHex[] = "0123456789abcdef";
                const char u[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
                out_.append(u, sizeof u);
            }
        }
    }
    out_.append(s.data() + run, s.size() - run);
    out_ += '"';
}

}  // namespace onemap::core
