// The sample's proposed project sites: each one made to show one thing a planner meets —
// clean sites, and sites breaking each rule of the plan — placed against the generated
// layers and verified with the same geometry, retrying deterministically.
#include <cmath>
#include <functional>

#include "corridor.hpp"
#include "onemap/gis/base/error.hpp"
#include "shapes.hpp"
#include "world.hpp"

namespace onemap::sample {

double World::stationDistance(const gis::Geometry& g) const {
    double best = 1e30;
    for (const auto& s : stationPoints) best = std::min(best, g.distance(s));
    return best;
}

double World::railDistance(const gis::Geometry& g) const {
    double best = 1e30;
    for (const auto& r : railLines) best = std::min(best, g.distance(r));
    return best;
}

bool World::onWater(const gis::Geometry& g) const { return waterPrepared->intersects(g); }

bool World::waterIn(gis::Point p) const {
    return waterPrepared->intersects(gis::Geometry::point(p.x, p.y));
}

bool World::onFarmland(const gis::Geometry& g) const {
    for (auto i : farmlandIndex.query(g.envelope()))
        if (farmland.features[i].geometry.intersects(g)) return true;
    return false;
}

namespace {

enum class Kind {
    Clean,
    Farmland,
    Redline,
    Outside,
    FarStation,
    Rail,
    PlotLow,
    PlotNull,
    IntensityLow,
    Mismatch,
    Cross
};

struct SiteSpec {
    std::size_t city;
    Kind kind;
    std::size_t otherCity = 0;  // Cross: the neighbour
};

const char* kProjects[] = {"产业基地", "研发中心", "智造工厂", "创新园二期",
                           "孵化器",   "总部基地", "中试基地", "产业化项目"};

struct Attributes {
    std::string industry;
    double plotRatio;
    bool plotNull = false;
    double intensity;
};

gis::Point randomIn(const gis::Geometry& g, Rng& rng) {
    if (g.isEmpty()) throw Error("sample generator: no room to place a site");
    const auto e = g.envelope();
    for (int i = 0; i < 500; ++i) {
        const gis::Point p{rng.uniform(e.minx, e.maxx), rng.uniform(e.miny, e.maxy)};
        if (g.intersects(gis::Geometry::point(p.x, p.y))) return p;
    }
    return g.pointOnSurface();
}

class Placer {
  public:
    Placer(const World& w, Rng& rng) : w_(w), rng_(rng) {}

    // Tries candidate shapes until `ok` accepts one; the last try is kept if none does.
    gis::Geometry tryPlace(const std::function<gis::Geometry()>& make,
                           const std::function<bool(const gis::Geometry&)>& ok) {
        gis::Geometry g;
        for (int i = 0; i < 400; ++i) {
            g = make();
            if (ok(g)) return g;
        }
        return g;
    }

    bool clean(const gis::Geometry& g, std::size_t city) const {
        const double d = w_.stationDistance(g);
        return w_.devboundByCity[city].covers(g) && !w_.onFarmland(g) && !w_.onWater(g) &&
               !g.intersects(w_.redlineAll) && d >= 3000 && d <= 10000 &&
               w_.railDistance(g) >= 200 && w_.cityGeometry(city).covers(g);
    }

    std::vector<const gis::Feature*> parksOf(const std::string& city) const {
        std::vector<const gis::Feature*> out;
        const auto field = *w_.park.fieldIndex("city");
        for (const auto& f : w_.park.features)
            if (std::get<std::string>(f.values[field]) == city) out.push_back(&f);
        return out;
    }

    gis::Geometry inPark(std::size_t city, bool strict) {
        const auto parks = parksOf(cities()[city].name);
        return tryPlace(
            [&] {
                const auto& park =
                    *parks[static_cast<std::size_t>(rng_.below(static_cast<int>(parks.size())))];
                return rectangle(randomIn(park.geometry, rng_), rng_.uniform(180, 320),
                                 rng_.uniform(150, 280), rng_.uniform(0, M_PI));
            },
            [&](const gis::Geometry& g) {
                bool inside = false;
                for (const auto* p : parks) inside = inside || p->geometry.covers(g);
                return inside && (!strict || clean(g, city));
            });
    }

