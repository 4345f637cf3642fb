// Geometry's operations that make new geometries with GEOS: overlay (intersection,
// difference, union), repair (makeValid), and cutting up (clipToRect, subdivide).
#include <geos_c.h>

#include <algorithm>
#include <cmath>

#include "base/handles.hpp"
#include "geom/geos_geometry.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/geom/geometry.hpp"

namespace onemap::gis {
namespace {

using detail::checked;
using detail::geos;
using detail::raw;
using detail::wrap;

void polygonalParts(const GEOSGeometry* g, std::vector<GEOSGeometry*>& out) {
    const int type = GEOSGeomTypeId_r(geos(), g);
    if (type == GEOS_POLYGON) {
        if (!GEOSisEmpty_r(geos(), g)) out.push_back(GEOSGeom_clone_r(geos(), g));
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(geos(), g);
        for (int i = 0; i < n; ++i) polygonalParts(GEOSGetGeometryN_r(geos(), g, i), out);
    }
}

}  // namespace

bool Geometry::isCoverageUnionOf(const Geometry& merged, const std::vector<Geometry>& parts) {
    if (merged.isEmpty() || !merged.isValid()) return false;
    double sum = 0;
    for (const auto& p : parts) sum += p.area();
    return std::abs(merged.area() - sum) <= 1e-9 * std::max(sum, 1.0);
}

Geometry Geometry::unionOf(const std::vector<Geometry>& parts) {
    if (parts.empty()) return {};
    if (parts.size() == 1) return parts[0];
    // Most unions here are of pieces that do not overlap (a site cut by neighbouring parcels).
    // Full overlay noding is the costly part of a check, so look first: pieces apart are
    // just collected; pieces that only share edges are merged by the cheaper coverage union.
    bool polygonal = true;
    std::vector<Envelope> boxes;
    for (const auto& p : parts) {
        polygonal = polygonal && p.kind() == GeometryKind::Polygon && p.numParts() == 1;
        boxes.push_back(p.envelope());
    }
    bool touching = false, overlapping = false;
    for (std::size_t i = 0; polygonal && !overlapping && i < parts.size(); ++i) {
        for (std::size_t j = i + 1; j < parts.size() && !overlapping; ++j) {
            if (!boxes[i].intersects(boxes[j]) || !parts[i].intersects(parts[j])) continue;
            touching = true;
            overlapping =
                GEOSRelatePattern_r(geos(), raw(parts[i]), raw(parts[j]), "2********") == 1;
        }
    }
    Geometry all = collect(parts);
    if (polygonal && !touching) return all;
    if (polygonal && !overlapping) {
        // Coverage union is right only for a clean coverage (shared edges with the same
        // vertices). GEOS ≥ 3.12 no longer checks and returns invalid output for, e.g., a
        // T-junction; older GEOS may throw. So trust it only when the result is verified:
        // valid, and its area the sum of the pieces' (they do not overlap), else fall back,
        // so the figures do not depend on the distribution's GEOS version.
        if (GEOSGeometry* merged = GEOSCoverageUnion_r(geos(), raw(all))) {
            Geometry result = wrap(detail::GeosGeomPtr(merged));
            if (isCoverageUnionOf(result, parts)) return result;
        } else {
            detail::takeGeosError();
        }
    }
    return wrap(checked(GEOSUnaryUnion_r(geos(), raw(all)), "union"));
}

Geometry Geometry::makeValid() const {
    if (isValid()) return *this;
    // The structure method keeps the intended rings; on some degenerate input GEOS 3.11 throws
    // ("unable to assign hole to a shell"), so the linework method is the fallback. If both
    // fail the geometry is beyond repair: the user's data, so an InputError the caller names.
    const auto attempt = [&](GEOSMakeValidMethods method) {
        GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(geos());
        GEOSMakeValidParams_setMethod_r(geos(), params, method);
        GEOSMakeValidParams_setKeepCollapsed_r(geos(), params, 0);
        GEOSGeometry* fixed = GEOSMakeValidWithParams_r(geos(), raw(*this), params);
        GEOSMakeValidParams_destroy_r(geos(), params);
        return fixed;
    };
    GEOSGeometry* fixed = attempt(GEOS_MAKE_VALID_STRUCTURE);
    if (!fixed) {
        const std::string first = detail::takeGeosError();
        fixed = attempt(GEOS_MAKE_VALID_LINEWORK);
        if (!fixed) {
            (void)detail::takeGeosError();
            throw InputError("invalid geometry that make-valid cannot repair (GEOS: " + first +
                             ")");
        }
    }
    Geometry out = wrap(detail::GeosGeomPtr(fixed));
    // A repaired polygon must stay a polygon: drop lines/points that collapse produced.
    if (kind() == GeometryKind::Polygon) return out.polygonalPart();
    return out;
}

Geometry Geometry::intersection(const Geometry& o) const {
    return wrap(checked(GEOSIntersection_r(geos(), raw(*this), raw(o)), "intersection"));
}
Geometry Geometry::difference(const Geometry& o) const {
    return wrap(checked(GEOSDifference_r(geos(), raw(*this), raw(o)), "difference"));
}
Geometry Geometry::unionWith(const Geometry& o) const {
    return wrap(checked(GEOSUnion_r(geos(), raw(*this), raw(o)), "union"));
}
Geometry Geometry::buffer(double d, int q) const {
    return wrap(checked(GEOSBuffer_r(geos(), raw(*this), d, q), "buffer"));
}
Geometry Geometry::simplify(double tolerance) const {
    return wrap(checked(GEOSTopologyPreserveSimplify_r(geos(), raw(*this), tolerance), "simplify"));
}
Geometry Geometry::centroid() const {
    return wrap(checked(GEOSGetCentroid_r(geos(), raw(*this)), "centroid"));
}

Geometry Geometry::clipToRect(const Envelope& r) const {
    return wrap(
        checked(GEOSClipByRect_r(geos(), raw(*this), r.minx, r.miny, r.maxx, r.maxy), "clip"));
}

std::vector<Geometry> Geometry::subdivide(std::size_t maxVertices) const {
    std::vector<Geometry> out;
    std::vector<std::pair<Geometry, int>> todo{{*this, 0}};
    while (!todo.empty()) {
        auto [g, depth] = todo.back();
        todo.pop_back();
        if (g.isEmpty()) continue;
        const auto n = g.numVertices();
        if (n <= maxVertices || depth >= 24) {
            // Collections from clipping are split into their parts of the original dimension.
            if (g.kind() == GeometryKind::Collection) {
                for (std::size_t i = 0; i < g.numParts(); ++i) {
                    const Geometry p = g.part(i);
                    if (p.kind() == kind()) out.push_back(p);
                }
            } else {
                out.push_back(g);
            }
            continue;
        }
        Envelope e = g.envelope();
        // Straight horizontal/vertical lines have a flat box; GEOS wants a real rectangle.
        const double pad = 1e-6 * std::max(e.width(), e.height()) + 1e-9;
        e.minx -= pad;
        e.miny -= pad;
        e.maxx += pad;
        e.maxy += pad;
        Envelope a = e, b = e;
        if (e.width() >= e.height()) {
            a.maxx = b.minx = (e.minx + e.maxx) / 2;
        } else {
            a.maxy = b.miny = (e.miny + e.maxy) / 2;
        }
        Geometry ga = g.clipToRect(a), gb = g.clipToRect(b);
        if (kind() == GeometryKind::Polygon) {
            ga = ga.polygonalPart();
            gb = gb.polygonalPart();
        }
        todo.emplace_back(ga, depth + 1);
        todo.emplace_back(gb, depth + 1);
    }
    return out;
}

Point Geometry::pointOnSurface() const {
    auto p = checked(GEOSPointOnSurface_r(geos(), raw(*this)), "point on surface");
    Point out;
    if (!GEOSisEmpty_r(geos(), p.get())) {
        GEOSGeomGetX_r(geos(), p.get(), &out.x);
        GEOSGeomGetY_r(geos(), p.get(), &out.y);
    }
    return out;
}

Geometry Geometry::polygonalPart() const {
    const int type = GEOSGeomTypeId_r(geos(), raw(*this));
    if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON) return *this;
    std::vector<GEOSGeometry*> parts;
    polygonalParts(raw(*this), parts);
    return wrap(checked(GEOSGeom_createCollection_r(geos(), GEOS_MULTIPOLYGON, parts.data(),
                                                    static_cast<unsigned>(parts.size())),
                        "polygonal part"));
}

}  // namespace onemap::gis
