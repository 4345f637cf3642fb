#include "living.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>
#include <unordered_set>

#include "corridor.hpp"
#include "onemap/gis/geom/prepared_geometry.hpp"
#include "shapes.hpp"

namespace onemap::sample {

namespace {

constexpr double kCell = 500;          // population grid cell (m), aligned to multiples of 500
constexpr double kUrbanShare = 0.70;   // of each unit's residents, inside its devbound
constexpr double kVillageMean = 1500;  // mean residents of a village cell
constexpr double kStreet = 250;        // street spacing (m)
constexpr int kStreetHalf = 14;        // lines each side of the seat: ±3.5 km

// 第七次全国人口普查 (2020) resident population, from each city's / district's bulletin.
const std::map<std::string, std::int64_t>& census() {
    static const std::map<std::string, std::int64_t> c = {
        {"松江区", 1909700}, {"苏州市", 12748262}, {"杭州市", 11936010},
        {"湖州市", 3367579}, {"嘉兴市", 5400868},  {"金华市", 7050683},
        {"合肥市", 9369881}, {"芜湖市", 3644420},  {"宣城市", 2500063},
    };
    return c;
}

// Districts (or towns, for 松江区) that name community health centres.
const std::map<std::string, std::vector<std::string>>& districts() {
    static const std::map<std::string, std::vector<std::string>> d = {
        {"松江区", {"岳阳", "永丰", "方松", "中山", "泗泾", "九亭"}},
        {"苏州市", {"姑苏", "虎丘", "吴中", "相城", "吴江", "园区"}},
        {"杭州市", {"上城", "拱墅", "西湖", "滨江", "萧山", "余杭", "临平", "钱塘"}},
        {"湖州市", {"吴兴", "南浔", "德清", "长兴", "安吉"}},
        {"嘉兴市", {"南湖", "秀洲", "嘉善", "平湖", "海宁", "桐乡"}},
        {"金华市", {"婺城", "金东", "兰溪", "义乌", "东阳", "永康"}},
        {"合肥市", {"瑶海", "庐阳", "蜀山", "包河", "肥东", "肥西"}},
        {"芜湖市", {"镜湖", "弋江", "鸠江", "湾沚", "繁昌"}},
        {"宣城市", {"宣州", "郎溪", "广德", "宁国", "泾县"}},
    };
    return d;
}

struct ServiceKind {
    const char* kind;
    const char* subkind;
    double residentsPer;  ///< one facility per this many residents
    const char* unit;     ///< capacity unit
    int capMin, capMax, capStep;
};

const std::vector<ServiceKind>& serviceKinds() {
    static const std::vector<ServiceKind> k = {
        {"教育", "幼儿园", 20000, "座位", 180, 540, 30},
        {"教育", "小学", 10000, "座位", 720, 2700, 45},
        {"教育", "中学", 35000, "座位", 900, 3000, 50},
        {"医疗", "社区卫生服务中心", 60000, "床位", 20, 80, 5},
        {"医疗", "医院", 120000, "床位", 100, 1500, 50},
        {"文化", "文化", 200000, "座位", 200, 1200, 50},
        {"体育", "体育", 200000, "座位", 500, 5000, 100},
    };
    return k;
}

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

double cm(double v) { return std::round(v * 100) / 100; }

std::string shortName(const std::string& unit) {  // 合肥市 → 合肥; 松江区 stays
    const std::string shi = "市";
    if (unit.size() > shi.size() && unit.compare(unit.size() - shi.size(), shi.size(), shi) == 0)
        return unit.substr(0, unit.size() - shi.size());
    return unit;
}

struct Cell {
    std::int64_t ix, iy;  ///< lower-left corner / 500
    double weight;
    std::int64_t pop = 0;
    [[nodiscard]] gis::Point centre() const {
        return {ix * kCell + kCell / 2, iy * kCell + kCell / 2};
    }
};

std::int64_t key(std::int64_t ix, std::int64_t iy) { return ix * 1'000'000 + iy; }

// Integer apportionment by largest remainder: the shares sum to `total` exactly.
void apportion(std::vector<Cell>& cells, std::int64_t total) {
    const double sum = std::accumulate(cells.begin(), cells.end(), 0.0,
                                       [](double s, const Cell& c) { return s + c.weight; });
    std::vector<double> rest(cells.size());
    std::int64_t given = 0;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const double quota = static_cast<double>(total) * cells[i].weight / sum;
        cells[i].pop = static_cast<std::int64_t>(std::floor(quota));
        rest[i] = quota - static_cast<double>(cells[i].pop);
        given += cells[i].pop;
    }
    std::vector<std::size_t> order(cells.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&rest](std::size_t a, std::size_t b) { return rest[a] > rest[b]; });
    for (std::size_t k = 0; given < total; ++k, ++given) ++cells[order[k % order.size()]].pop;
}

