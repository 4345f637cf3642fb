#pragma once
// PlanarDistance::Shape: a geometry's vertices copied out of GEOS as runs, what the planar
// distance kernel and the facet index walk in place. Filled by one thread; const after.
#include <cstddef>
#include <vector>

#include "base/handles.hpp"
#include "onemap/gis/geom/planar_distance.hpp"

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

}  // namespace onemap::gis
