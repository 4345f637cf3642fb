// Service coverage: each cell's unit, then per kind each cell's smallest covering tier
// (straight: the facilities within the largest tier, from a bucket grid; network: one
// multi-source Dijkstra per kind), summed per unit in cell order.
#include "onemap/core/coverage/service_coverage.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "onemap/core/coverage/point_grid.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/geom/prepared_geometry.hpp"
#include "onemap/gis/index/spatial_index.hpp"

namespace onemap::core {
namespace {

template <class Body>
void forEachCell(std::size_t count, Body&& body) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1024),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                          for (std::size_t i = r.begin(); i != r.end(); ++i) body(i);
                      });
}

// The straight-line distance from (x, y) to the nearest facility of `points`; +∞ for none.
double nearestStraight(const gis::SpatialIndex& index, const std::vector<gis::Point>& points,
                       double x, double y) {
    std::size_t best = 0;
    double distance = std::numeric_limits<double>::infinity();
    if (!index.nearest(
            {x, y, x, y},
            [&](std::size_t i) { return std::hypot(points[i].x - x, points[i].y - y); }, best,
            distance))
        return std::numeric_limits<double>::infinity();
    return distance;
}

}  // namespace

const char* toString(DistanceMode mode) {
    return mode == DistanceMode::Network ? "network" : "straight";
}

ServiceCoverage::ServiceCoverage(FacilitySet facilities, std::vector<PopulationCell> cells,
                                 std::vector<ServiceUnit> units, CoverageOptions options,
                                 const StreetNetwork* network)
    : facilities_(std::move(facilities)),
      cells_(std::move(cells)),
      units_(std::move(units)),
      options_(std::move(options)),
      network_(network) {
    if (options_.crs.isKnown() && options_.crs.isGeographic())
        throw InputError(
            "coverage: the plan's CRS is in degrees; distances in metres need a projected CRS");
    const auto& tiers = options_.tiers;
    if (tiers.empty()) throw InputError("coverage --tiers: give at least one distance in metres");
    for (std::size_t i = 0; i < tiers.size(); ++i) {
        if (!std::isfinite(tiers[i]) || !(tiers[i] > 0))
            throw InputError("coverage --tiers: " + std::to_string(tiers[i]) +
                             " is not a distance > 0 in metres");
        if (i > 0 && !(tiers[i] > tiers[i - 1]))
            throw InputError(
                "coverage --tiers: the tiers must be strictly ascending, each once (e.g. "
                "300,500,1000)");
    }
    if (options_.mode == DistanceMode::Network && (!network_ || network_->edgeCount() == 0))
        throw InputError(
            "coverage --distance network: no street network (give --roads LAYER "
            "with lines)");
    for (const auto& c : cells_)
        if (!std::isfinite(c.residents) || c.residents < 0)
            throw InputError("coverage: population cell fid " + std::to_string(c.fid) +
                             ": residents must be finite, ≥ 0");
    for (const auto& f : facilities_.facilities)
        if (f.kind >= facilities_.kinds.size())
            throw Error("coverage: a facility's kind is not in the list of kinds");
}

std::vector<std::size_t> ServiceCoverage::unitOfCells() const {
    std::vector<std::size_t> unitOf(cells_.size(), units_.size());
    if (units_.empty()) return unitOf;
    std::vector<gis::Envelope> boxes;
    for (const auto& u : units_) boxes.push_back(u.area.envelope());
    const gis::SpatialIndex index(boxes);
    // GEOS prepared geometries serve one thread each: every thread prepares its own, lazily.
    using Prepared = std::vector<std::unique_ptr<gis::PreparedGeometry>>;
    tbb::enumerable_thread_specific<Prepared> perThread([&] { return Prepared(units_.size()); });
    forEachCell(cells_.size(), [&](std::size_t i) {
        const auto& c = cells_[i];
        Prepared& prepared = perThread.local();
        std::size_t best = units_.size();
        index.forEachMeeting(
            gis::Envelope{c.x, c.y, c.x, c.y}, [&](std::size_t u, const gis::Envelope&) {
                if (u >= best) return;
                if (!prepared[u])
                    prepared[u] = std::make_unique<gis::PreparedGeometry>(units_[u].area);
                if (prepared[u]->covers(gis::Geometry::point(c.x, c.y))) best = u;
            });
        unitOf[i] = best;
    });
    return unitOf;
}

