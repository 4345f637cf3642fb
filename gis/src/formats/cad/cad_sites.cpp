#include "onemap/gis/formats/cad/cad_sites.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include "layer/thread_config.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/base/expansion_limits.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/text/text_encoding.hpp"
#include "text/declared_encoding.hpp"

namespace onemap::gis {
namespace {

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

// What AutoCAD calls the entity, from the subclass markers GDAL keeps ("AcDbEntity:AcDbHatch").
std::string entityName(const std::string& subClasses, GeometryKind kind) {
    if (subClasses.find("AcDbHatch") != std::string::npos) return "HATCH";
    if (subClasses.find("AcDbPolyline") != std::string::npos) return "LWPOLYLINE";
    if (subClasses.find("AcDb2dPolyline") != std::string::npos ||
        subClasses.find("AcDb3dPolyline") != std::string::npos)
        return "POLYLINE";
    if (subClasses.find("AcDbLine") != std::string::npos) return "LINE";
    if (subClasses.find("AcDbMText") != std::string::npos) return "MTEXT";
    if (subClasses.find("AcDbText") != std::string::npos) return "TEXT";
    switch (kind) {
        case GeometryKind::Line:
            return "polyline";
        case GeometryKind::Polygon:
            return "area";
        case GeometryKind::Point:
            return "point or text";
        default:
            return "entity";
    }
}

struct Candidate {
    std::size_t feature = 0;
    Geometry polygon;
    std::string entity;
    bool fromLine = false;
    std::string name;
    int texts = 0;
};

// The value after a header variable ("$ACADVER" → "AC1021"), "" when absent. Group codes
// and values alternate line by line: name, group code, value.
std::string headerValue(const std::string& text, const std::string& variable) {
    std::istringstream in(text);
    std::string line;
    bool found = false;
    int after = 0;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const auto b = line.find_first_not_of(' ');
        const std::string t = b == std::string::npos ? "" : line.substr(b);
        if (found && ++after == 2) return t;
        if (t == variable) found = true;
        if (t == "ENDSEC") break;  // the header holds no such variable
    }
    return "";
}

// Site drawings are small; a whole topographic map is rarely over a few hundred MB. GDAL
// holds the entities in memory too, so this bounds what one check can take.
constexpr std::size_t kMaxDxfBytes = 512u << 20;

std::string_view trimmed(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r'))
        v.remove_suffix(1);
    return v;
}

// A decimal number as DXF writes it. GDAL reads anything else ("abc", "1,5") as 0 without a
// word, which moves a vertex to the origin; nan/inf/hex are no coordinates either.
bool isDxfNumber(std::string_view v, bool integer) {
    std::size_t i = 0, digits = 0;
    if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i, ++digits;
    if (!integer && i < v.size() && v[i] == '.') {
        ++i;
        while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i, ++digits;
    }
    if (digits == 0) return false;
    if (!integer && i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
        ++i;
        if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
        std::size_t e = 0;
        while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i, ++e;
        if (e == 0) return false;
    }
    return i == v.size();
}

// Group codes whose values are numbers (DXF reference, "Group code value types").
enum class Numeric { No, Real, Integer };
Numeric numericCode(long c) {
    if ((c >= 10 && c <= 59) || (c >= 110 && c <= 149) || (c >= 210 && c <= 239))
        return Numeric::Real;
    if ((c >= 60 && c <= 99) || (c >= 170 && c <= 179) || (c >= 270 && c <= 289))
        return Numeric::Integer;
    return Numeric::No;
}

std::string shown(std::string_view v) {
    std::string s(v.substr(0, 40));
    if (v.size() > 40) s += "…";
    return s;
}

// Walks the ENTITIES section of an ASCII DXF, pair by pair (group code line, value line),
// refusing a number that is not one (naming the line and the entity) and listing the block
// references (INSERT), which GDAL explodes into plain entities carrying the INSERT's handle.
std::vector<BlockReference> scanEntities(const std::string& text, const std::string& source) {
    std::vector<BlockReference> inserts;
    if (text.rfind("AutoCAD Binary DXF", 0) == 0) return inserts;  // GDAL checks those itself
    std::size_t pos = 0, line = 0;
    const auto next = [&](std::string_view& out) {
        if (pos >= text.size()) return false;
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        out = std::string_view(text).substr(pos, end - pos);
        pos = end + 1;
        ++line;
        return true;
    };
    bool inEntities = false, inBlocks = false, sectionName = false;
    std::string entity, handle, layer, block;
    // Vertices GDAL will make: each x coordinate of an entity, and a block's for every INSERT
    // of it (GDAL explodes block references), bounded like any file of boundary points.
    std::map<std::string, std::uint64_t, std::less<>> blockVertices;
    std::string currentBlock;
    std::uint64_t vertices = 0;
    const auto countVertices = [&](std::uint64_t n) {
        vertices += n;
        if (vertices > limits::kMaxPointsPerFile)
            throw InputError(
                source + ":" + std::to_string(line) + ": more than " +
                std::to_string(limits::kMaxPointsPerFile) +
                " vertices (block references counted, nested too), the limit for a file of "
                "sites — refused; keep only the boundary layer (WBLOCK)");
    };
    std::size_t entityLine = 0;
    BlockReference* insert = nullptr;
    std::string_view codeText, value;
    while (next(codeText) && next(value)) {
        const std::string_view c = trimmed(codeText);
        char* end = nullptr;
        const std::string cs(c);
        const long code = std::strtol(cs.c_str(), &end, 10);
        if (cs.empty() || *end != '\0')
            throw InputError(source + ":" + std::to_string(line - 1) + ": '" + shown(c) +
                             "' is not a DXF group code (a damaged or hand-edited drawing)");
        const std::string_view v = trimmed(value);
        if (code == 0) {
            if (v == "SECTION") sectionName = true;
            if (v == "ENDSEC") inEntities = false;
            entity = v;
            handle.clear();
            entityLine = line;
            insert = nullptr;
            if (inEntities && v == "INSERT") {
                inserts.push_back({"", "", "", line});
                insert = &inserts.back();
            }
            continue;
        }
        if (code == 2 && sectionName) {
            inEntities = v == "ENTITIES";
            inBlocks = v == "BLOCKS";
            sectionName = false;
            continue;
        }
        if (inBlocks) {
            if (code == 2 && entity == "BLOCK") currentBlock = v;
            if (code == 10) ++blockVertices[currentBlock];
            if (code == 2 && entity == "INSERT") {  // a block drawn inside another
                const auto it = blockVertices.find(v);
                if (it != blockVertices.end())  // saturated: nesting multiplies
                    blockVertices[currentBlock] = std::min<std::uint64_t>(
                        blockVertices[currentBlock] + it->second, limits::kMaxPointsPerFile + 1);
            }
        }
        if (!inEntities) continue;
        if (code == 10) countVertices(1);
        if (insert && code == 2) {
            const auto it = blockVertices.find(v);
            if (it != blockVertices.end()) countVertices(it->second);
        }
        if (code == 5) handle = v;
        if (insert) {
            if (code == 5) insert->handle = v;
            if (code == 8) insert->layer = v;
            if (code == 2) insert->block = v;
        }
        const Numeric kind = numericCode(code);
        if (kind != Numeric::No && !isDxfNumber(v, kind == Numeric::Integer)) {
            const char* what = code >= 10 && code <= 18   ? " (an x coordinate)"
                               : code >= 20 && code <= 28 ? " (a y coordinate)"
                               : code >= 30 && code <= 38 ? " (a z coordinate)"
                                                          : "";
            throw InputError(source + ":" + std::to_string(line) + ": " +
                             (handle.empty() ? "the " + entity + " starting at line " +
                                                   std::to_string(entityLine)
                                             : "entity " + handle + " (" + entity + ")") +
                             " has group code " + std::to_string(code) + what + " '" + shown(v) +
                             "', which is not a number");
        }
    }
    return inserts;
}

}  // namespace

