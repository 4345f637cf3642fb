// The bundled G60 one map keeps the promises its README makes.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "../test_support.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/geom/prepared_geometry.hpp"
#include "onemap/gis/index/spatial_index.hpp"
#include "onemap/gis/layer/layer_reader.hpp"

using namespace onemap::gis;
namespace fs = std::filesystem;

namespace {

const std::string kGpkg = std::string(ONEMAP_SAMPLE_DIR) + "/g60.gpkg";

VectorLayer layer(const std::string& name) { return readLayer(kGpkg, ReadOptions::forTable(name)); }

Geometry unionOf(const VectorLayer& l) {
    std::vector<Geometry> parts;
    for (const auto& f : l.features) parts.push_back(f.geometry);
    return Geometry::unionOf(parts);
}

}  // namespace

TEST_CASE("Sample layers: names, counts, CRS, validity", "[sample]") {
    // Tables with geometry first, then the quota transfers (no geometry).
    const std::vector<std::string> names{
        "city",          "water",    "farmland",   "redline", "devbound",
        "park",          "axis",     "rail",       "station", "devbound_2021",
        "farmland_2021", "services", "population", "roads",   "quota_transfers"};
    CHECK(listLayers(kGpkg) == names);
    for (const auto& n : names) {
        if (n == "quota_transfers") continue;  // a table: checked below
        INFO(n);
        const auto l = layer(n);
        CHECK(l.crs.epsg() == 4549);
        CHECK(!l.features.empty());
        for (const auto& f : l.features) {
            INFO("fid " << f.fid);
            REQUIRE(f.geometry.isValid());
            REQUIRE_FALSE(f.geometry.isEmpty());
        }
        REQUIRE(l.fieldIndex("synthetic"));
        // Real cities and water (GSHHG) are not synthetic; every other layer's features are.
        const auto synthetic = *l.fieldIndex("synthetic");
        for (const auto& f : l.features)
            CHECK(std::get<std::int64_t>(f.values[synthetic]) ==
                  (n == "water" || n == "city" ? 0 : 1));
    }
    const auto city = layer("city");
    std::set<std::string> cities;
    for (std::size_t i = 0; i < city.features.size(); ++i)
        cities.insert(toString(city.value(i, "name")));
    CHECK(cities == std::set<std::string>{"松江区", "苏州市", "杭州市", "湖州市", "嘉兴市",
                                          "金华市", "合肥市", "芜湖市", "宣城市"});
    CHECK(layer("farmland").features.size() >= 50000);
    // Real boundaries: total area close to the corridor's official 76,200 km² (within 3 %).
    double area = 0;
    for (const auto& f : city.features) area += f.geometry.area();
    CHECK(area / 1e6 == Approx(76200).epsilon(0.03));
    CHECK(fs::file_size(kGpkg) + fs::file_size(std::string(ONEMAP_SAMPLE_DIR) + "/sites.gpkg") <
          40u * 1024 * 1024);
}

TEST_CASE("Sample farmland stays outside red lines, development boundaries and water", "[sample]") {
    const auto farmland = layer("farmland");
    const PreparedGeometry red(unionOf(layer("redline")));
    const PreparedGeometry dev(unionOf(layer("devbound")));
    const PreparedGeometry water(unionOf(layer("water")));
    std::size_t bad = 0;
    std::set<std::string> ids;
    for (const auto& f : farmland.features) {
        if (red.intersects(f.geometry) || dev.intersects(f.geometry) ||
            water.intersects(f.geometry))
            ++bad;
        ids.insert(toString(f.values[*farmland.fieldIndex("parcel_id")]));
    }
    CHECK(bad == 0);
    CHECK(ids.size() == farmland.features.size());
    // The bundled one map is clean: no parcel overlaps another (duplicates come with --dirty).
    std::vector<Envelope> boxes;
    for (const auto& f : farmland.features) boxes.push_back(f.geometry.envelope());
    const SpatialIndex index(boxes);
    std::size_t overlapping = 0;
    for (std::size_t i = 0; i < farmland.features.size(); ++i) {
        for (auto j : index.query(boxes[i])) {
            if (j > i &&
                farmland.features[i].geometry.intersection(farmland.features[j].geometry).area() >
                    0.01) {
                ++overlapping;
            }
        }
    }
    CHECK(overlapping == 0);
}

