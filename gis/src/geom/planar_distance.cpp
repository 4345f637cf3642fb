#include "onemap/gis/geom/planar_distance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <utility>
#include <vector>

#include "base/handles.hpp"

namespace onemap::gis {

// Vertices of a geometry as runs: a path (a line, a ring) or a single point; polygons as
// runs of rings, exterior first. Rings keep their closing vertex.
struct PlanarDistance::Shape {
    struct Run {
        std::size_t first = 0, count = 0;
    };
    struct Polygon {
        std::size_t firstRun = 0, runs = 0;
    };
    std::vector<Point> points;
    std::vector<Run> runs;
    std::vector<Polygon> polygons;
    std::vector<double> buffer;

    void clear() {
        points.clear();
        runs.clear();
        polygons.clear();
    }

    void addSequence(GEOSContextHandle_t h, const GEOSCoordSequence* seq) {
        unsigned n = 0;
        if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n) || n == 0) return;
        buffer.resize(2 * static_cast<std::size_t>(n));
        if (!GEOSCoordSeq_copyToBuffer_r(h, seq, buffer.data(), 0, 0)) return;
        runs.push_back({points.size(), n});
        for (unsigned i = 0; i < n; ++i) points.push_back({buffer[2 * i], buffer[2 * i + 1]});
    }

    void add(GEOSContextHandle_t h, const GEOSGeometry* g) {
        if (GEOSisEmpty_r(h, g) == 1) return;
        switch (GEOSGeomTypeId_r(h, g)) {
            case GEOS_POINT:
            case GEOS_LINESTRING:
            case GEOS_LINEARRING:
                addSequence(h, GEOSGeom_getCoordSeq_r(h, g));
                return;
            case GEOS_POLYGON: {
                const std::size_t first = runs.size();
                addSequence(h, GEOSGeom_getCoordSeq_r(h, GEOSGetExteriorRing_r(h, g)));
                const int holes = GEOSGetNumInteriorRings_r(h, g);
                for (int i = 0; i < holes; ++i)
                    addSequence(h, GEOSGeom_getCoordSeq_r(h, GEOSGetInteriorRingN_r(h, g, i)));
                polygons.push_back({first, runs.size() - first});
                return;
            }
            default: {
                const int n = GEOSGetNumGeometries_r(h, g);
                for (int i = 0; i < n; ++i) add(h, GEOSGetGeometryN_r(h, g, i));
            }
        }
    }

    void of(const Geometry& g) {
        clear();
        if (const auto* geom = static_cast<const GEOSGeometry*>(g.handle()))
            add(detail::geos(), geom);
    }
};

namespace {

using Shape = PlanarDistance::Shape;

bool same(Point a, Point b) { return a.x == b.x && a.y == b.y; }

double between(Point a, Point b) {
    const double dx = a.x - b.x, dy = a.y - b.y;
    return std::sqrt(dx * dx + dy * dy);
}

// GEOS's algorithm::Distance::pointToSegment.
double pointToSegment(Point p, Point a, Point b) {
    if (same(a, b)) return between(p, a);
    const double len2 = (b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y);
    const double r = ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / len2;
    if (r <= 0.0) return between(p, a);
    if (r >= 1.0) return between(p, b);
    const double s = ((a.y - p.y) * (b.x - a.x) - (a.x - p.x) * (b.y - a.y)) / len2;
    return std::fabs(s) * std::sqrt(len2);
}

// GEOS's algorithm::Distance::segmentToSegment.
double segmentToSegment(Point a, Point b, Point c, Point d) {
    if (same(a, b)) return pointToSegment(a, c, d);
    if (same(c, d)) return pointToSegment(d, a, b);
    bool apart = std::max(a.x, b.x) < std::min(c.x, d.x) ||
                 std::min(a.x, b.x) > std::max(c.x, d.x) ||
                 std::max(a.y, b.y) < std::min(c.y, d.y) || std::min(a.y, b.y) > std::max(c.y, d.y);
    if (!apart) {
        const double denom = (b.x - a.x) * (d.y - c.y) - (b.y - a.y) * (d.x - c.x);
        if (denom == 0) {
            apart = true;
        } else {
            const double r = ((a.y - c.y) * (d.x - c.x) - (a.x - c.x) * (d.y - c.y)) / denom;
            const double s = ((a.y - c.y) * (b.x - a.x) - (a.x - c.x) * (b.y - a.y)) / denom;
            apart = r < 0 || r > 1 || s < 0 || s > 1;
        }
    }
    if (!apart) return 0.0;
    return std::min({pointToSegment(a, c, d), pointToSegment(b, c, d), pointToSegment(c, a, b),
                     pointToSegment(d, a, b)});
}

// GEOS's LineSegment::closestPoint.
Point closestPoint(Point p, Point a, Point b) {
    if (same(p, a) || same(p, b)) return p;
    const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
    const double f = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : NAN;
    if (f > 0 && f < 1) return {a.x + f * dx, a.y + f * dy};
    return between(a, p) < between(b, p) ? a : b;
}

// GEOS's LineSegment::closestPoints, for segments that do not meet.
std::pair<Point, Point> closestPoints(Point a, Point b, Point c, Point d) {
    std::pair<Point, Point> best{closestPoint(c, a, b), c};
    double min = between(best.first, c);
    const auto consider = [&](Point onAb, Point onCd) {
        const double dist = between(onAb, onCd);
        if (dist < min) {
            min = dist;
            best = {onAb, onCd};
        }
    };
    consider(closestPoint(d, a, b), d);
    consider(a, closestPoint(a, c, d));
    consider(b, closestPoint(b, c, d));
    return best;
}

// Even-odd over the polygon's rings. Wrong only within rounding of its boundary, where
// the caller checks the boundary distance.
bool inside(Point p, const Shape& s, const Shape::Polygon& poly) {
    bool in = false;
    for (std::size_t r = poly.firstRun; r < poly.firstRun + poly.runs; ++r) {
        const Shape::Run& run = s.runs[r];
        for (std::size_t i = run.first; i + 1 < run.first + run.count; ++i) {
            const Point a = s.points[i], b = s.points[i + 1];
            if ((a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y))
                in = !in;
        }
    }
    return in;
}

double toBoundary(Point p, const Shape& s, const Shape::Polygon& poly) {
    double min = std::numeric_limits<double>::infinity();
    for (std::size_t r = poly.firstRun; r < poly.firstRun + poly.runs; ++r) {
        const Shape::Run& run = s.runs[r];
        for (std::size_t i = run.first; i + 1 < run.first + run.count; ++i)
            min = std::min(min, pointToSegment(p, s.points[i], s.points[i + 1]));
    }
    return min;
}

// A vertex of `of` inside a polygon of `in`: 0, or -1 for "too close to call", or +1 for
// none inside.
int containment(const Shape& of, const Shape& in, double touch) {
    for (const auto& poly : in.polygons)
        for (const auto& run : of.runs) {
            const Point p = of.points[run.first];
            if (!inside(p, in, poly)) continue;
            return toBoundary(p, in, poly) < touch ? -1 : 0;
        }
    return 1;
}

}  // namespace