Drawing readDrawing(const std::string& source) {
    // A FIFO would block forever and /dev/zero never ends: look before reading a byte.
    const std::uint64_t size = regularFileSize(source);
    if (size > kMaxDxfBytes)
        throw InputError(source + ": over " + std::to_string(kMaxDxfBytes >> 20) +
                         " MB; too large for a drawing of sites (purge it, or keep only the "
                         "boundary layer: WBLOCK)");
    std::ifstream in(source, std::ios::binary);
    if (!in) throw InputError(source + ": cannot be read");
    // One byte more than stat said, to see a file that grew while we looked.
    std::string text(static_cast<std::size_t>(size) + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > static_cast<std::size_t>(size))
        throw InputError(source + ": over " + std::to_string(kMaxDxfBytes >> 20) +
                         " MB (it grew while being read)");
    // A text DXF holds no NUL byte; GDAL 3.6's DXF reader loops forever on one (found by
    // fuzz_sites). A binary DXF starts with its sentinel and is GDAL's to check.
    if (text.rfind("AutoCAD Binary DXF", 0) != 0) {
        if (const auto nul = text.find('\0'); nul != std::string::npos) {
            const auto line = 1 + std::count(text.begin(), text.begin() + nul, '\n');
            throw InputError(source + ":" + std::to_string(line) +
                             ": a NUL byte in a text DXF (a damaged or binary file; a binary "
                             "DXF starts with 'AutoCAD Binary DXF')");
        }
    }
    Drawing drawing;
    drawing.inserts = scanEntities(text, source);
    const std::string version = headerValue(text, "$ACADVER");
    const std::string codepage = headerValue(text, "$DWGCODEPAGE");
    std::string encoding, why;
    if (version.size() == 6 && version.rfind("AC", 0) == 0 && version.substr(2) >= "1021") {
        encoding = "UTF-8";
        why = "AutoCAD 2007 and later (" + version + ") write DXF in UTF-8";
    } else if (codepage.empty()) {
        encoding = isValidUtf8(text) ? "UTF-8" : "CP936";
        why = "the drawing names no code page and its bytes " +
              std::string(encoding == "UTF-8" ? "are" : "are not") + " UTF-8";
    } else if (text::isUtf8Despite(text, codepage)) {
        // A converter that wrote UTF-8 and kept the code page: GDAL would garble the names.
        encoding = "UTF-8";
        why = "$DWGCODEPAGE says " + codepage + " but the bytes are UTF-8 (Chinese text read " +
              "as UTF-8, garbled read as the code page)";
    }
    text.clear();
    text.shrink_to_fit();
    if (encoding.empty()) {
        drawing.entities = readLayer(source);
        return drawing;
    }
    const detail::ThreadConfig config("DXF_ENCODING", encoding.c_str());
    VectorLayer d = readLayer(source);
    d.encoding = encoding;
    d.notes.push_back("text read as " + std::string(encoding == "CP936" ? "GBK" : encoding) + ": " +
                      why);
    drawing.entities = std::move(d);
    return drawing;
}

