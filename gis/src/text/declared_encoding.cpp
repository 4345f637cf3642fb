#include "text/declared_encoding.hpp"

#include <algorithm>
#include <cctype>

#include "onemap/gis/text/text_encoding.hpp"

namespace onemap::gis::text {
namespace {

// Enough text to tell the readings apart; a file's whole DBF need not be decoded twice.
constexpr std::size_t kSampleBytes = 1u << 20;

std::string squeezed(std::string name) {
    std::string s;
    for (const char c : name)
        if (c != ' ' && c != '-' && c != '_')
            s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool plausible(char32_t c) {
    return c < 0x80 || (c >= 0x4E00 && c <= 0x9FFF) ||  // ASCII, CJK unified ideographs
           (c >= 0x3000 && c <= 0x303F) ||              // CJK punctuation 、。《》【】
           (c >= 0xFF01 && c <= 0xFF5E) || (c >= 0xFFE0 && c <= 0xFFE5) ||  // fullwidth
           (c >= 0x00B0 && c <= 0x00B7) || c == 0x00D7 || c == 0x00F7 ||    // ° ± ² ³ · × ÷
           (c >= 0x2010 && c <= 0x2030) ||                 // – — ‘’“” … ‰
           c == 0x2103 || (c >= 0x2160 && c <= 0x217F) ||  // ℃ Ⅰ Ⅱ
           (c >= 0x2460 && c <= 0x24FF) || (c >= 0x25A0 && c <= 0x25CF) ||  // ① □ △ ○
           (c >= 0x3220 && c <= 0x325F) || (c >= 0x338E && c <= 0x33D5);    // ㈠ ㎡ ㎞
}

// CJK unified ideographs (U+4E00–U+9FFF: E4 B8 80 – E9 BF BF) in valid UTF-8.
std::size_t ideographs(std::string_view utf8) {
    std::size_t n = 0;
    for (std::size_t i = 0; i + 2 < utf8.size(); ++i) {
        const auto b = static_cast<unsigned char>(utf8[i]);
        if (b >= 0xE4 && b <= 0xE9 && (b > 0xE4 || static_cast<unsigned char>(utf8[i + 1]) >= 0xB8))
            ++n, i += 2;
    }
    return n;
}

}  // namespace

bool isGbkName(std::string name) {
    const std::string s = squeezed(std::move(name));
    return s == "gbk" || s == "gb2312" || s == "gb18030" || s == "cp936" || s == "936" ||
           s == "ansi936" || s == "windows936" || s == "ms936" || s == "euccn";
}

bool isSingleByteName(std::string name) {
    const std::string s = squeezed(std::move(name));
    const auto starts = [&s](const char* p) { return s.rfind(p, 0) == 0; };
    return starts("ansi125") || starts("cp125") || starts("windows125") || starts("iso8859") ||
           (s.size() == 4 && starts("125")) ||  // a .cpg of "1252"
           s == "latin1" || s == "cp437" || s == "cp850" || s == "ldid/87" || s == "88591";
}

std::size_t rareCharacters(std::string_view utf8) {
    std::size_t rare = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        const auto b = static_cast<unsigned char>(utf8[i]);
        const std::size_t len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
        char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
        for (std::size_t k = 1; k < len && i + k < utf8.size(); ++k)
            c = (c << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
        if (!plausible(c)) ++rare;
        i += len;
    }
    return rare;
}

void Utf8Evidence::add(std::string_view bytes) {
    if (invalid_) return;
    const bool ascii = std::all_of(bytes.begin(), bytes.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii) return;
    if (!isValidUtf8(bytes)) {
        invalid_ = true;
        return;
    }
    nonAscii_ = true;
    // Only lines beyond ASCII tell the readings apart: a KML or DXF is one piece, and its
    // names may follow megabytes of coordinates. Lines end at '\n', a boundary in UTF-8 and
    // in GBK alike (whose bytes are never '\n'); one longer than the room is cut after a
    // whole character.
    for (std::size_t at = 0; at < bytes.size() && sample_.size() < kSampleBytes;) {
        const auto end = std::min(bytes.find('\n', at), bytes.size());
        std::string_view line = bytes.substr(at, end - at);
        at = end + 1;
        if (std::all_of(line.begin(), line.end(),
                        [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
            continue;
        const std::size_t room = kSampleBytes - sample_.size();
        if (line.size() > room) {
            std::size_t cut = room;
            while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
            line = line.substr(0, cut);
        }
        sample_.append(line).push_back('\n');
    }
}

bool Utf8Evidence::saysUtf8(bool strict) const {
    if (invalid_ || !nonAscii_) return false;
    const auto asGbk = gbkToUtf8(sample_);
    if (!asGbk) return true;  // GBK cannot read it at all
    const std::size_t rareUtf8 = rareCharacters(sample_), rareGbk = rareCharacters(*asGbk);
    if (rareUtf8 != rareGbk) return rareUtf8 < rareGbk;
    // A tie: valid UTF-8 is evidence when it is Chinese. GBK 路 (C2 B7) is valid UTF-8 "·",
    // as plausible as 路 itself: a GBK value holding only it stays GBK.
    return !strict && ideographs(sample_) > 0;
}

bool isUtf8Despite(std::string_view bytes, const std::string& declared) {
    const bool gbk = isGbkName(declared);
    if (!gbk && !isSingleByteName(declared)) return false;
    Utf8Evidence evidence;
    evidence.add(bytes);
    // A single-byte code page reads any bytes: valid UTF-8 beyond ASCII is the evidence.
    return gbk ? evidence.saysUtf8() : evidence.nonAscii() && !evidence.invalid();
}

}  // namespace onemap::gis::text
