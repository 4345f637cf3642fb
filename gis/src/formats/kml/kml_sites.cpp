#include "onemap/gis/formats/kml/kml_sites.hpp"

#include <cpl_string.h>
#include <cpl_vsi.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>

#include "layer/thread_config.hpp"
#include "onemap/gis/base/ascii.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/base/expansion_limits.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/text/text_encoding.hpp"
#include "text/declared_encoding.hpp"

namespace onemap::gis {
namespace {

// Enough of any KML a person drew; markers sit in the document's head or in descriptions.
constexpr std::size_t kMaxKmlBytes = 64u << 20;

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
        if (name.size() > 4 && asciiLower(name.substr(name.size() - 4)) == ".kml")
            text += readVsi(root + "/" + name);
    }
    CSLDestroy(entries);
    return text;
}

bool hasAny(const std::string& haystack, std::initializer_list<const char*> needles) {
    return std::any_of(needles.begin(), needles.end(),
                       [&](const char* n) { return haystack.find(n) != std::string::npos; });
}

// A file GDAL cannot open as it stands (a .ovkmz, a GBK KML) is handed to it from memory.
constexpr std::size_t kMaxCopyBytes = 256u << 20;

std::string replaceAll(std::string s, const std::string& from, const std::string& to) {
    if (from.empty()) return s;
    for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size())
        s.replace(at, from.size(), to);
    return s;
}

// The file's bytes, after refusing what is not a regular file (a FIFO would block).
std::string readWhole(const std::string& source, std::uint64_t size) {
    std::ifstream in(source, std::ios::binary);
    if (!in) throw InputError(source + ": cannot be read");
    std::string bytes(static_cast<std::size_t>(size) + 1, '\0');  // +1: sees a file growing
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    return bytes;
}

// A KML as GDAL's LIBKML driver will read it: the file itself, or an in-memory copy —
// a .ovkmz under a .kmz name (LIBKML picks KMZ by extension only), a KML declared in
// GBK/GB2312/GB18030 recoded to UTF-8 (expat knows no Chinese encodings). Removed after.
class KmlTarget {
  public:
    explicit KmlTarget(const std::string& source) : path_(source) {
        const std::uint64_t size = regularFileSize(source);
        const std::string ext = lowerExtension(source);
        const std::string stem = std::filesystem::path(source).stem().string();
        static std::atomic<unsigned> counter{0};
        const std::string dir = "/vsimem/onemap-kml-" + std::to_string(++counter);
        if (size > kMaxCopyBytes && (ext == ".ovkmz" || ext == ".ovkml" || ext == ".kml"))
            return;  // too big to copy: GDAL reads it as it is (and says what it cannot)
        if (ext == ".ovkmz") {
            zipped_ = true;
            adopt(dir + "/" + stem + ".kmz", readWhole(source, size));
            return;
        }
        if (ext != ".kml" && ext != ".ovkml") {
            zipped_ = ext == ".kmz";
            return;
        }
        std::string head(512, '\0');
        {
            std::ifstream in(source, std::ios::binary);
            in.read(head.data(), static_cast<std::streamsize>(head.size()));
            head.resize(static_cast<std::size_t>(in.gcount()));
        }
        const std::string declared = declaredEncoding(head);
        if (!text::isGbkName(declared)) return;
        std::string bytes = readWhole(source, size);
        // Saved as UTF-8 under a GBK declaration (an editor kept the header): read as UTF-8.
        const bool utf8Already = text::isUtf8Despite(bytes, declared);
        auto utf8 = utf8Already ? std::optional<std::string>(std::move(bytes)) : gbkToUtf8(bytes);
        if (!utf8)
            throw InputError(source + ": declares encoding \"" + declared +
                             "\" but its bytes are not GBK; save it as UTF-8");
        // The declaration must now say what the bytes are.
        const auto q = utf8->find("encoding=");
        const auto open = q == std::string::npos ? q : utf8->find_first_of("\"'", q);
        const auto close = open == std::string::npos ? open : utf8->find((*utf8)[open], open + 1);
        if (close != std::string::npos) utf8->replace(open + 1, close - open - 1, "UTF-8");
        note_ = utf8Already ? "the KML declares encoding \"" + declared +
                                  "\" but its bytes are UTF-8 (Chinese text read as UTF-8, "
                                  "garbled read as GBK); read as UTF-8"
                            : "the KML declares GBK; recoded to UTF-8 to read it";
        adopt(dir + "/" + stem + ".kml", std::move(*utf8));
    }
    ~KmlTarget() {
        if (!memory_.empty()) VSIUnlink(memory_.c_str());
    }
    KmlTarget(const KmlTarget&) = delete;
    KmlTarget& operator=(const KmlTarget&) = delete;

    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] bool zipped() const { return zipped_; }
    /// How the text was decoded when the file declares a Chinese encoding; else "".
    [[nodiscard]] const std::string& encodingNote() const { return note_; }

  private:
    // encoding="…" of the XML declaration, lower case; "" when none.
    static std::string declaredEncoding(const std::string& head) {
        if (head.rfind("<?xml", 0) != 0) return "";
        const auto end = head.find("?>");
        const std::string decl = asciiLower(head.substr(0, end));
        const auto q = decl.find("encoding=");
        if (q == std::string::npos || q + 10 > decl.size()) return "";
        const char quote = decl[q + 9];
        const auto close = decl.find(quote, q + 10);
        if (close == std::string::npos) return "";
        return decl.substr(q + 10, close - q - 10);
    }
    void adopt(const std::string& path, std::string bytes) {
        if (bytes.size() > kMaxCopyBytes) return;  // grew: GDAL reads the file itself
        bytes_ = std::move(bytes);
        VSIFCloseL(VSIFileFromMemBuffer(path.c_str(), reinterpret_cast<GByte*>(bytes_.data()),
                                        static_cast<vsi_l_offset>(bytes_.size()), FALSE));
        memory_ = path_ = path;
    }

    std::string path_;
    std::string memory_;
    std::string bytes_;  // owned here: the /vsimem/ file points into it
    bool zipped_ = false;
    std::string note_;
};

