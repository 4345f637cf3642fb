// The two ways the engine measures overlaps must give the same answers: clipping against
// the site's convex pieces and summing area moments (no geometry built) against the GEOS
// overlay-and-union path, on the bundled one map (with its duplicated parcels) and sites
// of every shape placed on it.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "../test_support.hpp"
#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/gis/crs/geodesic.hpp"

using namespace onemap;

namespace {

gis::Geometry rotatedBox(gis::Point c, double w, double h, double angle) {
    std::vector<gis::Point> ring;
    for (const auto& [u, v] : std::vector<std::pair<double, double>>{
             {-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}})
        ring.push_back({c.x + u * std::cos(angle) - v * std::sin(angle),
                        c.y + u * std::sin(angle) + v * std::cos(angle)});
    ring.push_back(ring.front());
    return gis::Geometry::polygon({ring});
}

gis::Geometry starAround(gis::Point c, double r) {
    std::vector<gis::Point> ring;
    for (int i = 0; i < 14; ++i) {
        const double a = i * M_PI / 7, radius = i % 2 ? r * 0.5 : r;
        ring.push_back({c.x + radius * std::cos(a), c.y + radius * std::sin(a)});
    }
    ring.push_back(ring.front());
    return gis::Geometry::polygon({ring});
}

gis::Geometry lWithHole(gis::Point c, double s) {
    return gis::Geometry::polygon({{{c.x - s, c.y - s},
                                    {c.x + s, c.y - s},
                                    {c.x + s, c.y},
                                    {c.x, c.y},
                                    {c.x, c.y + s},
                                    {c.x - s, c.y + s},
                                    {c.x - s, c.y - s}},
                                   {{c.x - 0.8 * s, c.y - 0.8 * s},
                                    {c.x - 0.8 * s, c.y - 0.3 * s},
                                    {c.x - 0.3 * s, c.y - 0.3 * s},
                                    {c.x - 0.3 * s, c.y - 0.8 * s},
                                    {c.x - 0.8 * s, c.y - 0.8 * s}}});
}

void compare(const core::SiteReport& overlay, const core::SiteReport& moments,
             std::size_t& geometryFree) {
    INFO("site " << overlay.id);
    REQUIRE(overlay.error.empty());
    REQUIRE(moments.error.empty());
    CHECK(overlay.areaM2 == moments.areaM2);
    REQUIRE(overlay.admin.size() == moments.admin.size());
    for (std::size_t i = 0; i < overlay.admin.size(); ++i) {
        CHECK(overlay.admin[i].name == moments.admin[i].name);
        CHECK(std::abs(overlay.admin[i].areaM2 - moments.admin[i].areaM2) <=
              1e-9 * overlay.admin[i].areaM2);
    }
    REQUIRE(overlay.rules.size() == moments.rules.size());
    for (std::size_t r = 0; r < overlay.rules.size(); ++r) {
        const auto& a = overlay.rules[r];
        const auto& b = moments.rules[r];
        INFO("rule " << a.ruleId);
        CHECK(a.passed == b.passed);
        CHECK(a.features == b.features);
        if (!a.conflict.isEmpty() && b.conflict.isEmpty()) ++geometryFree;
        REQUIRE(a.measures.size() == b.measures.size());
        for (std::size_t m = 0; m < a.measures.size(); ++m) {
            INFO("measure " << a.measures[m].name);
            // The part outside is the site less the inside on the moment path: its error
            // is relative to the site.
            const double scale = a.measures[m].name == "outside_m2" ? overlay.areaM2 : 0.0;
            const auto x = a.measures[m].number(), y = b.measures[m].number();
            REQUIRE(x.has_value() == y.has_value());
            if (x) CHECK(std::abs(*x - *y) <= 1e-9 * std::max(std::abs(*x), scale) + 1e-9);
            REQUIRE(a.measures[m].breakdown.size() == b.measures[m].breakdown.size());
            for (std::size_t k = 0; k < a.measures[m].breakdown.size(); ++k) {
                CHECK(a.measures[m].breakdown[k].first == b.measures[m].breakdown[k].first);
                CHECK(std::abs(a.measures[m].breakdown[k].second -
                               b.measures[m].breakdown[k].second) <=
                      1e-9 * std::abs(a.measures[m].breakdown[k].second));  // may be < 0
            }
        }
    }
}

}  // namespace

