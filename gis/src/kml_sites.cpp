#include "onemap/gis/kml_sites.hpp"

#include <cpl_string.h>
#include <cpl_vsi.h>

#include <algorithm>
#include <filesystem>

#include "onemap/gis/error.hpp"

namespace onemap::gis {
namespace {

// Enough of any KML a person drew; markers sit in the document's head or in descriptions.
constexpr std::size_t kMaxKmlBytes = 64u << 20;

std::string lowerAscii(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string readVsi(const std::string& path) {
    std::string out;
    VSILFILE* f = VSIFOpenL(path.c_str(), "rb");
    if (!f) return out;
    char buf[65536];
    std::size_t n = 0;
    while (out.size() < kMaxKmlBytes && (n = VSIFReadL(buf, 1, sizeof buf, f)) > 0)
        out.append(buf, n);
    VSIFCloseL(f);
    return out;
}

// The KML text of a .kml, or of every .kml inside a .kmz (a zip: GDAL's writer puts the
// placemarks in layers/*.kml beside doc.kml).
std::string kmlText(const std::string& source, bool zipped) {
    if (!zipped) return readVsi(source);
    const std::string root = "/vsizip/" + source;
    char** entries = VSIReadDirRecursive(root.c_str());
    std::string text;
    for (char** e = entries; e && *e && text.size() < kMaxKmlBytes; ++e) {
        const std::string name = *e;
        if (name.size() > 4 && lowerAscii(name.substr(name.size() - 4)) == ".kml")
            text += readVsi(root + "/" + name);
    }
    CSLDestroy(entries);
    return text;
}

bool hasAny(const std::string& haystack, std::initializer_list<const char*> needles) {
    return std::any_of(needles.begin(), needles.end(),
                       [&](const char* n) { return haystack.find(n) != std::string::npos; });
}

}  // namespace

bool isKmlFile(const std::string& path) {
    const std::string e = lowerAscii(std::filesystem::path(path).extension().string());
    return e == ".kml" || e == ".kmz" || e == ".ovkml" || e == ".ovkmz";
}

KmlOrigin kmlOrigin(const std::string& source) {
    const std::string ext = lowerAscii(std::filesystem::path(source).extension().string());
    if (ext == ".ovkml" || ext == ".ovkmz")
        return {"gcj02", "the " + ext +
                             " extension is Ovital Map's (奥维互动地图 9.3 and later), which "
                             "exports in GCJ-02"};
    const std::string text = lowerAscii(kmlText(source, ext == ".kmz"));
    if (hasAny(text, {"gcj-02", "gcj02", "gcj_02", "gcj 02", "火星坐标"}))
        return {"gcj02", "the file mentions GCJ-02"};
    if (hasAny(text, {"bd-09", "bd09", "bd_09", "百度坐标"}))
        return {"bd09", "the file mentions BD-09 (Baidu)"};
    // "奥维" in UTF-8 and in GBK (B0C2 CEAC): the app's name, in a KML written either way.
    const bool ovital = hasAny(text, {"ovital", "奥维", "\xb0\xc2\xce\xac"});
    const bool saysWgs84 = hasAny(text, {"wgs84", "wgs-84", "wgs 84", "wgs_84"});
    if (ovital && !saysWgs84)
        return {"gcj02",
                "the file names Ovital Map (奥维) and does not say WGS84; Ovital 9.3 and later "
                "export GCJ-02"};
    return {};
}

VectorLayer kmlPolygons(VectorLayer layer, const std::string& source) {
    std::vector<Feature> kept;
    std::vector<std::string> left;
    const auto nameField = layer.fieldIndex("Name") ? std::string("Name") : std::string("name");
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        Feature& f = layer.features[i];
        if (f.geometry.kind() == GeometryKind::Polygon) {
            kept.push_back(std::move(f));
            continue;
        }
        const std::string name = toString(layer.value(i, nameField));
        left.push_back((name.empty() ? "feature " + std::to_string(f.fid) : "'" + name + "'") +
                       " (" + (f.geometry.isEmpty() ? "no geometry" : f.geometry.typeName()) + ")");
    }
    if (kept.empty())
        throw InputError(source + ": layer '" + layer.name +
                         "' holds no polygon placemark; sites must be areas");
    if (!left.empty()) {
        std::string names;
        for (std::size_t i = 0; i < left.size() && i < 5; ++i) names += (i ? ", " : "") + left[i];
        if (left.size() > 5) names += ", …";
        layer.notes.push_back(std::to_string(left.size()) +
                              " placemark(s) that are not polygons left out: " + names);
    }
    layer.features = std::move(kept);
    return layer;
}

}  // namespace onemap::gis
