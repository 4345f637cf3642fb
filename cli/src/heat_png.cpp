// The heat map as a PNG: the plan's admin layer alone is loaded, drawn as outlines over the
// density, the extent that of the grid.
#include "heat_png.hpp"

#include "onemap/core/check/one_map.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/render/colour_ramp.hpp"
#include "onemap/render/heat_layer.hpp"
#include "onemap/render/map_renderer.hpp"

namespace onemap::cli {

void checkHeatRamp(const std::string& ramp) {
    if (!render::ColourRamp::named(ramp))
        throw InputError("heat --ramp: '" + ramp + "' is not " + render::ColourRamp::names());
}

void writeHeatPng(const core::Plan& plan, const gis::RasterGrid& grid, std::vector<double> values,
                  gis::Kernel kernel, double radius, const core::LayerSpec& counted,
                  const HeatPng& png) {
    render::HeatLayer heat;
    heat.grid = grid;
    heat.values = std::move(values);
    heat.ramp = *render::ColourRamp::named(png.ramp);
    heat.title = png.heading;
    heat.kernel = kernel;
    heat.radius = radius;

    // The boundaries: the admin layer alone. A plan without one: the counted layer is loaded
    // (a one map needs a layer) but nothing is drawn over the heat.
    core::Plan boundaries = plan;
    boundaries.layers.clear();
    boundaries.rules.clear();
    boundaries.consistency.clear();
    const auto* admin = plan.adminLayer();
    boundaries.layers.push_back(admin ? *admin : counted);
    const auto map = core::OneMap::load(boundaries);

    render::RenderOptions options;
    if (!admin) options.layers = std::vector<std::string>{};
    options.size = QSize(png.width, png.height);
    options.extent =
        gis::Envelope{grid.originX, grid.originY - double(grid.rows) * grid.cellSize,
                      grid.originX + double(grid.columns) * grid.cellSize, grid.originY};
    options.title = png.title;
    options.heat = &heat;
    options.polygonOutlines = true;
    render::MapRenderer(map).write(png.path, options);
}

}  // namespace onemap::cli
