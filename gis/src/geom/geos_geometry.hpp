#pragma once
// The GEOS geometry behind a Geometry, for the files of gis/src/geom that implement it: raw()
// lends it (the Geometry keeps owning it), wrap() hands a new one to a Geometry. Calling
// thread only: GEOS work runs on that thread's context.
#include <geos_c.h>

#include "base/handles.hpp"
#include "onemap/gis/geom/geometry.hpp"

namespace onemap::gis::detail {

// An empty geometry is stored as a null pointer; GEOS gets a per-thread empty collection.
inline const GEOSGeometry* raw(const Geometry& g) {
    if (g.handle()) return static_cast<const GEOSGeometry*>(g.handle());
    thread_local detail::GeosGeomPtr empty(
        GEOSGeom_createEmptyCollection_r(geos(), GEOS_GEOMETRYCOLLECTION));
    return empty.get();
}

inline Geometry wrap(detail::GeosGeomPtr p) { return Geometry::adopt(p.release()); }

}  // namespace onemap::gis::detail
