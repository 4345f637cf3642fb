#include "onemap/gis/text/terminal_text.hpp"

#include <cstdio>

namespace onemap::gis {

std::string escapeControl(const std::string& text, bool keepNewlines) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
        char buf[8];
        if ((c < 0x20 && !(keepNewlines && c == '\n')) || c == 0x7F) {
            std::snprintf(buf, sizeof buf, "\\x%02X", c);
            out += buf;
        } else if (c == 0xC2 && next >= 0x80 && next <= 0x9F) {  // U+0080..U+009F in UTF-8
            std::snprintf(buf, sizeof buf, "\\u%04X", next);
            out += buf;
            ++i;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::string oneLine(const std::string& text, std::size_t maxBytes) {
    std::string flat = text;
    for (auto& c : flat)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    flat = escapeControl(flat);
    if (flat.size() <= maxBytes) return flat;
    std::size_t cut = maxBytes;
    while (cut > 0 && (static_cast<unsigned char>(flat[cut]) & 0xC0) == 0x80) --cut;
    return flat.substr(0, cut) + "…";
}

}  // namespace onemap::gis
