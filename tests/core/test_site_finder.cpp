// onemap find on hand-made plans whose answers are known: free land against a grid count,
// one free rectangle giving one plot equal to it, the binding constraint named, bad briefs.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "../test_support.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/core/check/one_map.hpp"
#include "onemap/core/find/site_finder.hpp"
#include "onemap/core/report/find_report.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/gis/layer/layer_writer.hpp"

using namespace onemap;
namespace fs = std::filesystem;
using test::rect;

namespace {

// On the central meridian of EPSG:4549 the plane's scale is 1: plane and ground agree.
constexpr double X0 = 500000, Y0 = 3400000;

gis::VectorLayer withText(gis::VectorLayer l, const std::string& field,
                          const std::vector<std::string>& values) {
    l.fields.push_back({field, gis::FieldType::String});
    for (std::size_t i = 0; i < l.features.size(); ++i) l.features[i].values.push_back(values[i]);
    return l;
}

const char* kPlanHead = R"(name = "t"
crs = "EPSG:4549"
[[layers]]
id = "city"
title = "城市"
source = "l.gpkg"
table = "city"
role = "admin"
label = "id"
[[layers]]
id = "dev"
title = "开发边界"
source = "l.gpkg"
table = "dev"
[[layers]]
id = "farm"
title = "农田"
source = "l.gpkg"
table = "farm"
[[rules]]
id = "in-dev"
title = "位于开发边界内"
kind = "must_be_within"
layer = "dev"
[[rules]]
id = "no-farm"
title = "不占农田"
kind = "must_not_overlap"
layer = "farm"
)";

struct Plans {
    fs::path dir = test::scratch("finder-" + std::to_string(::getpid()));

    std::shared_ptr<const core::OneMap> load(const std::vector<gis::VectorLayer>& layers,
                                             const std::string& extra = "",
                                             bool withAdmin = true) const {
        std::vector<const gis::VectorLayer*> ptrs;
        for (const auto& l : layers) ptrs.push_back(&l);
        fs::remove(dir / "l.gpkg");
        gis::writeLayers((dir / "l.gpkg").string(), ptrs);
        std::string head = kPlanHead;
        if (!withAdmin) head.erase(head.find("role = \"admin\"\n"), 15);
        std::ofstream(dir / "plan.toml") << head << extra;
        return core::OneMap::load(core::Plan::load((dir / "plan.toml").string()));
    }
};

double groundArea(const gis::Geometry& g) {
    return gis::EllipsoidalMeasure(gis::Crs::fromEpsg(4549)).area(g);
}

double segmentDistance(double px, double py, double ax, double ay, double bx, double by) {
    const double dx = bx - ax, dy = by - ay;
    const double t = std::clamp(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
    return std::hypot(px - (ax + t * dx), py - (ay + t * dy));
}

}  // namespace

TEST_CASE("One free rectangle of the requested size gives one plot equal to it", "[core][find]") {
    Plans p;
    const gis::Geometry free = rect(X0 + 100, Y0 + 100, X0 + 500, Y0 + 350);  // 400 × 250
    const auto map = p.load({test::layerOf("city", {rect(X0, Y0, X0 + 2000, Y0 + 1000)}, {"A"}),
                             test::layerOf("dev", {free}),
                             test::layerOf("farm", {rect(X0, Y0, X0 + 1, Y0 + 1)})});
    core::ProjectBrief brief;
    brief.areaM2 = groundArea(free);
    const auto r = core::SiteFinder(map, brief).find();
    CHECK(r.freeLand.areaM2 == Approx(brief.areaM2).epsilon(1e-6));
    REQUIRE(r.candidates.size() == 1);
    const auto& c = r.candidates[0];
    CHECK(c.areaM2 == Approx(brief.areaM2).epsilon(0.01));
    const gis::Geometry plot = c.check.geometry;
    CHECK(plot.difference(free).area() < 0.01);
    CHECK(free.difference(plot).area() < 0.01 * free.area());
    CHECK(c.check.verdict() == core::Verdict::Pass);
    CHECK(c.id == "C-001");
    CHECK(c.pareto);
    CHECK(r.binding.find("only 1 separate plot") != std::string::npos);
}

