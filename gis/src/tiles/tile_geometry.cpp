// Geometries to MVT commands: clip, quantise, simplify, drop what falls below a pixel, keep
// polygons valid. Most parcels are proved valid on the integer grid (exact orientation tests);
// the others are snap-rounded to the grid by GEOS, checked, and left out if still invalid.
#include "tiles/tile_geometry.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "base/handles.hpp"
#include "geom/geos_geometry.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::gis::detail {
namespace {

struct TilePoint {
    std::int64_t x = 0;
    std::int64_t y = 0;
    bool operator==(const TilePoint& o) const { return x == o.x && y == o.y; }
};
using TileRing = std::vector<TilePoint>;  ///< open: the first point is not repeated
using TilePolygon = std::vector<TileRing>;
using MapPolygons = std::vector<std::vector<std::vector<Point>>>;

std::int64_t orient(const TilePoint& a, const TilePoint& b, const TilePoint& c) {
    const std::int64_t v = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
    return (v > 0) - (v < 0);
}

bool onSegment(const TilePoint& a, const TilePoint& b, const TilePoint& p) {
    return std::min(a.x, b.x) <= p.x && p.x <= std::max(a.x, b.x) && std::min(a.y, b.y) <= p.y &&
           p.y <= std::max(a.y, b.y);
}

bool segmentsMeet(const TilePoint& p1, const TilePoint& p2, const TilePoint& q1,
                  const TilePoint& q2) {
    // Boxes apart: they cannot meet (most pairs of a ring; cheaper than four orientations).
    if (std::max(p1.x, p2.x) < std::min(q1.x, q2.x) ||
        std::max(q1.x, q2.x) < std::min(p1.x, p2.x) ||
        std::max(p1.y, p2.y) < std::min(q1.y, q2.y) || std::max(q1.y, q2.y) < std::min(p1.y, p2.y))
        return false;
    const auto o1 = orient(p1, p2, q1), o2 = orient(p1, p2, q2);
    const auto o3 = orient(q1, q2, p1), o4 = orient(q1, q2, p2);
    if (o1 * o2 < 0 && o3 * o4 < 0) return true;
    return (o1 == 0 && onSegment(p1, p2, q1)) || (o2 == 0 && onSegment(p1, p2, q2)) ||
           (o3 == 0 && onSegment(q1, q2, p1)) || (o4 == 0 && onSegment(q1, q2, p2));
}

// Edges a-b then b-c turning straight back (a spike, or b-c lying along a-b).
bool turnsBack(const TilePoint& a, const TilePoint& b, const TilePoint& c) {
    return orient(a, b, c) == 0 && (a.x - b.x) * (c.x - b.x) + (a.y - b.y) * (c.y - b.y) > 0;
}

constexpr std::size_t kMaxProvedVertices = 256;

// True only when the ring's edges meet only where they follow each other (exactly, on
// integers): then the ring alone is a valid polygon.
bool provablySimple(const TileRing& r) {
    const std::size_t n = r.size();
    if (n < 3 || n > kMaxProvedVertices) return false;
    for (std::size_t i = 0; i < n; ++i) {
        const TilePoint& a = r[i];
        const TilePoint& b = r[(i + 1) % n];
        if (turnsBack(a, b, r[(i + 2) % n])) return false;
        for (std::size_t j = i + 2; j < n; ++j) {
            if (i == 0 && j == n - 1) continue;  // shares r[0]; checked by turnsBack
            if (segmentsMeet(a, b, r[j], r[(j + 1) % n])) return false;
        }
    }
    return true;
}

double doubledArea(const TileRing& r) {
    std::int64_t s = 0;
    for (std::size_t i = 0, n = r.size(); i < n; ++i) {
        const TilePoint& a = r[i];
        const TilePoint& b = r[(i + 1) % n];
        s += a.x * b.y - b.x * a.y;
    }
    return static_cast<double>(s);
}

double segmentDistance2(const TilePoint& p, const TilePoint& a, const TilePoint& b) {
    const double dx = static_cast<double>(b.x - a.x), dy = static_cast<double>(b.y - a.y);
    const double px = static_cast<double>(p.x - a.x), py = static_cast<double>(p.y - a.y);
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? (px * dx + py * dy) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    const double ex = px - t * dx, ey = py - t * dy;
    return ex * ex + ey * ey;
}

void douglasPeucker(const std::vector<TilePoint>& in, std::size_t first, std::size_t last,
                    double tolerance2, std::vector<char>& keep) {
    while (last > first + 1) {
        double worst = -1;
        std::size_t at = first;
        for (std::size_t i = first + 1; i < last; ++i) {
            const double d = segmentDistance2(in[i], in[first], in[last]);
            if (d > worst) worst = d, at = i;
        }
        if (worst <= tolerance2) return;
        keep[at] = 1;
        douglasPeucker(in, first, at, tolerance2, keep);
        first = at;
    }
}

// Path simplified keeping its ends (and `anchor`, for a ring split in two there); the points
// kept are moved down in place (they stay in order), so no new path is allocated.
std::vector<TilePoint> simplified(std::vector<TilePoint> path, double tolerance,
                                  std::size_t anchor = 0) {
    if (tolerance <= 0 || path.size() < 3) return path;
    thread_local std::vector<char> keep;
    keep.assign(path.size(), 0);
    keep.front() = keep.back() = keep[anchor] = 1;
    douglasPeucker(path, 0, anchor, tolerance * tolerance, keep);
    douglasPeucker(path, anchor, path.size() - 1, tolerance * tolerance, keep);
    std::size_t kept = 0;
    for (std::size_t i = 0; i < path.size(); ++i)
        if (keep[i]) path[kept++] = path[i];
    path.resize(kept);
    return path;
}

std::vector<TilePoint> quantised(const std::vector<Point>& path, const TileFrame& f) {
    std::vector<TilePoint> out;
    out.reserve(path.size() + 1);  // room to close it again without moving it
    for (const Point& p : path) {
        const TilePoint q{f.x(p.x), f.y(p.y)};
        if (out.empty() || !(out.back() == q)) out.push_back(q);
    }
    return out;
}

// An open ring from a quantised closed path, simplified: the ring is split at its point
// farthest from the first so that Douglas-Peucker keeps two anchors.
TileRing ringFrom(std::vector<TilePoint> closed, double tolerance) {
    if (closed.size() > 1 && closed.front() == closed.back()) closed.pop_back();
    if (closed.size() < 3 || tolerance <= 0) return closed;
    std::size_t far = 0;
    std::int64_t best = -1;
    for (std::size_t i = 1; i < closed.size(); ++i) {
        const std::int64_t dx = closed[i].x - closed[0].x, dy = closed[i].y - closed[0].y;
        if (dx * dx + dy * dy > best) best = dx * dx + dy * dy, far = i;
    }
    closed.push_back(closed.front());
    TileRing out = simplified(std::move(closed), tolerance, far);
    out.pop_back();
    return out;
}

bool tooSmall(const TileRing& r, double minArea) {
    if (r.size() < 3) return true;
    const double a = std::abs(doubledArea(r)) / 2;
    return a == 0 || a < minArea;
}

// Rings oriented as MVT 2.1 wants in tile coordinates (y down): exteriors with a positive
// surveyor's area (clockwise on screen), holes negative; rings below the minimum dropped (an
// exterior with its holes).
std::vector<TilePolygon> oriented(std::vector<TilePolygon> polygons, double minArea) {
    std::vector<TilePolygon> out;
    for (auto& poly : polygons) {
        if (poly.empty() || tooSmall(poly[0], minArea)) continue;
        TilePolygon kept;
        for (std::size_t k = 0; k < poly.size(); ++k) {
            TileRing& r = poly[k];
            if (k > 0 && tooSmall(r, minArea)) continue;
            const bool positive = doubledArea(r) > 0;
            if (positive != (k == 0)) std::reverse(r.begin(), r.end());
            kept.push_back(std::move(r));
        }
        out.push_back(std::move(kept));
    }
    return out;
}

// Valid when every polygon is one provably simple ring and their boxes are apart.
bool provablyValid(const std::vector<TilePolygon>& polygons) {
    if (polygons.size() == 1) return polygons[0].size() == 1 && provablySimple(polygons[0][0]);
    std::vector<Envelope> boxes;
    for (const auto& poly : polygons) {
        if (poly.size() != 1 || !provablySimple(poly[0])) return false;
        Envelope e;
        for (const auto& p : poly[0]) e.expand(static_cast<double>(p.x), static_cast<double>(p.y));
        boxes.push_back(e);
    }
    if (boxes.size() > 64) return false;
    for (std::size_t i = 0; i < boxes.size(); ++i)
        for (std::size_t j = i + 1; j < boxes.size(); ++j)
            if (boxes[i].intersects(boxes[j])) return false;
    return true;
}

// The slow path: GEOS is asked whether the quantised polygons are valid; if not, it repairs them
// and snap-rounds them to the grid (1 unit); what is still invalid after that is left out.
std::vector<TilePolygon> snapRounded(const std::vector<TilePolygon>& polygons, double minArea) {
    try {
        std::vector<Geometry> parts;
        for (const auto& poly : polygons) {
            std::vector<std::vector<Point>> rings;
            for (const auto& r : poly) {
                std::vector<Point> ring;
                for (const auto& p : r)
                    ring.push_back({static_cast<double>(p.x), static_cast<double>(p.y)});
                ring.push_back(ring.front());
                rings.push_back(std::move(ring));
            }
            parts.push_back(Geometry::polygon(rings));
        }
        const Geometry quantisedGeometry = Geometry::collect(parts);
        if (quantisedGeometry.isValid()) return polygons;  // GEOS agrees: kept as it is
        const Geometry valid = quantisedGeometry.makeValid();
        if (valid.isEmpty()) return {};
        GEOSGeometry* snapped = GEOSGeom_setPrecision_r(geos(), raw(valid), 1.0, 0);
        if (!snapped) {
            (void)takeGeosError();
            return {};
        }
        const Geometry result = wrap(GeosGeomPtr(snapped));
        if (result.isEmpty() || !result.isValid()) return {};
        std::vector<TilePolygon> out;
        for (const auto& poly : result.polygons()) {
            TilePolygon tp;
            for (const auto& ring : poly) {
                TileRing r;
                for (const Point& p : ring) {
                    const TilePoint q{std::llround(p.x), std::llround(p.y)};
                    if (r.empty() || !(r.back() == q)) r.push_back(q);
                }
                if (r.size() > 1 && r.front() == r.back()) r.pop_back();
                tp.push_back(std::move(r));
            }
            out.push_back(std::move(tp));
        }
        return oriented(std::move(out), minArea);
    } catch (const Error&) {
        return {};  // beyond repair on the grid: left out rather than drawn invalid
    }
}

std::uint32_t command(std::uint32_t id, std::size_t count) {
    return (id & 0x7) | (static_cast<std::uint32_t>(count) << 3);
}
std::uint32_t zigzag(std::int64_t v) {
    const auto n = static_cast<std::int32_t>(v);
    return (static_cast<std::uint32_t>(n) << 1) ^ static_cast<std::uint32_t>(n >> 31);
}

struct CommandWriter {
    std::vector<std::uint32_t>& out;
    TilePoint cursor{};
    void step(const TilePoint& p) {
        out.push_back(zigzag(p.x - cursor.x));
        out.push_back(zigzag(p.y - cursor.y));
        cursor = p;
    }
    void path(const std::vector<TilePoint>& pts, bool ring) {
        out.push_back(command(1, 1));
        step(pts[0]);
        out.push_back(command(2, pts.size() - 1));
        for (std::size_t i = 1; i < pts.size(); ++i) step(pts[i]);
        if (ring) out.push_back(command(7, 1));
    }
};

// The polygons' part in the clip box (GEOS clip-by-rect), for those crossing its edge.
MapPolygons clipped(const MapPolygons& polygons, const TileFrame& f) {
    std::vector<Geometry> parts;
    for (const auto& poly : polygons) parts.push_back(Geometry::polygon(poly));
    return Geometry::collect(parts).clipToRect(f.clipBox()).polygons();
}

// The area of a ring once quantised, without building it (most parcels at low zooms fall
// below the minimum and are never copied).
double quantisedArea(const std::vector<Point>& ring, const TileFrame& f) {
    if (ring.size() < 3) return 0;
    std::int64_t s = 0;
    std::int64_t x0 = f.x(ring.back().x), y0 = f.y(ring.back().y);
    for (const Point& p : ring) {
        const std::int64_t x1 = f.x(p.x), y1 = f.y(p.y);
        s += x0 * y1 - x1 * y0;
        x0 = x1, y0 = y1;
    }
    return std::abs(static_cast<double>(s)) / 2;
}

// Quantised rings: a ring below the minimum area is dropped (an exterior with its holes),
// the others simplified; a ring that simplification collapses is dropped too.
std::vector<TilePolygon> quantisedPolygons(const MapPolygons& polygons, const TileFrame& f) {
    const TileEncoding& enc = f.encoding();
    std::vector<TilePolygon> out;
    for (const auto& poly : polygons) {
        if (poly.empty() || quantisedArea(poly[0], f) < enc.minRingArea) continue;
        TilePolygon tp;
        for (std::size_t k = 0; k < poly.size(); ++k) {
            TileRing r = quantised(poly[k], f);
            if (r.size() > 1 && r.front() == r.back()) r.pop_back();
            if (tooSmall(r, enc.minRingArea)) {
                if (k == 0) break;
                continue;
            }
            if (enc.simplifyTolerance > 0) {
                r.push_back(r.front());
                r = ringFrom(std::move(r), enc.simplifyTolerance);
                if (tooSmall(r, 0)) {
                    if (k == 0) break;
                    continue;
                }
            }
            tp.push_back(std::move(r));
        }
        if (!tp.empty()) out.push_back(std::move(tp));
    }
    // MVT 2.1, in tile coordinates (y down): exteriors with a positive surveyor's area
    // (clockwise on screen), holes negative.
    for (auto& poly : out)
        for (std::size_t k = 0; k < poly.size(); ++k)
            if ((doubledArea(poly[k]) > 0) != (k == 0))
                std::reverse(poly[k].begin(), poly[k].end());
    return out;
}

}  // namespace

