#pragma once
// Whether a layer's coordinates fit its declared CRS, said in one sentence when they do not.
// A pure function over the caller's values; any thread.
#include <string>

#include "onemap/gis/crs/crs.hpp"

namespace onemap::gis {

/// Do a layer's coordinates fit its declared CRS? "" when they do; else one sentence
/// naming the likely right CRS (lon/lat in a projected CRS, Gauss-Kruger eastings with or
/// without the zone prefix, coordinates far outside the CRS's area of use).
std::string diagnoseCoordinates(const Envelope& extent, const Crs& crs);

/// The same diagnosis, and whether it leaves no doubt: numbers that cannot be in the CRS
/// (zone prefix, far outside its area of use, beyond ±180/±90 in a geographic CRS, lon/lat
/// of the CRS's own region in a projected one). Small local numbers that merely look like
/// lon/lat are a doubt, not a certainty. Any thread.
struct CoordinateDoubt {
    std::string message;  ///< "" when the coordinates fit
    bool certain = false;
};
CoordinateDoubt assessCoordinates(const Envelope& extent, const Crs& crs);

/// For coordinates that come without a CRS (CAD drawings, point tables): what the numbers
/// themselves say, as one clause naming the likely CRS; "" when they say nothing. Only the
/// zone prefix is certain: the datum (CGCS2000, Xi'an 80, Beijing 54) and, without a prefix,
/// the central meridian cannot be read from the numbers, so CGCS2000 codes are offered.
std::string suggestCrs(const Envelope& extent);

}  // namespace onemap::gis
