#include "onemap/gis/geom/simple_polygon.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "geom/wkb_walk.hpp"

namespace onemap::gis {
namespace {

constexpr std::size_t kMaxVertices = 4096;  // keeps the worst sweep at a few million pairs

struct Xy {
    double x, y;
    bool operator==(const Xy& o) const { return x == o.x && y == o.y; }
};

// Sign of the orientation of (a, b, c): +1 left turn, -1 right, 0 collinear; 2 when a
// double cannot decide it. Shewchuk's filter (orient2d's first stage); an exact zero only
// when coordinates are equal, so that an underflowed product never passes for zero.
int orientation(const Xy& a, const Xy& b, const Xy& c) {
    const double left = (a.x - c.x) * (b.y - c.y);
    const double right = (a.y - c.y) * (b.x - c.x);
    const bool leftZero = a.x == c.x || b.y == c.y;
    const bool rightZero = a.y == c.y || b.x == c.x;
    if (leftZero && rightZero) return 0;
    if (leftZero || rightZero) {  // one product exactly zero: the other's sign is the answer
        const double d = left - right;
        return d > 0 ? 1 : d < 0 ? -1 : 2;
    }
    const double det = left - right;
    double sum;
    if (left > 0) {
        if (right <= 0) return det > 0 ? 1 : 2;
        sum = left + right;
    } else if (left < 0) {
        if (right >= 0) return det < 0 ? -1 : 2;
        sum = -left - right;
    } else {
        return 2;
    }
    constexpr double kBound = 3.3306690738754716e-16;  // (3 + 16 eps) eps
    const double bound = kBound * sum;
    if (det > bound) return 1;
    if (-det > bound) return -1;
    return 2;
}

bool within(double v, double a, double b) { return std::min(a, b) <= v && v <= std::max(a, b); }

// p lies on segment ab, given that the three are collinear.
bool onSegment(const Xy& a, const Xy& b, const Xy& p) {
    return within(p.x, a.x, b.x) && within(p.y, a.y, b.y);
}

// 0: the segments do not meet; 1: they meet; 2: undecided.
int meet(const Xy& a, const Xy& b, const Xy& c, const Xy& d) {
    const int o1 = orientation(a, b, c), o2 = orientation(a, b, d);
    const int o3 = orientation(c, d, a), o4 = orientation(c, d, b);
    if (o1 == 2 || o2 == 2 || o3 == 2 || o4 == 2) return 2;
    if (o1 * o2 < 0 && o3 * o4 < 0) return 1;
    if ((o1 == 0 && onSegment(a, b, c)) || (o2 == 0 && onSegment(a, b, d)) ||
        (o3 == 0 && onSegment(c, d, a)) || (o4 == 0 && onSegment(c, d, b)))
        return 1;
    return 0;
}

// Coordinates a double orientation can be trusted on: no NaN or infinity, no product
// that could overflow or underflow.
bool tame(double v) {
    const double m = std::fabs(v);
    return m == 0 || (m >= 1e-50 && m <= 1e50);
}

bool simpleRing(const std::vector<Xy>& v) {
    const std::size_t n = v.size();  // distinct consecutive vertices, not closed
    if (n < 3) return false;
    // Consecutive edges may only share their vertex: collinear and turning back overlaps.
    for (std::size_t i = 0; i < n; ++i) {
        const Xy &a = v[i], &b = v[(i + 1) % n], &c = v[(i + 2) % n];
        const int o = orientation(a, b, c);
        if (o == 2) return false;
        if (o == 0 && (((a.x < b.x) == (c.x < b.x) && a.x != b.x && c.x != b.x) ||
                       ((a.y < b.y) == (c.y < b.y) && a.y != b.y && c.y != b.y)))
            return false;
    }
    if (n == 3) return true;  // every pair of edges follows each other
    // Other pairs must not meet at all: a sweep along x over the edges' boxes.
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    const auto minx = [&](std::size_t e) { return std::min(v[e].x, v[(e + 1) % n].x); };
    std::sort(order.begin(), order.end(),
              [&](std::size_t p, std::size_t q) { return minx(p) < minx(q); });
    for (std::size_t s = 0; s < n; ++s) {
        const std::size_t e = order[s];
        const Xy &a = v[e], &b = v[(e + 1) % n];
        const double maxx = std::max(a.x, b.x);
        const double lo = std::min(a.y, b.y), hi = std::max(a.y, b.y);
        for (std::size_t t = s + 1; t < n && minx(order[t]) <= maxx; ++t) {
            const std::size_t f = order[t];
            if (f == (e + 1) % n || e == (f + 1) % n) continue;  // consecutive: done above
            const Xy &c = v[f], &d = v[(f + 1) % n];
            if (std::max(c.y, d.y) < lo || std::min(c.y, d.y) > hi) continue;
            if (meet(a, b, c, d) != 0) return false;
        }
    }
    return true;
}

}  // namespace

bool provablyValidSimplePolygon(const unsigned char* wkb, std::size_t size, Envelope& box) {
    detail::WkbSummary summary;
    if (!detail::WkbWalk(wkb, size).summary(summary)) return false;
    if ((summary.type != 3 && summary.type != 6) || summary.parts != 1 || summary.vertices < 4 ||
        summary.vertices > kMaxVertices)
        return false;
    std::vector<double> buffer;
    std::vector<Xy> ring;
    int rings = 0;
    bool closed = false, finite = true;
    if (!detail::WkbWalk(wkb, size).rings(buffer, [&](const double* xy, std::size_t n, bool) {
            if (++rings > 1 || n < 4) return;
            closed = xy[0] == xy[2 * (n - 1)] && xy[1] == xy[2 * (n - 1) + 1];
            ring.reserve(n);
            for (std::size_t i = 0; i + 1 < n; ++i) {
                const Xy p{xy[2 * i], xy[2 * i + 1]};
                finite = finite && tame(p.x) && tame(p.y);
                if (ring.empty() || !(ring.back() == p)) ring.push_back(p);
            }
            while (ring.size() > 1 && ring.back() == ring.front()) ring.pop_back();
        }))
        return false;
    if (rings != 1 || !closed || !finite || !simpleRing(ring)) return false;
    box = Envelope{};
    for (const Xy& p : ring) box.expand(p.x, p.y);
    return true;
}

}  // namespace onemap::gis
