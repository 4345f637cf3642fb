#include "layer/ogr_types.hpp"

#include <cpl_conv.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "onemap/gis/base/ascii.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::gis::detail {

Crs crsOf(const OGRSpatialReference* srs) {
    if (!srs) return {};
    // A GeoPackage without a CRS says srs_id 0/-1: "Undefined geographic/Cartesian SRS".
    const char* name = srs->GetName();
    if (name && std::string(name).rfind("Undefined ", 0) == 0) return {};
    const char* auth = srs->GetAuthorityName(nullptr);
    const char* code = srs->GetAuthorityCode(nullptr);
    if (auth && code && std::string(auth) == "EPSG") {
        try {
            return Crs::fromUserInput(std::string("EPSG:") + code);
        } catch (const InputError&) {
        }
    }
    char* wkt = nullptr;
    const char* options[] = {"FORMAT=WKT2_2019", nullptr};
    srs->exportToWkt(&wkt, options);
    std::string text = wkt ? wkt : "";
    CPLFree(wkt);
    return text.empty() ? Crs{} : Crs::fromUserInput(text);
}

FieldType fieldType(OGRFieldType t) {
    switch (t) {
        case OFTInteger:
        case OFTInteger64:
            return FieldType::Integer;
        case OFTReal:
            return FieldType::Real;
        case OFTDate:
        case OFTDateTime:
        case OFTTime:
            return FieldType::Date;
        default:
            return FieldType::String;
    }
}

OGRFieldType ogrFieldType(FieldType t) {
    switch (t) {
        case FieldType::Integer:
            return OFTInteger64;
        case FieldType::Real:
            return OFTReal;
        case FieldType::Date:
            return OFTString;  // written as ISO text: every format keeps it
        default:
            return OFTString;
    }
}

std::string geometryTypeName(OGRwkbGeometryType t) {
    switch (wkbFlatten(t)) {
        case wkbPoint:
            return "Point";
        case wkbMultiPoint:
            return "MultiPoint";
        case wkbLineString:
            return "LineString";
        case wkbMultiLineString:
            return "MultiLineString";
        case wkbPolygon:
            return "Polygon";
        case wkbMultiPolygon:
            return "MultiPolygon";
        case wkbGeometryCollection:
            return "GeometryCollection";
        case wkbNone:
            return "None";  // a table: records without geometry
        default:
            return "Unknown";
    }
}

OGRwkbGeometryType ogrType(const std::string& name) {
    static const std::map<std::string, OGRwkbGeometryType> types = {
        {"point", wkbPoint},
        {"multipoint", wkbMultiPoint},
        {"linestring", wkbLineString},
        {"multilinestring", wkbMultiLineString},
        {"polygon", wkbPolygon},
        {"multipolygon", wkbMultiPolygon},
        {"geometrycollection", wkbGeometryCollection},
        {"none", wkbNone}};
    const auto it = types.find(asciiLower(name));
    return it == types.end() ? wkbUnknown : it->second;
}

}  // namespace onemap::gis::detail
