#include "onemap/core/report/plan_info_json.hpp"

#include <nlohmann/json.hpp>

#include "onemap/gis/crs/crs.hpp"

namespace onemap::core {
namespace {

using Json = nlohmann::ordered_json;

Json envelopeJson(const gis::Envelope& e) {
    if (e.isEmpty()) return nullptr;  // a table, or no feature
    return Json::array({e.minx, e.miny, e.maxx, e.maxy});
}

Json paramJson(const ParamValue& v) {
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    if (const auto* b = std::get_if<bool>(&v)) return *b;
    Json out = Json::object();
    for (const auto& [k, val] : std::get<std::map<std::string, std::string>>(v)) out[k] = val;
    return out;
}

Json styleJson(const LayerStyle& s) {
    Json j;
    j["fill"] = s.fill;
    j["stroke"] = s.stroke;
    j["stroke_width"] = s.strokeWidth < 0 ? Json(nullptr) : Json(s.strokeWidth);
    j["opacity"] = s.opacity;
    j["dash"] = s.dash;
    j["hatch"] = s.hatch;
    j["point_size"] = s.pointSize < 0 ? Json(nullptr) : Json(s.pointSize);
    return j;
}

}  // namespace

std::string planInfoJson(const OneMap& map, const std::string& version) {
    const Plan& plan = map.plan();
    const gis::CoordinateTransform toWgs84(plan.crs, gis::Crs::fromEpsg(4326));
    const auto lonLat = [&toWgs84](const gis::Envelope& e) {
        return e.isEmpty() ? Json(nullptr) : envelopeJson(toWgs84.apply(e));
    };
    Json root;
    root["plan"] = plan.name;
    root["onemap"] = version;
    root["crs"] = plan.crs.label();
    root["crs_name"] = plan.crs.name();
    root["as_of"] = plan.asOf;
    root["extent"] = envelopeJson(map.extent());
    root["extent_wgs84"] = lonLat(map.extent());
    root["layers"] = Json::array();
    for (const auto& l : map.layers()) {
        const LayerSpec& spec = l->spec();
        Json j;
        j["id"] = spec.id;
        j["title"] = spec.title;
        j["geometry"] = l->data().geometryType;
        j["count"] = l->size();
        j["role"] = spec.role;
        j["label"] = spec.label;
        j["visible"] = spec.visible;
        // Only on a layer kept from the public (issue 36): every other plan's info is unchanged.
        if (!spec.isPublic) j["public"] = false;
        j["source_crs"] = l->sourceCrs();
        j["extent"] = envelopeJson(l->extent());
        j["extent_wgs84"] = lonLat(l->extent());
        j["versions"] = Json::array();
        for (const auto& v : spec.versions)
            j["versions"].push_back(
                {{"from", v.from},
                 {"doc", v.doc},
                 {"in_force", spec.inForce.has_value() && spec.inForce->from == v.from}});
        if (!spec.dateField.empty()) j["date_field"] = spec.dateField;
        j["style"] = styleJson(spec.style);
        root["layers"].push_back(std::move(j));
    }
    root["rules"] = Json::array();
    for (const auto& r : plan.rules) {
        Json j;
        j["id"] = r.id;
        j["kind"] = r.kind;
        j["severity"] = toString(r.severity);
        j["title"] = r.title;
        j["parameters"] = Json::object();
        for (const auto& [k, v] : r.params) j["parameters"][k] = paramJson(v);
        root["rules"].push_back(std::move(j));
    }
    root["notes"] = plan.notes;
    root["warnings"] = map.warnings().size();
    return root.dump(2) + "\n";
}

}  // namespace onemap::core
