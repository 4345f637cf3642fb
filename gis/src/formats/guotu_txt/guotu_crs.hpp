#pragma once
// The CRS of a 国土 TXT: decided from its [属性描述] header, the zone prefix of its eastings and
// what the user gave (--sites-crs: a CRS or a datum-shift pipeline), and the datum shift to
// CGCS2000 applied. Internal to gis/src.
#include <string>
#include <vector>

#include "formats/guotu_txt/guotu_fields.hpp"
#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/formats/guotu_txt/guotu_txt.hpp"
#include "onemap/gis/geom/geometry.hpp"

namespace onemap::gis::guotu {

/// The CRS of the parcels read (`geometries`: one per parcel, x = easting as written), which
/// are shifted to CGCS2000 in place when the file is 1980西安 / 1954北京 with 转换参数 or a
/// pipeline. Notes (a zone guessed, the datum shifted) are appended to `notes` in order. Throws
/// InputError "path:LINE: …" (or "path: …") for a header it cannot read or that disagrees with
/// the coordinates or with --sites-crs. An unknown CRS (nothing stated) is no error.
[[nodiscard]] Crs decideCrs(const std::string& path, const GuotuReadOptions& options,
                            const Header& header, const std::vector<Parcel>& parcels,
                            std::vector<Geometry>& geometries, std::vector<std::string>& notes);

}  // namespace onemap::gis::guotu