TEST_CASE("Areas from moments agree with GEOS overlay to 1e-9 on the sample one map",
          "[core][engine][moments]") {
    const auto plan = core::Plan::load(std::string(ONEMAP_SAMPLE_DIR) + "/g60.toml");
    const auto map = core::OneMap::load(plan);
    const core::MapLayer& farmland = *map->layer("farmland");
    // Sites on every 150th parcel, of every shape the moment path handles: convex and
    // rotated, star-shaped (triangulated), an L with a hole, the parcel itself (edges on
    // its neighbours' edges), and one 6 km across (measured on the ellipsoid by both).
    std::vector<gis::Geometry> shapes;
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < farmland.size(); i += 150) {
        const gis::Geometry& parcel = farmland.geometry(i);
        const gis::Point c = parcel.envelope().center();
        const double s = 60.0 + static_cast<double>(i % 7) * 90.0;
        switch ((i / 150) % 6) {
            case 0:
                shapes.push_back(rotatedBox(c, 2 * s, s, 0.1 * static_cast<double>(i % 13)));
                break;
            case 1:
                shapes.push_back(starAround(c, s));
                break;
            case 2:
                shapes.push_back(lWithHole(c, s));
                break;
            case 3:
                shapes.push_back(parcel);
                break;
            case 4:
                shapes.push_back(rotatedBox(c, 6000, 600, 0.3));
                break;
            default:
                shapes.push_back(rotatedBox(c, s / 3, s / 4, 0));
                break;
        }
        ids.push_back("s" + std::to_string(i));
    }
    const auto sites = core::SiteSet::fromGeometries(test::layerOf("sites", shapes, ids), plan.crs);
    REQUIRE(sites.sites.size() > 300);
    core::ComplianceEngine overlay(map), moments(map);
    overlay.setConflictGeometries(true);
    moments.setConflictGeometries(false);
    std::size_t geometryFree = 0;
    for (const auto& site : sites.sites)
        compare(overlay.check(sites, site), moments.check(sites, site), geometryFree);
    // The moment path was taken (no conflict geometry where the overlay drew one).
    CHECK(geometryFree > 50);
}

TEST_CASE("The quota rule's draw per unit agrees with a plain GEOS overlay of site and city",
          "[core][engine][quota]") {
    // The reference is computed another way: the site intersected with each whole city
    // polygon by GEOS (no pieces, no moments), measured on the ellipsoid.
    const auto plan = core::Plan::load(std::string(ONEMAP_SAMPLE_DIR) + "/g60.toml");
    const auto map = core::OneMap::load(plan);
    const core::MapLayer& city = *map->adminLayer();
    // Boxes where two cities meet (they straddle both) and inside cities, 80 m to 3 km across.
    std::vector<gis::Geometry> shapes;
    std::vector<std::string> ids;
    for (std::size_t c = 0; c < city.size(); ++c) {
        const auto box = city.geometry(c).envelope();
        for (std::size_t d = c + 1; d < city.size(); ++d) {
            if (city.geometry(c).distance(city.geometry(d)) > 0) continue;
            const auto meet = city.geometry(c).nearestPoints(city.geometry(d)).first;
            for (int k = 0; k < 4; ++k) {
                shapes.push_back(rotatedBox(meet, 80.0 + 900.0 * k, 60.0 + 700.0 * k, 0.2 * k));
                ids.push_back("meet" + std::to_string(c) + "-" + std::to_string(d) + "-" +
                              std::to_string(k));
            }
        }
        for (int k = 0; k < 8; ++k) {
            const gis::Point spot{box.minx + box.width() * (0.2 + 0.08 * k),
                                  box.miny + box.height() * (0.3 + 0.05 * k)};
            shapes.push_back(rotatedBox(spot, 80.0 + 400.0 * k, 40.0 + 200.0 * k, 0.3 * k));
            ids.push_back("in" + std::to_string(c) + "-" + std::to_string(k));
        }
    }
    const auto sites = core::SiteSet::fromGeometries(test::layerOf("sites", shapes, ids), plan.crs);
    const gis::EllipsoidalMeasure measure(plan.crs);
    const core::ComplianceEngine engine(map, {"land-quota"});
    std::size_t straddling = 0;
    for (const auto& site : sites.sites) {
        INFO("site " << site.id);
        std::vector<std::pair<std::string, double>> expected;
        for (std::size_t c = 0; c < city.size(); ++c) {
            const auto part = site.geometry.intersection(city.geometry(c)).polygonalPart();
            const double m2 = part.isEmpty() ? 0 : measure.area(part);
            if (m2 >= core::kNoiseFloorM2) expected.emplace_back(city.label(c), m2);
        }
        const auto report = engine.check(sites, site);
        REQUIRE(report.rules.size() == 1);
        const auto& rule = report.rules.front();
        if (expected.empty()) {
            CHECK_FALSE(rule.passed);  // in no unit: no quota to draw on
            continue;
        }
        const auto measureNamed = [&](const std::string& name) -> const core::Measure* {
            for (const auto& m : rule.measures)
                if (m.name == name) return &m;
            return nullptr;
        };
        if (expected.size() == 1) {
            const auto* m = measureNamed("this_m2");
            REQUIRE(m != nullptr);
            CHECK(std::abs(*m->number() - expected[0].second) <= 1e-9 * expected[0].second);
            continue;
        }
        ++straddling;
        const auto* by = measureNamed("this_by_m2");
        REQUIRE(by != nullptr);
        REQUIRE(by->breakdown.size() == expected.size());
        for (const auto& [name, m2] : expected) {
            const std::string& unit = name;  // clang 14 cannot capture a structured binding
            const auto it = std::find_if(by->breakdown.begin(), by->breakdown.end(),
                                         [&](const auto& b) { return b.first == unit; });
            REQUIRE(it != by->breakdown.end());
            CHECK(std::abs(it->second - m2) <= 1e-9 * m2);
        }
    }
    CHECK(straddling > 10);  // the sites on shared edges did straddle two cities
}