    gis::Geometry place(const SiteSpec& s) {
        const auto& city = w_.cityGeometry(s.city);
        const auto& dev = w_.devboundByCity[s.city];
        switch (s.kind) {
            case Kind::Clean:
            case Kind::PlotLow:
            case Kind::PlotNull:
            case Kind::IntensityLow:
            case Kind::Mismatch:
                return inPark(s.city, true);
            case Kind::Farmland:
                return tryPlace(
                    [&] {
                        const auto& f = w_.farmland.features[static_cast<std::size_t>(
                            rng_.below(static_cast<int>(w_.farmland.features.size())))];
                        const auto c = f.geometry.envelope().center();
                        return rectangle({c.x + rng_.uniform(-150, 150), c.y}, 400, 300,
                                         rng_.uniform(0, M_PI));
                    },
                    [&](const gis::Geometry& g) {
                        return city.covers(g) && w_.onFarmland(g) && !w_.onWater(g);
                    });
            case Kind::Redline:
                return tryPlace(
                    [&] {
                        const auto p = randomIn(dev.buffer(600).difference(dev.buffer(-300)), rng_);
                        return rectangle(p, 350, 300, rng_.uniform(0, M_PI));
                    },
                    [&](const gis::Geometry& g) {
                        return city.covers(g) && g.intersects(w_.redlineAll) && !w_.onFarmland(g) &&
                               !w_.onWater(g);
                    });
            case Kind::Outside:
                return tryPlace(
                    [&] {
                        const auto p = randomIn(dev.buffer(1500).difference(dev), rng_);
                        return rectangle(p, 260, 220, rng_.uniform(0, M_PI));
                    },
                    [&](const gis::Geometry& g) {
                        return city.covers(g) && !g.intersects(w_.devboundAll) &&
                               !w_.onFarmland(g) && !g.intersects(w_.redlineAll) && !w_.onWater(g);
                    });
            case Kind::FarStation:
                return tryPlace(
                    [&] { return rectangle(randomIn(dev, rng_), 250, 200, rng_.uniform(0, M_PI)); },
                    [&](const gis::Geometry& g) {
                        return dev.covers(g) && w_.stationDistance(g) > 15000 && !w_.onWater(g);
                    });
            case Kind::Rail: {
                // A strip 20–60 m from the rail lines inside the development boundary.
                std::vector<gis::Geometry> strips;
                for (const auto& line : w_.railLines) {
                    const auto inside = line.intersection(dev);
                    if (!inside.isEmpty())
                        strips.push_back(inside.buffer(60).difference(line.buffer(20)));
                }
                const auto strip = gis::Geometry::unionOf(strips);
                return tryPlace(
                    [&] {
                        return rectangle(randomIn(strip, rng_), 120, 100, rng_.uniform(0, M_PI));
                    },
                    [&](const gis::Geometry& g) {
                        const double d = w_.railDistance(g);
                        return dev.covers(g) && d > 0 && d < 50 && !w_.onFarmland(g) &&
                               !w_.onWater(g);
                    });
            }
            case Kind::Cross: {
                const auto border =
                    city.buffer(150).intersection(w_.cityGeometry(s.otherCity).buffer(150));
                return tryPlace(
                    [&] {
                        return rectangle(randomIn(border, rng_), 420, 360, rng_.uniform(0, M_PI));
                    },
                    [&](const gis::Geometry& g) {
                        return g.intersection(city).area() > 0.2 * g.area() &&
                               g.intersection(w_.cityGeometry(s.otherCity)).area() >
                                   0.2 * g.area() &&
                               !w_.onWater(g);
                    });
            }
        }
        return {};
    }

