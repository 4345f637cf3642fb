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

std::size_t displayWidth(const std::string& s) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        char32_t cp = c;
        std::size_t len = 1;
        if (c >= 0xF0)
            len = 4, cp = c & 0x07;
        else if (c >= 0xE0)
            len = 3, cp = c & 0x0F;
        else if (c >= 0xC0)
            len = 2, cp = c & 0x1F;
        for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
            cp = (cp << 6) | (s[i + k] & 0x3F);
        i += len;
        // East Asian Wide/Fullwidth ranges that matter here: CJK, Hangul, fullwidth forms.
        const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                          (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                          (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                          (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        width += wide ? 2 : 1;
    }
    return width;
}

std::string padToWidth(const std::string& text, std::size_t width, bool right) {
    const std::size_t w = displayWidth(text);
    if (w >= width) return text;
    const std::string fill(width - w, ' ');
    return right ? fill + text : text + fill;
}

}  // namespace onemap::gis
