#pragma once
// KernelDensity: the density of weighted points on a grid of cells (onemap heat; docs/heat.md).
// Made from its points and options (everything checked before a cell is allocated), it owns
// them; compute() may be called from any thread, and runs in parallel (TBB) itself.
#include <cstddef>
#include <optional>
#include <vector>

#include "onemap/core/heat/weighted_point.hpp"
#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/geom/envelope.hpp"
#include "onemap/gis/raster/density_kernel.hpp"
#include "onemap/gis/raster/raster_grid.hpp"

namespace onemap::core {

struct DensityOptions {
    gis::Kernel kernel = gis::Kernel::Quartic;
    /// Search radius r in CRS units; nullopt = silvermanRadius(points).
    std::optional<double> radius;
    /// Cell side in CRS units; nullopt = the extent's shorter side / 250.
    std::optional<double> cellSize;
    /// The grid's extent; nullopt = the points' box grown by r on every side (so every disc
    /// lies inside it). The grid starts at its west and north edges and covers it with whole
    /// cells (the east and south edges may be passed by less than a cell).
    std::optional<gis::Envelope> extent;
    /// The points' CRS: one in degrees is refused (a radius and a density per km² need a
    /// projected CRS in metres). Unknown = taken to be in metres.
    gis::Crs crs;
    /// Values are per this many square CRS units: 10⁶ m² = per km².
    double perArea = 1e6;
    /// Grids with more cells are refused before allocation (8 bytes a cell while computing).
    std::size_t maxCells = 200'000'000;
};

class KernelDensity {
  public:
    /// Takes the points (weights must be finite and ≥ 0) and settles radius, extent and grid.
    /// InputError (nothing allocated for the grid): a CRS in degrees, a radius that is not a
    /// positive finite number (or no default one, the points not spreading), a bad cell size
    /// or extent, a negative or NaN weight (naming the point's index), more than maxCells
    /// cells (saying how many and how much memory they would take).
    KernelDensity(std::vector<WeightedPoint> points, const DensityOptions& options);

    [[nodiscard]] const gis::RasterGrid& grid() const { return grid_; }
    [[nodiscard]] double radius() const { return radius_; }
    [[nodiscard]] gis::Kernel kernel() const { return kernel_; }
    [[nodiscard]] const std::vector<WeightedPoint>& points() const { return points_; }

    /// The density at each cell's centre, row-major from the top row: Σ over points with
    /// d² < r² of w·K(d)·perArea. Each cell sums its points in input order, whatever the
    /// number of threads: the same bytes on every run.
    [[nodiscard]] std::vector<double> compute() const;

    /// Rows a parallel task owns (its band of the grid).
    static constexpr std::size_t kBandRows = 16;

  private:
    std::vector<WeightedPoint> points_;
    gis::Kernel kernel_;
    double radius_ = 0;
    double perArea_ = 1e6;
    gis::RasterGrid grid_;
};

}  // namespace onemap::core