  private:
    const World& w_;
    Rng& rng_;
};

std::vector<SiteSpec> sampleSpecs() {
    // Cities in cities() order: 0 松江 1 苏州 2 杭州 3 湖州 4 嘉兴 5 金华 6 合肥 7 芜湖 8 宣城.
    return {
        {0, Kind::Clean},        {1, Kind::Clean},    {2, Kind::Clean},      {3, Kind::Clean},
        {4, Kind::Clean},        {5, Kind::Clean},    {6, Kind::Clean},      {7, Kind::Clean},
        {8, Kind::Clean},        {2, Kind::Clean},    {6, Kind::Clean},      {1, Kind::Farmland},
        {4, Kind::Farmland},     {6, Kind::Farmland}, {3, Kind::Redline},    {0, Kind::Redline},
        {5, Kind::Outside},      {7, Kind::Outside},  {8, Kind::FarStation}, {2, Kind::Rail},
        {6, Kind::Rail},         {1, Kind::PlotLow},  {6, Kind::PlotLow},    {3, Kind::PlotNull},
        {7, Kind::IntensityLow}, {0, Kind::Mismatch}, {5, Kind::Mismatch},   {1, Kind::Cross, 4},
        {2, Kind::Cross, 3},     {7, Kind::Cross, 8}};
}

}  // namespace

gis::VectorLayer makeSites(const World& world, int count, bool dirty, Rng& rng) {
    gis::VectorLayer s;
    s.name = "sites";
    s.crs = world.city.crs;
    s.geometryType = "Polygon";
    s.fields = {{"id", gis::FieldType::String},
                {"name", gis::FieldType::String},
                {"industry", gis::FieldType::String},
                {"plot_ratio", gis::FieldType::Real, 0, 2},
                {"investment_intensity", gis::FieldType::Real, 0, 1},
                {"city_hint", gis::FieldType::String},
                {"synthetic", gis::FieldType::Integer}};
    Placer placer(world, rng);
    std::vector<SiteSpec> specs;
    if (count <= 40) {
        specs = sampleSpecs();
        specs.resize(std::min<std::size_t>(specs.size(), static_cast<std::size_t>(count)));
    }
    const auto& cs = cities();
    for (int i = 0; i < count; ++i) {
        gis::Feature f;
        f.fid = i + 1;
        std::size_t city = 0;
        Attributes a{"", rng.uniform(1.2, 2.8), false, rng.uniform(400, 900)};
        if (static_cast<std::size_t>(i) < specs.size()) {
            const auto& spec = specs[static_cast<std::size_t>(i)];
            city = spec.city;
            try {
                f.geometry = placer.place(spec);
            } catch (const Error& e) {
                throw Error(std::string(e.what()) + " (site " + std::to_string(i + 1) + " in " +
                            cs[city].name + ")");
            }
            a.industry = cs[city].industry;
            if (spec.kind == Kind::PlotLow) a.plotRatio = rng.uniform(0.4, 0.9);
            if (spec.kind == Kind::PlotNull) a.plotNull = true;
            if (spec.kind == Kind::IntensityLow) a.intensity = rng.uniform(120, 280);
            if (spec.kind == Kind::Mismatch) a.industry = cs[(city + 4) % cs.size()].industry;
        } else {
            // Benchmarks: sites anywhere in the corridor's cities, often on farmland.
            city = static_cast<std::size_t>(rng.below(static_cast<int>(cs.size())));
            gis::Point p = randomIn(world.cityGeometry(city), rng);
            for (int k = 0; k < 20 && world.waterIn(p); ++k)
                p = randomIn(world.cityGeometry(city), rng);
            if (rng.uniform() < 0.5 &&
                !world.farmland.features.empty()) {  // half of them on farmland
                const auto& parcel = world.farmland.features[static_cast<std::size_t>(
                    rng.below(static_cast<int>(world.farmland.features.size())))];
                p = parcel.geometry.envelope().center();
            }
            f.geometry =
                rectangle(p, rng.uniform(100, 600), rng.uniform(100, 600), rng.uniform(0, M_PI));
            a.industry = cs[city].industry;
            a.plotNull = rng.uniform() < 0.02;
        }
        if (dirty && rng.uniform() < 0.01) f.geometry = bowtie(f.geometry);
        const std::string name = cs[city].name.substr(0, cs[city].name.size() - 3) +
                                 cs[city].industryCn +
                                 kProjects[static_cast<std::size_t>(rng.below(8))];
        char id[16];
        std::snprintf(id, sizeof id, "P-%03d", i + 1);
        f.values = {std::string(id),
                    name,
                    a.industry,
                    a.plotNull ? gis::Value{} : gis::Value{std::round(a.plotRatio * 100) / 100},
                    std::round(a.intensity * 10) / 10,
                    cs[city].name,
                    std::int64_t{1}};
        s.features.push_back(std::move(f));
    }
    return s;
}

}  // namespace onemap::sample
