// The sample's services, population grid and streets (in g60.gpkg), read with GDAL/OGR
// directly (not onemap's reader) and checked with GEOS through OGR: census totals, the 500 m
// lattice, nothing on water, a noded and connected street network per city.
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogrsf_frmts.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <vector>

namespace {

const std::string kDir = ONEMAP_SAMPLE_DIR;

using Dataset = std::unique_ptr<GDALDataset>;

Dataset open(const std::string& file) {
    GDALAllRegister();
    auto* ds = static_cast<GDALDataset*>(GDALOpenEx(
        (kDir + "/" + file).c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    REQUIRE(ds);
    return Dataset(ds);
}

// Inputs, not outputs: 第七次全国人口普查 (2020) resident population per unit.
const std::map<std::string, long long> kCensus = {
    {"松江区", 1909700}, {"苏州市", 12748262}, {"杭州市", 11936010},
    {"湖州市", 3367579}, {"嘉兴市", 5400868},  {"金华市", 7050683},
    {"合肥市", 9369881}, {"芜湖市", 3644420},  {"宣城市", 2500063},
};

// The union of a layer's polygons, prepared for fast point tests.
struct Area {
    std::unique_ptr<OGRGeometry> geometry;
    OGRPreparedGeometryUniquePtr prepared{nullptr};
    explicit Area(std::unique_ptr<OGRGeometry> g) : geometry(std::move(g)) {
        prepared.reset(OGRCreatePreparedGeometry(OGRGeometry::ToHandle(geometry.get())));
    }
    [[nodiscard]] bool contains(const OGRPoint& p) const {
        return OGRPreparedGeometryContains(prepared.get(),
                                           OGRGeometry::ToHandle(const_cast<OGRPoint*>(&p)));
    }
    [[nodiscard]] bool touches(const OGRPoint& p) const {  // within or on the edge
        return OGRPreparedGeometryIntersects(prepared.get(),
                                             OGRGeometry::ToHandle(const_cast<OGRPoint*>(&p)));
    }
};

std::unique_ptr<Area> unionOf(OGRLayer* layer, const char* nameField = nullptr,
                              const std::string& name = {}) {
    OGRMultiPolygon all;
    layer->ResetReading();
    for (auto& f : *layer) {
        if (nameField && name != f->GetFieldAsString(nameField)) continue;
        const OGRGeometry* g = f->GetGeometryRef();
        if (wkbFlatten(g->getGeometryType()) == wkbPolygon)
            all.addGeometry(g);
        else
            for (const auto* part : *g->toMultiPolygon()) all.addGeometry(part);
    }
    return std::make_unique<Area>(std::unique_ptr<OGRGeometry>(all.UnionCascaded()));
}

std::map<std::string, std::unique_ptr<Area>> cities(GDALDataset& g60) {
    std::map<std::string, std::unique_ptr<Area>> out;
    auto* city = g60.GetLayerByName("city");
    for (const auto& [name, pop] : kCensus) out[name] = unionOf(city, "name", name);
    return out;
}

}  // namespace

TEST_CASE("Sample population: census totals per unit, on the 500 m lattice, off water",
          "[sample]") {
    const auto g60 = open("g60.gpkg");
    const auto units = cities(*g60);
    const auto water = unionOf(g60->GetLayerByName("water"));
    const auto devbound = unionOf(g60->GetLayerByName("devbound"));
    auto* pop = g60->GetLayerByName("population");
    REQUIRE(pop);
    REQUIRE(pop->GetSpatialRef());
    CHECK(pop->GetSpatialRef()->GetAuthorityCode(nullptr) == std::string("4549"));
    std::map<std::string, long long> sum;
    std::set<std::pair<long long, long long>> seen;
    long long inside = 0, total = 0;
    std::size_t offLattice = 0, outsideUnit = 0, onWater = 0, badFields = 0, twice = 0;
    for (auto& f : *pop) {
        const auto* p = f->GetGeometryRef()->toPoint();
        const std::string unit = f->GetFieldAsString("city");
        const long long n = f->GetFieldAsInteger64("pop");
        REQUIRE(units.count(unit));
        sum[unit] += n;
        total += n;
        // The centre of a cell whose corners are multiples of 500 m.
        const double cx = (p->getX() - 250) / 500, cy = (p->getY() - 250) / 500;
        if (cx != std::floor(cx) || cy != std::floor(cy)) ++offLattice;
        if (!seen.insert({std::llround(cx), std::llround(cy)}).second) ++twice;
        if (n <= 0 || f->GetFieldAsInteger("cell") != 500 || f->GetFieldAsInteger("synthetic") != 1)
            ++badFields;
        if (!units.at(unit)->contains(*p)) ++outsideUnit;
        if (water->touches(*p)) ++onWater;
        if (devbound->contains(*p)) inside += n;
    }
    CHECK(offLattice == 0);
    CHECK(twice == 0);
    CHECK(badFields == 0);
    CHECK(outsideUnit == 0);
    CHECK(onWater == 0);
    for (const auto& [unit, people] : kCensus) {
        INFO(unit);
        CHECK(sum[unit] == people);
    }
    // Most residents live inside the development boundaries, the rest in villages.
    const double share = static_cast<double>(inside) / static_cast<double>(total);
    CHECK(share > 0.6);
    CHECK(share < 0.8);
}

TEST_CASE("Sample services: kinds, capacities and opening dates, in their units, off water",
          "[sample]") {
    const auto g60 = open("g60.gpkg");
    const auto units = cities(*g60);
    const auto water = unionOf(g60->GetLayerByName("water"));
    auto* services = g60->GetLayerByName("services");
    REQUIRE(services);
    const std::map<std::string, std::string> kindOf = {
        {"幼儿园", "教育"}, {"小学", "教育"}, {"中学", "教育"}, {"社区卫生服务中心", "医疗"},
        {"医院", "医疗"},   {"文化", "文化"}, {"体育", "体育"}};
    const auto opened = services->GetLayerDefn()->GetFieldIndex("opened");
    REQUIRE(opened >= 0);
    // ISO text, as the register's dates: onemap writes dates as text every format keeps.
    CHECK(services->GetLayerDefn()->GetFieldDefn(opened)->GetType() == OFTString);
    std::map<std::string, std::map<std::string, int>> count;
    std::size_t bad = 0, outsideUnit = 0, onWater = 0, before2021 = 0, after2021 = 0;
    for (auto& f : *services) {
        const auto* p = f->GetGeometryRef()->toPoint();
        const std::string unit = f->GetFieldAsString("city"), sub = f->GetFieldAsString("subkind");
        REQUIRE(units.count(unit));
        ++count[unit][sub];
        const auto k = kindOf.find(sub);
        const std::string capUnit = f->GetFieldAsString("capacity_unit");
        if (k == kindOf.end() || k->second != f->GetFieldAsString("kind") ||
            f->GetFieldAsInteger64("capacity") <= 0 ||
            capUnit != (k->second == "医疗" ? "床位" : "座位") ||
            std::strlen(f->GetFieldAsString("name")) < 6 || f->GetFieldAsInteger("synthetic") != 1)
            ++bad;
        const std::string day = f->GetFieldAsString(opened);
        int y = 0, m = 0, d = 0;
        char rest = 0;
        if (day.size() != 10 || std::sscanf(day.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &rest) != 3 ||
            y < 1990 || y > 2026 || m < 1 || m > 12 || d < 1 || d > 31)
            ++bad;
        (y * 10000 + m * 100 + d >= 20210101 ? after2021 : before2021) += 1;
        if (!units.at(unit)->contains(*p)) ++outsideUnit;
        if (water->touches(*p)) ++onWater;
    }
    CHECK(bad == 0);
    CHECK(outsideUnit == 0);
    CHECK(onWater == 0);
    CHECK(after2021 > 0);  // so that --as-of 2021-01-01 sees fewer
    CHECK(before2021 > after2021);
    // Every unit has every kind, and about one primary school per 8–12 thousand residents.
    for (const auto& [unit, people] : kCensus) {
        INFO(unit);
        CHECK(count[unit].size() == kindOf.size());
        const double perSchool = static_cast<double>(people) / count[unit]["小学"];
        CHECK(perSchool > 8000);
        CHECK(perSchool < 12000);
    }
}

namespace {

struct Segment {
    OGRPoint a, b;
    OGREnvelope box;
};

OGRLineString segment(const OGRPoint& a, const OGRPoint& b) {
    OGRLineString l;
    l.addPoint(&a);
    l.addPoint(&b);
    return l;
}

bool same(const OGRPoint& p, const OGRPoint& q) {
    return p.getX() == q.getX() && p.getY() == q.getY();
}

}  // namespace

TEST_CASE(
    "Sample streets: noded (segments meet only at shared ends), one connected network per "
    "city",
    "[sample]") {
    const auto g60 = open("g60.gpkg");
    const auto units = cities(*g60);
    auto* roads = g60->GetLayerByName("roads");
    REQUIRE(roads);
    std::vector<Segment> segs;
    std::set<std::string> classes;
    for (auto& f : *roads) {
        const auto* l = f->GetGeometryRef()->toLineString();
        REQUIRE(l->getNumPoints() >= 2);
        classes.insert(f->GetFieldAsString("class"));
        CHECK(std::strlen(f->GetFieldAsString("name")) > 0);
        for (int i = 0; i + 1 < l->getNumPoints(); ++i) {
            Segment s;
            l->getPoint(i, &s.a);
            l->getPoint(i + 1, &s.b);
            segment(s.a, s.b).getEnvelope(&s.box);
            segs.push_back(s);
        }
    }
    CHECK(classes == std::set<std::string>{"主干路", "次干路", "支路"});
    REQUIRE(segs.size() > 1000);
    // Candidate pairs from a 300 m bucket grid; GEOS (through OGR) says where each pair meets.
    std::map<std::pair<long, long>, std::vector<std::size_t>> buckets;
    for (std::size_t i = 0; i < segs.size(); ++i)
        for (long x = std::lround(std::floor(segs[i].box.MinX / 300));
             x <= std::lround(std::floor(segs[i].box.MaxX / 300)); ++x)
            for (long y = std::lround(std::floor(segs[i].box.MinY / 300));
                 y <= std::lround(std::floor(segs[i].box.MaxY / 300)); ++y)
                buckets[{x, y}].push_back(i);
    std::set<std::pair<std::size_t, std::size_t>> pairs;
    for (const auto& [cell, ids] : buckets)
        for (std::size_t p = 0; p < ids.size(); ++p)
            for (std::size_t q = p + 1; q < ids.size(); ++q)
                if (segs[ids[p]].box.Intersects(segs[ids[q]].box))
                    pairs.insert({std::min(ids[p], ids[q]), std::max(ids[p], ids[q])});
    std::size_t crossings = 0;
    for (const auto& [i, j] : pairs) {
        const OGRLineString li = segment(segs[i].a, segs[i].b), lj = segment(segs[j].a, segs[j].b);
        if (!li.Intersects(&lj)) continue;
        const std::unique_ptr<OGRGeometry> at(li.Intersection(&lj));
        bool ok = at && wkbFlatten(at->getGeometryType()) == wkbPoint;
        if (ok) {
            const auto* p = at->toPoint();
            const bool endOfI = same(*p, segs[i].a) || same(*p, segs[i].b);
            const bool endOfJ = same(*p, segs[j].a) || same(*p, segs[j].b);
            ok = endOfI && endOfJ;
        }
        if (!ok) {
            ++crossings;
            UNSCOPED_INFO("segments " << i << " and " << j << " cross");
        }
    }
    CHECK(crossings == 0);
    // Nodes by their exact coordinates: one connected part per city, each inside its city.
    std::map<std::pair<double, double>, std::size_t> node;
    auto id = [&node](const OGRPoint& p) {
        return node.emplace(std::make_pair(p.getX(), p.getY()), node.size()).first->second;
    };
    std::vector<std::pair<std::size_t, std::size_t>> edges;
    for (const auto& s : segs) edges.emplace_back(id(s.a), id(s.b));
    std::vector<std::size_t> parent(node.size());
    std::iota(parent.begin(), parent.end(), std::size_t{0});
    auto find = [&parent](std::size_t x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    };
    for (const auto& [a, b] : edges) parent[find(a)] = find(b);
    std::map<std::size_t, std::set<std::string>> unitsOf;  // component → units its nodes are in
    for (const auto& [xy, n] : node) {
        const OGRPoint p(xy.first, xy.second);
        std::string in = "(none)";
        for (const auto& [name, area] : units)
            if (area->touches(p)) in = name;
        unitsOf[find(n)].insert(in);
    }
    CHECK(unitsOf.size() == kCensus.size());
    std::set<std::string> covered;
    for (const auto& [root, names] : unitsOf) {
        CHECK(names.size() == 1);
        covered.insert(*names.begin());
    }
    CHECK(covered.size() == kCensus.size());
    CHECK(covered.count("(none)") == 0);
}