TEST_CASE("No room: the constraint that binds is named", "[core][find]") {
    Plans p;
    const gis::Geometry dev = rect(X0 + 100, Y0 + 100, X0 + 500, Y0 + 350);
    const auto city = test::layerOf("city", {rect(X0, Y0, X0 + 2000, Y0 + 1000)}, {"A"});
    SECTION("farmland covers the development boundary") {
        const auto map =
            p.load({city, test::layerOf("dev", {dev}),
                    test::layerOf("farm", {rect(X0 + 50, Y0 + 50, X0 + 600, Y0 + 400)})});
        core::ProjectBrief brief;
        brief.areaM2 = 10000;
        const auto r = core::SiteFinder(map, brief).find();
        CHECK(r.candidates.empty());
        CHECK(r.freeLand.areaM2 == 0);
        REQUIRE(r.freeLand.emptiedBy());
        CHECK(r.freeLand.emptiedBy()->constraint == "no-farm");
        CHECK(r.binding.find("rule 'no-farm'") != std::string::npos);
    }
    SECTION("the largest free piece is smaller than the plot") {
        const auto map = p.load({city, test::layerOf("dev", {dev}),
                                 test::layerOf("farm", {rect(X0 + 290, Y0, X0 + 310, Y0 + 500)})});
        core::ProjectBrief brief;
        brief.areaM2 = 60000;  // 190 × 250 and 190 × 250 are free
        const auto r = core::SiteFinder(map, brief).find();
        CHECK(r.candidates.empty());
        CHECK(r.freeLand.largestPieceM2 == Approx(190.0 * 250).epsilon(1e-4));
        CHECK(r.binding.find("the largest free piece is 47,500") != std::string::npos);
    }
    SECTION("the project's own figure fails an attribute rule: every plot fails the check") {
        const auto map = p.load({city, test::layerOf("dev", {dev}),
                                 test::layerOf("farm", {rect(X0, Y0, X0 + 1, Y0 + 1)})},
                                R"(
[[rules]]
id = "plot-ratio"
title = "容积率"
kind = "attribute"
field = "plot_ratio"
op = ">="
value = 1.0
)");
        core::ProjectBrief brief;
        brief.areaM2 = 10000;
        const auto unchecked = core::SiteFinder(map, brief).find();
        CHECK(unchecked.candidates.size() == 5);  // no plot_ratio given: the rule is left out
        REQUIRE(unchecked.notes.size() == 1);
        CHECK(unchecked.notes[0].find("'plot-ratio'") != std::string::npos);
        brief.attributes["plot_ratio"] = 0.8;
        const auto r = core::SiteFinder(map, brief).find();
        CHECK(r.candidates.empty());
        CHECK(r.freeLand.areaM2 > 0);
        CHECK(r.binding.find("failed the check (plot-ratio)") != std::string::npos);
        brief.attributes["plot_ratio"] = 1.2;
        CHECK(core::SiteFinder(map, brief).find().candidates.size() == 5);
    }
    SECTION("without an admin layer free land starts from the map's extent") {
        const auto map = p.load({city, test::layerOf("dev", {dev}),
                                 test::layerOf("farm", {rect(X0, Y0, X0 + 1, Y0 + 1)})},
                                "", false);
        REQUIRE(map->adminLayer() == nullptr);
        core::ProjectBrief brief;
        brief.areaM2 = 10000;
        const auto r = core::SiteFinder(map, brief).find();
        CHECK(r.freeLand.steps.at(0).constraint == "extent");
        CHECK(r.freeLand.steps.at(0).areaM2 == Approx(2000.0 * 1000).epsilon(1e-6));
        CHECK(r.freeLand.areaM2 == Approx(400.0 * 250).epsilon(1e-6));
        CHECK(r.freeLand.perCity.empty());
        CHECK(r.candidates.size() == 5);
    }
    SECTION("a city the admin layer does not have is an input error") {
        const auto map = p.load({city, test::layerOf("dev", {dev}),
                                 test::layerOf("farm", {rect(X0, Y0, X0 + 1, Y0 + 1)})});
        core::ProjectBrief brief;
        brief.areaM2 = 1000;
        brief.cities = {"Atlantis"};
        CHECK_THROWS_WITH(core::SiteFinder(map, brief).find(),
                          Catch::Contains("Atlantis") && Catch::Contains("A"));
    }
}

