#include "onemap/gis/layer/shapefile.hpp"

#include <cpl_string.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <string_view>
#include <vector>

#include "onemap/gis/base/error.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/text/text_encoding.hpp"
#include "text/declared_encoding.hpp"

namespace onemap::gis {
namespace {

std::string gdalEncoding(const std::string& e) {
    if (e == "GBK" || e == "gbk" || e == "CP936" || e == "cp936" || e == "936") return "CP936";
    return "UTF-8";
}

std::string recode(const std::string& utf8, const std::string& encoding) {
    if (gdalEncoding(encoding) == "UTF-8") return utf8;
    char* out = CPLRecode(utf8.c_str(), CPL_ENC_UTF8, gdalEncoding(encoding).c_str());
    std::string s = out ? out : "";
    CPLFree(out);
    return s;
}

// UTF-8 characters one by one.
std::vector<std::string> characters(const std::string& s) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        out.push_back(s.substr(i, len));
        i += len;
    }
    return out;
}

std::string truncateTo(const std::string& name, const std::string& encoding, std::size_t maxBytes) {
    std::string out;
    for (const auto& ch : characters(name)) {
        if (encodedLength(out + ch, encoding) > maxBytes) break;
        out += ch;
    }
    return out;
}

namespace fs = std::filesystem;

fs::path dbfOf(const std::string& shpPath) {
    fs::path dbf = fs::path(shpPath).replace_extension(".dbf");
    if (!fs::exists(dbf)) dbf = fs::path(shpPath).replace_extension(".DBF");
    return dbf;
}

// The text of every character field, straight from the .dbf (dBASE III: a 32-byte header,
// 32-byte field descriptors up to 0x0D, then fixed-length records after a deletion flag).
text::Utf8Evidence dbfTextEvidence(const fs::path& dbf) {
    text::Utf8Evidence evidence;
    std::ifstream in(dbf, std::ios::binary);
    unsigned char h[32] = {};
    if (!in.read(reinterpret_cast<char*>(h), sizeof h)) return evidence;
    const std::size_t records =
        h[4] | h[5] << 8 | h[6] << 16 | static_cast<std::size_t>(h[7]) << 24;
    const std::size_t headerBytes = h[8] | h[9] << 8, recordBytes = h[10] | h[11] << 8;
    std::vector<std::pair<std::size_t, std::size_t>> text;  // offset in the record, width
    std::size_t offset = 1;
    for (unsigned char d[32]; in.read(reinterpret_cast<char*>(d), 1) && d[0] != 0x0D;) {
        if (!in.read(reinterpret_cast<char*>(d) + 1, 31)) return evidence;
        if (d[11] == 'C') text.emplace_back(offset, d[16]);
        offset += d[16];
    }
    if (text.empty() || recordBytes == 0 || offset > recordBytes) return evidence;
    in.seekg(static_cast<std::streamoff>(headerBytes));
    std::string record(recordBytes, '\0');
    for (std::size_t r = 0; r < records && !evidence.invalid(); ++r) {
        if (!in.read(record.data(), static_cast<std::streamsize>(recordBytes))) break;
        for (const auto& [at, width] : text) {
            std::string_view v(record.data() + at, width);
            while (!v.empty() && (v.back() == ' ' || v.back() == '\0')) v.remove_suffix(1);
            evidence.add(v);
        }
    }
    return evidence;
}

}  // namespace

std::size_t encodedLength(const std::string& utf8, const std::string& encoding) {
    return recode(utf8, encoding).size();
}

bool representable(const std::string& utf8, const std::string& encoding) {
    if (gdalEncoding(encoding) == "UTF-8") return true;
    char* back =
        CPLRecode(recode(utf8, encoding).c_str(), gdalEncoding(encoding).c_str(), CPL_ENC_UTF8);
    const bool same = back && utf8 == back;
    CPLFree(back);
    return same;
}

std::vector<FieldNameMapping> shortenFieldNames(const std::vector<std::string>& names,
                                                const std::string& encoding, std::size_t maxBytes) {
    std::vector<FieldNameMapping> out;
    std::set<std::string> used;
    for (const auto& name : names) {
        std::string shortName = truncateTo(name, encoding, maxBytes);
        // Keep names unique: replace the tail with _2, _3, … (still within maxBytes).
        for (int n = 2; used.count(shortName); ++n) {
            const std::string suffix = "_" + std::to_string(n);
            shortName = truncateTo(name, encoding, maxBytes - suffix.size()) + suffix;
        }
        used.insert(shortName);
        out.push_back({name, shortName});
    }
    return out;
}

EncodingGuess utf8DespiteDeclaredEncoding(const std::string& shpPath) {
    for (const char* ext : {".cpg", ".CPG"}) {
        std::ifstream in(fs::path(shpPath).replace_extension(ext), std::ios::binary);
        if (!in) continue;
        std::string declared(64, '\0');
        in.read(declared.data(), static_cast<std::streamsize>(declared.size()));
        declared.resize(static_cast<std::size_t>(in.gcount()));
        while (!declared.empty() && std::isspace(static_cast<unsigned char>(declared.back())))
            declared.pop_back();
        const bool gbk = text::isGbkName(declared);
        if (!gbk && !text::isSingleByteName(declared)) return {};
        const auto evidence = dbfTextEvidence(dbfOf(shpPath));
        const bool utf8 = gbk ? evidence.saysUtf8() : evidence.nonAscii() && !evidence.invalid();
        if (!utf8) return {};
        return {"UTF-8", "the .cpg says " + declared +
                             " but the text is UTF-8 (Chinese read as UTF-8, garbled read as " +
                             declared + "); read as UTF-8"};
    }
    return {};
}

EncodingGuess detectShapefileEncoding(const std::string& shpPath) {
    const fs::path dbf = dbfOf(shpPath);
    unsigned char ldid = 0;
    if (std::ifstream in{dbf, std::ios::binary}) {
        in.seekg(29);
        ldid = static_cast<unsigned char>(in.get());
    }
    if (ldid == 0x4D) {
        if (dbfTextEvidence(dbf).saysUtf8())
            return {"UTF-8",
                    "no .cpg; the DBF language driver 0x4D says GBK but the text is UTF-8 "
                    "(Chinese read as UTF-8, garbled read as GBK); read as UTF-8"};
        return {"CP936", "DBF language driver 0x4D (GBK)"};
    }
    if (ldid == 0x57 || ldid == 0x00) {
        // No code page stated: read the raw bytes and see whether they are UTF-8.
        bool ascii = true;
        ReadOptions rawOptions;
        rawOptions.rawText = true;
        const VectorLayer raw = readLayer(shpPath, rawOptions);
        for (const auto& f : raw.features) {
            for (const auto& v : f.values) {
                const auto* s = std::get_if<std::string>(&v);
                if (!s) continue;
                for (unsigned char c : *s) ascii = ascii && c < 0x80;
                if (!isValidUtf8(*s))
                    return {"CP936", "no .cpg; the text is not valid UTF-8, read as GBK"};
            }
        }
        return {"UTF-8",
                ascii ? "no .cpg; the text is plain ASCII" : "no .cpg; the text is valid UTF-8"};
    }
    return {"", "DBF language driver 0x" + std::to_string(ldid)};  // GDAL knows this one
}

}  // namespace onemap::gis