VectorLayer cadSites(const Drawing& drawing, const std::string& source,
                     const std::string& cadLayer) {
    const VectorLayer& d = drawing.entities;
    std::map<std::string, const BlockReference*> insertByHandle;
    const BlockReference* unhandledInsert = nullptr;
    for (const auto& r : drawing.inserts) {
        if (r.handle.empty()) {
            if (!unhandledInsert) unhandledInsert = &r;
        } else {
            insertByHandle[r.handle] = &r;
        }
    }
    const auto text = [&](std::size_t i, const char* field) { return toString(d.value(i, field)); };
    const auto handleOf = [&](std::size_t i) {
        const std::string h = text(i, "EntityHandle");
        return h.empty() ? "feature " + std::to_string(d.features[i].fid) : "entity " + h;
    };

    // Which CAD layers draw lines or areas: those are where site boundaries can be.
    std::map<std::string, std::size_t> boundaryLayers;
    std::set<std::string> allLayers;
    for (std::size_t i = 0; i < d.features.size(); ++i) {
        const std::string layer = text(i, "Layer");
        allLayers.insert(layer);
        const GeometryKind k = d.features[i].geometry.kind();
        if (k == GeometryKind::Line || k == GeometryKind::Polygon || k == GeometryKind::Collection)
            ++boundaryLayers[layer];
    }
    const auto listed = [](const std::map<std::string, std::size_t>& m) {
        std::string s;
        for (const auto& [name, n] : m)
            s += (s.empty() ? "'" : ", '") + name + "' (" + std::to_string(n) + ")";
        return s;
    };
    std::string chosen = cadLayer;
    if (chosen.empty()) {
        if (boundaryLayers.empty())
            throw InputError(source + ": the drawing holds no polyline or hatch to read as a site");
        if (boundaryLayers.size() > 1)
            throw InputError(source + ": lines or areas on CAD layers " + listed(boundaryLayers) +
                             "; choose the layer of the site boundaries with --layer");
        chosen = boundaryLayers.begin()->first;
    } else if (!allLayers.count(chosen)) {
        std::string names;
        for (const auto& n : allLayers) names += (names.empty() ? "'" : ", '") + n + "'";
        throw InputError(source + ": has no CAD layer '" + chosen + "' (its layers: " + names +
                         ")");
    } else if (!boundaryLayers.count(chosen)) {
        throw InputError(source + ": CAD layer '" + chosen + "' holds no polyline or hatch");
    }

    std::vector<Candidate> sites;
    std::vector<std::pair<Point, std::string>> texts;
    std::size_t otherLayers = 0, points = 0;
    for (std::size_t i = 0; i < d.features.size(); ++i) {
        if (text(i, "Layer") != chosen) {
            ++otherLayers;
            continue;
        }
        const Geometry& g = d.features[i].geometry;
        const std::string entity = entityName(text(i, "SubClasses"), g.kind());
        const std::string who =
            source + ": " + handleOf(i) + " (" + entity + ") on CAD layer '" + chosen + "'";
        // GDAL explodes a block reference into entities carrying the INSERT's handle; its
        // lines are the block's, placed by scale and rotation: no boundary a surveyor drew.
        // (Without handles, exploded entities cannot be told from drawn ones.)
        const bool boundary = g.kind() == GeometryKind::Line || g.kind() == GeometryKind::Polygon ||
                              g.kind() == GeometryKind::Collection;
        const std::string h = text(i, "EntityHandle");
        const BlockReference* ref = nullptr;
        if (boundary && !h.empty() && insertByHandle.count(h)) ref = insertByHandle.at(h);
        if (boundary && h.empty() && unhandledInsert) ref = unhandledInsert;
        if (ref)
            throw InputError(source + ":" + std::to_string(ref->line) + ": " +
                             (ref->handle.empty() ? "a block reference" : "entity " + ref->handle) +
                             " (INSERT of block '" +
                             // As written: in a GBK drawing the raw name would garble the line.
                             (isValidUtf8(ref->block) ? ref->block : std::string("?")) +
                             "') draws lines on CAD layer '" + chosen +
                             "'; a block reference is not read as a site boundary: explode it "
                             "(EXPLODE) so each boundary is a closed polyline");
        switch (g.kind()) {
            case GeometryKind::Empty:
            case GeometryKind::Point: {
                ++points;
                const std::string label = text(i, "Text");
                if (!label.empty() && !g.isEmpty()) texts.emplace_back(g.pointOnSurface(), label);
                break;
            }
            case GeometryKind::Line: {
                const auto paths = g.paths();
                if (paths.size() != 1)
                    throw InputError(who + ": is made of " + std::to_string(paths.size()) +
                                     " separate lines; draw the boundary as one closed polyline");
                const auto& p = paths.front();
                const Point a = p.front(), b = p.back();
                if (p.size() < 2 || a.x != b.x || a.y != b.y)
                    throw InputError(
                        who + ": is open (starts at " + number(a.x) + ", " + number(a.y) +
                        ", ends at " + number(b.x) + ", " + number(b.y) + ", " +
                        number(std::hypot(b.x - a.x, b.y - a.y)) +
                        " apart); a site boundary must be a closed polyline (PEDIT Close, JOIN)");
                std::set<std::pair<double, double>> distinct;
                for (const auto& q : p) distinct.insert({q.x, q.y});
                if (distinct.size() < 3)
                    throw InputError(who + ": encloses no area (" +
                                     std::to_string(distinct.size()) + " distinct vertices)");
                sites.push_back({i, Geometry::polygon({p}), entity, true, "", 0});
                break;
            }
            case GeometryKind::Polygon:
                sites.push_back({i, g, entity, false, "", 0});
                break;
            case GeometryKind::Collection:
                throw InputError(who + ": is a block reference or a mix of shapes (" +
                                 g.typeName() +
                                 "); explode it (EXPLODE) so the boundary is a closed polyline");
        }
    }

    // A hatch filling a closed polyline is the same site drawn twice: keep the polyline.
    std::vector<std::string> notes;
    std::vector<Candidate> kept;
    for (const auto& c : sites) {
        bool duplicate = false;
        if (!c.fromLine) {
            for (const auto& other : sites) {
                if (!other.fromLine) continue;
                const double a = other.polygon.area();
                const double diff = c.polygon.difference(other.polygon).area() +
                                    other.polygon.difference(c.polygon).area();
                if (diff <= 1e-9 * a) {
                    notes.push_back(handleOf(c.feature) + " (" + c.entity + ") fills " +
                                    handleOf(other.feature) + "'s boundary; counted once");
                    duplicate = true;
                    break;
                }
            }
        }
        if (!duplicate) kept.push_back(c);
    }
    // A text inside exactly one boundary, alone there, names that site.
    for (const auto& [at, label] : texts) {
        const Geometry pt = Geometry::point(at.x, at.y);
        Candidate* in = nullptr;
        int n = 0;
        for (auto& c : kept)
            if (c.polygon.covers(pt)) {
                in = &c;
                ++n;
            }
        if (n == 1) {
            ++in->texts;
            in->name = label;
        }
    }

    VectorLayer out;
    out.name = chosen;
    out.geometryType = "Polygon";
    out.encoding = d.encoding;
    out.fields = {{"id", FieldType::String, 0, 0},
                  {"name", FieldType::String, 0, 0},
                  {"cad_layer", FieldType::String, 0, 0},
                  {"entity", FieldType::String, 0, 0}};
    std::size_t fromLines = 0;
    for (const auto& c : kept) {
        Feature f;
        f.fid = d.features[c.feature].fid;
        const std::string h = text(c.feature, "EntityHandle");
        f.values = {h.empty() ? Value{std::to_string(f.fid)} : Value{h},
                    c.texts == 1 ? Value{c.name} : Value{}, Value{chosen}, Value{c.entity}};
        f.geometry = c.polygon;
        out.features.push_back(std::move(f));
        if (c.fromLine) ++fromLines;
    }
    std::string said = "CAD layer '" + chosen + "': " + std::to_string(fromLines) +
                       " closed polyline(s) and " + std::to_string(kept.size() - fromLines) +
                       " hatch area(s) read as sites";
    if (points) said += "; " + std::to_string(points) + " text(s) or point(s) are not sites";
    if (otherLayers)
        said += "; " + std::to_string(otherLayers) + " entities on other CAD layers left out";
    notes.insert(notes.begin(), said);
    out.notes = d.notes;  // how the text was read
    out.notes.insert(out.notes.end(), notes.begin(), notes.end());
    return out;
}

}  // namespace onemap::gis