// One unit's cells: its development boundary on the 500 m lattice (denser near the seat), and
// village clusters elsewhere in the unit; every centre in the unit, off water.
std::vector<Cell> populate(const World& w, std::size_t unit,
                           std::unordered_set<std::int64_t>& taken, Rng& rng) {
    const auto& spec = cities()[unit];
    const gis::PreparedGeometry inUnit(w.cityGeometry(unit));
    const gis::PreparedGeometry inDev(w.devboundByCity[unit]);
    const gis::PreparedGeometry inAnyDev(w.devboundAll);
    const auto seat = toPlan(spec.seat);
    const std::int64_t total = census().at(spec.name);
    auto usable = [&](gis::Point p) {
        const auto g = gis::Geometry::point(p.x, p.y);
        return inUnit.covers(g) && !w.waterIn(p);
    };
    std::vector<Cell> urban, rural;
    const auto e = w.devboundByCity[unit].envelope();
    for (auto ix = static_cast<std::int64_t>(std::floor(e.minx / kCell)); ix * kCell < e.maxx; ++ix)
        for (auto iy = static_cast<std::int64_t>(std::floor(e.miny / kCell)); iy * kCell < e.maxy;
             ++iy) {
            Cell c{ix, iy, 0};
            const auto p = c.centre();
            if (taken.count(key(ix, iy)) || !inDev.covers(gis::Geometry::point(p.x, p.y)) ||
                !usable(p))
                continue;
            const double d = std::hypot(p.x - seat.x, p.y - seat.y);
            c.weight = std::exp(-d / (spec.coreRadiusKm * 450)) * rng.uniform(0.6, 1.4) + 0.04;
            taken.insert(key(ix, iy));
            urban.push_back(c);
        }
    if (urban.empty()) throw std::runtime_error(spec.name + ": no urban cell");
    const auto ruralPop = static_cast<double>(total) * (1 - kUrbanShare);
    const auto wanted = static_cast<std::size_t>(std::ceil(ruralPop / kVillageMean));
    const auto ue = w.cityGeometry(unit).envelope();
    long misses = 0;
    while (rural.size() < wanted && ++misses < 2'000'000) {
        const gis::Point p{rng.uniform(ue.minx, ue.maxx), rng.uniform(ue.miny, ue.maxy)};
        const auto ix = static_cast<std::int64_t>(std::floor(p.x / kCell)),
                   iy = static_cast<std::int64_t>(std::floor(p.y / kCell));
        const int size = 1 + rng.below(4);  // a village of 1–4 cells
        for (int k = 0; k < size && rural.size() < wanted; ++k) {
            Cell c{ix + (k == 1 ? 1 : 0), iy + (k >= 2 ? 1 : 0) - (k == 3 ? 2 : 0), 0};
            const auto q = c.centre();
            if (taken.count(key(c.ix, c.iy)) || inAnyDev.covers(gis::Geometry::point(q.x, q.y)) ||
                !usable(q))
                continue;
            c.weight = rng.uniform(0.3, 1.0);
            taken.insert(key(c.ix, c.iy));
            rural.push_back(c);
        }
    }
    // The urban and rural shares hold exactly; then one apportionment over all cells.
    auto scale = [](std::vector<Cell>& cells, double share) {
        double s = 0;
        for (const auto& c : cells) s += c.weight;
        for (auto& c : cells) c.weight *= share / s;
    };
    scale(urban, kUrbanShare);
    scale(rural, 1 - kUrbanShare);
    urban.insert(urban.end(), rural.begin(), rural.end());
    apportion(urban, total);
    std::vector<Cell> cells;
    for (const auto& c : urban)
        if (c.pop > 0) cells.push_back(c);
    return cells;
}