TileFrame::TileFrame(const TileAddress& tile, const TileEncoding& encoding)
    : bounds_(tile.bounds()), encoding_(encoding) {
    scale_ = encoding.extent / bounds_.width();
    const double margin = encoding.buffer / scale_;
    clipBox_ = {bounds_.minx - margin, bounds_.miny - margin, bounds_.maxx + margin,
                bounds_.maxy + margin};
}

namespace {
// std::llround (halves away from zero) without the library call: v minus its truncation is
// exact below 2^52, so the comparison with 0.5 is too. Beyond that (or NaN), llround itself.
std::int64_t roundedToUnit(double v) {
    if (!(std::abs(v) < 4503599627370496.0)) return std::llround(v);
    auto t = static_cast<std::int64_t>(v);
    const double rest = v - static_cast<double>(t);
    if (rest >= 0.5) ++t;
    if (rest <= -0.5) --t;
    return t;
}
}  // namespace

std::int64_t TileFrame::x(double mapX) const {
    return roundedToUnit((mapX - bounds_.minx) * scale_);
}
std::int64_t TileFrame::y(double mapY) const {
    return roundedToUnit((bounds_.maxy - mapY) * scale_);
}

TileCommands polygonCommands(const MapPolygons& polygons, const TileFrame& f) {
    TileCommands out;
    polygonCommands(polygons, f, out);
    return out;
}

