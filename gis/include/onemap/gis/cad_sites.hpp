#pragma once
// Site boundaries drawn in CAD (DXF), as GDAL's DXF driver reads them: one layer of entities
// with the fields Layer (the CAD layer), EntityHandle, SubClasses and Text.
#include <string>

#include "onemap/gis/vector_layer.hpp"

namespace onemap::gis {

/// Reads a DXF file's entities. GDAL 3.6 decodes text by $DWGCODEPAGE alone, but AutoCAD
/// 2007+ files ($ACADVER AC1021 and later) are UTF-8 whatever their code page says; a file
/// naming no code page is read as UTF-8 when its bytes are, else as GBK. A note says which.
[[nodiscard]] VectorLayer readDrawing(const std::string& source);

/// Site polygons from a drawing. Closed polylines (LWPOLYLINE/POLYLINE, flagged closed or
/// ending where they start) become polygons; HATCH areas are taken as they are, except one
/// that repeats a polyline's boundary (counted once). Texts (TEXT/MTEXT) are not sites: one
/// text inside exactly one polygon names it. Only the entities of `cadLayer` are read ("" =
/// the only CAD layer holding lines or areas). Throws InputError naming the source and the
/// entity handle: an open polyline or line, a block reference (INSERT), an unknown or empty
/// `cadLayer`, boundaries on several CAD layers without `cadLayer`, no boundary at all.
/// The result has fields id (handle), name, cad_layer, entity; no CRS (DXF has none).
[[nodiscard]] VectorLayer cadSites(const VectorLayer& drawing, const std::string& source,
                                   const std::string& cadLayer);

}  // namespace onemap::gis