TEST_CASE("Free land equals a fine grid count of the plan's constraints", "[core][find]") {
    Plans p;
    // Two cities; development land in both; farmland rectangles and a triangle; a rail line
    // with a 50 m setback; a station whose 1,800 m reach cuts the east end.
    const auto city = test::layerOf(
        "city", {rect(X0, Y0, X0 + 2000, Y0 + 1000), rect(X0 + 2000, Y0, X0 + 4000, Y0 + 1000)},
        {"A", "B"});
    const auto dev = test::layerOf("dev", {rect(X0 + 200, Y0 + 100, X0 + 1800, Y0 + 900),
                                           rect(X0 + 1900, Y0 + 200, X0 + 3900, Y0 + 800)});
    const auto farm = test::layerOf("farm", {rect(X0 + 400, Y0 + 300, X0 + 700, Y0 + 500),
                                             rect(X0 + 1700, Y0 + 150, X0 + 2100, Y0 + 350),
                                             gis::Geometry::polygon({{{X0 + 2500, Y0 + 300},
                                                                      {X0 + 3000, Y0 + 300},
                                                                      {X0 + 2700, Y0 + 700},
                                                                      {X0 + 2500, Y0 + 300}}})});
    const auto rail =
        test::layerOf("rail", {gis::Geometry::lineString({{X0, Y0 + 600}, {X0 + 4000, Y0 + 650}})});
    const auto station = test::layerOf("station", {gis::Geometry::point(X0 + 1500, Y0 + 620)});
    const auto map = p.load({city, dev, farm, rail, station}, R"(
[[layers]]
id = "rail"
title = "铁路"
source = "l.gpkg"
table = "rail"
[[layers]]
id = "station"
title = "车站"
source = "l.gpkg"
table = "station"
[[rules]]
id = "rail-setback"
title = "铁路退让"
kind = "min_distance"
layer = "rail"
distance_m = 50
[[rules]]
id = "near-station"
title = "近车站"
kind = "max_distance"
layer = "station"
distance_m = 1800
)");
    core::ProjectBrief brief;
    brief.areaM2 = 20000;
    brief.count = 3;
    const auto r = core::SiteFinder(map, brief).find();

    // The same constraints, point by point on a 1 m grid.
    const auto isFree = [](double x, double y) {
        const auto in = [&](double x0, double y0, double x1, double y1) {
            return x > x0 && x < x1 && y > y0 && y < y1;
        };
        if (!in(200, 100, 1800, 900) && !in(1900, 200, 3900, 800)) return false;
        if (in(400, 300, 700, 500) || in(1700, 150, 2100, 350)) return false;
        // The triangle (2500,300) (3000,300) (2700,700).
        const auto side = [&](double ax, double ay, double bx, double by) {
            return (bx - ax) * (y - ay) - (by - ay) * (x - ax);
        };
        if (side(2500, 300, 3000, 300) > 0 && side(3000, 300, 2700, 700) > 0 &&
            side(2700, 700, 2500, 300) > 0)
            return false;
        if (segmentDistance(x, y, 0, 600, 4000, 650) < 50) return false;
        return std::hypot(x - 1500, y - 620) <= 1800;
    };
    double count = 0, countA = 0;
    for (double y = 0.5; y < 1000; y += 1)
        for (double x = 0.5; x < 4000; x += 1)
            if (isFree(x, y)) {
                ++count;
                if (x < 2000) ++countA;
            }
    CHECK(r.freeLand.areaM2 == Approx(count).epsilon(0.005));
    REQUIRE(r.freeLand.perCity.size() == 2);
    for (const auto& c : r.freeLand.perCity)
        CHECK(c.areaM2 == Approx(c.name == "A" ? countA : count - countA).epsilon(0.005));
    // Small tiles, most of them inside a city without one of its edges: the same land.
    core::FreeLandQuery tiles;
    tiles.tileM = 300;
    const auto fine = core::computeFreeLand(*map, tiles);
    CHECK(fine.areaM2 == Approx(r.freeLand.areaM2).epsilon(1e-6));
    CHECK(fine.steps.at(0).areaM2 == Approx(4000.0 * 1000).epsilon(1e-6));
    // Nothing fits a 300-ha plot: the step that cut most is relaxed and what it gives said.
    core::ProjectBrief huge = brief;
    huge.areaM2 = 3e6;
    const auto none = core::SiteFinder(map, huge).find();
    CHECK(none.candidates.empty());
    const core::FreeLandStep* cut = nullptr;
    double kept = 1;
    for (std::size_t i = 1; i < r.freeLand.steps.size(); ++i) {
        const double k = r.freeLand.steps[i].areaM2 / r.freeLand.steps[i - 1].areaM2;
        if (k < kept) kept = k, cut = &r.freeLand.steps[i];
    }
    REQUIRE(cut);
    CHECK(cut->kind == "must_be_within");  // the development boundary keeps 62 % of the cities
    core::FreeLandQuery without;
    without.withoutRules = {cut->constraint};
    const auto relaxed = core::computeFreeLand(*map, without);
    CHECK(relaxed.areaM2 > r.freeLand.areaM2 * 1.5);
    INFO(none.relaxation);
    CHECK_THAT(none.relaxation, Catch::Contains("without rule '" + cut->constraint + "'") &&
                                    Catch::Contains(core::describeArea(relaxed.areaM2)));
    REQUIRE(r.freeLand.steps.size() == 5);
    CHECK(r.freeLand.steps[0].areaM2 == Approx(4000.0 * 1000).epsilon(1e-6));
    CHECK(r.freeLand.steps[1].areaM2 == Approx(1600.0 * 800 + 2000 * 600).epsilon(1e-6));

    // Candidates: as many as asked, apart, the right size and shape, each passing the check.
    REQUIRE(r.candidates.size() == 3);
    for (std::size_t i = 0; i < r.candidates.size(); ++i) {
        const auto& c = r.candidates[i];
        INFO(c.id);
        CHECK(c.areaM2 == Approx(brief.areaM2).epsilon(0.01));
        CHECK(c.check.verdict() == core::Verdict::Pass);
        CHECK(c.rank == static_cast<int>(i + 1));
        CHECK(c.nearestM.has_value());
        const auto box = c.check.geometry.envelope();
        CHECK(std::max(box.width(), box.height()) < 2 * std::sqrt(2.0 * brief.areaM2));
        for (std::size_t j = 0; j < i; ++j)
            CHECK_FALSE(c.check.geometry.intersects(r.candidates[j].check.geometry));
        if (i > 0) CHECK(c.score <= r.candidates[i - 1].score);
    }
    CHECK(r.binding.empty());

    // Wider than a 1.5:1 plot's short side (115 m): only squares of 141.4 m are left.
    brief.minWidthM = 130;
    brief.count = 2;
    const auto wide = core::SiteFinder(map, brief).find();
    REQUIRE(wide.candidates.size() == 2);
    for (const auto& c : wide.candidates) {
        const auto ring = c.check.geometry.polygons().at(0).at(0);
        for (std::size_t i = 1; i < ring.size(); ++i) {
            const double side = std::hypot(ring[i].x - ring[i - 1].x, ring[i].y - ring[i - 1].y);
            CHECK(side >= 130);
            CHECK(side == Approx(std::sqrt(brief.areaM2)).epsilon(0.005));
        }
    }
}

