#pragma once
// Drawing of geometries and labels onto a QPainter through a ViewTransform. Internal to
// the renderer; the viewer draws through MapRenderer.
#include <QPainter>
#include <vector>

#include "onemap/core/check/one_map.hpp"
#include "onemap/render/label_placer.hpp"
#include "onemap/render/style.hpp"
#include "onemap/render/view_transform.hpp"

namespace onemap::render {

/// One feature. Features smaller than a pixel become a dot so that 50,000 parcels at full
/// extent stay visible and cheap.
void drawGeometry(QPainter& p, const ViewTransform& view, const gis::Geometry& g,
                  const ResolvedStyle& style);
/// The features of a layer inside the view, found through the layer's spatial index.
void drawLayer(QPainter& p, const ViewTransform& view, const core::MapLayer& layer,
               const ResolvedStyle& style);
/// Text at a baseline point in the painter's font and pen colour. On raster images the
/// glyphs are filled as outlines, because Qt's glyph cache makes repeated renders differ
/// by a few pixels; on PDFs they stay real text (searchable, copyable).
void drawText(QPainter& p, const QPointF& baseline, const QString& text);
/// The same, left-aligned (or centred) and vertically centred in a box.
void drawText(QPainter& p, const QRectF& box, const QString& text, bool centred = false);
/// A placed label: its leader line, if any, then its text with a white halo. On raster
/// images from a cache of label images, on whole pixels.
void drawLabel(QPainter& p, const PlacedLabel& label);

}  // namespace onemap::render
