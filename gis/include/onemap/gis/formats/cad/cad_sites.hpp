#pragma once
// Site boundaries drawn in CAD (DXF), as GDAL's DXF driver reads them: one layer of entities
// with the fields Layer (the CAD layer), EntityHandle, SubClasses and Text.
#include <cstddef>
#include <string>
#include <vector>

#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::gis {

/// A block reference (INSERT) in the ENTITIES section, as written (layer not decoded).
struct BlockReference {
    std::string handle;
    std::string layer;
    std::string block;
    std::size_t line = 0;  ///< of its "INSERT"
};

/// A drawing's entities as GDAL reads them (blocks exploded), and its block references.
struct Drawing {
    VectorLayer entities;
    std::vector<BlockReference> inserts;
};

/// Reads a DXF file's entities. Refuses (InputError) what is not a regular file or is over
/// 512 MB before reading it, and a group value that must be a number and is not one (GDAL
/// would read it as 0), naming `file:LINE` and the entity handle. GDAL 3.6 decodes text by
/// $DWGCODEPAGE alone, but AutoCAD 2007+ files ($ACADVER AC1021 and later) are UTF-8 whatever their
/// code page says; a file naming no code page is read as UTF-8 when its bytes are, else as GBK. A
/// note says which.
[[nodiscard]] Drawing readDrawing(const std::string& source);

/// Site polygons from a drawing. Closed polylines (LWPOLYLINE/POLYLINE, flagged closed or
/// ending where they start) become polygons; HATCH areas are taken as they are, except one
/// that repeats a polyline's boundary (counted once). Texts (TEXT/MTEXT) are not sites: one
/// text inside exactly one polygon names it. Only the entities of `cadLayer` are read ("" =
/// the only CAD layer holding lines or areas). Throws InputError naming the source and the
/// entity handle: an open polyline or line, a block reference (INSERT) whose lines or areas
/// land on `cadLayer` (in a drawing without handles: any INSERT), an unknown or empty
/// `cadLayer`, boundaries on several CAD layers without `cadLayer`, no boundary at all.
/// The result has fields id (handle), name, cad_layer, entity; no CRS (DXF has none).
[[nodiscard]] VectorLayer cadSites(const Drawing& drawing, const std::string& source,
                                   const std::string& cadLayer);

}  // namespace onemap::gis
