#include "onemap/gis/text/text_encoding.hpp"

#include <iconv.h>

namespace onemap::gis {
namespace {

// One walk for both judgements of UTF-8; they differ only in NUL and encoded surrogates.
// A template, so that each judgement is as fast as a walk written for it alone.
template <bool kNulIsText, bool kSurrogatesPass>
bool utf8(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    const auto inRange = [&](const unsigned char* q, unsigned lo, unsigned hi) {
        return q < end && *q >= lo && *q <= hi;
    };
    while (p < end) {
        const unsigned c = *p;
        std::size_t n = 0;
        unsigned lo = 0x80, hi = 0xBF;
        if (c < 0x80) {
            if (!kNulIsText && c == 0) return false;
            ++p;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            n = 1;
        else if (c == 0xE0)
            n = 2, lo = 0xA0;
        else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
            n = 2;
        else if (c == 0xED)
            n = 2, hi = kSurrogatesPass ? 0xBF : 0x9F;
        else if (c == 0xF0)
            n = 3, lo = 0x90;
        else if (c >= 0xF1 && c <= 0xF3)
            n = 3;
        else if (c == 0xF4)
            n = 3, hi = 0x8F;
        else
            return false;
        ++p;
        for (std::size_t k = 0; k < n; ++k, ++p) {
            if (!inRange(p, k == 0 ? lo : 0x80, k == 0 ? hi : 0xBF)) return false;
        }
    }
    return true;
}

// All of `bytes` converted, or nothing: iconv refuses what the source encoding does not hold
// and what the target cannot, where GDAL's CPLRecode would substitute.
std::optional<std::string> convert(std::string_view bytes, const char* to, const char* from) {
    iconv_t cd = iconv_open(to, from);
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    std::string in(bytes);
    // GBK -> UTF-8 grows a byte to at most three (0x80 -> U+20AC); UTF-8 -> GBK never grows.
    std::string out(bytes.size() * 3 + 8, '\0');
    char* inp = in.data();
    char* outp = out.data();
    std::size_t inLeft = in.size(), outLeft = out.size();
    const std::size_t r = iconv(cd, &inp, &inLeft, &outp, &outLeft);
    iconv_close(cd);
    if (r == static_cast<std::size_t>(-1) || inLeft != 0) return std::nullopt;
    out.resize(out.size() - outLeft);
    return out;
}

}  // namespace

bool isValidUtf8(std::string_view bytes) {
    return utf8</*kNulIsText=*/false, /*kSurrogatesPass=*/true>(bytes);
}

bool isWellFormedUtf8(std::string_view bytes) {
    return utf8</*kNulIsText=*/true, /*kSurrogatesPass=*/false>(bytes);
}

std::optional<std::string> gbkToUtf8(std::string_view bytes) {
    return convert(bytes, "UTF-8", "GBK");
}

std::optional<std::string> utf8ToGbk(std::string_view text) {
    return convert(text, "GBK", "UTF-8");
}

}  // namespace onemap::gis