// The names of <Data name="…"> and <SimpleData name="…"> in the text, entities decoded.
std::set<std::string> extendedDataNames(const std::string& text) {
    std::set<std::string> names;
    for (const char* tag : {"<Data name=", "<SimpleData name="}) {
        const std::string t = tag;
        for (auto at = text.find(t); at != std::string::npos; at = text.find(t, at + 1)) {
            const std::size_t open = at + t.size();
            if (open >= text.size() || (text[open] != '"' && text[open] != '\'')) continue;
            const auto close = text.find(text[open], open + 1);
            if (close == std::string::npos) break;
            std::string n = text.substr(open + 1, close - open - 1);
            n = replaceAll(n, "&lt;", "<");
            n = replaceAll(n, "&gt;", ">");
            n = replaceAll(n, "&quot;", "\"");
            n = replaceAll(n, "&apos;", "'");
            n = replaceAll(n, "&amp;", "&");
            names.insert(n);
        }
    }
    return names;
}

}  // namespace

bool isKmlFile(const std::string& path) {
    const std::string e = lowerExtension(path);
    return e == ".kml" || e == ".kmz" || e == ".ovkml" || e == ".ovkmz";
}

KmlOrigin kmlOrigin(const std::string& source) {
    const std::string ext = lowerExtension(source);
    if (ext == ".ovkml" || ext == ".ovkmz")
        return {"gcj02", "the " + ext +
                             " extension is Ovital Map's (奥维互动地图 9.3 and later), which "
                             "exports in GCJ-02"};
    const std::string text = asciiLower(kmlText(source, ext == ".kmz"));
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

namespace onemap::gis {

VectorLayer readKmlSites(const std::string& source, const std::string& table,
                         std::vector<std::string>& fileNotes) {
    // Before a GBK KML is copied and recoded, or an .ovkmz copied: the text and zip limits.
    limits::checkBeforeOpening(source);
    const KmlTarget target(source);
    // LIBKML launders field names to ASCII by default: 用途 became ______, and 面积 (as many
    // bytes) collided with it and was dropped. Kept as written, for this thread and read.
    const detail::ThreadConfig keepNames("LIBKML_LAUNDER_FIELD_NAMES", "NO");
    const auto ours = [&](const std::string& message) {
        return target.path() == source ? message : replaceAll(message, target.path(), source);
    };
    VectorLayer layer;
    std::vector<std::string> names;
    try {
        names = listLayers(target.path());
        if (table.empty() && names.size() > 1) {
            std::string list;
            for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
            throw InputError(source + ": holds layers " + list + "; choose one with --layer");
        }
        layer = readLayer(target.path(), ReadOptions::forTable(table));
    } catch (const InputError& e) {
        throw InputError(ours(e.what()));
    }
    for (auto& n : layer.notes) n = ours(n);
    if (!target.encodingNote().empty()) fileNotes.push_back(target.encodingNote());
    // Nothing lost: with one layer, every ExtendedData name in the text is one of its fields.
    if (names.size() == 1) {
        for (const auto& n : extendedDataNames(kmlText(target.path(), target.zipped())))
            if (!layer.fieldIndex(n))
                throw InputError(source + ": ExtendedData field '" + n +
                                 "' was not read as a field (a name clashing with a KML "
                                 "element such as Name or description?); rename it");
    }
    if (!layer.features.empty()) {
        // kmlPolygons' notes are about the file; the reader's (text decoded) stay with it.
        const std::size_t before = layer.notes.size();
        layer = kmlPolygons(std::move(layer), source);
        fileNotes.insert(fileNotes.end(), layer.notes.begin() + static_cast<std::ptrdiff_t>(before),
                         layer.notes.end());
        layer.notes.resize(before);
    }
    return layer;
}

}  // namespace onemap::gis
