// The one UTF-8 check and GBK decoder: each judgement of UTF-8 held against the library whose
// verdict it must match (GDAL's CPLIsUTF8; nlohmann's JSON parser) over every string of up to
// two bytes and a spread of three- and four-byte ones, and GBK decoding against glibc's table.
#include <cpl_string.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onemap/gis/text/text_encoding.hpp"

using namespace onemap;

namespace {

// Every string of one and two bytes, and three and four bytes built from the bytes where
// UTF-8's rules change (lead bytes, the continuation range's edges, NUL, ASCII).
std::vector<std::string> hostileStrings() {
    const int edges[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    std::vector<std::string> out;
    // After an ASCII first byte a string is that byte and the rest, which the pairs already
    // cover; only a lead byte (0xC0 and up) carries on into a fourth byte. 1.15 million strings.
    for (int a = 0; a < 256; ++a) {
        out.push_back(std::string(1, static_cast<char>(a)));
        for (int b = 0; b < 256; ++b) {
            out.push_back({static_cast<char>(a), static_cast<char>(b)});
            if (a < 0x80) continue;
            for (const int c : edges) {
                out.push_back({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
                if (a < 0xC0) continue;
                for (const int d : {0x41, 0x80, 0xBF, 0xC0})
                    out.push_back({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c),
                                   static_cast<char>(d)});
            }
        }
    }
    return out;
}

}  // namespace

TEST_CASE("isValidUtf8 is GDAL's CPLIsUTF8 on every hostile string", "[gis][encoding]") {
    std::size_t disagreements = 0;
    for (const auto& s : hostileStrings()) {
        const bool gdal = CPLIsUTF8(s.data(), static_cast<int>(s.size())) != 0;
        if (gis::isValidUtf8(s) != gdal) ++disagreements;
    }
    CHECK(disagreements == 0);
    CHECK_FALSE(gis::isValidUtf8(std::string("a\0b", 3)));  // NUL: not text to GDAL
    CHECK(gis::isValidUtf8("\xED\xA0\x80"));                // an encoded surrogate passes
}

TEST_CASE("isWellFormedUtf8 is what nlohmann's JSON parser accepts", "[gis][encoding]") {
    std::size_t disagreements = 0;
    for (const auto& s : hostileStrings()) {
        // Control characters must be escaped in JSON text: give the parser the escape.
        std::string quoted = "\"";
        for (const char c : s) {
            if (static_cast<unsigned char>(c) < 0x20) {
                quoted += "\\u00";
                quoted += "0123456789abcdef"[(c >> 4) & 0xF];
                quoted += "0123456789abcdef"[c & 0xF];
            } else if (c == '"' || c == '\\') {
                quoted += '\\';
                quoted += c;
            } else {
                quoted += c;
            }
        }
        quoted += '"';
        const bool json = !nlohmann::json::parse(quoted, nullptr, false).is_discarded();
        if (gis::isWellFormedUtf8(s) != json) ++disagreements;
    }
    CHECK(disagreements == 0);
    CHECK(gis::isWellFormedUtf8(std::string("a\0b", 3)));  // NUL is a character
    CHECK_FALSE(gis::isWellFormedUtf8("\xED\xA0\x80"));    // a surrogate is not
}

TEST_CASE("GBK decodes and encodes strictly, however much the text grows", "[gis][encoding]") {
    // 湖州 in GBK: BA FE D6 DD.
    CHECK(gis::gbkToUtf8("\xBA\xFE\xD6\xDD") == std::optional<std::string>("湖州"));
    CHECK(gis::utf8ToGbk("湖州") == std::optional<std::string>("\xBA\xFE\xD6\xDD"));
    // 0x80 is the euro sign in GBK (CP936): one byte becomes three. A value of nine of them
    // outgrew the buffers of the copies this decoder replaced, which refused it as not GBK.
    std::string euros;
    for (int i = 0; i < 9; ++i) euros += "€";
    CHECK(gis::gbkToUtf8(std::string(9, '\x80')) == euros);
    CHECK(gis::utf8ToGbk(euros) == std::string(9, '\x80'));
    CHECK_FALSE(gis::gbkToUtf8("\xFF").has_value());              // no GBK byte
    CHECK_FALSE(gis::gbkToUtf8("\x81\x30\x81\x30").has_value());  // GB18030 four-byte form: not GBK
    CHECK_FALSE(gis::gbkToUtf8("\xBA").has_value());              // half a character
    CHECK_FALSE(gis::utf8ToGbk("\xF0\x9F\x98\x80").has_value());  // 😀: GBK lacks it
    CHECK(gis::gbkToUtf8("") == std::optional<std::string>(""));
}
