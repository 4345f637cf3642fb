#include "onemap/gis/geom/planar_distance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <utility>
#include <vector>

#include "geom/planar_shape.hpp"
#include "onemap/gis/geom/facet_index.hpp"

namespace onemap::gis {

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

// The facet index answers the two questions above with the same doubles: the even-odd
// crossings are counted over the segments whose y-range takes in p (no other segment can
// cross p's ray; parity does not depend on order), and the nearest boundary is found by
// branch and bound. Walks below are recursive: the tree is a few levels deep.
bool insideIndexed(Point p, const FacetIndex& index, const Shape::Polygon& poly) {
    bool in = false;
    const auto& nodes = index.nodes();
    const auto walk = [&](const auto& self, std::size_t n) -> void {
        const FacetIndex::Node& node = nodes[n];
        if (!(node.box.maxy > p.y && node.box.miny <= p.y)) return;
        if (!node.leaf) {
            for (std::size_t c = node.first; c < node.first + node.count; ++c) self(self, c);
            return;
        }
        for (std::size_t k = node.first; k < node.first + node.count; ++k) {
            const FacetIndex::Facet& f = index.facets()[k];
            if (f.lonePoint || f.run < poly.firstRun || f.run >= poly.firstRun + poly.runs)
                continue;
            const Point a = f.p0, b = f.p1;
            if ((a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y))
                in = !in;
        }
    };
    if (!nodes.empty()) walk(walk, nodes.size() - 1);
    return in;
}

// Whether two boxes lie farther apart than `limit`: then so does anything inside them (the
// computed gap is within a few ulps of the true one, which is at most any distance between
// their contents). Either side alone farther decides it without a square root.
bool beyond(const Envelope& a, const Envelope& b, double limit) {
    const double dx = std::max({0.0, b.minx - a.maxx, a.minx - b.maxx});
    const double dy = std::max({0.0, b.miny - a.maxy, a.miny - b.maxy});
    if (dx > limit || dy > limit) return true;
    return std::sqrt(dx * dx + dy * dy) > limit;
}

double gap(const Envelope& a, const Envelope& b) {
    const double dx = std::max({0.0, b.minx - a.maxx, a.minx - b.maxx});
    const double dy = std::max({0.0, b.miny - a.maxy, a.miny - b.maxy});
    return std::sqrt(dx * dx + dy * dy);
}

double toBoundaryIndexed(Point p, const FacetIndex& index, const Shape::Polygon& poly,
                         double slack) {
    double min = std::numeric_limits<double>::infinity();
    Envelope at;
    at.expand(p.x, p.y);
    const auto& nodes = index.nodes();
    const auto walk = [&](const auto& self, std::size_t n) -> void {
        const FacetIndex::Node& node = nodes[n];
        if (beyond(node.box, at, min + slack)) return;
        if (!node.leaf) {
            for (std::size_t c = node.first; c < node.first + node.count; ++c) self(self, c);
            return;
        }
        for (std::size_t k = node.first; k < node.first + node.count; ++k) {
            const FacetIndex::Facet& f = index.facets()[k];
            if (f.lonePoint || f.run < poly.firstRun || f.run >= poly.firstRun + poly.runs)
                continue;
            min = std::min(min, pointToSegment(p, f.p0, f.p1));
        }
    };
    if (!nodes.empty()) walk(walk, nodes.size() - 1);
    return min;
}

// A vertex of `of` inside a polygon of `in`: 0, or -1 for "too close to call", or +1 for
// none inside. With `index` (built from `in`), the same answer through it.
int containment(const Shape& of, const Shape& in, double touch, const FacetIndex* index,
                double slack) {
    for (const auto& poly : in.polygons)
        for (const auto& run : of.runs) {
            const Point p = of.points[run.first];
            if (!(index ? insideIndexed(p, *index, poly) : inside(p, in, poly))) continue;
            const double boundary =
                index ? toBoundaryIndexed(p, *index, poly, slack) : toBoundary(p, in, poly);
            return boundary < touch ? -1 : 0;
        }
    return 1;
}

// The closest pair of segments, first in the brute force's order (a's segment i, then b's
// segment j) among those at the least distance.
struct Closest {
    double distance = std::numeric_limits<double>::infinity();
    std::size_t i = 0, j = 0;
    void consider(double d, std::size_t si, std::size_t sj) {
        if (d < distance || (d == distance && (si < i || (si == i && sj < j)))) {
            distance = d;
            i = si;
            j = sj;
        }
    }
};

struct SiteSegment {
    Point p0, p1;
    Envelope box;
    std::size_t i = 0;
};

// Branch and bound over b's facet tree. A node is passed over only when its box is farther
// from a's box than the best distance so far plus `slack`: every pair below it is then
// farther than the best too (the segment formulas round by far less than slack), so the
// brute force could not have chosen it either; pairs at the least distance are all visited.
void nearestIndexed(const std::vector<SiteSegment>& a, const Envelope& aBox,
                    const FacetIndex& index, double slack, Closest& best) {
    const auto& nodes = index.nodes();
    const auto walk = [&](const auto& self, std::size_t n) -> void {
        const FacetIndex::Node& node = nodes[n];
        if (node.leaf) {
            for (std::size_t k = node.first; k < node.first + node.count; ++k) {
                const FacetIndex::Facet& f = index.facets()[k];
                if (beyond(f.box, aBox, best.distance + slack)) continue;
                for (const SiteSegment& s : a) {
                    if (beyond(f.box, s.box, best.distance + slack)) continue;
                    best.consider(segmentToSegment(s.p0, s.p1, f.p0, f.p1), s.i, f.vertex);
                }
            }
            return;
        }
        // Nearer children first: the best distance falls sooner and prunes more.
        constexpr std::size_t kMost = 16;
        if (node.count > kMost) {
            for (std::size_t c = node.first; c < node.first + node.count; ++c)
                if (!beyond(nodes[c].box, aBox, best.distance + slack)) self(self, c);
            return;
        }
        std::pair<double, std::size_t> order[kMost];
        for (std::size_t k = 0; k < node.count; ++k)
            order[k] = {gap(nodes[node.first + k].box, aBox), node.first + k};
        std::sort(order, order + node.count);
        for (std::size_t k = 0; k < node.count; ++k)
            if (order[k].first <= best.distance + slack) self(self, order[k].second);
    };
    if (!nodes.empty()) walk(walk, nodes.size() - 1);
}

bool tame(const Shape& s, double& scale) {
    bool ok = true;
    for (const Point& p : s.points)
        for (const double v : {p.x, p.y}) {
            const double m = std::fabs(v);
            ok = ok && (m == 0 || (m >= 1e-100 && m <= 1e100));
            scale = std::max(scale, m);
        }
    return ok;
}

}  // namespace