TEST_CASE("The industry picks the parks: by code or by the name parks carry", "[core][find]") {
    Plans p;
    const auto city = test::layerOf("city", {rect(X0, Y0, X0 + 3000, Y0 + 1000)}, {"A"});
    const auto dev = test::layerOf("dev", {rect(X0, Y0, X0 + 3000, Y0 + 1000)});
    const auto park = withText(test::layerOf("park",
                                             {rect(X0 + 100, Y0 + 100, X0 + 900, Y0 + 900),
                                              rect(X0 + 2000, Y0 + 100, X0 + 2900, Y0 + 900)},
                                             {"P1", "P2"}),
                               "industry", {"ic", "bio"});
    const auto named = withText(park, "industry_cn", {"集成电路", "生物医药"});
    const auto map =
        p.load({city, dev, test::layerOf("farm", {rect(X0, Y0, X0 + 1, Y0 + 1)}), named},
               R"(
[[layers]]
id = "park"
title = "园区"
source = "l.gpkg"
table = "park"
id_field = "id"
[[rules]]
id = "park-industry"
title = "产业相符"
kind = "must_be_within"
layer = "park"
match = { site = "industry", layer = "industry" }
)");
    core::ProjectBrief brief;
    brief.areaM2 = 100000;
    brief.count = 3;
    CHECK_THROWS_WITH(core::SiteFinder(map, brief).find(), Catch::Contains("--industry"));
    for (const std::string industry : {"ic", "集成电路"}) {
        INFO(industry);
        brief.industry = industry;
        const auto r = core::SiteFinder(map, brief).find();
        CHECK(r.freeLand.areaM2 == Approx(800.0 * 800).epsilon(1e-6));
        REQUIRE_FALSE(r.candidates.empty());
        for (const auto& c : r.candidates) {
            CHECK(rect(X0 + 100, Y0 + 100, X0 + 900, Y0 + 900).covers(c.check.geometry));
            CHECK(c.park == "P1");
            CHECK(c.check.verdict() == core::Verdict::Pass);
        }
    }
    // An industry no park has is an input problem, naming the codes and names the parks carry.
    brief.industry = "nothing";
    CHECK_THROWS_WITH(core::SiteFinder(map, brief).find(),
                      Catch::Contains("'nothing'") &&
                          Catch::Contains("bio 生物医药, ic 集成电路") &&
                          Catch::Contains("--any-park"));
    // The rule is an error here: --any-park cannot waive it.
    brief.anyPark = true;
    CHECK_THROWS_WITH(core::SiteFinder(map, brief).find(), Catch::Contains("park-industry"));
}