CoverageResult ServiceCoverage::compute() const {
    const auto& tiers = options_.tiers;
    const std::size_t nTiers = tiers.size(), nKinds = facilities_.kinds.size();
    const std::size_t nCells = cells_.size(), nUnits = units_.size();
    const double maxTier = tiers.back();
    CoverageResult result;
    result.mode = options_.mode;
    result.tiers = tiers;
    result.kinds = facilities_.kinds;
    result.facilities = facilities_.facilities.size();
    result.cells = nCells;

    const std::vector<std::size_t> unitOf = unitOfCells();
    const bool outside =
        std::any_of(unitOf.begin(), unitOf.end(), [&](std::size_t u) { return u == nUnits; });
    // Rows: the units, the "outside" row when needed, the total.
    const std::size_t outsideRow = nUnits, totalRow = nUnits + (outside ? 1 : 0);
    result.units.resize(totalRow + 1);
    for (std::size_t u = 0; u < nUnits; ++u) result.units[u].name = units_[u].name;
    if (outside) result.units[outsideRow].name = CoverageResult::kOutsideUnit;
    result.units[totalRow].name = CoverageResult::kTotalUnit;
    std::vector<double> residents(result.units.size(), 0);
    for (std::size_t i = 0; i < nCells; ++i) {
        residents[unitOf[i]] += cells_[i].residents;  // unitOf == nUnits is the outside row
        ++result.units[unitOf[i]].cells;
        residents[totalRow] += cells_[i].residents;
        ++result.units[totalRow].cells;
    }
    for (std::size_t u = 0; u < result.units.size(); ++u) {
        result.units[u].kinds.resize(nKinds);
        for (std::size_t k = 0; k < nKinds; ++k) {
            result.units[u].kinds[k].kind = facilities_.kinds[k];
            for (const double t : tiers)
                result.units[u].kinds[k].tiers.push_back({t, residents[u], 0});
        }
    }

    // Network mode: each cell's way onto the network, once for every kind.
    std::vector<StreetNetwork::Snap> cellSnap;
    if (options_.mode == DistanceMode::Network) {
        cellSnap.resize(nCells);
        forEachCell(nCells, [&](std::size_t i) {
            cellSnap[i] = network_->nearestNode(cells_[i].x, cells_[i].y);
        });
        for (const auto& s : cellSnap) result.offNetworkCells += s.distance > maxTier ? 1 : 0;
    }

    std::vector<std::size_t> level(nCells);  // the first covering tier; nTiers for none
    for (std::size_t k = 0; k < nKinds; ++k) {
        std::vector<double> xs, ys;
        for (const auto& f : facilities_.facilities)
            if (f.kind == k) {
                xs.push_back(f.x);
                ys.push_back(f.y);
            }
        const auto levelOf = [&](double covers, bool squared) {
            for (std::size_t t = 0; t < nTiers; ++t)
                if (covers <= (squared ? tiers[t] * tiers[t] : tiers[t])) return t;
            return nTiers;
        };
        if (options_.mode == DistanceMode::Straight) {
            const PointGrid grid(xs, ys, maxTier);
            forEachCell(nCells, [&](std::size_t i) {
                level[i] =
                    levelOf(grid.nearestSquaredWithin(cells_[i].x, cells_[i].y, maxTier), true);
            });
        } else {
            std::vector<StreetNetwork::Source> sources;
            for (std::size_t f = 0; f < xs.size(); ++f) {
                const auto snap = network_->nearestNode(xs[f], ys[f]);
                if (snap.distance <= maxTier) sources.push_back({snap.node, snap.distance});
            }
            const std::vector<double> walk = network_->distances(sources, maxTier);
            forEachCell(nCells, [&](std::size_t i) {
                const auto& s = cellSnap[i];
                const double d =
                    s.distance <= maxTier ? walk[s.node] + s.distance : StreetNetwork::kUnreached;
                level[i] = levelOf(d, false);
            });
        }
        std::vector<std::vector<double>> covered(result.units.size(),
                                                 std::vector<double>(nTiers, 0));
        for (std::size_t i = 0; i < nCells; ++i)
            for (std::size_t t = level[i]; t < nTiers; ++t) {
                covered[unitOf[i]][t] += cells_[i].residents;
                covered[totalRow][t] += cells_[i].residents;
            }
        for (std::size_t u = 0; u < result.units.size(); ++u)
            for (std::size_t t = 0; t < nTiers; ++t)
                result.units[u].kinds[k].tiers[t].covered = covered[u][t];

        if (!options_.listUncovered) continue;
        std::vector<gis::Point> points;
        std::vector<gis::Envelope> boxes;
        for (std::size_t f = 0; f < xs.size(); ++f) {
            points.push_back({xs[f], ys[f]});
            boxes.push_back({xs[f], ys[f], xs[f], ys[f]});
        }
        const gis::SpatialIndex index(boxes);
        std::vector<std::size_t> open;
        for (std::size_t i = 0; i < nCells; ++i)
            if (level[i] == nTiers && cells_[i].residents > 0) open.push_back(i);
        std::vector<double> nearest(open.size());
        forEachCell(open.size(), [&](std::size_t j) {
            nearest[j] = nearestStraight(index, points, cells_[open[j]].x, cells_[open[j]].y);
        });
        for (std::size_t j = 0; j < open.size(); ++j) {
            const auto& c = cells_[open[j]];
            result.uncovered.push_back(
                {c.x, c.y, c.fid, c.residents, unitOf[open[j]], k, nearest[j]});
        }
    }
    return result;
}

}  // namespace onemap::core
