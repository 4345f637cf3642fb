// Runs tests/cases/rules.toml: each case becomes real files (a GeoPackage of layers, a
// plan file, a sites GeoPackage), goes through the whole engine, and is compared with
// the hand-worked expectations written in the case.
#include <toml++/toml.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "onemap/core/compliance_engine.hpp"
#include "onemap/gis/vector_io.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

gis::VectorLayer makeLayer(const std::string& id, const toml::table& spec) {
    gis::VectorLayer l;
    l.name = id;
    l.crs = gis::Crs::fromEpsg(4549);
    l.fields = {{"id", gis::FieldType::String}, {"class", gis::FieldType::String}};
    const auto* wkts = spec["wkt"].as_array();
    const auto* ids = spec["ids"].as_array();
    const auto* classes = spec["class"].as_array();
    for (std::size_t i = 0; i < wkts->size(); ++i) {
        gis::Feature f;
        f.fid = static_cast<std::int64_t>(i + 1);
        f.geometry = gis::Geometry::fromWkt(*wkts->get(i)->value<std::string>());
        if (l.geometryType.empty()) l.geometryType = f.geometry.typeName();
        const std::string fid =
            ids ? *ids->get(i)->value<std::string>() : id + std::to_string(i + 1);
        f.values = {fid,
                    classes ? gis::Value(*classes->get(i)->value<std::string>()) : gis::Value{}};
        l.features.push_back(f);
    }
    return l;
}

gis::VectorLayer makeSites(const toml::table& c) {
    gis::VectorLayer s;
    s.name = "sites";
    s.crs = gis::Crs::fromUserInput(c["site_crs"].value_or<std::string>("EPSG:4549"));
    s.geometryType = "Unknown";
    s.fields = {{"id", gis::FieldType::String}, {"name", gis::FieldType::String}};
    gis::Feature f;
    f.fid = 1;
    f.values = {std::string("S-1"), std::string("测试地块")};
    f.geometry = gis::Geometry::fromWkt(*c["site"].value<std::string>());
    if (const auto* fields = c["site_fields"].as_table()) {
        for (const auto& [k, v] : *fields) {
            if (v.is_number()) {
                s.fields.push_back({std::string(k.str()), gis::FieldType::Real});
                f.values.emplace_back(*v.value<double>());
            } else {
                s.fields.push_back({std::string(k.str()), gis::FieldType::String});
                f.values.emplace_back(*v.value<std::string>());
            }
        }
    }
    if (const auto* nulls = c["site_nulls"].as_array()) {
        for (const auto& n : *nulls) {
            s.fields.push_back({*n.value<std::string>(), gis::FieldType::Real});
            f.values.emplace_back();
        }
    }
    s.features.push_back(f);
    return s;
}

std::string makePlan(const toml::table& c, const std::string& gpkg) {
    toml::table plan{{"name", "case"}, {"crs", "EPSG:4549"}};
    toml::array layers;
    for (const auto& [k, v] : *c["layers"].as_table()) {
        const std::string id(k.str());
        toml::table l{
            {"id", id}, {"title", id}, {"source", gpkg}, {"table", id}, {"id_field", "id"}};
        if (id == "admin") {
            l.insert("role", "admin");
            l.insert("label", "class");
        }
        layers.push_back(l);
    }
    plan.insert("layers", layers);
    toml::table rule = *c["rule"].as_table();
    rule.insert("id", "r");
    rule.insert("title", "规则");
    plan.insert("rules", toml::array{rule});
    std::ostringstream out;
    out << plan;
    return out.str();
}

void checkArea(double got, double want) { CHECK(got == Approx(want).epsilon(1e-6).margin(0.01)); }

}  // namespace