TEST_CASE("A bad brief names its line", "[core][find]") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"name = \"x\"\narea_mu = \"big\"\n", "b.toml:2:"},
        {"area_mu = 10\narea_m2 = 10\n", "b.toml:2:"},
        {"area_mu = 10\ncount = 0\n", "b.toml:2:"},
        {"area_mu = 10\n\ncolour = 1\n", "b.toml:3:"},
        {"area_mu = 10\n[weights]\nstation = -1\n", "b.toml:3:"},
        {"area_mu = 10\n[weights]\nbeauty = 1\n", "b.toml:3:"},
        {"area_mu = 10\n[attributes]\nplot_ratio = [1]\n", "b.toml:3:"},
        {"area_mu = 10\ncities = \"苏州市\"\n", "b.toml:2:"},
        {"area_mu = -3\n", "b.toml:1:"},
        {"name = \"x\"\n", "area"},
        {"area_mu = 10\nname = \n", "b.toml:2:"},
        {"area_mu = 10\n[attributes]\nid = \"x\"\n", "b.toml:3:"},
        {"area_mu = 10\nstation_full_m = -1\n", "b.toml:2:"},
        {"area_mu = 10\n\nstation_zero_m = 2000\n", "b.toml:3:"},
        {"area_mu = 10\nstation_full_m = 5000\nstation_zero_m = 5000\n", "b.toml:3:"},
        {"area_mu = 10\nany_park = \"yes\"\n", "b.toml:2:"},
    };
    for (const auto& [text, where] : cases) {
        INFO(text);
        CHECK_THROWS_AS(core::ProjectBrief::parse(text, "b.toml"), InputError);
        CHECK_THROWS_WITH(core::ProjectBrief::parse(text, "b.toml"), Catch::Contains(where));
    }
    const auto b = core::ProjectBrief::parse(
        "name = \"芯片厂\"\narea_mu = 150\nindustry = \"ic\"\ncount = 3\ncities = [\"苏州市\"]\n"
        "max_aspect = 1.5\nmin_width_m = 100\n"
        "station_full_m = 2000\nstation_zero_m = 12000\nany_park = true\n"
        "[attributes]\nplot_ratio = 1.5\n"
        "[weights]\nstation = 2\n",
        "b.toml");
    CHECK(b.stationFullM == 2000);
    CHECK(b.stationZeroM == 12000);
    CHECK(b.anyPark);
    CHECK(b.areaM2 == Approx(100000));
    CHECK(b.count == 3);
    CHECK(b.cities == std::vector<std::string>{"苏州市"});
    CHECK(b.maxAspect == 1.5);
    CHECK(b.minWidthM == 100);
    CHECK(gis::toNumber(b.attributes.at("plot_ratio")) == 1.5);
    CHECK(b.weights.at("station") == 2);
}