TEST_CASE("Sample history: 2021 versions, register and quota transfers hang together", "[sample]") {
    // 2021 farmland is today's less the 2024 designations: a subset, by id, outside the 2021
    // boundary and the red line; the 2021 boundary lies inside today's except the land given
    // up around P-017.
    const auto farmland = layer("farmland"), farmland2021 = layer("farmland_2021");
    std::set<std::string> now;
    for (std::size_t i = 0; i < farmland.features.size(); ++i)
        now.insert(toString(farmland.value(i, "parcel_id")));
    std::size_t strays = 0;
    for (std::size_t i = 0; i < farmland2021.features.size(); ++i)
        strays += now.count(toString(farmland2021.value(i, "parcel_id"))) ? 0 : 1;
    CHECK(strays == 0);
    CHECK(farmland2021.features.size() < farmland.features.size());
    CHECK(farmland2021.features.size() > farmland.features.size() * 9 / 10);
    const auto dev2021 = unionOf(layer("devbound_2021")), devNow = unionOf(layer("devbound"));
    const PreparedGeometry dev(dev2021);
    std::size_t inside = 0;
    for (const auto& f : farmland2021.features) inside += dev.intersects(f.geometry) ? 1 : 0;
    CHECK(inside == 0);
    const auto sites = readLayer(std::string(ONEMAP_SAMPLE_DIR) + "/sites.gpkg");
    const Geometry* p17 = nullptr;
    for (std::size_t i = 0; i < sites.features.size(); ++i)
        if (toString(sites.value(i, "id")) == "P-017") p17 = &sites.features[i].geometry;
    REQUIRE(p17);
    CHECK(dev2021.covers(*p17));
    CHECK_FALSE(devNow.covers(*p17));
    const double givenUp = dev2021.difference(devNow).area();
    CHECK(givenUp > 1e6);  // the land around P-017, ~1.5 km across
    CHECK(givenUp < 2e7);

    // The register: a file of its own with the approval fields, dated, clear of every site.
    const auto reg = readLayer(std::string(ONEMAP_SAMPLE_DIR) + "/register.gpkg",
                               ReadOptions::forTable("register"));
    REQUIRE(reg.features.size() == 6);
    for (std::size_t i = 0; i < reg.features.size(); ++i) {
        CHECK(toString(reg.value(i, "approved")).size() == 10);
        CHECK(dev2021.covers(reg.features[i].geometry));
        for (const auto& s : sites.features)
            CHECK_FALSE(s.geometry.intersects(reg.features[i].geometry));
    }
    // Transfers: a table of from, to, mu between cities of the city layer.
    const auto transfers = layer("quota_transfers");
    CHECK(transfers.geometryType == "None");
    REQUIRE(transfers.features.size() == 2);
    const auto city = layer("city");
    std::set<std::string> names;
    for (std::size_t i = 0; i < city.features.size(); ++i) {
        names.insert(toString(city.value(i, "name")));
        CHECK(toNumber(city.value(i, "land_quota_mu")).value_or(0) > 0);
    }
    for (std::size_t i = 0; i < transfers.features.size(); ++i) {
        CHECK(names.count(toString(transfers.value(i, "from"))) == 1);
        CHECK(names.count(toString(transfers.value(i, "to"))) == 1);
        CHECK(toNumber(transfers.value(i, "mu")).value_or(0) > 0);
    }
}

TEST_CASE("Sample parks lie in development boundaries, stations in their cities", "[sample]") {
    const PreparedGeometry dev(unionOf(layer("devbound")));
    for (const auto& f : layer("park").features) CHECK(dev.covers(f.geometry));
    const auto city = layer("city");
    const auto stations = layer("station");
    for (std::size_t i = 0; i < stations.features.size(); ++i) {
        const std::string name = toString(stations.value(i, "city"));
        for (std::size_t c = 0; c < city.features.size(); ++c) {
            if (toString(city.value(c, "name")) != name) continue;
            INFO(toString(stations.value(i, "name")));
            CHECK(city.features[c].geometry.covers(stations.features[i].geometry));
        }
    }
}

