#include "onemap/core/time/layer_diff.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "onemap/core/check/one_map.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/crs/geodesic.hpp"

namespace onemap::core {
namespace {

// Changes smaller than this are boundary noise from re-digitising, not land.
constexpr double kNoiseM2 = 0.01;

// The plan on `day` with only the layers asked for, and no rules: what a diff loads.
std::shared_ptr<const OneMap> loadLayers(const Plan& plan, const std::string& day,
                                         const std::vector<std::string>& ids, Feedback* feedback) {
    Plan p = plan.inForceOn(day);
    std::vector<LayerSpec> kept;
    for (const auto& l : p.layers)
        if (std::find(ids.begin(), ids.end(), l.id) != ids.end()) kept.push_back(l);
    p.layers = std::move(kept);
    p.rules.clear();
    if (p.layers.empty()) return nullptr;
    return OneMap::load(p, feedback);
}

// Geometry as bytes: two versions' features with the same bytes are the same land.
std::multiset<std::string> keysOf(const MapLayer* layer) {
    std::multiset<std::string> keys;
    if (!layer) return keys;
    for (std::size_t i = 0; i < layer->size(); ++i) {
        const auto wkb = layer->geometry(i).wkb();
        keys.emplace(wkb.begin(), wkb.end());
    }
    return keys;
}

// ∪(features of `mine` not in `theirs`) − ∪(features of `theirs` meeting them): the land in
// `mine` only. Each changed feature is cut by the other version's features near it alone.
gis::Geometry onlyIn(const MapLayer* mine, const MapLayer* theirs,
                     std::multiset<std::string> theirKeys) {
    if (!mine) return {};
    std::vector<gis::Geometry> pieces;
    for (std::size_t i = 0; i < mine->size(); ++i) {
        const gis::Geometry& g = mine->geometry(i);
        const auto wkb = g.wkb();
        if (const auto it = theirKeys.find(std::string(wkb.begin(), wkb.end()));
            it != theirKeys.end()) {
            theirKeys.erase(it);  // matched once: a duplicate in one version still counts
            continue;
        }
        std::vector<gis::Geometry> near;
        if (theirs)
            for (const auto j : theirs->index().query(g.envelope()))
                if (theirs->geometry(j).intersects(g)) near.push_back(theirs->geometry(j));
        gis::Geometry rest = near.empty() ? g : g.difference(gis::Geometry::unionOf(near));
        rest = rest.polygonalPart();
        if (!rest.isEmpty()) pieces.push_back(std::move(rest));
    }
    return pieces.empty() ? gis::Geometry() : gis::Geometry::unionOf(pieces);
}

}  // namespace

LayerDiff diffLayer(const Plan& plan, const std::string& layerId, const std::string& from,
                    const std::string& to, Feedback* feedback) {
    const auto& declared = plan.declaredLayers();
    const auto spec = std::find_if(declared.begin(), declared.end(),
                                   [&](const LayerSpec& l) { return l.id == layerId; });
    if (spec == declared.end()) throw InputError("diff: the plan has no layer '" + layerId + "'");
    if (!isIsoDate(from))
        throw InputError("diff --from: '" + from + "' is not a date; write YYYY-MM-DD");
    if (!isIsoDate(to)) throw InputError("diff --to: '" + to + "' is not a date; write YYYY-MM-DD");
    if (from >= to) throw InputError("diff: --from " + from + " must be before --to " + to);

    const Plan atTo = plan.inForceOn(to);
    const LayerSpec* admin = atTo.adminLayer();
    std::vector<std::string> toIds{layerId};
    if (admin && admin->id != layerId) toIds.push_back(admin->id);
    const auto mapFrom = loadLayers(plan, from, {layerId}, feedback);
    const auto mapTo = loadLayers(plan, to, toIds, feedback);
    const MapLayer* a = mapFrom ? mapFrom->layer(layerId) : nullptr;
    const MapLayer* b = mapTo ? mapTo->layer(layerId) : nullptr;
    for (const MapLayer* l : {a, b})
        if (l && l->size() > 0 && l->data().geometryType.find("Polygon") == std::string::npos &&
            l->geometry(0).kind() != gis::GeometryKind::Polygon)
            throw InputError("diff: layer '" + layerId + "' holds " + l->data().geometryType +
                             "; a diff measures land, so it needs polygons");
    // Such a layer is the same on every day: a diff of it would report "no change" about
    // nothing. A date_field layer (the register) changes by its dated records: those are diffed.
    if (spec->versions.empty() && spec->dateField.empty())
        throw InputError("diff: layer '" + layerId +
                         "' has no versions (nor a date_field): it is the same on every day, "
                         "so there is no revision to measure");

    LayerDiff d;
    d.layer = layerId;
    d.title = spec->title;
    d.from = from;
    d.to = to;
    if (spec->versions.empty()) d.dateField = spec->dateField;
    for (const auto& [day, m, version, doc] : {std::tuple{from, a, &d.fromVersion, &d.fromDoc},
                                               std::tuple{to, b, &d.toVersion, &d.toDoc}})
        if (m && m->spec().inForce) {
            *version = m->spec().inForce->from;
            *doc = m->spec().inForce->doc;
        }
    if (feedback) feedback->progress(0.5, "comparing " + layerId + " " + from + " → " + to);
    d.gained = onlyIn(b, a, keysOf(a));
    d.lost = onlyIn(a, b, keysOf(b));
    const gis::EllipsoidalMeasure measure(plan.crs);
    d.gainedM2 = d.gained.isEmpty() ? 0 : measure.area(d.gained);
    d.lostM2 = d.lost.isEmpty() ? 0 : measure.area(d.lost);

    d.changes.name = layerId + "_changes";
    d.changes.crs = plan.crs;
    d.changes.geometryType = "MultiPolygon";
    d.changes.fields = {{"change", gis::FieldType::String},
                        {"admin", gis::FieldType::String},
                        {"area_m2", gis::FieldType::Real},
                        {"area_mu", gis::FieldType::Real}};
    const MapLayer* units = admin && mapTo ? mapTo->layer(admin->id) : nullptr;
    std::map<std::string, AdminChange> byName;
    auto record = [&](const char* change, const std::string& name, const gis::Geometry& piece) {
        const gis::Geometry g = piece.polygonalPart();
        if (g.isEmpty()) return;
        const double m2 = measure.area(g);
        if (m2 < kNoiseM2) return;
        auto& c = byName[name];
        c.name = name;
        (std::string(change) == "gained" ? c.gainedM2 : c.lostM2) += m2;
        gis::Feature f;
        f.fid = static_cast<std::int64_t>(d.changes.features.size() + 1);
        f.values = {gis::Value{std::string(change)}, gis::Value{name}, gis::Value{m2},
                    gis::Value{gis::toMu(m2)}};
        f.geometry = g;
        d.changes.features.push_back(std::move(f));
    };
    for (const auto& [change, whole] :
         {std::pair{"gained", &d.gained}, std::pair{"lost", &d.lost}}) {
        if (whole->isEmpty()) continue;
        if (!units) {
            record(change, "", *whole);
            continue;
        }
        std::vector<gis::Geometry> inside;
        for (const auto i : units->index().query(whole->envelope())) {
            const gis::Geometry piece = whole->intersection(units->geometry(i));
            std::string name = units->label(i);
            if (name.empty()) name = units->featureId(i);
            record(change, name, piece);
            if (!piece.isEmpty()) inside.push_back(piece);
        }
        // Land outside every admin unit is reported, never dropped.
        const gis::Geometry outside =
            inside.empty() ? *whole : whole->difference(gis::Geometry::unionOf(inside));
        record(change, "(outside " + units->spec().title + ")", outside);
    }
    for (auto& [name, c] : byName) d.byAdmin.push_back(c);
    std::stable_sort(d.byAdmin.begin(), d.byAdmin.end(), [](const auto& x, const auto& y) {
        return x.gainedM2 + x.lostM2 > y.gainedM2 + y.lostM2;
    });
    return d;
}

std::string diffJson(const LayerDiff& d) {
    nlohmann::ordered_json j;
    j["layer"] = d.layer;
    j["from"] = d.from;
    j["to"] = d.to;
    j["from_version"] = d.fromVersion.empty()
                            ? nlohmann::ordered_json()
                            : nlohmann::ordered_json{{"from", d.fromVersion}, {"doc", d.fromDoc}};
    j["to_version"] = d.toVersion.empty()
                          ? nlohmann::ordered_json()
                          : nlohmann::ordered_json{{"from", d.toVersion}, {"doc", d.toDoc}};
    if (!d.dateField.empty()) j["date_field"] = d.dateField;  // dated records, no versions
    j["gained_m2"] = d.gainedM2;
    j["lost_m2"] = d.lostM2;
    j["gained_mu"] = gis::toMu(d.gainedM2);
    j["lost_mu"] = gis::toMu(d.lostM2);
    j["gained_ha"] = gis::toHectares(d.gainedM2);
    j["lost_ha"] = gis::toHectares(d.lostM2);
    j["by_admin"] = nlohmann::ordered_json::array();
    for (const auto& a : d.byAdmin)
        j["by_admin"].push_back(
            {{"name", a.name}, {"gained_m2", a.gainedM2}, {"lost_m2", a.lostM2}});
    return j.dump(2) + "\n";
}

}  // namespace onemap::core