void polygonCommands(const MapPolygons& polygons, const TileFrame& f, TileCommands& out) {
    const TileEncoding& enc = f.encoding();
    out.type = MvtGeometryType::Unknown;
    out.commands.clear();
    // Proved to fall below the minimum: its quantised box cannot hold that much area.
    Envelope box;
    for (const auto& poly : polygons)
        if (!poly.empty())
            for (const Point& p : poly[0]) box.expand(p.x, p.y);
    if (box.isEmpty() || !f.clipBox().intersects(box)) return;
    if (f.polygonTooSmall(box)) return;

    std::vector<TilePolygon> tile;
    try {
        tile = f.clipBox().contains(box) ? quantisedPolygons(polygons, f)
                                         : quantisedPolygons(clipped(polygons, f), f);
    } catch (const Error&) {
        return;  // GEOS could not clip it (invalid input): left out, the tile still served
    }
    if (tile.empty()) return;
    if (!enc.proveValidityWithoutGeos || !provablyValid(tile))
        tile = snapRounded(tile, enc.minRingArea);
    if (tile.empty()) return;
    out.type = MvtGeometryType::Polygon;
    CommandWriter w{out.commands};
    for (const auto& poly : tile)
        for (const auto& r : poly) w.path(r, true);
}

TileCommands squareCommands(const Point& centre, const TileFrame& f) {
    TileCommands out;
    const auto side =
        static_cast<std::int64_t>(std::ceil(std::sqrt(std::max(f.encoding().minRingArea, 1.0))));
    const std::int64_t x0 = f.x(centre.x) - side / 2, y0 = f.y(centre.y) - side / 2;
    const auto lo = -static_cast<std::int64_t>(f.encoding().buffer);
    const auto hi = static_cast<std::int64_t>(f.encoding().extent + f.encoding().buffer);
    if (x0 < lo || y0 < lo || x0 + side > hi || y0 + side > hi) return out;
    // Clockwise on screen (y down): a positive surveyor's area, as MVT wants an exterior.
    const TileRing square{{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}};
    out.type = MvtGeometryType::Polygon;
    CommandWriter w{out.commands};
    w.path(square, true);
    return out;
}

