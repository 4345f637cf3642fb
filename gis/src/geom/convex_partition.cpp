#include "onemap/gis/geom/convex_partition.hpp"

#include <algorithm>
#include <cmath>

#include "base/handles.hpp"
#include "geom/wkb_walk.hpp"

namespace onemap::gis {

AreaMoments AreaMoments::ofRing(const Point* ring, std::size_t n, Point o) {
    AreaMoments m;
    if (n > 1 && ring[0].x == ring[n - 1].x && ring[0].y == ring[n - 1].y) --n;
    if (n < 3) return m;
    for (std::size_t i = 0; i < n; ++i) {
        const Point& p = ring[i];
        const Point& q = ring[i + 1 == n ? 0 : i + 1];
        const double x0 = p.x - o.x, y0 = p.y - o.y, x1 = q.x - o.x, y1 = q.y - o.y;
        const double c = x0 * y1 - x1 * y0;
        m.area += c;
        m.mx += (x0 + x1) * c;
        m.my += (y0 + y1) * c;
        m.mxx += (x0 * x0 + x0 * x1 + x1 * x1) * c;
        m.myy += (y0 * y0 + y0 * y1 + y1 * y1) * c;
        m.mxy += (x0 * y1 + 2 * x0 * y0 + 2 * x1 * y1 + x1 * y0) * c;
    }
    m.area /= 2;
    m.mx /= 6;
    m.my /= 6;
    m.mxx /= 12;
    m.myy /= 12;
    m.mxy /= 24;
    return m;
}

namespace {

double cross(Point a, Point b, Point p) {
    return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
}

// Rings of every polygon of g, each handed to visit(ring, isExterior) in CRS coordinates;
// `buffer` is reused.
template <class Visit>
void forEachRing(const GEOSGeometry* g, std::vector<double>& buffer, const Visit& visit) {
    GEOSContextHandle_t h = detail::geos();
    const int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; ++i) forEachRing(GEOSGetGeometryN_r(h, g, i), buffer, visit);
        return;
    }
    if (type != GEOS_POLYGON || GEOSisEmpty_r(h, g) == 1) return;
    const auto ring = [&](const GEOSGeometry* r, bool exterior) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, r);
        unsigned n = 0;
        if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n) || n < 4) return;
        buffer.resize(2 * static_cast<std::size_t>(n));
        if (!GEOSCoordSeq_copyToBuffer_r(h, seq, buffer.data(), 0, 0)) return;
        visit(buffer.data(), static_cast<std::size_t>(n), exterior);
    };
    ring(GEOSGetExteriorRing_r(h, g), true);
    const int holes = GEOSGetNumInteriorRings_r(h, g);
    for (int i = 0; i < holes; ++i) ring(GEOSGetInteriorRingN_r(h, g, i), false);
}

// The same rings of a Geometry: read in place from its WKB while it is deferred (no GEOS
// geometry is built for it), else from GEOS.
template <class Visit>
void forEachRing(const Geometry& g, std::vector<double>& buffer, const Visit& visit) {
    if (const Geometry::WkbRef* w = g.deferredWkb()) {
        // Its WKB was walked whole when it was deferred, so this walk cannot stop halfway.
        detail::WkbWalk(w->data, w->size)
            .rings(buffer, [&](const double* xy, std::size_t n, bool exterior) {
                if (n >= 4) visit(xy, n, exterior);
            });
        return;
    }
    if (const auto* geom = static_cast<const GEOSGeometry*>(g.handle()))
        forEachRing(geom, buffer, visit);
}

// Whether g is one polygon without holes.
bool isPolygonWithoutHoles(const Geometry& g) {
    if (const Geometry::WkbRef* w = g.deferredWkb()) {
        detail::WkbSummary s;
        if (!detail::WkbWalk(w->data, w->size).summary(s) || s.type != 3) return false;
        std::size_t rings = 0;
        std::vector<double> buffer;
        forEachRing(g, buffer, [&](const double*, std::size_t, bool) { ++rings; });
        return rings == 1;
    }
    GEOSContextHandle_t h = detail::geos();
    const auto* geom = static_cast<const GEOSGeometry*>(g.handle());
    return geom && GEOSGeomTypeId_r(h, geom) == GEOS_POLYGON &&
           GEOSGetNumInteriorRings_r(h, geom) == 0;
}

