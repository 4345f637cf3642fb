#include "onemap/core/validate/plan_consistency.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <set>

#include "onemap/core/check/report.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/gis/geom/prepared_geometry.hpp"

namespace onemap::core {
namespace {

// A conflict found with the features' indexes, to sort by before ids are taken.
struct Found {
    std::size_t a = 0, b = 0;
    ConsistencyConflict conflict;
};

// Prepared geometries of one layer's features, made on first use by each thread (a prepared
// geometry serves one thread at a time).
class PreparedPerThread {
  public:
    explicit PreparedPerThread(const MapLayer& layer)
        : layer_(layer), cache_([&layer] {
              return std::vector<std::unique_ptr<gis::PreparedGeometry>>(layer.size());
          }) {}

    const gis::PreparedGeometry& operator[](std::size_t i) {
        auto& mine = cache_.local();
        if (!mine[i]) mine[i] = std::make_unique<gis::PreparedGeometry>(layer_.geometry(i));
        return *mine[i];
    }

  private:
    const MapLayer& layer_;
    tbb::enumerable_thread_specific<std::vector<std::unique_ptr<gis::PreparedGeometry>>> cache_;
};

std::vector<std::size_t> candidates(const MapLayer& layer, const gis::Geometry& g) {
    std::vector<std::size_t> out;
    if (g.isEmpty()) return out;
    layer.index().forEachMeeting(g.envelope(), [&](std::size_t j, const gis::Envelope&) {
        if (!layer.geometry(j).isEmpty()) out.push_back(j);
    });
    std::sort(out.begin(), out.end());
    return out;
}

bool counts(double m2, const ConsistencySpec& spec) {
    return m2 >= kNoiseFloorM2 && m2 > spec.toleranceM2;
}

// Every pair of overlapping features, the bigger layer walked in parallel, the smaller one's
// features prepared and found through its index.
std::vector<Found> disjoint(const MapLayer& a, const MapLayer& b, const ConsistencySpec& spec,
                            const gis::Crs& crs, std::atomic<std::size_t>& pairs) {
    const bool aOuter = a.size() >= b.size();
    const MapLayer& outer = aOuter ? a : b;
    const MapLayer& inner = aOuter ? b : a;
    PreparedPerThread prepared(inner);
    std::vector<std::vector<Found>> found(outer.size());
    tbb::parallel_for(std::size_t{0}, outer.size(), [&](std::size_t i) {
        const gis::Geometry& g = outer.geometry(i);
        const auto& measure = gis::EllipsoidalMeasure::forThisThread(crs);
        for (const std::size_t j : candidates(inner, g)) {
            pairs.fetch_add(1, std::memory_order_relaxed);
            const gis::PreparedGeometry& p = prepared[j];
            if (!p.intersects(g)) continue;
            gis::Geometry overlap = p.covers(g) ? g : g.intersection(inner.geometry(j));
            overlap = overlap.polygonalPart();
            const double m2 = measure.area(overlap);
            if (!counts(m2, spec)) continue;
            Found f{aOuter ? i : j, aOuter ? j : i, {}};
            f.conflict.areaM2 = m2;
            f.conflict.geometry = std::move(overlap);
            found[i].push_back(std::move(f));
        }
    });
    std::vector<Found> out;
    for (auto& v : found)
        for (auto& f : v) out.push_back(std::move(f));
    return out;
}

// Each feature of a, less what b covers of it.
std::vector<Found> within(const MapLayer& a, const MapLayer& b, const ConsistencySpec& spec,
                          const gis::Crs& crs, std::atomic<std::size_t>& measured) {
    PreparedPerThread prepared(b);
    std::vector<std::vector<Found>> found(a.size());
    tbb::parallel_for(std::size_t{0}, a.size(), [&](std::size_t i) {
        const gis::Geometry& g = a.geometry(i);
        if (g.isEmpty()) return;
        measured.fetch_add(1, std::memory_order_relaxed);
        std::vector<gis::Geometry> inside;
        std::vector<std::size_t> reached;
        for (const std::size_t j : candidates(b, g)) {
            const gis::PreparedGeometry& p = prepared[j];
            if (p.covers(g)) return;
            if (!p.intersects(g)) continue;
            inside.push_back(g.intersection(b.geometry(j)).polygonalPart());
            reached.push_back(j);
        }
        gis::Geometry outside =
            inside.empty() ? g : g.difference(gis::Geometry::unionOf(inside)).polygonalPart();
        const double m2 = gis::EllipsoidalMeasure::forThisThread(crs).area(outside);
        if (!counts(m2, spec)) return;
        Found f{i, reached.empty() ? b.size() : reached.front(), {}};
        for (const std::size_t j : reached)
            f.conflict.bId += (f.conflict.bId.empty() ? "" : ",") + b.featureId(j);
        f.conflict.areaM2 = m2;
        f.conflict.geometry = std::move(outside);
        found[i].push_back(std::move(f));
    });
    std::vector<Found> out;
    for (auto& v : found)
        for (auto& f : v) out.push_back(std::move(f));
    return out;
}

// Consistency compares areas: both layers must hold polygons.
void requirePolygons(const Plan& plan, const ConsistencySpec& spec, const MapLayer& layer) {
    const auto at = [&] {
        return plan.path + ":" + std::to_string(spec.line) + ": consistency '" + spec.id +
               "': layer '" + layer.spec().id + "' ";
    };
    if (layer.data().geometryType == "None")
        throw InputError(at() + "is a table without geometry; consistency compares areas");
    for (std::size_t i = 0; i < layer.size(); ++i) {
        const auto kind = layer.geometry(i).kind();
        if (kind == gis::GeometryKind::Point || kind == gis::GeometryKind::Line)
            throw InputError(at() + "holds " +
                             (kind == gis::GeometryKind::Point ? "points" : "lines") +
                             " (feature " + layer.featureId(i) +
                             "); consistency compares areas: name polygon layers");
    }
}

}  // namespace

double ConsistencyResult::totalM2() const {
    double sum = 0;
    for (const auto& c : conflicts) sum += c.areaM2;
    return sum;
}

ConsistencyResult checkConsistency(const OneMap& map, const ConsistencySpec& spec) {
    const MapLayer* a = map.layer(spec.a);
    const MapLayer* b = map.layer(spec.b);
    if (!a || !b)
        throw InputError(map.plan().path + ":" + std::to_string(spec.line) + ": consistency '" +
                         spec.id + "': layer '" + (a ? spec.b : spec.a) + "' is not loaded");
    requirePolygons(map.plan(), spec, *a);
    requirePolygons(map.plan(), spec, *b);
    ConsistencyResult r;
    r.spec = spec;
    r.aTitle = a->spec().title;
    r.bTitle = b->spec().title;
    r.aFeatures = a->size();
    r.bFeatures = b->size();
    std::atomic<std::size_t> measured{0};
    std::vector<Found> found = spec.relation == Relation::Disjoint
                                   ? disjoint(*a, *b, spec, map.plan().crs, measured)
                                   : within(*a, *b, spec, map.plan().crs, measured);
    std::sort(found.begin(), found.end(), [](const Found& x, const Found& y) {
        return std::tie(x.a, x.b) < std::tie(y.a, y.b);
    });
    r.pairsMeasured = measured.load();
    for (auto& f : found) {
        f.conflict.aId = a->featureId(f.a);
        if (spec.relation == Relation::Disjoint) f.conflict.bId = b->featureId(f.b);
        r.conflicts.push_back(std::move(f.conflict));
    }
    return r;
}

std::vector<ConsistencyResult> checkPlanConsistency(const Plan& plan, bool useCache) {
    if (plan.consistency.empty()) return {};
    // Only the layers the entries name, read as the check reads them.
    std::set<std::string> named;
    for (const auto& c : plan.consistency) named.insert({c.a, c.b});
    Plan only = plan;
    only.rules.clear();
    only.layers.clear();
    for (const auto& l : plan.layers)
        if (named.count(l.id)) only.layers.push_back(l);
    LoadScope scope;
    scope.cache = useCache;
    const auto map = OneMap::load(only, nullptr, scope);
    std::vector<ConsistencyResult> out;
    for (const auto& c : plan.consistency) out.push_back(checkConsistency(*map, c));
    return out;
}

}  // namespace onemap::core