TileCommands tileCommands(const Geometry& g, const TileFrame& f) {
    TileCommands out;
    if (g.isEmpty() || !f.clipBox().intersects(g.envelope())) return out;
    const GeometryKind kind = g.kind();
    // A polygon whose quantised box cannot hold the minimum area: left out before its rings
    // are read (at low zooms, most parcels).
    const Envelope box = g.envelope();
    if (kind == GeometryKind::Polygon && f.polygonTooSmall(box)) return out;
    if (kind == GeometryKind::Polygon || kind == GeometryKind::Collection) {
        const auto polys = g.polygons();
        if (!polys.empty() || kind == GeometryKind::Polygon) return polygonCommands(polys, f);
    }
    const auto paths = g.paths();
    bool lines = false;
    for (const auto& p : paths) lines = lines || p.size() > 1;
    if (lines) {
        Geometry clipped;
        try {
            clipped = f.clipBox().contains(g.envelope()) ? g : g.clipToRect(f.clipBox());
        } catch (const Error&) {
            return out;  // as for polygons: left out
        }
        CommandWriter w{out.commands};
        for (const auto& path : clipped.paths()) {
            if (path.size() < 2) continue;
            const auto pts = simplified(quantised(path, f), f.encoding().simplifyTolerance);
            if (pts.size() >= 2) w.path(pts, false);
        }
        if (!out.commands.empty()) out.type = MvtGeometryType::LineString;
        return out;
    }
    std::vector<TilePoint> points;
    const auto lo = -static_cast<std::int64_t>(f.encoding().buffer);
    const auto hi = static_cast<std::int64_t>(f.encoding().extent + f.encoding().buffer);
    for (const auto& path : paths) {
        if (path.empty()) continue;
        const TilePoint q{f.x(path[0].x), f.y(path[0].y)};
        if (q.x >= lo && q.x <= hi && q.y >= lo && q.y <= hi) points.push_back(q);
    }
    if (points.empty()) return out;
    out.type = MvtGeometryType::Point;
    out.commands.push_back(command(1, points.size()));
    CommandWriter w{out.commands};
    for (const auto& p : points) w.step(p);
    return out;
}

}  // namespace onemap::gis::detail
