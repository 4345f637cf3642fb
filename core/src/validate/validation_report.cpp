#include "onemap/core/validate/validation_report.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

#include "onemap/core/check/number_format.hpp"
#include "onemap/gis/crs/area_units.hpp"

namespace onemap::core {
namespace {

using Json = nlohmann::ordered_json;

// The words validate adds, Chinese first with English alongside (for the shared phrase table).
struct Words {
    const char* consistency = "三线冲突检测 Cross-layer consistency";
    const char* area = "面积 Area";
    const char* conflicts = "处冲突 conflict(s)";
    const char* noConflict = "无冲突 no conflict";
    const char* outside = "(不在任何要素内 outside every feature)";
    const char* table = "表 table (no geometry)";
};
const Words kWords;

// At most this many conflicts of one entry are listed as text; JSON and --conflicts hold all.
constexpr std::size_t kListed = 50;

void list(std::ostream& out, const char* heading, const std::vector<std::string>& items) {
    if (items.empty()) return;
    out << "    " << heading << ": " << items.size() << "\n";
    for (std::size_t i = 0; i < items.size() && i < 20; ++i) out << "      " << items[i] << "\n";
    if (items.size() > 20) out << "      … " << items.size() - 20 << " more\n";
}

std::string pad(const std::string& s, std::size_t width, bool right = false) {
    const std::size_t w = displayWidth(s);
    const std::string fill(w < width ? width - w : 0, ' ');
    return right ? fill + s : s + fill;
}

std::string versionOf(const LayerValidation& l) {
    if (l.versionFrom.empty()) return "";
    return " version from " + l.versionFrom +
           (l.versionDoc.empty() ? "" : " (" + l.versionDoc + ")");
}

void layerText(std::ostream& out, const LayerValidation& v) {
    out << "layer " << v.layerId << " (" << v.title << ")" << versionOf(v) << ": ";
    if (v.table)
        out << v.features << " records, " << kWords.table;
    else
        out << v.features << " features, CRS " << v.crs;
    out << ", text " << v.encoding << (v.ok() ? "  — ok" : "  — PROBLEMS") << "\n";
    for (const auto& n : v.notes) out << "    note: " << n << "\n";
    if (!v.crsProblem.empty()) out << "    CRS: " << v.crsProblem << "\n";
    list(out, "fields", v.fieldProblems);
    list(out, "invalid geometries", v.invalid);
    list(out, "empty geometries", v.empty);
    if (!v.overlaps.empty()) {
        out << "    overlapping features: " << v.overlaps.size() << " pairs, double-counted "
            << describeArea(v.doubleCountedM2) << "\n";
        list(out, "pairs", v.overlaps);
    }
}

void conflictTable(std::ostream& out, const ConsistencyResult& r) {
    const std::vector<std::string> head = {r.spec.a + " " + r.aTitle, r.spec.b + " " + r.bTitle,
                                           "m²", "亩", "ha"};
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < r.conflicts.size() && i < kListed; ++i) {
        const auto& c = r.conflicts[i];
        rows.push_back({c.aId, c.bId.empty() ? kWords.outside : c.bId, formatNumber(c.areaM2, 2),
                        formatNumber(gis::toMu(c.areaM2), 2),
                        formatNumber(gis::toHectares(c.areaM2), 4)});
    }
    std::vector<std::size_t> width(head.size());
    for (std::size_t k = 0; k < head.size(); ++k) {
        width[k] = displayWidth(head[k]);
        for (const auto& row : rows) width[k] = std::max(width[k], displayWidth(row[k]));
    }
    const auto line = [&](const std::vector<std::string>& cells) {
        out << "   ";
        for (std::size_t k = 0; k < cells.size(); ++k)
            out << " " << pad(cells[k], width[k], k >= 2);
        out << "\n";
    };
    line(head);
    for (const auto& row : rows) line(row);
    if (r.conflicts.size() > kListed)
        out << "    … " << r.conflicts.size() - kListed
            << " more (all in --format json and --conflicts)\n";
}

void consistencyText(std::ostream& out, const PlanValidation& v) {
    out << kWords.consistency << " on " << v.consistencyAsOf << ":\n";
    for (const auto& r : v.consistency) {
        out << "  " << r.spec.id << " " << r.spec.title << ": " << r.spec.a << " "
            << toString(r.spec.relation) << " " << r.spec.b << " (tolerance "
            << formatNumber(r.spec.toleranceM2, 2) << " m²; " << r.aFeatures << " × " << r.bFeatures
            << " features)";
        if (r.conflicts.empty()) {
            out << " — " << kWords.noConflict << "\n";
            continue;
        }
        out << " — " << r.conflicts.size() << " " << kWords.conflicts << ", "
            << describeArea(r.totalM2()) << "\n";
        conflictTable(out, r);
    }
}

Json areaJson(double m2) {
    Json j;
    j["area_m2"] = roundTo(m2, 2);
    j["area_mu"] = roundTo(gis::toMu(m2), 4);
    j["area_ha"] = roundTo(gis::toHectares(m2), 6);
    return j;
}

}  // namespace

