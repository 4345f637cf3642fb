#pragma once
// The PNG map of `onemap heat` through the renderer (only in builds with Qt): the density
// coloured by a ramp, the plan's admin boundaries and names over it, a legend with units.
// Called by the heat command on its own thread.
#include <string>
#include <vector>

#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/raster/density_kernel.hpp"
#include "onemap/gis/raster/raster_grid.hpp"

namespace onemap::cli {

struct HeatPng {
    std::string path;     ///< where to write (a staged path ending in .png)
    std::string ramp;     ///< a ColourRamp name
    std::string title;    ///< the map's title
    std::string heading;  ///< the legend's heading for the density
    int width = 1600, height = 1131;
};

/// InputError unless `ramp` names a colour ramp.
void checkHeatRamp(const std::string& ramp);

/// Draws and writes the map; `values` are taken (moved) into the drawing. `counted` is the
/// layer the points came from (loaded when the plan has no admin layer, and not drawn).
void writeHeatPng(const core::Plan& plan, const gis::RasterGrid& grid, std::vector<double> values,
                  gis::Kernel kernel, double radius, const core::LayerSpec& counted,
                  const HeatPng& png);

}  // namespace onemap::cli