PlanarDistance::PlanarDistance(Geometry from)
    : from_(std::move(from)), shape_(std::make_unique<Shape>()) {
    shape_->of(from_);
    double scale = 0;
    for (const Point& p : shape_->points) scale = std::max({scale, std::fabs(p.x), std::fabs(p.y)});
    // Rounding in the formulas above is a few ulps of the coordinates (5e-10 m at 3.4e6 m).
    touch_ = std::max(1e-12 * scale, 1e-300);
}

PlanarDistance::~PlanarDistance() = default;
PlanarDistance::PlanarDistance(PlanarDistance&&) noexcept = default;
PlanarDistance& PlanarDistance::operator=(PlanarDistance&&) noexcept = default;

PlanarDistance::Nearest PlanarDistance::to(const Geometry& other) const {
    thread_local Shape b;
    b.of(other);
    const Shape& a = *shape_;
    Nearest out;
    if (a.points.empty() || b.points.empty()) return out;  // GEOS's distance to empty: 0
    const auto byGeos = [&] {
        Nearest exact;
        exact.distance = from_.distance(other);
        if (exact.distance > 0) std::tie(exact.onFrom, exact.onOther) = from_.nearestPoints(other);
        return exact;
    };
    const int inB = containment(a, b, touch_), inA = inB == 1 ? containment(b, a, touch_) : inB;
    if (inA < 0) return byGeos();
    if (inA == 0) return out;

    double min = std::numeric_limits<double>::infinity();
    std::size_t bestI = 0, bestJ = 0;
    const auto segment = [](const Shape& s, const Shape::Run& run, std::size_t i) {
        // A single point is a segment of no length (GEOS's point-to-segment case).
        return std::pair{s.points[i], s.points[run.count > 1 ? i + 1 : i]};
    };
    for (const auto& ra : a.runs)
        for (std::size_t i = ra.first; i == ra.first || i + 1 < ra.first + ra.count; ++i)
            for (const auto& rb : b.runs)
                for (std::size_t j = rb.first; j == rb.first || j + 1 < rb.first + rb.count; ++j) {
                    const auto [p0, p1] = segment(a, ra, i);
                    const auto [q0, q1] = segment(b, rb, j);
                    const double d = segmentToSegment(p0, p1, q0, q1);
                    if (d < min) {
                        min = d;
                        bestI = i;
                        bestJ = j;
                    }
                }
    if (min < touch_) return byGeos();  // touching, or too close to call by rounding
    const auto runOf = [](const Shape& s, std::size_t i) {
        for (const auto& run : s.runs)
            if (i >= run.first && i < run.first + run.count) return run;
        return s.runs.front();
    };
    const auto [p0, p1] = segment(a, runOf(a, bestI), bestI);
    const auto [q0, q1] = segment(b, runOf(b, bestJ), bestJ);
    out.distance = min;
    if (same(p0, p1) && same(q0, q1))
        std::tie(out.onFrom, out.onOther) = std::pair{p0, q0};
    else if (same(p0, p1))
        std::tie(out.onFrom, out.onOther) = std::pair{p0, closestPoint(p0, q0, q1)};
    else if (same(q0, q1))
        std::tie(out.onFrom, out.onOther) = std::pair{closestPoint(q0, p0, p1), q0};
    else
        std::tie(out.onFrom, out.onOther) = closestPoints(p0, p1, q0, q1);
    return out;
}

}  // namespace onemap::gis
