#pragma once
// Text encodings, written once for gis and everything above it: whether bytes are UTF-8, and
// strict GBK <-> UTF-8 conversion (iconv). Values in, values out: nothing is kept or shared, so
// any thread may call these at any time. Nothing throws but std::bad_alloc: a failure is
// `false` or std::nullopt, and the caller says in its own words what it was reading.
#include <optional>
#include <string>
#include <string_view>

namespace onemap::gis {

/// Whether the bytes are UTF-8 text as GDAL's CPLIsUTF8 judges it (this decides what readers
/// decode as GBK instead): no NUL byte, no overlong form, nothing past U+10FFFF; encoded
/// surrogates (ED A0..BF xx) pass.
[[nodiscard]] bool isValidUtf8(std::string_view bytes);
/// Well-formed UTF-8 as RFC 3629 has it: no overlong form, no surrogate, nothing past
/// U+10FFFF; NUL is a character. Exactly what JSON writers (nlohmann) accept.
[[nodiscard]] bool isWellFormedUtf8(std::string_view bytes);

/// GBK as glibc's iconv has it (CP936: 0x80 is the euro sign; GB18030's four-byte forms are
/// not GBK) decoded to UTF-8; std::nullopt for bytes that are not GBK. Strict where GDAL's
/// CPLRecode would guess.
[[nodiscard]] std::optional<std::string> gbkToUtf8(std::string_view bytes);
/// UTF-8 text encoded in GBK; std::nullopt for text with a character GBK lacks.
[[nodiscard]] std::optional<std::string> utf8ToGbk(std::string_view text);

}  // namespace onemap::gis
