#pragma once
// A heat map on the one map: a density grid (`onemap heat`) coloured by a ramp and drawn under
// the vector layers, and its block of the legend (ramp bar from 0 to the maximum, units,
// kernel, radius, cell). A value owned by the caller and only read while drawing; any thread
// may draw it into a painter of its own.
#include <QColor>
#include <QImage>
#include <QPainter>
#include <QRectF>
#include <QString>
#include <optional>
#include <string>
#include <vector>

#include "onemap/core/heat/plan_heatmap.hpp"
#include "onemap/gis/raster/density_kernel.hpp"
#include "onemap/gis/raster/raster_grid.hpp"
#include "onemap/render/colour_ramp.hpp"
#include "onemap/render/view_transform.hpp"

namespace onemap::render {

struct HeatLayer {
    gis::RasterGrid grid;        ///< plan CRS
    std::vector<double> values;  ///< row-major from the top row, grid.cells() of them
    ColourRamp ramp = *ColourRamp::named("heat");
    double noData = -9999;  ///< values equal to it (or NaN) are missing: transparent
    std::string title;      ///< the legend's heading for it, e.g. the counted layer's title
    gis::Kernel kernel = gis::Kernel::Quartic;
    double radius = 0;     ///< metres
    double opacity = 1.0;  ///< of the whole grid, in [0, 1]
};

/// The value of the cell holding (x, y) (plan CRS; a point on a cell's west or north edge is
/// in that cell), nullopt outside the grid or where the value is missing (nodata, NaN).
[[nodiscard]] std::optional<double> heatValueAt(const HeatLayer& heat, double x, double y);
/// A plan's heat map computed and coloured as declared (ramp, title, opacity).
[[nodiscard]] HeatLayer heatLayerOf(const core::PlanHeatmap& heatmap);

/// The largest value that is finite and not nodata; 0 when none is above 0.
[[nodiscard]] double heatMaximum(const HeatLayer& heat);
/// A value's colour: transparent (alpha 0) when it is ≤ 0, NaN or nodata, else the ramp at
/// value / maximum (opaque).
[[nodiscard]] QColor heatColour(const HeatLayer& heat, double value, double maximum);
/// The grid as an image, one pixel a cell (column, row), ARGB32 with heatColour's colours.
[[nodiscard]] QImage heatImage(const HeatLayer& heat);
/// A value for the legend: three significant digits, whole numbers from 100 up ("0.0512",
/// "3.27", "1234").
[[nodiscard]] QString heatValueLabel(double value);
/// The legend's lines under the ramp bar: units, kernel and radius, cell size.
[[nodiscard]] std::vector<QString> heatLegendLines(const HeatLayer& heat);

/// Draws the grid into the view: each cell a block of its colour; when cells are smaller than
/// pixels, each pixel the colour of the average of the cells whose centres fall in it.
void drawHeatLayer(QPainter& painter, const ViewTransform& view, const HeatLayer& heat);
/// Draws the heat block of a legend inside `box` from `top`: heading, ramp bar with "0" and
/// the maximum, heatLegendLines. Returns the height used; text boxes are appended to `text`.
double drawHeatLegend(QPainter& painter, const QRectF& box, double top, const HeatLayer& heat,
                      std::vector<QRectF>& text);

}  // namespace onemap::render
