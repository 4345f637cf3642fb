#pragma once
// What Chinese shapefiles need: text encodings (GBK vs UTF-8) and DBF field names of at most
// 10 bytes, shortened without splitting a character and kept unique. Checking and decoding
// text in general: text_encoding.hpp.
// Free functions over the caller's strings and files (read only); any thread.
#include <string>
#include <vector>

namespace onemap::gis {

struct FieldNameMapping {
    std::string original;
    std::string shortName;
};

/// DBF names (≤ `maxBytes` bytes in `encoding`: "UTF-8" or "GBK"), unique, in input order.
std::vector<FieldNameMapping> shortenFieldNames(const std::vector<std::string>& names,
                                                const std::string& encoding,
                                                std::size_t maxBytes = 10);
/// Byte length of UTF-8 text once converted to `encoding` ("UTF-8", "GBK"/"CP936").
std::size_t encodedLength(const std::string& utf8, const std::string& encoding);
/// True if every character of the UTF-8 text exists in `encoding`.
bool representable(const std::string& utf8, const std::string& encoding);

/// For a .shp without a .cpg: the encoding of its text, and why ("UTF-8", "CP936", "ISO-8859-1").
struct EncodingGuess {
    std::string encoding;
    std::string reason;
};
EncodingGuess detectShapefileEncoding(const std::string& shpPath);
/// For a .shp whose .cpg declares GBK (or a single-byte code page) over text that is UTF-8
/// all the same (an editor kept the .cpg): {"UTF-8", why}; otherwise {"", ""} and the .cpg
/// holds. Decided as declared_encoding.hpp says, on the .dbf's character fields.
EncodingGuess utf8DespiteDeclaredEncoding(const std::string& shpPath);

}  // namespace onemap::gis
