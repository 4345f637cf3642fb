#pragma once
// Shape makers for the synthetic layers: irregular blobs (boundaries, red lines, parks)
// and field parcels. Everything in EPSG:4549 metres, rounded to centimetres.
#include "onemap/gis/geom/geometry.hpp"
#include "rng.hpp"

namespace onemap::sample {

/// lon/lat (CGCS2000) → EPSG:4549.
gis::Point toPlan(gis::Point lonLat);
/// A closed irregular outline around `centre` with mean radius `radius` (m).
gis::Geometry blob(gis::Point centre, double radius, Rng& rng, int vertices = 48);
/// A field parcel: a jittered w × h quadrilateral (sometimes with a cut corner) turned by angle.
gis::Geometry parcel(gis::Point centre, double w, double h, double angle, Rng& rng);
/// A w × h rectangle turned by angle (sites).
gis::Geometry rectangle(gis::Point centre, double w, double h, double angle);
/// The same shape with two vertices swapped: a self-intersecting "bowtie" (dirty data).
gis::Geometry bowtie(const gis::Geometry& quad);
/// Coordinates rounded to centimetres: the data's stated precision, and smaller files.
gis::Geometry roundToCm(const gis::Geometry& g);

}  // namespace onemap::sample