TEST_CASE("Station access saturates: plots 500 m and 2 km from a station score alike",
          "[core][find]") {
    // Three free rectangles of the plot's size east of a station, their west sides 500 m,
    // 2 km and 6.5 km from it. The term is 1 within 3 km and falls linearly to 0 at the
    // rule's 10 km: 1, 1 and (10,000 − d) / 7,000 ≈ ½, d measured here by GEOS.
    Plans p;
    const gis::Geometry station = gis::Geometry::point(X0, Y0 + 1000);
    std::vector<gis::Geometry> free;
    for (const double west : {500.0, 2000.0, 6500.0})
        free.push_back(rect(X0 + west, Y0 + 875, X0 + west + 400, Y0 + 1125));
    auto stations = test::layerOf("station", {station}, {"S"});
    const auto map =
        p.load({test::layerOf("city", {rect(X0 - 100, Y0, X0 + 8000, Y0 + 2000)}, {"A"}),
                test::layerOf("dev", free), test::layerOf("farm", {rect(X0, Y0, X0 + 1, Y0 + 1)}),
                stations},
               R"(
[[layers]]
id = "station"
title = "高铁站"
source = "l.gpkg"
table = "station"
id_field = "id"
[[rules]]
id = "near-station"
title = "距高铁站不超过10公里"
kind = "max_distance"
layer = "station"
distance_m = 10000
severity = "warning"
)");
    core::ProjectBrief brief;
    brief.areaM2 = groundArea(free[0]);
    brief.count = 3;
    const auto r = core::SiteFinder(map, brief).find();
    REQUIRE(r.candidates.size() == 3);
    std::map<int, double> term;  // by the free rectangle holding the plot
    for (const auto& c : r.candidates) {
        const double d = c.check.geometry.distance(station);
        const int which = d < 1000 ? 0 : d < 3000 ? 1 : 2;
        CHECK(free[static_cast<std::size_t>(which)].covers(c.check.geometry));
        REQUIRE(c.terms.at(0).name == "station");
        term[which] = c.terms[0].value;
        if (which == 2) CHECK(c.terms[0].value == Approx((10000 - d) / 7000).margin(1e-3));
    }
    REQUIRE(term.size() == 3);
    CHECK(term[0] == 1);
    CHECK(term[1] == term[0]);  // nearer than 3 km earns nothing more
    CHECK(term[2] == Approx(0.5).margin(0.01));

    // The band is the brief's: full marks within 1 km, 0 from 5 km.
    brief.stationFullM = 1000;
    brief.stationZeroM = 5000;
    for (const auto& c : core::SiteFinder(map, brief).find().candidates) {
        const double d = c.check.geometry.distance(station);
        CHECK(c.terms[0].value == Approx(std::clamp((5000 - d) / 4000, 0.0, 1.0)).margin(1e-3));
    }
}

TEST_CASE("Contiguity: a plot among free land scores 1, one against its edge less",
          "[core][find]") {
    // One free square 2 km wide: a plot at its middle has free land all round (1); hugging
    // an edge earns nothing. The candidates' contiguity is the share of a 200 m ring around
    // each that is free, computed here from the square by GEOS.
    Plans p;
    const gis::Geometry dev = rect(X0 + 100, Y0 + 100, X0 + 2100, Y0 + 2100);
    const auto map = p.load({test::layerOf("city", {rect(X0, Y0, X0 + 3000, Y0 + 3000)}, {"A"}),
                             test::layerOf("dev", {dev}),
                             test::layerOf("farm", {rect(X0, Y0, X0 + 1, Y0 + 1)})});
    core::ProjectBrief brief;
    brief.areaM2 = 100000;
    brief.count = 8;
    const auto r = core::SiteFinder(map, brief).find();
    REQUIRE_FALSE(r.candidates.empty());
    double best = 0;
    for (const auto& c : r.candidates) {
        const gis::Geometry ring = c.check.geometry.buffer(200, 8).difference(c.check.geometry);
        const double share = ring.intersection(dev).area() / ring.area();
        const auto t = std::find_if(c.terms.begin(), c.terms.end(), [](const core::ScoreTerm& s) {
            return s.name == "contiguity";
        });
        REQUIRE(t != c.terms.end());
        CHECK(t->value == Approx(share).margin(1e-3));
        best = std::max(best, t->value);
    }
    CHECK(best == Approx(1));
    CHECK(r.candidates[0].terms.size() >= 3);
}