std::string isoDate(int y, int m, int d) {
    char s[40];
    std::snprintf(s, sizeof s, "%04d-%02d-%02d", y, m, d);
    return s;
}

// Facilities where people are: each at a cell drawn in proportion to its residents, placed
// within the cell, off water and inside the unit.
void placeServices(const World& w, std::size_t unit, const std::vector<Cell>& cells,
                   gis::VectorLayer& out, Rng& rng) {
    const std::string& name = cities()[unit].name;
    const gis::PreparedGeometry inUnit(w.cityGeometry(unit));
    std::vector<double> cumulative;
    double sum = 0;
    for (const auto& c : cells) cumulative.push_back(sum += static_cast<double>(c.pop));
    const auto& names = districts().at(name);
    for (const auto& kind : serviceKinds()) {
        const auto count = static_cast<int>(
            std::max(1.0, std::round(static_cast<double>(census().at(name)) / kind.residentsPer)));
        for (int n = 1; n <= count; ++n) {
            const auto at =
                std::upper_bound(cumulative.begin(), cumulative.end(), rng.uniform() * sum) -
                cumulative.begin();
            const auto& cell = cells[std::min(static_cast<std::size_t>(at), cells.size() - 1)];
            gis::Point p = cell.centre();  // on land, in the unit: the fallback
            for (int k = 0; k < 20; ++k) {
                const gis::Point q{cm(p.x + rng.uniform(-240, 240)),
                                   cm(p.y + rng.uniform(-240, 240))};
                if (inUnit.covers(gis::Geometry::point(q.x, q.y)) && !w.waterIn(q)) {
                    p = q;
                    break;
                }
            }
            const std::string sub = kind.subkind;
            std::string label;
            if (sub == "社区卫生服务中心")
                label = names[static_cast<std::size_t>(n - 1) % names.size()] + "第" +
                        std::to_string((n - 1) / static_cast<int>(names.size()) + 1) + sub;
            else if (sub == "医院")
                label = name + "第" + std::to_string(n) + "人民医院";
            else if (sub == "文化")
                label = name + "第" + std::to_string(n) + "文化活动中心";
            else if (sub == "体育")
                label = name + "第" + std::to_string(n) + "全民健身中心";
            else
                label = name + "第" + std::to_string(n) + sub;
            const int steps = (kind.capMax - kind.capMin) / kind.capStep;
            const std::int64_t capacity = kind.capMin + kind.capStep * rng.below(steps + 1);
            const int year = 1990 + rng.below(37);  // 1990–2026
            const bool school = std::string(kind.kind) == "教育";
            int month = school ? 9 : 1 + rng.below(12);
            const int day = school ? 1 : 1 + rng.below(28);
            if (year == 2026 && month > 8) month = 1 + rng.below(8);  // none after 2026-08
            add(out, gis::Geometry::point(p.x, p.y),
                {label, std::string(kind.kind), sub, capacity, std::string(kind.unit),
                 isoDate(year, month, day), name});
        }
    }
}

