#include "find/plot_placer.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numbers>
#include <optional>

#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/gis/geom/prepared_geometry.hpp"

namespace onemap::core {
namespace {

struct Shape {
    double aspect;
    double angleDeg;
};

struct Seed {
    std::size_t piece;
    gis::Point at;
    std::optional<Shape> only;  ///< edge seeds: the shape lying along their edge
};

// Seeds just inside long edges (of the free pieces, of the parks), for plots lying along them:
// one per plot length along each edge long enough, on each side that is free, for a square
// and for the longest shape allowed.
void addEdgeSeeds(const std::vector<std::vector<gis::Point>>& rings,
                  const std::function<std::optional<std::size_t>(gis::Point)>& locate,
                  double planarArea, const PlotRequest& request, std::vector<Seed>& seeds) {
    for (const double aspect : {1.0, request.maxAspect}) {
        const double longSide = std::sqrt(planarArea * aspect);
        const double offset = std::sqrt(planarArea / aspect) / 2 + request.insetM + 0.02;
        double total = 0;
        for (const auto& ring : rings)
            for (std::size_t i = 1; i < ring.size(); ++i) {
                const double len = std::hypot(ring[i].x - ring[i - 1].x, ring[i].y - ring[i - 1].y);
                if (len >= longSide) total += len;
            }
        const double step = std::max(longSide, total / (static_cast<double>(request.maxSeeds) / 2));
        for (const auto& ring : rings)
            for (std::size_t i = 1; i < ring.size(); ++i) {
                const gis::Point a = ring[i - 1], b = ring[i];
                const double len = std::hypot(b.x - a.x, b.y - a.y);
                if (len < longSide) continue;
                const double ux = (b.x - a.x) / len, uy = (b.y - a.y) / len;
                const double angle =
                    std::fmod(std::atan2(uy, ux) * 180 / std::numbers::pi + 360, 180);
                for (double t = longSide / 2 + request.insetM; t <= len - longSide / 2; t += step)
                    for (const double side : {1.0, -1.0}) {
                        const gis::Point at{a.x + ux * t - side * uy * offset,
                                            a.y + uy * t + side * ux * offset};
                        if (const auto piece = locate(at))
                            seeds.push_back({*piece, at, Shape{aspect, angle}});
                    }
            }
        if (request.maxAspect <= 1) break;
    }
}

// The piece's own frame: the direction of its longest outer edge, and its aspect that way.
Shape fittedShape(const gis::Geometry& piece, double maxAspect) {
    const auto polygons = piece.polygons();
    if (polygons.empty() || polygons[0].empty()) return {1, 0};
    const auto& ring = polygons[0][0];
    double best = -1, angle = 0;
    for (std::size_t i = 1; i < ring.size(); ++i) {
        const double dx = ring[i].x - ring[i - 1].x, dy = ring[i].y - ring[i - 1].y;
        if (dx * dx + dy * dy > best) {
            best = dx * dx + dy * dy;
            angle = std::atan2(dy, dx);
        }
    }
    const double ux = std::cos(angle), uy = std::sin(angle);
    double u0 = 1e300, u1 = -1e300, v0 = 1e300, v1 = -1e300;
    for (const auto& p : ring) {
        const double u = p.x * ux + p.y * uy, v = -p.x * uy + p.y * ux;
        u0 = std::min(u0, u);
        u1 = std::max(u1, u);
        v0 = std::min(v0, v);
        v1 = std::max(v1, v);
    }
    double deg = angle * 180 / std::numbers::pi;
    double lu = u1 - u0, lv = v1 - v0;
    if (lu < lv) {
        std::swap(lu, lv);
        deg += 90;
    }
    deg = std::fmod(deg + 360, 180);
    return {lv > 0 ? std::clamp(lu / lv, 1.0, maxAspect) : 1.0, deg};
}

std::vector<Shape> compactShapes(double maxAspect) {
    std::vector<Shape> out;
    for (const double a : {0.0, 45.0, 22.5, 67.5}) out.push_back({1, a});
    std::vector<double> aspects;
    if (maxAspect >= 1.5) aspects.push_back(1.5);
    if (maxAspect > 1.5) aspects.push_back(maxAspect);
    if (maxAspect > 1 && maxAspect < 1.5) aspects.push_back(maxAspect);
    for (const double aspect : aspects)
        for (const double a : {0.0, 90.0, 45.0, 135.0, 30.0, 60.0, 120.0, 150.0})
            out.push_back({aspect, a});
    return out;
}

}  // namespace

gis::Geometry orientedRectangle(gis::Point c, double longSide, double shortSide, double angleDeg) {
    const double t = angleDeg * std::numbers::pi / 180;
    const double ux = std::cos(t) * longSide / 2, uy = std::sin(t) * longSide / 2;
    const double vx = -std::sin(t) * shortSide / 2, vy = std::cos(t) * shortSide / 2;
    const gis::Point a{c.x - ux - vx, c.y - uy - vy}, b{c.x + ux - vx, c.y + uy - vy},
        d{c.x + ux + vx, c.y + uy + vy}, e{c.x - ux + vx, c.y - uy + vy};
    return gis::Geometry::polygon({{a, b, d, e, a}});
}

std::vector<Placement> placePlots(const gis::Geometry& freeLand, const gis::Crs& crs,
                                  const PlotRequest& request) {
    const auto& measure = gis::EllipsoidalMeasure::forThisThread(crs);
    // Pieces that could hold the plot, and the seeds in them.
    std::vector<gis::Geometry> pieces;
    std::vector<Shape> fitted;
    double bigArea = 0;
    for (std::size_t i = 0; i < freeLand.numParts(); ++i) {
        gis::Geometry p = freeLand.part(i);
        if (p.kind() != gis::GeometryKind::Polygon || p.area() <= 0) continue;
        if (measure.area(p) < request.areaM2 * 0.995) continue;
        bigArea += p.area();
        fitted.push_back(fittedShape(p, request.maxAspect));
        pieces.push_back(std::move(p));
    }
    if (pieces.empty()) return {};
    const double side = std::sqrt(request.areaM2);
    const double step =
        std::max(side / 2, std::sqrt(bigArea / static_cast<double>(request.maxSeeds)));
    std::vector<Seed> seeds;
    std::vector<gis::PreparedGeometry> preparedPieces;
    std::vector<std::vector<gis::Point>> rings = request.edges;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        const gis::PreparedGeometry& prepared = preparedPieces.emplace_back(pieces[i]);
        const gis::Geometry c = pieces[i].centroid();
        if (!c.isEmpty() && prepared.contains(c)) {
            const auto e = c.envelope();
            seeds.push_back({i, {e.minx, e.miny}, std::nullopt});
        }
        const gis::Envelope box = pieces[i].envelope();
        for (double y = (std::floor(box.miny / step) + 0.5) * step; y < box.maxy; y += step)
            for (double x = (std::floor(box.minx / step) + 0.5) * step; x < box.maxx; x += step)
                if (prepared.contains(gis::Geometry::point(x, y)))
                    seeds.push_back({i, {x, y}, std::nullopt});
        rings.push_back(pieces[i].polygons().at(0).at(0));
    }
    const auto locate = [&](gis::Point p) -> std::optional<std::size_t> {
        const gis::Geometry at = gis::Geometry::point(p.x, p.y);
        for (std::size_t i = 0; i < pieces.size(); ++i)
            if (pieces[i].envelope().contains(at.envelope()) && preparedPieces[i].contains(at))
                return i;
        return std::nullopt;
    };
    addEdgeSeeds(rings, locate, request.areaM2, request, seeds);
    const std::vector<Shape> shapes = compactShapes(request.maxAspect);
    std::vector<std::optional<Placement>> found(seeds.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, seeds.size(), 16), [&](const auto& r) {
        const auto& m = gis::EllipsoidalMeasure::forThisThread(crs);
        std::map<std::size_t, gis::PreparedGeometry> prepared;  // per thread, per piece
        for (std::size_t s = r.begin(); s != r.end(); ++s) {
            const Seed& seed = seeds[s];
            auto it = prepared.find(seed.piece);
            if (it == prepared.end())
                it = prepared.emplace(seed.piece, gis::PreparedGeometry(pieces[seed.piece])).first;
            // The plane's areal scale here: a square of the plot's size, measured.
            const gis::Geometry probe = orientedRectangle(seed.at, side, side, 0);
            const double planarArea = request.areaM2 * probe.area() / m.area(probe);
            const double linear = std::sqrt(m.area(probe) / probe.area());
            std::vector<Shape> tries{seed.only ? *seed.only : fitted[seed.piece]};
            if (!seed.only) tries.insert(tries.end(), shapes.begin(), shapes.end());
            for (std::size_t t = 0; t < tries.size() && !found[s]; ++t) {
                const Shape& shape = tries[t];
                for (const double scale : {1.0, 0.998, 0.995}) {
                    const double longSide = std::sqrt(planarArea * scale * shape.aspect);
                    const double shortSide = std::sqrt(planarArea * scale / shape.aspect);
                    if (shortSide * linear < request.minWidthM) break;
                    const double grow = 2 * request.insetM;
                    if (!it->second.contains(orientedRectangle(seed.at, longSide + grow,
                                                               shortSide + grow, shape.angleDeg)))
                        continue;
                    const double room = 2 * request.roomM / linear;
                    const bool roomy = request.roomM > 0 && it->second.contains(orientedRectangle(
                                                                seed.at, longSide + room,
                                                                shortSide + room, shape.angleDeg));
                    found[s] =
                        Placement{orientedRectangle(seed.at, longSide, shortSide, shape.angleDeg),
                                  seed.at,
                                  shape.aspect,
                                  shape.angleDeg,
                                  seed.piece,
                                  s,
                                  seed.only.has_value(),
                                  roomy};
                    break;
                }
            }
        }
    });
    std::vector<Placement> out;
    for (auto& f : found)
        if (f) out.push_back(std::move(*f));
    return out;
}

}  // namespace onemap::core
