#pragma once
// OGR's types and ours, both ways: field types, geometry type names, CRSs. Pure functions,
// any thread (crsOf makes a Crs on the calling thread).
#include <ogr_core.h>
#include <ogr_spatialref.h>

#include <string>

#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/layer/feature.hpp"

namespace onemap::gis::detail {

/// The CRS an OGR layer declares; unknown for none (or a GeoPackage's "Undefined ..." SRS).
Crs crsOf(const OGRSpatialReference* srs);
/// Our type of an OGR field: integers, reals, dates (and times); anything else is text.
FieldType fieldType(OGRFieldType t);
/// The OGR field a value of ours is written to (dates as ISO text).
OGRFieldType ogrFieldType(FieldType t);

/// OGC names ("MultiPolygon"; "None" for a table), which ogrType() reads back.
std::string geometryTypeName(OGRwkbGeometryType t);
/// The OGR geometry type of an OGC name, any case; wkbUnknown for a name it does not know.
OGRwkbGeometryType ogrType(const std::string& name);

}  // namespace onemap::gis::detail
