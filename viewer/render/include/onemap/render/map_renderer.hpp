#pragma once
// The one map renderer shared by `onemap render`, the report documents and the viewer:
// the plan's layers in file order, labels in a CJK font, sites coloured by verdict with
// their conflicts, and — for full layouts — title, legend, scale bar, north arrow, CRS
// note and attribution. Layers come from memory (OneMap): no file is read while drawing.
#include <QImage>
#include <QPainter>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "onemap/core/check/one_map.hpp"
#include "onemap/core/check/report.hpp"
#include "onemap/render/label_placer.hpp"
#include "onemap/render/view_transform.hpp"

namespace onemap::render {

/// Shapes drawn above the layers and below the sites, with a legend entry: a diff's land
/// gained (green) and lost (red).
struct MapOverlay {
    gis::Geometry geometry;  ///< plan CRS
    QColor colour;
    QString legend;
};

struct HeatLayer;  // onemap/render/heat_layer.hpp

struct RenderOptions {
    QSize size{1600, 1131};               ///< pixels (PNG) or points×4/3 (PDF page)
    std::optional<gis::Envelope> extent;  ///< plan CRS; default: all layers
    /// Layer ids to draw, first at the bottom; unset = the plan's visible layers in file order.
    std::optional<std::vector<std::string>> layers;
    std::map<std::string, double> opacity;    ///< per layer id, multiplies the style's opacity
    bool bare = false;                        ///< map only, white, the extent fills the image
    std::string title;                        ///< default: the plan name
    const core::Report* report = nullptr;     ///< sites to draw, coloured by verdict
    std::vector<std::string> highlightSites;  ///< site ids drawn thicker and labelled
    std::vector<MapOverlay> overlays;
    /// A heat map drawn under the layers, with its block at the top of the legend.
    const HeatLayer* heat = nullptr;
    /// Polygons drawn as outlines only (no fill, no hatch): boundaries over a heat map.
    bool polygonOutlines = false;
};

struct FrameLabels;  // the labels a frame asks for (internal)

/// Where a render put its text, in the target's pixels: what tests check (labels never
/// overlap, nothing leaves the frame or the page) without reading pixels.
struct RenderRecord {
    QRectF frame;                     ///< the map frame
    std::vector<PlacedLabel> labels;  ///< every label drawn on the map, in placing order
    std::vector<QRectF> layoutText;   ///< title, legend, scale bar and footer text boxes
};

/// A layer's legend symbol (swatch, line or point in its style) drawn into `box`; a polygon
/// without its fill when `outlineOnly` (RenderOptions::polygonOutlines).
void drawLegendSymbol(QPainter& painter, const QRectF& box, const core::MapLayer& layer,
                      bool outlineOnly = false);

class MapRenderer {
  public:
    explicit MapRenderer(std::shared_ptr<const core::OneMap> map);

    [[nodiscard]] const core::OneMap& map() const { return *map_; }
    /// The extent of all layers.
    [[nodiscard]] gis::Envelope fullExtent() const;

    /// Draws into `target` of any painter (image, PDF page, widget).
    /// `record`, if given, receives where the text went.
    void render(QPainter& painter, const QRectF& target, const RenderOptions& options,
                RenderRecord* record = nullptr) const;
    /// Just the map (layers, labels, sites) for a view; what bare renders and the viewer use.
    /// Labels are placed with collision tests (LabelPlacer), wholly inside the view's target.
    void drawMap(QPainter& painter, const ViewTransform& view, const RenderOptions& options,
                 RenderRecord* record = nullptr) const;
    [[nodiscard]] QImage renderImage(const RenderOptions& options,
                                     RenderRecord* record = nullptr) const;
    /// The same into `image`, reused when it already has the size asked for: the viewer's
    /// frame. (A fresh 1600×1000 image costs ~25 ms of page faults on a virtual machine, more
    /// than drawing a close-up view.)
    void renderInto(QImage& image, const RenderOptions& options,
                    RenderRecord* record = nullptr) const;
    /// PNG or PDF by the extension; written to a temporary file, then renamed.
    void write(const std::string& path, const RenderOptions& options) const;

    /// The map frame inside a layout of the given target (where drawMap goes).
    [[nodiscard]] QRectF mapFrame(const QRectF& target, const RenderOptions& options) const;

  private:
    struct Footer {
        QFont font;
        std::vector<QString> lines;
        double lineHeight = 16;
        double height = 40;
    };
    [[nodiscard]] std::vector<const core::MapLayer*> layersToDraw(
        const RenderOptions& options) const;
    void drawMapAvoiding(QPainter& p, const ViewTransform& view, const RenderOptions& options,
                         const std::vector<QRectF>& obstacles, RenderRecord* record) const;
    void drawSites(QPainter& p, const ViewTransform& view, const RenderOptions& options,
                   FrameLabels& labels) const;
    void drawLegend(QPainter& p, const QRectF& box, const RenderOptions& options,
                    std::vector<QRectF>& text) const;
    [[nodiscard]] QRectF scaleBarBox(const ViewTransform& view, double* metresPerPixel,
                                     double* length) const;
    void drawScaleBar(QPainter& p, const ViewTransform& view, std::vector<QRectF>& text) const;
    void drawNorthArrow(QPainter& p, const QRectF& frame, std::vector<QRectF>& text) const;
    /// The CRS note, the as-of date with the versions drawn, and the attribution, wrapped
    /// (and if need be shrunk) to the width of `target`.
    [[nodiscard]] Footer footer(const QRectF& target) const;

    std::shared_ptr<const core::OneMap> map_;
};

}  // namespace onemap::render
