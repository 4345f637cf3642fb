#pragma once
// Proving a parcel valid without GEOS: most parcels are one ring, and a ring whose edges
// meet only where they follow each other is a valid polygon. Building a GEOS geometry to
// ask GEOS the same was most of the CPU of a big layer's first read.
// A pure function over the caller's WKB bytes; any thread.
#include <cstddef>

#include "onemap/gis/geom/envelope.hpp"

namespace onemap::gis {

/// True only when the WKB is a Polygon, or a MultiPolygon of one polygon, with one ring and
/// no hole, whose coordinates are finite, and whose edges provably meet only where they
/// follow each other (exact orientation signs; repeated points allowed, as GEOS allows
/// them). Then GEOS finds it valid too. False means "not proved": a hole, a touch, a
/// crossing, a sign too close to call, more than 4,096 vertices or malformed WKB, and the
/// caller asks GEOS. `box` receives the ring's envelope when true.
[[nodiscard]] bool provablyValidSimplePolygon(const unsigned char* wkb, std::size_t size,
                                              Envelope& box);

}  // namespace onemap::gis
