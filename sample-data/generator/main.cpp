// onemap-sample-gen: makes the bundled G60 one map (g60.gpkg, sites.gpkg, g60.toml) from the
// real city boundaries in source/cities.gpkg plus deterministic synthetic layers.
//   onemap-sample-gen [--out DIR] [--cities source/cities.gpkg] [--water source/water.gpkg]
//                     [--seed N] [--farmland N]
//                     [--sites N] [--dirty]
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <unordered_set>

#include "corridor.hpp"
#include "history.hpp"
#include "living.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/layer/layer_writer.hpp"
#include "plan.hpp"
#include "shapes.hpp"
#include "world.hpp"

#ifndef ONEMAP_SAMPLE_DIR
#define ONEMAP_SAMPLE_DIR "."
#endif

namespace fs = std::filesystem;
using namespace onemap;
using namespace onemap::sample;

namespace {

struct Options {
    std::string out = ONEMAP_SAMPLE_DIR;
    std::string cities = std::string(ONEMAP_SAMPLE_DIR) + "/source/cities.gpkg";
    std::string water = std::string(ONEMAP_SAMPLE_DIR) + "/source/water.gpkg";
    std::uint64_t seed = 60;
    int farmland = 52000;
    int sites = 30;
    bool dirty = false;
};

gis::VectorLayer layer(const std::string& name, const std::string& type,
                       std::vector<gis::Field> fields) {
    gis::VectorLayer l;
    l.name = name;
    l.crs = gis::Crs::fromEpsg(4549);
    l.geometryType = type;
    l.fields = std::move(fields);
    l.fields.push_back({"synthetic", gis::FieldType::Integer});
    return l;
}

void add(gis::VectorLayer& l, gis::Geometry g, std::vector<gis::Value> values) {
    gis::Feature f;
    f.fid = static_cast<std::int64_t>(l.features.size() + 1);
    f.geometry = std::move(g);
    f.values = std::move(values);
    f.values.emplace_back(std::int64_t{1});
    l.features.push_back(std::move(f));
}

gis::Geometry line(const std::vector<gis::Point>& lonLat) {
    std::vector<gis::Point> pts;
    for (const auto& p : lonLat) pts.push_back(toPlan(p));
    return roundToCm(gis::Geometry::lineString(pts));
}

void makeLines(World& w) {
    w.axis = layer("axis", "LineString",
                   {{"name", gis::FieldType::String}, {"approximate", gis::FieldType::Integer}});
    add(w.axis, line(corridorAxis().lonLat), {corridorAxis().name, std::int64_t{1}});
    w.rail = layer("rail", "LineString",
                   {{"name", gis::FieldType::String}, {"approximate", gis::FieldType::Integer}});
    for (const auto& l : railLines()) {
        add(w.rail, line(l.lonLat), {l.name, std::int64_t{1}});
        w.railLines.push_back(w.rail.features.back().geometry);
    }
    w.station = layer("station", "Point",
                      {{"name", gis::FieldType::String},
                       {"line", gis::FieldType::String},
                       {"city", gis::FieldType::String}});
    for (const auto& s : stations()) {
        const auto p = toPlan(s.lonLat);
        add(w.station, roundToCm(gis::Geometry::point(p.x, p.y)), {s.name, s.line, s.city});
        w.stationPoints.push_back(w.station.features.back().geometry);
    }
}

// The real water of source/water.gpkg (GSHHG, lon/lat), cut by city: one polygon per water
// body and city, named where waterNames() knows it.
void makeWater(World& w, const std::string& source) {
    w.water = layer("water", "Polygon",
                    {{"name", gis::FieldType::String},
                     {"kind", gis::FieldType::String},
                     {"city", gis::FieldType::String}});
    const auto src = gis::readLayer(source, gis::ReadOptions::forTable("water"));
    std::vector<gis::Geometry> water;
    for (const auto& f : src.features)
        water.push_back(f.geometry.mapCoordinates([](double& x, double& y) {
            const auto p = toPlan({x, y});
            x = p.x;
            y = p.y;
        }));
    std::vector<gis::Geometry> kept;
    for (std::size_t c = 0; c < cities().size(); ++c) {
        const auto& city = w.cityGeometry(c);
        for (const auto& g : water) {
            if (!g.envelope().intersects(city.envelope()) || !g.intersects(city)) continue;
            const auto inside = g.intersection(city).polygonalPart();
            for (std::size_t i = 0; i < inside.numParts(); ++i) {
                if (inside.part(i).area() < 300'000) continue;
                const auto part = roundToCm(inside.part(i)).makeValid();
                std::string name = "湖泊", kind = "湖泊";
                for (const auto& n : waterNames()) {
                    const auto p = toPlan(n.lonLat);
                    if (part.intersects(gis::Geometry::point(p.x, p.y)))
                        name = n.name, kind = n.kind;
                }
                gis::Feature f;
                f.fid = static_cast<std::int64_t>(w.water.features.size() + 1);
                f.geometry = part;
                f.values = {name, kind, cities()[c].name, std::int64_t{0}};  // real, not synthetic
                w.water.features.push_back(std::move(f));
                kept.push_back(part);
            }
        }
    }
    w.waterAll = gis::Geometry::unionOf(kept);
    w.waterPrepared = std::make_shared<gis::PreparedGeometry>(w.waterAll);
}

void makeRedline(World& w, Rng& rng) {
    w.redline = layer("redline", "MultiPolygon",
                      {{"code", gis::FieldType::String},
                       {"name", gis::FieldType::String},
                       {"type", gis::FieldType::String}});
    std::vector<gis::Geometry> cityGeoms;
    for (const auto& f : w.city.features) cityGeoms.push_back(f.geometry);
    const auto allCities = gis::Geometry::unionOf(cityGeoms);
    int n = 0;
    for (const auto& area : redlineAreas()) {
        const auto c = toPlan(area.lonLat);
        std::vector<gis::Geometry> parts{blob(c, area.radiusKm * 1000, rng, 64)};
        for (int k = 0; k < 3; ++k) {  // outliers: the red line is rarely one patch
            const double a = rng.uniform(0, 2 * M_PI),
                         d = area.radiusKm * 1000 * rng.uniform(1.1, 1.6);
            parts.push_back(blob({c.x + d * std::cos(a), c.y + d * std::sin(a)},
                                 area.radiusKm * 1000 * rng.uniform(0.15, 0.3), rng, 32));
        }
        const auto g =
            roundToCm(gis::Geometry::unionOf(parts).intersection(allCities).polygonalPart())
                .makeValid();
        if (g.isEmpty()) continue;
        char code[16];
        std::snprintf(code, sizeof code, "STHX-%04d", ++n);
        add(w.redline, g, {std::string(code), area.name, area.type});
    }
    std::vector<gis::Geometry> all;
    for (const auto& f : w.redline.features) all.push_back(f.geometry);
    w.redlineAll = gis::Geometry::unionOf(all);
}

void makeDevbound(World& w, Rng& rng) {
    w.devbound = layer("devbound", "MultiPolygon",
                       {{"name", gis::FieldType::String}, {"city", gis::FieldType::String}});
    const auto keepOut = w.redlineAll.buffer(200);  // the boundary leaves the red line alone
    for (std::size_t i = 0; i < cities().size(); ++i) {
        const auto& spec = cities()[i];
        const auto seat = toPlan(spec.seat);
        std::vector<gis::Geometry> parts{blob(seat, spec.coreRadiusKm * 1000, rng, 72)};
        const int towns = spec.name == "松江区" ? 1 : 3;
        for (int k = 0; k < towns; ++k) {
            const double a = rng.uniform(0, 2 * M_PI),
                         d = spec.coreRadiusKm * 1000 * rng.uniform(1.6, 2.6);
            parts.push_back(blob({seat.x + d * std::cos(a), seat.y + d * std::sin(a)},
                                 rng.uniform(1500, 3500), rng, 40));
        }
        for (const auto& park : spec.parks)  // the towns the parks lie in
            parts.push_back(blob(toPlan(park.town), rng.uniform(2200, 3200), rng, 40));
        auto g = gis::Geometry::unionOf(parts)
                     .intersection(w.cityGeometry(i))
                     .difference(keepOut)
                     .difference(w.waterAll)
                     .polygonalPart();
        g = roundToCm(g).makeValid();
        w.devboundByCity.push_back(g);
        add(w.devbound, g, {spec.name + "城镇开发边界", spec.name});
    }
    w.devboundAll = gis::Geometry::unionOf(w.devboundByCity);
}

void makeParks(World& w, Rng& rng) {
    w.park = layer("park", "MultiPolygon",
                   {{"name", gis::FieldType::String},
                    {"industry", gis::FieldType::String},
                    {"industry_cn", gis::FieldType::String},
                    {"city", gis::FieldType::String},
                    {"area_ha", gis::FieldType::Real, 0, 2}});
    for (std::size_t i = 0; i < cities().size(); ++i) {
        const auto& spec = cities()[i];
        for (const auto& park : spec.parks) {
            const auto town = toPlan(park.town);
            std::vector<gis::Geometry> placed;  // parks of one city never overlap each other
            for (const auto& f : w.park.features) placed.push_back(f.geometry.buffer(100, 4));
            const auto taken = gis::Geometry::unionOf(placed);
            gis::Geometry g;
            for (int attempt = 0; attempt < 50 && g.area() < 1e6; ++attempt) {
                const double a = rng.uniform(0, 2 * M_PI), d = rng.uniform(0, 800);
                const auto b = blob({town.x + d * std::cos(a), town.y + d * std::sin(a)},
                                    rng.uniform(1000, 2000), rng, 36);
                g = roundToCm(b.intersection(w.devboundByCity[i].buffer(-50))
                                  .difference(taken)
                                  .polygonalPart())
                        .makeValid();
            }
            add(w.park, g,
                {park.name, spec.industry, spec.industryCn, spec.name,
                 std::round(g.area() / 100) / 100});
        }
    }
}

const char* landClass(Rng& rng, double lat) {
    const double paddy = lat < 30.6 ? 0.62 : 0.45;  // more paddy fields south of the Yangtze plain
    const double u = rng.uniform();
    return u < paddy ? "水田" : u < paddy + 0.15 ? "水浇地" : "旱地";
}

void makeFarmland(World& w, int count, bool dirty, Rng& rng) {
    w.farmland = layer("farmland", "Polygon",
                       {{"parcel_id", gis::FieldType::String},
                        {"地类", gis::FieldType::String},
                        {"county", gis::FieldType::String}});
    const auto keepOut = gis::PreparedGeometry(
        gis::Geometry::unionOf({w.devboundAll, w.redlineAll, w.waterAll}).buffer(100, 4));
    double totalArea = 0;
    for (const auto& f : w.city.features) totalArea += f.geometry.area();
    int made = 0;
    // Clusters claim 500 m grid cells so that no two clusters lay parcels on each other.
    std::unordered_set<std::int64_t> taken;
    auto claim = [&](gis::Point c, double radius) {
        const auto x0 = static_cast<std::int64_t>(std::floor((c.x - radius) / 500)),
                   x1 = static_cast<std::int64_t>(std::floor((c.x + radius) / 500));
        const auto y0 = static_cast<std::int64_t>(std::floor((c.y - radius) / 500)),
                   y1 = static_cast<std::int64_t>(std::floor((c.y + radius) / 500));
        for (auto x = x0; x <= x1; ++x)
            for (auto y = y0; y <= y1; ++y)
                if (taken.count(x * 100000 + y)) return false;
        for (auto x = x0; x <= x1; ++x)
            for (auto y = y0; y <= y1; ++y) taken.insert(x * 100000 + y);
        return true;
    };
    for (std::size_t i = 0; i < cities().size(); ++i) {
        const auto& cityGeom = w.cityGeometry(i);
        const gis::PreparedGeometry inCity(cityGeom);
        const int target = i + 1 == cities().size()
                               ? count - made
                               : static_cast<int>(std::round(count * cityGeom.area() / totalArea));
        const auto e = cityGeom.envelope();
        int here = 0;
        long misses = 0;  // give up (with a clear message) when the city is full
        while (here < target) {
            if (++misses > 5'000'000)
                throw Error("cannot fit " + std::to_string(count) + " parcels; " +
                            cities()[i].name + " is full");
            const gis::Point c{rng.uniform(e.minx, e.maxx), rng.uniform(e.miny, e.maxy)};
            if (!inCity.intersects(gis::Geometry::point(c.x, c.y))) continue;
            const double angle = rng.uniform(0, M_PI), w0 = rng.uniform(90, 220),
                         h0 = rng.uniform(60, 160);
            // Larger clusters at benchmark scales, so millions of parcels fit the corridor.
            const int extra = std::min(24, count / 40000);
            const int rows = 4 + extra + rng.below(8), cols = 4 + extra + rng.below(8);
            if (!claim(c, std::hypot(cols * (w0 + 6), rows * (h0 + 6)) / 2 + 10)) continue;
            const auto dominant = landClass(rng, c.y / 111000);
            for (int r = 0; r < rows && here < target; ++r) {
                for (int k = 0; k < cols && here < target; ++k) {
                    const double lx = (k - cols / 2.0) * (w0 + 6), ly = (r - rows / 2.0) * (h0 + 6);
                    const gis::Point p{c.x + lx * std::cos(angle) - ly * std::sin(angle),
                                       c.y + lx * std::sin(angle) + ly * std::cos(angle)};
                    auto g = parcel(p, w0, h0, angle, rng);
                    if (!inCity.covers(g) || keepOut.intersects(g)) continue;
                    const char* cls = rng.uniform() < 0.7 ? dominant : landClass(rng, c.y / 111000);
                    if (dirty && rng.uniform() < 0.01) g = bowtie(g);
                    char id[16];
                    std::snprintf(id, sizeof id, "JBNT%06d", made + here + 1);
                    add(w.farmland, g, {std::string(id), std::string(cls), cities()[i].name});
                    ++here;
                    misses = 0;
                }
            }
        }
        made += here;
    }
    // Dirty data only: duplicated parcels, as real source data has — shifted copies under new
    // ids (`onemap validate` finds them). The bundled one map is clean.
    const std::size_t n = w.farmland.features.size();
    for (int d = 0; d < 20 && n > 0 && dirty; ++d) {
        const auto& src =
            w.farmland.features[static_cast<std::size_t>(rng.below(static_cast<int>(n)))];
        const auto g = roundToCm(src.geometry.mapCoordinates([](double& x, double& y) {
            x += 4;
            y += 3;
        }));
        char id[16];
        std::snprintf(id, sizeof id, "JBNT9%05d", d + 1);
        add(w.farmland, g, {std::string(id), src.values[1], src.values[2]});
    }
    std::vector<gis::Envelope> boxes;
    for (const auto& f : w.farmland.features) boxes.push_back(f.geometry.envelope());
    w.farmlandIndex = gis::SpatialIndex(boxes);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw InputError(a + " needs a value");
            return argv[++i];
        };
        if (a == "--out")
            o.out = value();
        else if (a == "--cities")
            o.cities = value();
        else if (a == "--water")
            o.water = value();
        else if (a == "--seed")
            o.seed = std::stoull(value());
        else if (a == "--farmland")
            o.farmland = std::stoi(value());
        else if (a == "--sites")
            o.sites = std::stoi(value());
        else if (a == "--dirty")
            o.dirty = true;
        else if (a == "--help") {
            std::cout << "onemap-sample-gen [--out DIR] [--cities cities.gpkg] [--water "
                         "water.gpkg] [--seed N] "
                         "[--farmland N] [--sites N] [--dirty]\n";
            std::exit(0);
        } else
            throw InputError("unknown option " + a);
    }
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    // GeoPackages are stamped with the current time unless told otherwise.
    setenv("OGR_CURRENT_DATE", "2026-01-01T00:00:00Z", 1);
    try {
        const Options o = parse(argc, argv);
        Rng rng(o.seed);
        World w;
        w.city = gis::readLayer(o.cities, gis::ReadOptions::forTable("city"));
        makeWater(w, o.water);
        makeLines(w);
        makeRedline(w, rng);
        makeDevbound(w, rng);
        makeParks(w, rng);
        makeFarmland(w, o.farmland, o.dirty, rng);
        const auto sites = makeSites(w, o.sites, o.dirty, rng);
        // The history draws from its own generator: today's layers and sites stay as they were.
        Rng historyRng(o.seed + 2024);
        const History h = makeHistory(w, sites, historyRng, o.sites == Options{}.sites);
        // People, services and streets draw from their own generator too.
        Rng livingRng(o.seed + 37);
        const Living living = makeLiving(w, livingRng);
        fs::create_directories(o.out);
        gis::writeLayers((fs::path(o.out) / "g60.gpkg").string(),
                         {&w.city, &w.water, &w.farmland, &w.redline, &w.devbound, &w.park, &w.axis,
                          &w.rail, &w.station, &h.devbound2021, &h.farmland2021, &h.transfers,
                          &living.services, &living.population, &living.roads});
        gis::writeLayer((fs::path(o.out) / "sites.gpkg").string(), sites);
        // The register is a file of its own: `check --approve` rewrites it.
        gis::writeLayer((fs::path(o.out) / "register.gpkg").string(), h.approved);
        gis::writeFileAtomically((fs::path(o.out) / "g60.toml").string(), planText());
        std::cerr << "onemap-sample-gen: " << w.farmland.features.size() << " parcels, "
                  << w.redline.features.size() << " red-line areas, " << w.park.features.size()
                  << " parks, " << sites.features.size() << " sites, "
                  << living.services.features.size() << " services, "
                  << living.population.features.size() << " population cells, "
                  << living.roads.features.size() << " street segments → " << o.out << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "onemap-sample-gen: " << e.what() << "\n";
        return 2;
    }
}