PlanarDistance::PlanarDistance(Geometry from)
    : from_(std::move(from)), shape_(std::make_unique<Shape>()) {
    shape_->of(from_);
    tame_ = tame(*shape_, scale_);
    // Rounding in the formulas above is a few ulps of the coordinates (5e-10 m at 3.4e6 m).
    touch_ = std::max(1e-12 * scale_, 1e-300);
}

PlanarDistance::~PlanarDistance() = default;
PlanarDistance::PlanarDistance(PlanarDistance&&) noexcept = default;
PlanarDistance& PlanarDistance::operator=(PlanarDistance&&) noexcept = default;

PlanarDistance::Nearest PlanarDistance::to(const Geometry& other) const {
    return to(other, nullptr);
}

PlanarDistance::Nearest PlanarDistance::to(const Geometry& other, const FacetIndex* facets) const {
    thread_local Shape copied;
    if (!facets) copied.of(other);
    const Shape& b = facets ? facets->shape() : copied;
    const Shape& a = *shape_;
    Nearest out;
    if (a.points.empty() || b.points.empty()) return out;  // GEOS's distance to empty: 0
    const auto byGeos = [&] {
        Nearest exact;
        exact.distance = from_.distance(other);
        if (exact.distance > 0) std::tie(exact.onFrom, exact.onOther) = from_.nearestPoints(other);
        return exact;
    };
    // The index is used only where the search's slack provably covers the formulas' rounding:
    // every coordinate 0 or between 1e-100 and 1e100 in magnitude (no overflow, no underflow),
    // errors then a few ulps of the largest, slack a million times more.
    const FacetIndex* index = facets && facets->tame() && tame_ ? facets : nullptr;
    const double slack = 1e-9 * std::max(scale_, index ? index->scale() : 0.0) + 1e-300;
    const int inB = containment(a, b, touch_, index, slack),
              inA = inB == 1 ? containment(b, a, touch_, nullptr, slack) : inB;
    if (inA < 0) return byGeos();
    if (inA == 0) return out;

    const auto segment = [](const Shape& s, const Shape::Run& run, std::size_t i) {
        // A single point is a segment of no length (GEOS's point-to-segment case).
        return std::pair{s.points[i], s.points[run.count > 1 ? i + 1 : i]};
    };
    Closest best;
    if (index) {
        thread_local std::vector<SiteSegment> sides;
        sides.clear();
        Envelope aBox;
        for (const auto& ra : a.runs)
            for (std::size_t i = ra.first; i == ra.first || i + 1 < ra.first + ra.count; ++i) {
                SiteSegment side;
                std::tie(side.p0, side.p1) = segment(a, ra, i);
                side.box.expand(side.p0.x, side.p0.y);
                side.box.expand(side.p1.x, side.p1.y);
                side.i = i;
                aBox.expand(side.box);
                sides.push_back(side);
            }
        nearestIndexed(sides, aBox, *index, slack, best);
    } else {
        for (const auto& ra : a.runs)
            for (std::size_t i = ra.first; i == ra.first || i + 1 < ra.first + ra.count; ++i)
                for (const auto& rb : b.runs)
                    for (std::size_t j = rb.first; j == rb.first || j + 1 < rb.first + rb.count;
                         ++j) {
                        const auto [p0, p1] = segment(a, ra, i);
                        const auto [q0, q1] = segment(b, rb, j);
                        best.consider(segmentToSegment(p0, p1, q0, q1), i, j);
                    }
    }
    const double min = best.distance;
    const std::size_t bestI = best.i, bestJ = best.j;
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