// Into `ring`: g's one ring, counter-clockwise, closing vertex dropped, if g has exactly one
// ring and it is convex. `buffer` is reused.
template <class Shape>
bool convexRingInto(const Shape& g, std::vector<Point>& ring, std::vector<double>& buffer) {
    ring.clear();
    std::size_t rings = 0;
    forEachRing(g, buffer, [&](const double* xy, std::size_t n, bool) {
        if (++rings > 1) return;
        for (std::size_t i = 0; i + 1 < n; ++i) {
            const Point p{xy[2 * i], xy[2 * i + 1]};
            if (ring.empty() || p.x != ring.back().x || p.y != ring.back().y) ring.push_back(p);
        }
    });
    if (rings != 1 || ring.size() < 3) return false;
    int sign = 0;
    for (std::size_t i = 0; i < ring.size(); ++i) {
        const double c = cross(ring[i], ring[(i + 1) % ring.size()], ring[(i + 2) % ring.size()]);
        if (c == 0) continue;
        const int s = c > 0 ? 1 : -1;
        if (sign != 0 && s != sign) return false;
        sign = s;
    }
    if (sign == 0) return false;
    if (sign < 0) std::reverse(ring.begin(), ring.end());
    return true;
}

template <class Shape>
std::optional<std::vector<Point>> convexRing(const Shape& g) {
    std::vector<double> buffer;
    std::vector<Point> ring;
    if (!convexRingInto(g, ring, buffer)) return std::nullopt;
    return ring;
}

}  // namespace

std::optional<ConvexPartition> ConvexPartition::of(const Geometry& g) {
    if (g.isEmpty()) return std::nullopt;
    ConvexPartition out;
    out.box_ = g.envelope();
    out.origin_ = out.box_.center();
    const auto local = [&](std::vector<Point> ring) {
        for (auto& p : ring) p = {p.x - out.origin_.x, p.y - out.origin_.y};
        return ring;
    };
    if (isPolygonWithoutHoles(g))
        if (auto ring = convexRing(g)) {
            out.addPiece(local(*ring));
            return out;
        }
    GEOSContextHandle_t h = detail::geos();
    const auto* geom = static_cast<const GEOSGeometry*>(g.handle());
    const detail::GeosGeomPtr triangles(GEOSConstrainedDelaunayTriangulation_r(h, geom));
    if (!triangles) return std::nullopt;
    const int n = GEOSGetNumGeometries_r(h, triangles.get());
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* triangle = GEOSGetGeometryN_r(h, triangles.get(), i);
        if (GEOSGeomTypeId_r(h, triangle) != GEOS_POLYGON ||
            GEOSGetNumInteriorRings_r(h, triangle) != 0)
            continue;
        if (auto ring = convexRing(triangle)) out.addPiece(local(*ring));
    }
    // The triangles must tile the polygon: compare their area with GEOS's.
    double sum = 0;
    for (const auto& piece : out.pieces_)
        sum += AreaMoments::ofRing(&out.vertices_[piece.first], piece.count, {0, 0}).area;
    const double area = g.area();
    if (!(area > 0) || std::abs(sum - area) > 1e-9 * area) return std::nullopt;
    return out;
}

void ConvexPartition::addPiece(const std::vector<Point>& ccw) {
    Piece piece;
    piece.first = vertices_.size();
    piece.count = ccw.size();
    for (const auto& p : ccw) {
        piece.box.expand(p.x, p.y);
        vertices_.push_back(p);
    }
    pieces_.push_back(piece);
}

