// Runs tests/cases/rules.toml: each case becomes real files (a GeoPackage of layers, a
// plan file, a sites GeoPackage), goes through the whole engine, and is compared with
// the hand-worked expectations written in the case.
#include <toml++/toml.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../test_support.hpp"
#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/core/check/coverage_words.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/layer/layer_writer.hpp"

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
            const fs::path dir = onemap::test::scratch("case-" + std::to_string(n));
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

            CHECK(core::ruleVerdictText(r) == *e["verdict"].value<std::string>());
            if (auto v = e["reason"].value<std::string>())
                CHECK_THAT(r.notChecked.both(), Catch::Contains(*v));
            if (auto v = e["area_m2"].value<double>()) checkArea(site.areaM2, *v);
            if (!r.conflict.isEmpty()) CHECK(r.conflict.isValid());  // unions never invalid
            if (auto v = e["overlap_m2"].value<double>()) {
                REQUIRE(r.number("overlap_m2"));
                checkArea(*r.number("overlap_m2"), *v);
            }
            if (auto v = e["overlap_mu"].value<double>())
                CHECK(gis::toMu(*r.number("overlap_m2")) == Approx(*v).epsilon(1e-6));
            if (auto v = e["inside_fraction"].value<double>())
                CHECK(*r.number("inside_fraction") == Approx(*v).epsilon(1e-6));
            if (auto v = e["outside_m2"].value<double>()) checkArea(*r.number("outside_m2"), *v);
            if (r.number("inside_m2") && r.number("outside_m2"))
                checkArea(*r.number("inside_m2") + *r.number("outside_m2"),
                          site.areaM2);  // reconcile
            if (auto v = e["distance_m"].value<double>()) {
                REQUIRE(r.number("distance_m"));
                CHECK(*r.number("distance_m") ==
                      Approx(*v).margin(e["distance_tolerance_m"].value_or(1e-6)));
            }
            if (auto v = e["planar_distance_m"].value<double>()) {
                // The plan-CRS figure differs from the geodesic one by more than the tolerance:
                // the case really tells the two apart.
                CHECK(std::abs(*r.number("distance_m") - *v) > 1.0);
            }
            if (auto v = e["distance_method"].value<std::string>()) {
                REQUIRE(r.measure("distance_method"));
                CHECK(gis::toString(r.measure("distance_method")->value) == *v);
            }
            if (auto v = e["nearest"].value<std::string>())
                CHECK(gis::toString(r.measure("nearest")->value) == *v);
            if (const auto* f = e["features"].as_array()) {
                std::vector<std::string> want;
                for (const auto& x : *f) want.push_back(*x.value<std::string>());
                CHECK(r.features == want);
            }
            if (const auto* by = e["by"].as_array()) {
                const core::Measure* m = r.measure("by_m2");
                REQUIRE(m);
                REQUIRE(m->breakdown.size() == by->size());
                for (std::size_t i = 0; i < by->size(); ++i) {
                    const auto& pair = *by->get(i)->as_array();
                    CHECK(m->breakdown[i].first == *pair.get(0)->value<std::string>());
                    checkArea(m->breakdown[i].second, *pair.get(1)->value<double>());
                }
            }
            if (auto v = e["value"].value<std::string>()) {
                const core::Measure* m = r.measure("value");
                REQUIRE(m);
                CHECK((gis::isNull(m->value) ? std::string("NULL") : gis::toString(m->value)) ==
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

TEST_CASE("Union of a T-junction is verified, not trusted", "[core][rules][union]") {
    using gis::Geometry;
    // The left square has an extra vertex on the shared edge; the strip below has no vertex
    // at (10, 0) where the squares meet it. By hand: 100 + 100 + 200 = 400.
    const std::vector<Geometry> parts{Geometry::fromWkt("POLYGON((0 0,10 0,10 5,10 10,0 10,0 0))"),
                                      Geometry::fromWkt("POLYGON((10 0,20 0,20 10,10 10,10 0))"),
                                      Geometry::fromWkt("POLYGON((0 -10,20 -10,20 0,0 0,0 -10))")};
    const Geometry u = Geometry::unionOf(parts);
    CHECK(u.isValid());
    CHECK(u.area() == Approx(400).epsilon(1e-12));
    CHECK(u.numParts() == 1);
    // The verifier refuses what a non-checking coverage union may return: the pieces merely
    // collected (shared edges make the multipolygon invalid), or a result missing area.
    CHECK_FALSE(Geometry::isCoverageUnionOf(Geometry::collect(parts), parts));
    CHECK_FALSE(Geometry::isCoverageUnionOf(Geometry::unionOf({parts[0], parts[1]}), parts));
    CHECK(Geometry::isCoverageUnionOf(u, parts));
}

TEST_CASE("Nearest points are the closest pair, planar", "[core][rules][distance]") {
    using gis::Geometry;
    const auto square = Geometry::fromWkt("POLYGON((0 0,100 0,100 100,0 100,0 0))");
    // The 3-4-5 triangle from the corner (100, 100).
    const auto [a, b] = square.nearestPoints(Geometry::point(130, 140));
    CHECK(a.x == Approx(100));
    CHECK(a.y == Approx(100));
    CHECK(b.x == Approx(130));
    CHECK(b.y == Approx(140));
    // From the corner (100, 100) to the line x + y = 400: the foot of the perpendicular is
    // (100, 100) + (100, 100) = (200, 200), at (400 - 200) / √2.
    const auto [c, d] = square.nearestPoints(Geometry::lineString({{400, 0}, {0, 400}}));
    CHECK(std::hypot(d.x - c.x, d.y - c.y) == Approx(200 / std::sqrt(2.0)));  // (400 - 200) / √2
    CHECK(d.x == Approx(200));
    CHECK(d.y == Approx(200));
    CHECK_THROWS(square.nearestPoints(Geometry{}));
}
