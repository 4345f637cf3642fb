#include "onemap/gis/cad_sites.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "onemap/gis/error.hpp"
#include "onemap/gis/shapefile.hpp"
#include "onemap/gis/vector_io.hpp"
#include "thread_config.hpp"

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

}  // namespace

VectorLayer readDrawing(const std::string& source) {
    std::ifstream in(source, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    const std::string text = buf.str();
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
    }
    if (encoding.empty()) return readLayer(source);
    const detail::ThreadConfig config("DXF_ENCODING", encoding.c_str());
    VectorLayer d = readLayer(source);
    d.encoding = encoding;
    d.notes.push_back("text read as " + std::string(encoding == "CP936" ? "GBK" : encoding) + ": " +
                      why);
    return d;
}

VectorLayer cadSites(const VectorLayer& d, const std::string& source, const std::string& cadLayer) {
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