// A jittered, slightly turned street grid around the seat (250 m; every 2nd line 次干路, every
// 4th 主干路) and three diagonals along cell diagonals, so every crossing is a grid node: the
// network is noded by construction. Nodes off the unit or on water are dropped, and only the
// largest connected part is kept.
void makeStreets(const World& w, std::size_t unit, gis::VectorLayer& out, Rng& rng) {
    const auto& spec = cities()[unit];
    const std::string brand = shortName(spec.name);
    const gis::PreparedGeometry inUnit(w.cityGeometry(unit));
    const auto seat = toPlan(spec.seat);
    const double angle = rng.uniform(-0.35, 0.35);
    constexpr int n = 2 * kStreetHalf + 1;
    std::vector<gis::Point> node(n * n);
    std::vector<bool> kept(n * n);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            const double lx = (i - kStreetHalf) * kStreet + rng.uniform(-35, 35),
                         ly = (j - kStreetHalf) * kStreet + rng.uniform(-35, 35);
            const gis::Point p{cm(seat.x + lx * std::cos(angle) - ly * std::sin(angle)),
                               cm(seat.y + lx * std::sin(angle) + ly * std::cos(angle))};
            node[i * n + j] = p;
            kept[i * n + j] = inUnit.covers(gis::Geometry::point(p.x, p.y)) && !w.waterIn(p);
        }
    struct Edge {
        int a, b;
        std::string name, cls;
    };
    std::vector<Edge> edges;
    auto classOf = [](int line) {
        return line % 4 == 0 ? "主干路" : line % 2 == 0 ? "次干路" : "支路";
    };
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            if (i + 1 < n)  // east-west: 纬 lines by j
                edges.push_back({i * n + j, (i + 1) * n + j,
                                 brand + "纬" + std::to_string(j + 1) + "路",
                                 classOf(j - kStreetHalf)});
            if (j + 1 < n)  // north-south: 经 lines by i
                edges.push_back({i * n + j, i * n + j + 1,
                                 brand + "经" + std::to_string(i + 1) + "路",
                                 classOf(i - kStreetHalf)});
        }
    // i − j = c rising, i + j = d falling; c and d even, so two diagonals cross only at nodes.
    int diagonal = 0;
    for (int c : {-6, 6}) {
        ++diagonal;
        for (int i = 0; i + 1 < n; ++i) {
            const int j = i - c;
            if (j >= 0 && j + 1 < n)
                edges.push_back({i * n + j, (i + 1) * n + j + 1,
                                 brand + "斜" + std::to_string(diagonal) + "路", "次干路"});
        }
    }
    ++diagonal;
    for (int i = 0; i + 1 < n; ++i) {
        const int j = 2 * kStreetHalf - i;  // d = 0 around the seat: i + j = n − 1
        if (j - 1 >= 0 && j < n)
            edges.push_back({i * n + j, (i + 1) * n + j - 1,
                             brand + "斜" + std::to_string(diagonal) + "路", "次干路"});
    }
    // Largest connected part of what is on land.
    std::vector<int> parent(n * n);
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&parent](int x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    };
    for (const auto& e : edges)
        if (kept[e.a] && kept[e.b]) parent[find(e.a)] = find(e.b);
    std::vector<int> size(n * n, 0);
    for (const auto& e : edges)
        if (kept[e.a] && kept[e.b]) ++size[find(e.a)];
    const int root = static_cast<int>(std::max_element(size.begin(), size.end()) - size.begin());
    for (const auto& e : edges)
        if (kept[e.a] && kept[e.b] && find(e.a) == root)
            add(out, gis::Geometry::lineString({node[e.a], node[e.b]}), {e.name, e.cls});
}

}  // namespace

std::int64_t censusPopulation(const std::string& unit) {
    const auto it = census().find(unit);
    if (it == census().end()) throw std::runtime_error("no census figure for " + unit);
    return it->second;
}

Living makeLiving(const World& w, Rng& rng) {
    Living l;
    l.population = layer("population", "Point",
                         {{"pop", gis::FieldType::Integer},
                          {"cell", gis::FieldType::Integer},
                          {"city", gis::FieldType::String}});
    l.services = layer("services", "Point",
                       {{"name", gis::FieldType::String},
                        {"kind", gis::FieldType::String},
                        {"subkind", gis::FieldType::String},
                        {"capacity", gis::FieldType::Integer},
                        {"capacity_unit", gis::FieldType::String},
                        {"opened", gis::FieldType::Date},
                        {"city", gis::FieldType::String}});
    l.roads = layer("roads", "LineString",
                    {{"name", gis::FieldType::String}, {"class", gis::FieldType::String}});
    std::unordered_set<std::int64_t> taken;  // a cell belongs to one unit
    for (std::size_t i = 0; i < cities().size(); ++i) {
        const auto unit = gis::toString(w.city.value(i, "name"));
        if (unit != cities()[i].name)
            throw std::runtime_error("city " + std::to_string(i) + " is " + unit + ", not " +
                                     cities()[i].name);
        const auto cells = populate(w, i, taken, rng);
        for (const auto& c : cells) {
            const auto p = c.centre();
            add(l.population, gis::Geometry::point(p.x, p.y),
                {c.pop, static_cast<std::int64_t>(kCell), unit});
        }
        placeServices(w, i, cells, l.services, rng);
        makeStreets(w, i, l.roads, rng);
    }
    return l;
}

}  // namespace onemap::sample
