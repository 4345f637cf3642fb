#pragma once
// Boundary-point tables (界址点坐标表) as surveyors hand them over: one row per point, with
// columns for the point number, X and Y (or northing/easting), and optionally the ring (圈号)
// and the parcel (地块编号). CSV (UTF-8 or GBK, any line ends) or a spreadsheet (XLSX/ODS).
#include <optional>
#include <string>

#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::gis {

/// Whether a path names a table this reader takes (.csv, .xlsx, .xlsm, .ods).
[[nodiscard]] bool isPointTableFile(const std::string& path);

/// One polygon per parcel, in file order. The header row (within the first 30, after any
/// title rows) is found by its names, Chinese or English; which column is the northing is
/// decided by the names and checked against the numbers, and said in the layer's notes.
/// Rings close themselves (the first point may be repeated or not); without a ring column a
/// point repeating the ring's first one ends the ring. Rings inside another ring are its
/// holes, others are further parts. A blank parcel/ring cell continues the one above (merged
/// cells). `sheet` chooses a spreadsheet's sheet ("" = the only one). A table giving both
/// projected columns (X/Y, north/east) and 经度/纬度 is read by `crs`, the sites' CRS: a
/// geographic one reads the degrees, a projected one the metres (a note says which); with
/// `crs` unknown it is refused naming both.
/// nullopt for a CSV with no such header (another kind of CSV, e.g. with a WKT column).
/// Throws InputError naming the file and line (CSV) or sheet and row: a coordinate that is
/// not a number, a ring of fewer than 3 points, a repeated point number with other
/// coordinates, rings of one parcel that cross, text neither UTF-8 nor GBK, rows of degrees
/// among rows of projected metres (no one CRS holds both; the rows are named).
/// The result has fields id (parcel), name (if a name column exists), points, rows; no CRS.
[[nodiscard]] std::optional<VectorLayer> readPointTable(const std::string& source,
                                                        const std::string& sheet,
                                                        const Crs& crs = {});

}  // namespace onemap::gis