std::string validationText(const PlanValidation& v) {
    std::ostringstream out;
    if (!v.asOf.empty()) out << "layers as they stand on " << v.asOf << "\n";
    for (const auto& l : v.layers) layerText(out, l);
    for (const auto& n : v.notes) out << "! " << n << "\n";
    if (!v.consistency.empty()) consistencyText(out, v);
    const std::size_t bad = v.layersWithProblems(), conflicts = v.conflicts();
    out << (bad ? std::to_string(bad) + " layer(s) with problems" : std::string("all layers ok"));
    if (!v.consistency.empty())
        out << "; "
            << (conflicts ? std::to_string(conflicts) + " " + kWords.conflicts
                          : std::string(kWords.noConflict));
    out << "\n";
    return out.str();
}

std::string validationJson(const PlanValidation& v) {
    Json j;
    j["plan"] = v.planPath;
    j["as_of"] = v.asOf.empty() ? Json(nullptr) : Json(v.asOf);
    j["every_version"] = v.asOf.empty();
    j["layers"] = Json::array();
    for (const auto& l : v.layers) {
        Json o;
        o["id"] = l.layerId;
        o["title"] = l.title;
        o["version_from"] = l.versionFrom.empty() ? Json(nullptr) : Json(l.versionFrom);
        o["version_doc"] = l.versionDoc;
        o["table"] = l.table;
        o["features"] = l.features;
        o["crs"] = l.crs;
        o["encoding"] = l.encoding;
        o["ok"] = l.ok();
        o["crs_problem"] = l.crsProblem;
        o["field_problems"] = l.fieldProblems;
        o["invalid"] = l.invalid;
        o["empty"] = l.empty;
        o["overlaps"] = l.overlaps;
        o["double_counted_m2"] = roundTo(l.doubleCountedM2, 2);
        o["notes"] = l.notes;
        j["layers"].push_back(std::move(o));
    }
    Json c;
    c["as_of"] = v.consistencyAsOf;
    c["checks"] = Json::array();
    for (const auto& r : v.consistency) {
        Json o;
        o["id"] = r.spec.id;
        o["title"] = r.spec.title;
        o["a"] = r.spec.a;
        o["b"] = r.spec.b;
        o["relation"] = toString(r.spec.relation);
        o["tolerance_m2"] = r.spec.toleranceM2;
        o["a_features"] = r.aFeatures;
        o["b_features"] = r.bFeatures;
        o["conflicts"] = Json::array();
        for (const auto& x : r.conflicts) {
            Json e;
            e["a_id"] = x.aId;
            e["b_id"] = x.bId;
            e.update(areaJson(x.areaM2));
            o["conflicts"].push_back(std::move(e));
        }
        o["total"] = areaJson(r.totalM2());
        c["checks"].push_back(std::move(o));
    }
    j["consistency"] = std::move(c);
    j["notes"] = v.notes;
    j["summary"] = {{"layers", v.layers.size()},
                    {"layers_with_problems", v.layersWithProblems()},
                    {"conflicts", v.conflicts()},
                    {"exit", v.exitCode()}};
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

gis::VectorLayer consistencyConflictLayer(const PlanValidation& v, const gis::Crs& crs) {
    gis::VectorLayer layer;
    layer.name = "conflicts";
    layer.crs = crs;
    layer.geometryType = "MultiPolygon";
    using gis::FieldType;
    layer.fields = {{"check", FieldType::String},       {"a_layer", FieldType::String},
                    {"a_id", FieldType::String},        {"b_layer", FieldType::String},
                    {"b_id", FieldType::String},        {"area_m2", FieldType::Real, 0, 2},
                    {"area_mu", FieldType::Real, 0, 4}, {"area_ha", FieldType::Real, 0, 6},
                    {"as_of", FieldType::String}};
    std::int64_t fid = 1;
    for (const auto& r : v.consistency) {
        for (const auto& c : r.conflicts) {
            gis::Feature f;
            f.fid = fid++;
            f.geometry = c.geometry;
            f.values = {r.spec.id,
                        r.spec.a,
                        c.aId,
                        r.spec.b,
                        c.bId,
                        roundTo(c.areaM2, 2),
                        roundTo(gis::toMu(c.areaM2), 4),
                        roundTo(gis::toHectares(c.areaM2), 6),
                        v.consistencyAsOf};
            layer.features.push_back(std::move(f));
        }
    }
    return layer;
}

}  // namespace onemap::core
