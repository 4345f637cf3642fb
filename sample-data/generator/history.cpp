#include "history.hpp"

#include <cmath>

#include "corridor.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/geom/prepared_geometry.hpp"
#include "shapes.hpp"

namespace onemap::sample {
namespace {

// The revision's story: in 2024 every city's boundary grew by ~250 m at its edges and
// Jinhua gave up the land around site P-017 (which complied under the 2021 boundary, and
// fails under the 2024 one); that land and one farmland parcel in twelve elsewhere were
// designated farmland in 2024 (补划).
constexpr double kGrowthM = 250;
constexpr const char* kReleasedAround = "P-017";
constexpr double kReleasedRadiusM = 1500;
constexpr int kDesignatedEvery = 12;

struct Approval {
    const char* city;
    const char* date;
    const char* doc;
    const char* name;
};
const Approval kApprovals[] = {
    {"苏州市", "2022-03-15", "示例批复〔2022〕3号", "苏州集成电路封测一期"},
    {"杭州市", "2022-09-01", "示例批复〔2022〕9号", "杭州生物医药产业园一期"},
    {"合肥市", "2023-05-20", "示例批复〔2023〕5号", "合肥新能源汽车零部件项目"},
    {"嘉兴市", "2024-01-10", "示例批复〔2024〕1号", "嘉兴数字经济产业园"},
    {"芜湖市", "2024-08-08", "示例批复〔2024〕8号", "芜湖机器人整机项目"},
    {"宣城市", "2025-04-01", "示例批复〔2025〕4号", "宣城光伏组件项目"},
};

struct Transfer {
    const char* from;
    const char* to;
    double mu;
    const char* date;
    const char* doc;
};
const Transfer kTransfers[] = {
    {"宣城市", "苏州市", 300, "2023-06-30", "G60指标调剂〔2023〕1号"},
    {"金华市", "嘉兴市", 120, "2025-02-01", "G60指标调剂〔2025〕1号"},
};
// Suzhou's own quota falls 50 亩 short of its largest site plus its approved project: the
// site fails the quota until the 2023 transfer, and passes after it.
constexpr double kSuzhouShortMu = 50;
constexpr double kSlackMu = 400;

std::size_t cityIndex(const World& w, const std::string& name) {
    for (std::size_t i = 0; i < w.city.features.size(); ++i)
        if (gis::toString(w.city.value(i, "name")) == name) return i;
    throw Error("sample history: no city " + name);
}

const gis::Geometry* siteGeometry(const gis::VectorLayer& sites, const std::string& id) {
    for (std::size_t i = 0; i < sites.features.size(); ++i)
        if (gis::toString(sites.value(i, "id")) == id) return &sites.features[i].geometry;
    return nullptr;  // benchmark sites: no story to tell
}

gis::VectorLayer like(const gis::VectorLayer& l, const std::string& name) {
    gis::VectorLayer out;
    out.name = name;
    out.crs = l.crs;
    out.geometryType = l.geometryType;
    out.fields = l.fields;
    return out;
}

}  // namespace

History makeHistory(World& w, const gis::VectorLayer& sites, Rng& rng, bool story) {
    History h;
    gis::Geometry released;
    const gis::Geometry* keep = story ? siteGeometry(sites, kReleasedAround) : nullptr;
    if (keep) {
        const gis::Point c = keep->pointOnSurface();
        released = blob(c, kReleasedRadiusM, rng, 48).unionWith(keep->buffer(150, 4));
    }

    // The 2021 boundary: the 2024 one less its growth, plus the land given up around P-017.
    h.devbound2021 = like(w.devbound, "devbound_2021");
    const auto keepOut = w.redlineAll.buffer(200);
    for (std::size_t i = 0; i < w.devbound.features.size(); ++i) {
        gis::Feature f = w.devbound.features[i];
        gis::Geometry g = f.geometry.buffer(-kGrowthM, 4);
        if (keep && released.intersects(w.cityGeometry(i)))
            g = g.unionWith(released.intersection(w.cityGeometry(i)).difference(keepOut));
        f.geometry = roundToCm(g.polygonalPart()).makeValid();
        h.devbound2021.features.push_back(std::move(f));
    }
    std::vector<gis::Geometry> all2021;
    for (const auto& f : h.devbound2021.features) all2021.push_back(f.geometry);
    const gis::Geometry devbound2021All = gis::Geometry::unionOf(all2021);
    if (keep && !devbound2021All.covers(*keep))
        throw Error("sample history: the 2021 boundary must cover " + std::string(kReleasedAround));

    // 2021 farmland: today's, without the parcels designated in 2024.
    h.farmland2021 = like(w.farmland, "farmland_2021");
    const gis::PreparedGeometry inReleased(devbound2021All.buffer(100, 4));
    for (std::size_t i = 0; i < w.farmland.features.size(); ++i) {
        const auto& f = w.farmland.features[i];
        if ((i + 1) % kDesignatedEvery == 0 || inReleased.intersects(f.geometry)) continue;
        h.farmland2021.features.push_back(f);
    }

    // Approved projects: 300 × 200 m inside both boundaries, clear of every sample site.
    h.approved.name = "register";
    h.approved.crs = w.devbound.crs;
    h.approved.geometryType = "MultiPolygon";
    h.approved.fields = {
        {"project_id", gis::FieldType::String}, {"name", gis::FieldType::String},
        {"verdict", gis::FieldType::String},    {"approved", gis::FieldType::String},
        {"doc", gis::FieldType::String},        {"area_m2", gis::FieldType::Real},
        {"area_mu", gis::FieldType::Real},      {"plan", gis::FieldType::String},
        {"as_of", gis::FieldType::String},      {"check", gis::FieldType::String}};
    std::vector<gis::Geometry> siteAreas;
    if (story)
        for (const auto& f : sites.features) siteAreas.push_back(f.geometry.buffer(300, 4));
    const gis::PreparedGeometry nearSites(gis::Geometry::unionOf(siteAreas));
    int n = 0;
    for (const auto& a : kApprovals) {
        const std::size_t i = cityIndex(w, a.city);
        const gis::PreparedGeometry inside2021(h.devbound2021.features[i].geometry);
        const auto e = h.devbound2021.features[i].geometry.envelope();
        gis::Geometry g;
        for (int attempt = 0;; ++attempt) {
            if (attempt > 10000) throw Error(std::string("sample history: no room in ") + a.city);
            g = roundToCm(rectangle({rng.uniform(e.minx, e.maxx), rng.uniform(e.miny, e.maxy)}, 300,
                                    200, rng.uniform(0, M_PI)));
            if (inside2021.covers(g) && !nearSites.intersects(g)) break;
        }
        char id[16];
        std::snprintf(id, sizeof id, "A-%03d", ++n);
        gis::Feature f;
        f.fid = n;
        f.geometry = g;
        f.values = {std::string(id),     std::string(a.name),
                    std::string("pass"), std::string(a.date),
                    std::string(a.doc),  g.area(),
                    gis::toMu(g.area()), std::string("长三角G60科创走廊 一张图"),
                    std::string(a.date), std::string("{\"synthetic\": true}")};
        h.approved.features.push_back(std::move(f));
    }

    // Construction-land quota per city, in 亩: what its approved projects and its largest
    // sample site need, with slack (Suzhou: 50 亩 short until the 2023 transfer).
    w.city.fields.push_back({"land_quota_mu", gis::FieldType::Real});
    for (std::size_t i = 0; i < w.city.features.size(); ++i) {
        const auto& city = w.cityGeometry(i);
        double used = 0, largest = 0;
        for (const auto& f : h.approved.features)
            used += f.geometry.intersection(city).polygonalPart().area();
        for (const auto& f : sites.features)
            largest = std::max(largest, f.geometry.intersection(city).polygonalPart().area());
        const std::string name = gis::toString(w.city.value(i, "name"));
        double mu = std::ceil(gis::toMu(used + largest));
        for (const auto& t : kTransfers)
            if (name == t.from) mu += t.mu;  // what it gives away, it must have had
        mu += name == "苏州市" ? -kSuzhouShortMu : kSlackMu;
        w.city.features[i].values.emplace_back(mu);
    }

    h.transfers.name = "quota_transfers";
    h.transfers.crs = w.city.crs;
    h.transfers.geometryType = "None";
    h.transfers.fields = {{"from", gis::FieldType::String},
                          {"to", gis::FieldType::String},
                          {"mu", gis::FieldType::Real},
                          {"date", gis::FieldType::String},
                          {"doc", gis::FieldType::String}};
    for (const auto& t : kTransfers) {
        gis::Feature f;
        f.fid = static_cast<std::int64_t>(h.transfers.features.size() + 1);
        f.values = {std::string(t.from), std::string(t.to), t.mu, std::string(t.date),
                    std::string(t.doc)};
        h.transfers.features.push_back(std::move(f));
    }
    return h;
}

}  // namespace onemap::sample
