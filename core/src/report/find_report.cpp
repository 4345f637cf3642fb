#include "onemap/core/report/find_report.hpp"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "onemap/core/check/coverage_words.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/core/report/json_report.hpp"
#include "onemap/gis/base/ascii.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/formats/guotu_txt/guotu_txt.hpp"
#include "onemap/gis/layer/layer_writer.hpp"

namespace onemap::core {
namespace {

using Json = nlohmann::ordered_json;

Json area(double m2) {
    return {{"m2", roundTo(m2, 2)},
            {"mu", roundTo(gis::toMu(m2), 4)},
            {"ha", roundTo(gis::toHectares(m2), 6)}};
}

Json valueJson(const gis::Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    return nullptr;
}

std::string padded(const std::string& s, std::size_t width) {
    const std::size_t w = displayWidth(s);
    return s + std::string(w < width ? width - w : 0, ' ');
}

}  // namespace

std::string findJson(const FindResult& r, const std::string& version) {
    Json root;
    root["plan"] = r.planName;
    root["crs"] = r.crs;
    root["onemap"] = version;
    if (!r.asOf.empty()) {
        root["as_of"] = r.asOf;
        root["versions"] = Json::object();
        for (const auto& v : r.versions)
            root["versions"][v.layer] = {{"from", v.from}, {"doc", v.doc}};
    }
    Json brief;
    brief["name"] = r.brief.name;
    brief["area_m2"] = roundTo(r.brief.areaM2, 2);
    brief["area_mu"] = roundTo(gis::toMu(r.brief.areaM2), 4);
    brief["industry"] = r.brief.industry;
    brief["count"] = r.brief.count;
    brief["cities"] = r.brief.cities;
    brief["max_aspect"] = r.brief.maxAspect;
    brief["min_width_m"] = r.brief.minWidthM;
    brief["any_park"] = r.brief.anyPark;
    brief["station_full_m"] = r.brief.stationFullM;
    brief["station_zero_m"] = r.brief.stationZeroM;
    brief["attributes"] = Json::object();
    for (const auto& [k, v] : r.brief.attributes) brief["attributes"][k] = valueJson(v);
    brief["weights"] = Json::object();
    for (const auto& [k, w] : r.brief.weights) brief["weights"][k] = w;
    root["brief"] = brief;

    const FreeLand& f = r.freeLand;
    Json free;
    free["total_m2"] = roundTo(f.areaM2, 2);
    free["total_mu"] = roundTo(gis::toMu(f.areaM2), 4);
    free["total_ha"] = roundTo(gis::toHectares(f.areaM2), 6);
    free["largest_piece_m2"] = roundTo(f.largestPieceM2, 2);
    free["per_city"] = Json::array();
    for (const auto& c : f.perCity) {
        Json city = {{"name", c.name}};
        city.update(area(c.areaM2));
        free["per_city"].push_back(city);
    }
    free["steps"] = Json::array();
    for (const auto& s : f.steps)
        free["steps"].push_back({{"constraint", s.constraint},
                                 {"title", s.title},
                                 {"kind", s.kind},
                                 {"area_m2", roundTo(s.areaM2, 2)},
                                 {"area_mu", roundTo(gis::toMu(s.areaM2), 4)}});
    root["free_land"] = free;

    root["candidates"] = Json::array();
    for (const auto& c : r.candidates) {
        Json j;
        j["id"] = c.id;
        j["rank"] = c.rank;
        j["score"] = roundTo(c.score, 6);
        j["pareto"] = c.pareto;
        j["terms"] = Json::object();
        for (const auto& t : c.terms)
            j["terms"][t.name] = {
                {"value", roundTo(t.value, 6)}, {"weight", t.weight}, {"detail", t.detail}};
        j["area_m2"] = roundTo(c.areaM2, 2);
        j["area_mu"] = roundTo(gis::toMu(c.areaM2), 4);
        j["center_lonlat"] = {roundTo(c.lonLat.x, 6), roundTo(c.lonLat.y, 6)};
        j["admin"] = c.admin;
        j["park"] = c.park;
        j["nearest_station"] = c.nearest;
        j["nearest_station_m"] = c.nearestM ? Json(roundTo(*c.nearestM, 2)) : Json(nullptr);
        j["warnings_missed"] = c.warningsMissed;
        j["check"] = Json::parse(siteCheckJson(c.check));
        root["candidates"].push_back(j);
    }
    root["rules_checked"] = r.rulesChecked;
    root["notes"] = r.notes;
    root["plots_tried"] = r.plotsTried;
    root["binding"] = r.binding.empty() ? Json(nullptr) : Json(r.binding);
    root["relaxation"] = r.relaxation.empty() ? Json(nullptr) : Json(r.relaxation);
    return root.dump(2) + "\n";
}

std::string findText(const FindResult& r) {
    std::ostringstream o;
    o << "Plan: " << r.planName << " (" << r.crs << ")\n";
    if (!r.asOf.empty()) {
        o << "as of " << r.asOf << (r.versions.empty() ? "" : ":");
        for (const auto& v : r.versions)
            o << "  " << v.layer << " from " << v.from << (v.doc.empty() ? "" : " (" + v.doc + ")");
        o << "\n";
    }
    o << "Project: " << (r.brief.name.empty() ? "(unnamed)" : r.brief.name) << ", "
      << describeArea(r.brief.areaM2);
    if (!r.brief.industry.empty()) o << ", industry " << r.brief.industry;
    if (r.brief.anyPark) o << ", any park (industry matching ignored)";
    o << "\n\nFree land (可用地): " << describeArea(r.freeLand.areaM2) << "\n";
    for (const auto& s : r.freeLand.steps)
        o << "  after " << padded(s.constraint, 22) << " " << describeArea(s.areaM2) << "\n";
    for (const auto& c : r.freeLand.perCity)
        o << "  " << padded(c.name, 24) << " " << describeArea(c.areaM2) << "\n";
    o << "  largest piece " << describeArea(r.freeLand.largestPieceM2) << "\n";
    o << "\nCandidates (" << r.candidates.size() << " of " << r.brief.count << "):\n";
    if (!r.candidates.empty()) {
        std::size_t checkWidth = 7;  // "pass (partial)" when the check left rules out
        for (const auto& c : r.candidates)
            checkWidth = std::max(checkWidth, verdictText(c.check).size() + 1);
        o << "  " << padded("id", 7) << padded("score", 8) << padded("pareto", 8)
          << padded("check", checkWidth) << padded("area (亩)", 11) << padded("admin", 10)
          << padded("station (m)", 13) << "park\n";
        for (const auto& c : r.candidates) {
            o << "  " << padded(c.id, 7) << padded(formatNumber(c.score, 3), 8)
              << padded(c.pareto ? "yes" : "", 8) << padded(verdictText(c.check), checkWidth)
              << padded(formatNumber(gis::toMu(c.areaM2), 2), 11) << padded(c.admin, 10)
              << padded(c.nearestM ? formatNumber(*c.nearestM, 0) : "-", 13)
              << (c.park.empty() ? "-" : c.park) << "\n";
            o << "         ";
            for (const auto& t : c.terms)
                o << " " << t.name << " " << formatNumber(t.value, 2) << " (×"
                  << formatNumber(t.weight, 1) << ")";
            o << "\n";
            if (!c.warningsMissed.empty()) {
                o << "          warnings missed:";
                for (const auto& w : c.warningsMissed) o << " " << w;
                o << "\n";
            }
        }
    }
    if (!r.binding.empty()) o << "\nWhy not more: " << r.binding << "\n";
    if (!r.relaxation.empty()) o << "Nearest relaxation: " << r.relaxation << "\n";
    for (const auto& n : r.notes) o << "Note: " << n << "\n";
    return o.str();
}

gis::WriteResult writeCandidates(const FindResult& r, const gis::Crs& crs,
                                 const std::string& path) {
    gis::VectorLayer layer;
    layer.name = "candidates";
    layer.crs = crs;
    layer.geometryType = "Polygon";
    layer.fields = {{"id", gis::FieldType::String},
                    {"rank", gis::FieldType::Integer},
                    {"score", gis::FieldType::Real},
                    {"area_m2", gis::FieldType::Real},
                    {"area_mu", gis::FieldType::Real}};
    for (const auto& [name, v] : r.siteFields)
        layer.fields.push_back({name, std::holds_alternative<std::string>(v)
                                          ? gis::FieldType::String
                                          : gis::FieldType::Real});
    std::int64_t fid = 0;
    for (const auto& c : r.candidates) {
        gis::Feature f;
        f.fid = ++fid;
        f.values.resize(layer.fields.size());
        f.values[0] = c.id;
        f.values[1] = std::int64_t{c.rank};
        f.values[2] = roundTo(c.score, 6);
        f.values[3] = roundTo(c.areaM2, 2);
        f.values[4] = roundTo(gis::toMu(c.areaM2), 4);
        std::size_t k = 5;
        for (const auto& field : r.siteFields) f.values[k++] = field.second;
        f.geometry = c.check.geometry;
        layer.features.push_back(std::move(f));
    }
    // A 国土 TXT boundary-point file (GBK), as land-use approval takes a site; it holds the
    // plots' outlines and ids, not their attributes.
    if (gis::lowerExtension(path) == ".txt") {
        if (layer.features.empty()) return {};  // no parcel, no file: see the header
        gis::writeGuotuTxt(path, layer, {});
        return {};
    }
    return gis::writeLayer(path, layer);
}

}  // namespace onemap::core