bool ConvexPartition::provablyApart(const Geometry& other) const {
    if (pieces_.size() != 1) return false;
    thread_local std::vector<double> buffer;
    thread_local std::vector<Point> ringBuffer;
    std::vector<Point>* ring = &ringBuffer;
    if (!convexRingInto(other, *ring, buffer)) return false;
    // In this partition's frame, subtracting the origin the same way it was subtracted from
    // its own vertices, so a vertex both polygons share has the same coordinates in both.
    for (auto& p : *ring) p = {p.x - origin_.x, p.y - origin_.y};
    const Point* mine = vertices_.data() + pieces_[0].first;
    const std::size_t n = pieces_[0].count;
    // Both rings are counter-clockwise: the inside of an edge is on its left (cross > 0).
    const auto separates = [](const Point* edge, std::size_t edges, const Point* pts,
                              std::size_t count) {
        for (std::size_t e = 0; e < edges; ++e) {
            const Point a = edge[e], b = edge[(e + 1) % edges];
            bool allOutside = true;
            for (std::size_t i = 0; i < count && allOutside; ++i)
                allOutside = cross(a, b, pts[i]) <= 0;
            if (allOutside) return true;
        }
        return false;
    };
    return separates(mine, n, ring->data(), ring->size()) ||
           separates(ring->data(), ring->size(), mine, n);
}

AreaMoments ConvexPartition::momentsInside(const Geometry& other) const {
    AreaMoments total;
    thread_local std::vector<double> buffer;
    thread_local std::vector<Point> ring;
    forEachRing(other, buffer, [&](const double* xy, std::size_t n, bool exterior) {
        ring.clear();
        Envelope box;
        for (std::size_t i = 0; i + 1 < n; ++i) {  // the closing vertex repeats the first
            const Point p{xy[2 * i] - origin_.x, xy[2 * i + 1] - origin_.y};
            box.expand(p.x, p.y);
            ring.push_back(p);
        }
        AreaMoments m = ringInside(ring, box);
        // Whatever the ring's orientation: exteriors add, holes subtract.
        const bool positive = (m.area >= 0) == exterior;
        total += positive ? m : m.scaled(-1);
    });
    return total;
}

double ConvexPartition::ringArea(const Geometry& g) {
    const Point o = g.envelope().center();
    thread_local std::vector<double> buffer;
    thread_local std::vector<Point> ring;
    double area = 0;
    forEachRing(g, buffer, [&](const double* xy, std::size_t n, bool exterior) {
        ring.resize(n);
        for (std::size_t i = 0; i < n; ++i) ring[i] = {xy[2 * i] - o.x, xy[2 * i + 1] - o.y};
        const double a = std::abs(AreaMoments::ofRing(ring.data(), n, {0, 0}).area);
        area += exterior ? a : -a;
    });
    return area;
}

AreaMoments ConvexPartition::ringInside(const std::vector<Point>& ring,
                                        const Envelope& ringBox) const {
    thread_local std::vector<Point> in, out;
    AreaMoments total;
    for (const auto& piece : pieces_) {
        if (!piece.box.intersects(ringBox)) continue;
        const Point* v = &vertices_[piece.first];
        // A ring whose box lies inside the convex piece lies inside it: no clipping.
        const auto inside = [&](Point p) {
            for (std::size_t e = 0; e < piece.count; ++e)
                if (cross(v[e], v[(e + 1) % piece.count], p) < 0) return false;
            return true;
        };
        if (inside({ringBox.minx, ringBox.miny}) && inside({ringBox.maxx, ringBox.miny}) &&
            inside({ringBox.maxx, ringBox.maxy}) && inside({ringBox.minx, ringBox.maxy})) {
            total += AreaMoments::ofRing(ring.data(), ring.size(), {0, 0});
            continue;
        }
        in.assign(ring.begin(), ring.end());
        for (std::size_t e = 0; e < piece.count && !in.empty(); ++e) {
            const Point a = v[e], b = v[(e + 1) % piece.count];
            out.clear();
            Point prev = in.back();
            double dPrev = cross(a, b, prev);
            for (const Point cur : in) {
                const double dCur = cross(a, b, cur);
                if ((dCur >= 0) != (dPrev >= 0)) {
                    const double t = dPrev / (dPrev - dCur);
                    out.push_back({prev.x + t * (cur.x - prev.x), prev.y + t * (cur.y - prev.y)});
                }
                if (dCur >= 0) out.push_back(cur);
                prev = cur;
                dPrev = dCur;
            }
            std::swap(in, out);
        }
        total += AreaMoments::ofRing(in.data(), in.size(), {0, 0});
    }
    return total;
}

}  // namespace onemap::gis
