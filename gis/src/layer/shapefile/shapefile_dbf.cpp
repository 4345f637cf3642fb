#include "layer/shapefile/shapefile_dbf.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>

#include "onemap/gis/base/error.hpp"
#include "onemap/gis/layer/shapefile.hpp"

namespace onemap::gis::detail {
namespace fs = std::filesystem;
namespace {

// Record counts from the headers: .shx is 100 bytes + 8 per record; the .dbf says its own
// count at offset 4 (little-endian uint32). -1 when the file is missing or too short.
std::int64_t shxRecords(const fs::path& shx) {
    std::error_code ec;
    const auto size = fs::file_size(shx, ec);
    if (ec || size < 100) return -1;
    return static_cast<std::int64_t>((size - 100) / 8);
}

std::int64_t dbfRecords(const fs::path& dbf) {
    std::ifstream in(dbf, std::ios::binary);
    unsigned char h[8] = {};
    if (!in.read(reinterpret_cast<char*>(h), sizeof h)) return -1;
    return static_cast<std::int64_t>(h[4]) | static_cast<std::int64_t>(h[5]) << 8 |
           static_cast<std::int64_t>(h[6]) << 16 | static_cast<std::int64_t>(h[7]) << 24;
}

fs::path sibling(const fs::path& base, const char* lowerExt, const char* upperExt) {
    fs::path p = base;
    p.replace_extension(lowerExt);
    if (fs::exists(p)) return p;
    p.replace_extension(upperExt);
    return p;
}

// A real as the DBF will hold it: the shortest fixed-point text that reads back to the same
// double (what full precision means); "" for NaN and infinities, which a DBF cannot hold.
std::string exactFixed(double v) {
    if (!std::isfinite(v)) return "";
    char buf[400];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    return r.ec == std::errc{} ? std::string(buf, r.ptr) : "";
}

constexpr std::size_t kMaxWidth = 254;  // one byte in the DBF header, 255 reserved by some readers

// What one field's values need: text bytes or integer digits (width), or a real's integer
// digits and exact decimals. Refuses a value the DBF cannot hold.
struct FieldNeeds {
    std::size_t width = 1, integerDigits = 1, decimals = 1;
};

FieldNeeds measureField(const VectorLayer& layer, std::size_t i, const Field& field,
                        const std::string& original, const std::string& encoding,
                        const std::string& path) {
    const auto refuse = [&](const Feature& feat, const std::string& why) {
        return InputError(path + ": feature " + std::to_string(feat.fid) + " field '" + original +
                          "': " + why);
    };
    const bool text = field.type == FieldType::String || field.type == FieldType::Date;
    FieldNeeds needs;
    for (const auto& feat : layer.features) {
        const Value& v = feat.values[i];
        if (isNull(v)) continue;
        if (const auto* s = std::get_if<std::string>(&v)) {
            if (!representable(*s, encoding))
                throw refuse(feat,
                             "text cannot be written in " + encoding + " (use --encoding UTF-8)");
            const std::size_t bytes = encodedLength(*s, encoding);
            if (bytes > kMaxWidth)
                throw refuse(feat, "text of " + std::to_string(bytes) +
                                       " bytes does not fit a shapefile (254 at most)");
            needs.width = std::max(needs.width, bytes);
        } else if (const auto* n = std::get_if<std::int64_t>(&v);
                   n && !text && field.type != FieldType::Real) {
            needs.width = std::max(needs.width, std::to_string(*n).size());
        } else if (!text) {
            const double d = n ? static_cast<double>(*n) : toNumber(v).value_or(0.0);
            const std::string fixed = exactFixed(d);
            if (fixed.empty()) throw refuse(feat, "a shapefile cannot hold " + toString(v));
            const auto dot = fixed.find('.');
            needs.integerDigits =
                std::max(needs.integerDigits, dot == std::string::npos ? fixed.size() : dot);
            if (dot != std::string::npos)
                needs.decimals = std::max(needs.decimals, fixed.size() - dot - 1);
            if (needs.integerDigits + 1 + needs.decimals > kMaxWidth)
                throw refuse(
                    feat,
                    toString(v) + " needs more than 254 digits at full precision in a shapefile");
        }
    }
    return needs;
}

}  // namespace

void checkShapefileCounts(const std::string& source, const std::string& layerName, bool folder) {
    const fs::path base = folder ? fs::path(source) / (layerName + ".shp") : fs::path(source);
    const auto shapes = shxRecords(sibling(base, ".shx", ".SHX"));
    const auto records = dbfRecords(sibling(base, ".dbf", ".DBF"));
    if (shapes >= 0 && records >= 0 && shapes != records)
        throw InputError(source + ": layer '" + layerName + "': the .shp holds " +
                         std::to_string(shapes) + " shapes but the .dbf " +
                         std::to_string(records) + " records; the shapefile is damaged");
}

std::vector<Field> shapefileFields(const VectorLayer& layer, const std::string& encoding,
                                   const std::string& path, WriteResult& result) {
    std::vector<std::string> names;
    for (const auto& f : layer.fields) names.push_back(f.name);
    const auto mapping = shortenFieldNames(names, encoding);
    std::vector<Field> fields = layer.fields;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (mapping[i].shortName != mapping[i].original) result.renamedFields.push_back(mapping[i]);
        fields[i].name = mapping[i].shortName;
        const bool text = fields[i].type == FieldType::String || fields[i].type == FieldType::Date;
        const FieldNeeds needs =
            measureField(layer, i, fields[i], mapping[i].original, encoding, path);
        if (text) {
            fields[i].width = static_cast<int>(needs.width);
        } else if (fields[i].type == FieldType::Integer) {
            fields[i].width = static_cast<int>(std::clamp<std::size_t>(needs.width + 1, 10, 20));
        } else {
            // Every real written in full: the widest integer part and the longest exact
            // decimals in the data (at least one, so the field reads back as a real).
            fields[i].width = static_cast<int>(needs.integerDigits + 1 + needs.decimals);
            fields[i].precision = static_cast<int>(needs.decimals);
        }
    }
    return fields;
}

}  // namespace onemap::gis::detail
