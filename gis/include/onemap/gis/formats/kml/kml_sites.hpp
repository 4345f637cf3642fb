#pragma once
// Sites in KML/KMZ, as exported by Google Earth or by Chinese map apps (奥维互动地图 Ovital
// Map, which since 9.3 writes .ovkml/.ovkmz in GCJ-02). KML says WGS84 by definition; a file
// that came from a Chinese web map may hold GCJ-02 or BD-09 all the same.
#include <string>
#include <vector>

#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::gis {

/// .kml, .kmz, .ovkml or .ovkmz.
[[nodiscard]] bool isKmlFile(const std::string& path);

/// What the file says about where its coordinates came from. `from` is "gcj02" or "bd09"
/// when it suggests a web-map offset, "" when nothing does; `evidence` says what was seen.
/// Looked for (in the KML text, every .kml inside a KMZ): the extension .ovkml/.ovkmz;
/// "GCJ-02"/"GCJ02"/"火星坐标" or "BD-09"/"BD09"/"百度坐标" anywhere; "Ovital" or "奥维"
/// (UTF-8 or GBK) without "WGS84" anywhere. Text only: a file that says nothing looks clean.
struct KmlOrigin {
    std::string from;
    std::string evidence;
};
[[nodiscard]] KmlOrigin kmlOrigin(const std::string& source);

/// The sites of a KML/KMZ/.ovkml/.ovkmz file: layer `table` ("" = the only one; several
/// without `table` is an InputError), field names as written (no ASCII laundering; with
/// one layer, an ExtendedData name that is not a field is an InputError), then
/// kmlPolygons. A .ovkmz is read as the KMZ it is; a KML declaring GBK/GB2312/GB18030 is
/// recoded to UTF-8 in memory. Not a regular file: InputError. Notes about the whole file
/// (recoding, placemarks left out) are appended to `fileNotes`.
[[nodiscard]] VectorLayer readKmlSites(const std::string& source, const std::string& table,
                                       std::vector<std::string>& fileNotes);

/// The polygon placemarks of a KML layer; the others (points, paths) are left out, and a
/// note names them. Throws InputError when no polygon is left.
[[nodiscard]] VectorLayer kmlPolygons(VectorLayer layer, const std::string& source);

}  // namespace onemap::gis
