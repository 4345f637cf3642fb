#pragma once
#include <string>

#include "onemap/gis/crs.hpp"

namespace onemap::gis {

/// Do a layer's coordinates fit its declared CRS? "" when they do; else one sentence
/// naming the likely right CRS (lon/lat in a projected CRS, Gauss-Kruger eastings with or
/// without the zone prefix, coordinates far outside the CRS's area of use).
std::string diagnoseCoordinates(const Envelope& extent, const Crs& crs);

}  // namespace onemap::gis