TEST_CASE("Sample sites and parks stay off water, rail lines run on past their last stations",
          "[sample]") {
    const PreparedGeometry water(unionOf(layer("water")));
    for (const auto& f : layer("park").features) CHECK_FALSE(water.intersects(f.geometry));
    const auto sites = readLayer(std::string(ONEMAP_SAMPLE_DIR) + "/sites.gpkg");
    for (const auto& f : sites.features) {
        INFO("site fid " << f.fid);
        CHECK_FALSE(water.intersects(f.geometry));
    }
    // 太湖, 巢湖 and 千岛湖 are there, with their names, as the lakes they are (GSHHG areas
    // within the nine cities: 太湖 ~1,750 km² of its ~2,340, 巢湖 ~790, 千岛湖 ~530).
    const auto w = layer("water");
    std::map<std::string, double> km2;
    for (std::size_t i = 0; i < w.features.size(); ++i)
        km2[toString(w.value(i, "name"))] += w.features[i].geometry.area() / 1e6;
    CHECK(km2["太湖"] == Approx(1750).epsilon(0.1));
    CHECK(km2["巢湖"] == Approx(790).epsilon(0.1));
    CHECK(km2["千岛湖"] == Approx(530).epsilon(0.1));
    // A line ends beyond its last station, or at a junction where another line goes on: a
    // site near the end of the network is nearer the line than any station on it.
    const auto stations = layer("station");
    const auto rail = layer("rail");
    for (const auto& f : rail.features) {
        const auto paths = f.geometry.paths();
        REQUIRE(paths.size() == 1);
        for (const auto& end : {paths[0].front(), paths[0].back()}) {
            const auto at = Geometry::point(end.x, end.y);
            double nearest = 1e30;
            for (const auto& s : stations.features)
                nearest = std::min(nearest, s.geometry.distance(at));
            int through = 0;  // lines passing the end, not ending there
            for (const auto& other : rail.features) {
                const auto p = other.geometry.paths()[0];
                const bool endsHere = Geometry::point(p.front().x, p.front().y).distance(at) < 1 ||
                                      Geometry::point(p.back().x, p.back().y).distance(at) < 1;
                if (!endsHere && other.geometry.distance(at) < 1) ++through;
            }
            INFO("end at " << end.x << ", " << end.y);
            CHECK((nearest > 2000 || through > 0));
        }
    }
    // Parks lie at their real towns: 吴江汾湖 ~40 km south-east of 苏州工业园区, 湖州莫干山
    // (德清) ~40 km south of 南太湖.
    const auto parks = layer("park");
    std::map<std::string, Geometry> park;
    for (std::size_t i = 0; i < parks.features.size(); ++i)
        park[toString(parks.value(i, "name"))] = parks.features[i].geometry;
    CHECK(park["吴江汾湖集成电路园"].distance(park["苏州工业园区集成电路产业园"]) > 25000);
    CHECK(park["湖州莫干山智能制造园"].distance(park["湖州南太湖智能装备园"]) > 25000);
}

TEST_CASE("Sample sites: 30 polygons with unique ids and the indicator fields", "[sample]") {
    const auto sites = readLayer(std::string(ONEMAP_SAMPLE_DIR) + "/sites.gpkg");
    CHECK(sites.features.size() == 30);
    std::set<std::string> ids;
    for (std::size_t i = 0; i < sites.features.size(); ++i) {
        ids.insert(toString(sites.value(i, "id")));
        CHECK(sites.features[i].geometry.kind() == GeometryKind::Polygon);
    }
    CHECK(ids.size() == 30);
    for (const char* f : {"name", "industry", "plot_ratio", "investment_intensity"})
        CHECK(sites.fieldIndex(f));
}

TEST_CASE("The generator is deterministic: same seed, same bytes", "[sample]") {
    const fs::path a = onemap::test::scratch("gen-a"), b = onemap::test::scratch("gen-b");
    fs::remove_all(a);
    fs::remove_all(b);
    const std::string gen = ONEMAP_SAMPLE_GEN;
    const std::string args = " --farmland 3000 --sites 25 --seed 7 --out ";
    REQUIRE(std::system((gen + args + a.string() + " 2>/dev/null").c_str()) == 0);
    REQUIRE(std::system((gen + args + b.string() + " 2>/dev/null").c_str()) == 0);
    for (const char* f : {"g60.gpkg", "sites.gpkg", "g60.toml", "register.gpkg"}) {
        INFO(f);
        CHECK(sha256File((a / f).string()) == sha256File((b / f).string()));
    }
    CHECK(readLayer((a / "g60.gpkg").string(), ReadOptions::forTable("farmland")).features.size() ==
          3000);
    fs::remove_all(a);
    fs::remove_all(b);
}