TEST_CASE("Rule cases from tests/cases/rules.toml", "[core][rules][cases]") {
    const auto cases = toml::parse_file(std::string(ONEMAP_TEST_CASES) + "/rules.toml");
    const auto& list = *cases["case"].as_array();
    REQUIRE(list.size() >= 20);
    int n = 0;
    for (const auto& node : list) {
        const toml::table& c = *node.as_table();
        const std::string name = *c["name"].value<std::string>();
        DYNAMIC_SECTION(name) {
            const fs::path dir = fs::temp_directory_path() / ("onemap-case-" + std::to_string(n));
            fs::remove_all(dir);
            fs::create_directories(dir);
            std::vector<gis::VectorLayer> layers;
            for (const auto& [k, v] : *c["layers"].as_table())
                layers.push_back(makeLayer(std::string(k.str()), *v.as_table()));
            std::vector<const gis::VectorLayer*> ptrs;
            for (const auto& l : layers) ptrs.push_back(&l);
            gis::writeLayers((dir / "layers.gpkg").string(), ptrs);
            gis::writeLayer((dir / "sites.gpkg").string(), makeSites(c));
            const std::string planText = makePlan(c, "layers.gpkg");
            { std::ofstream((dir / "plan.toml").string()) << planText; }
            INFO(planText);

            const auto plan = core::Plan::load((dir / "plan.toml").string());
            const auto map = core::OneMap::load(plan);
            const core::ComplianceEngine engine(map);
            const auto sites = core::SiteSet::load((dir / "sites.gpkg").string(), plan.crs);
            const auto report = engine.run(sites);
            REQUIRE(report.sites.size() == 1);
            const auto& site = report.sites[0];
            REQUIRE(site.rules.size() == 1);
            const auto& r = site.rules[0];
            const toml::table& e = *c["expect"].as_table();

            CHECK(core::toString(r.verdict()) == *e["verdict"].value<std::string>());
            if (auto v = e["area_m2"].value<double>()) checkArea(site.areaM2, *v);
            if (auto v = e["overlap_m2"].value<double>()) {
                REQUIRE(r.overlapM2);
                checkArea(*r.overlapM2, *v);
            }
            if (auto v = e["overlap_mu"].value<double>())
                CHECK(gis::toMu(*r.overlapM2) == Approx(*v).epsilon(1e-6));
            if (auto v = e["inside_fraction"].value<double>())
                CHECK(*r.insideFraction == Approx(*v).epsilon(1e-6));
            if (auto v = e["outside_m2"].value<double>()) checkArea(*r.outsideM2, *v);
            if (r.insideM2 && r.outsideM2)
                checkArea(*r.insideM2 + *r.outsideM2, site.areaM2);  // reconcile
            if (auto v = e["distance_m"].value<double>())
                CHECK(*r.distanceM == Approx(*v).margin(1e-6));
            if (auto v = e["nearest"].value<std::string>()) CHECK(r.nearest == *v);
            if (const auto* f = e["features"].as_array()) {
                std::vector<std::string> want;
                for (const auto& x : *f) want.push_back(*x.value<std::string>());
                CHECK(r.features == want);
            }
            if (const auto* by = e["by"].as_array()) {
                REQUIRE(r.byClass.size() == by->size());
                for (std::size_t i = 0; i < by->size(); ++i) {
                    const auto& pair = *by->get(i)->as_array();
                    CHECK(r.byClass[i].first == *pair.get(0)->value<std::string>());
                    checkArea(r.byClass[i].second, *pair.get(1)->value<double>());
                }
            }
            if (auto v = e["value"].value<std::string>()) {
                REQUIRE(r.value);
                CHECK((gis::isNull(*r.value) ? std::string("NULL") : gis::toString(*r.value)) ==
                      *v);
            }
            if (const auto* a = e["admin"].as_array()) {
                REQUIRE(site.admin.size() == a->size());
                for (std::size_t i = 0; i < a->size(); ++i)
                    CHECK(site.admin[i].name == *a->get(i)->value<std::string>());
                CHECK(site.crossBoundary() == (a->size() > 1));
            }
            if (const auto* a = e["admin_m2"].as_array()) {
                for (std::size_t i = 0; i < a->size(); ++i)
                    checkArea(site.admin[i].areaM2, *a->get(i)->value<double>());
            }
            CHECK(static_cast<long>(site.warnings.size()) == e["site_warnings"].value_or(0L));
            long layerWarnings = 0;
            for (const auto& w : report.warnings)
                layerWarnings += w.find("repaired") != std::string::npos ? 1 : 0;
            CHECK(layerWarnings == e["layer_warnings"].value_or(0L));
            fs::remove_all(dir);
        }
        ++n;
    }
}
