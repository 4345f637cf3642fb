// The kernel density on its grid: each point visits only the cells within r of it (rows
// first, then the columns of each row), and each band of kBandRows rows is owned by one task,
// which adds its points in input order — no two tasks write one cell, and a cell's sum does
// not depend on how the bands were scheduled.
#include "onemap/core/heat/kernel_density.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numbers>
#include <string>

#include "onemap/core/heat/search_radius.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core {
namespace {

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

// "1,234,567"
std::string thousands(double v) {
    char buf[400];
    std::snprintf(buf, sizeof buf, "%.0f", std::floor(v));
    const std::string digits = buf;
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

// "0.16", "9.35e+08"
std::string gigabytes(double bytes) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3g", bytes / 1e9);
    return buf;
}

// The first and last index (inclusive) whose centre origin + (i + 0.5)·step may lie within
// (lo, hi) — a superset by one on each side, clamped to [0, count − 1]; nullopt when none.
struct IndexRange {
    std::size_t first;
    std::size_t last;
};
std::optional<IndexRange> candidates(double lo, double hi, std::size_t count) {
    const double first = std::floor(lo - 0.5) - 1, last = std::ceil(hi - 0.5) + 1;
    const double top = static_cast<double>(count) - 1;
    if (last < 0 || first > top) return std::nullopt;
    return IndexRange{static_cast<std::size_t>(std::max(first, 0.0)),
                      static_cast<std::size_t>(std::min(last, top))};
}

template <gis::Kernel kKernel>
void addBand(const gis::RasterGrid& grid, const std::vector<WeightedPoint>& points,
             const std::vector<std::uint32_t>& band, std::size_t rowBegin, std::size_t rowEnd,
             double radius, double factor, double* out) {
    const double r2 = radius * radius, c = grid.cellSize;
    for (const auto i : band) {
        const auto& p = points[i];
        const double scale = p.weight * factor;
        const auto rows = candidates((grid.originY - p.y - radius) / c,
                                     (grid.originY - p.y + radius) / c, grid.rows);
        if (!rows) continue;
        const std::size_t firstRow = std::max(rows->first, rowBegin);
        const std::size_t lastRow = std::min(rows->last + 1, rowEnd);
        for (std::size_t row = firstRow; row < lastRow; ++row) {
            const double dy = grid.centreY(row) - p.y, dy2 = dy * dy;
            if (!(dy2 < r2)) continue;
            const double half = std::sqrt(r2 - dy2);
            const auto columns = candidates((p.x - half - grid.originX) / c,
                                            (p.x + half - grid.originX) / c, grid.columns);
            if (!columns) continue;
            double* line = out + row * grid.columns;
            for (std::size_t col = columns->first; col <= columns->last; ++col) {
                const double dx = grid.centreX(col) - p.x, d2 = dx * dx + dy2;
                if (d2 < r2) line[col] += scale * gis::kernelShape(kKernel, d2 / r2);
            }
        }
    }
}

}  // namespace

KernelDensity::KernelDensity(std::vector<WeightedPoint> points, const DensityOptions& options)
    : points_(std::move(points)), kernel_(options.kernel), perArea_(options.perArea) {
    if (options.crs.isKnown() && options.crs.isGeographic())
        throw InputError("heat: the CRS " + options.crs.label() +
                         " is in degrees; a density needs a projected CRS in metres");
    if (!(std::isfinite(perArea_) && perArea_ > 0))
        throw InputError("heat: the area unit must be a positive number");
    if (points_.size() > UINT32_MAX)
        throw InputError("heat: more than " + thousands(double(UINT32_MAX)) + " points");
    for (std::size_t i = 0; i < points_.size(); ++i) {
        const auto& p = points_[i];
        if (!std::isfinite(p.x) || !std::isfinite(p.y))
            throw InputError("heat: point " + std::to_string(i) + " has no finite coordinates");
        if (!(std::isfinite(p.weight) && p.weight >= 0))
            throw InputError("heat: point " + std::to_string(i) + " has the weight " +
                             number(p.weight) + "; weights must be finite and not negative");
    }
    if (options.radius) {
        radius_ = *options.radius;
        if (!(std::isfinite(radius_) && radius_ > 0))
            throw InputError("heat: the radius must be a positive number of metres, not " +
                             number(radius_));
    } else {
        radius_ = silvermanRadius(points_);
        if (!(radius_ > 0))
            throw InputError(
                "heat: no default radius: the points (with weight) do not spread; "
                "give --radius");
    }
    gis::Envelope extent;
    if (options.extent) {
        extent = *options.extent;
        const bool finite = std::isfinite(extent.minx) && std::isfinite(extent.miny) &&
                            std::isfinite(extent.maxx) && std::isfinite(extent.maxy);
        if (!finite || !(extent.minx < extent.maxx) || !(extent.miny < extent.maxy))
            throw InputError("heat: the extent must be minx,miny,maxx,maxy with min < max");
    } else {
        if (points_.empty()) throw InputError("heat: no points, and no --extent to draw");
        for (const auto& p : points_) extent.expand(p.x, p.y);
        extent = {extent.minx - radius_, extent.miny - radius_, extent.maxx + radius_,
                  extent.maxy + radius_};
    }
    const double cell =
        options.cellSize ? *options.cellSize : std::min(extent.width(), extent.height()) / 250;
    if (!(std::isfinite(cell) && cell > 0))
        throw InputError("heat: the cell size must be a positive number of metres, not " +
                         number(cell));
    const double columns = std::max(1.0, std::ceil(extent.width() / cell));
    const double rows = std::max(1.0, std::ceil(extent.height() / cell));
    const double cells = columns * rows;
    if (!(cells <= static_cast<double>(options.maxCells)))
        throw InputError("heat: a grid of " + thousands(columns) + " × " + thousands(rows) + " = " +
                         thousands(cells) + " cells (cell " + number(cell) + ") would take " +
                         gigabytes(cells * 8) + " GB; the limit is " +
                         thousands(double(options.maxCells)) +
                         " cells: give a larger --cell or a smaller --extent");
    grid_.originX = extent.minx;
    grid_.originY = extent.maxy;
    grid_.cellSize = cell;
    grid_.columns = static_cast<std::size_t>(columns);
    grid_.rows = static_cast<std::size_t>(rows);
}

std::vector<double> KernelDensity::compute() const {
    std::vector<double> out(grid_.cells(), 0.0);
    const std::size_t bands = (grid_.rows + kBandRows - 1) / kBandRows;
    // Each band's points, in input order.
    std::vector<std::vector<std::uint32_t>> members(bands);
    for (std::size_t i = 0; i < points_.size(); ++i) {
        const auto& p = points_[i];
        if (p.weight == 0) continue;
        const auto rows = candidates((grid_.originY - p.y - radius_) / grid_.cellSize,
                                     (grid_.originY - p.y + radius_) / grid_.cellSize, grid_.rows);
        if (!rows) continue;
        const std::size_t b0 = rows->first / kBandRows, b1 = rows->last / kBandRows;
        for (std::size_t b = b0; b <= b1; ++b) members[b].push_back(static_cast<std::uint32_t>(i));
    }
    const double factor =
        perArea_ * gis::kernelConstant(kernel_) / (std::numbers::pi * radius_ * radius_);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, bands, 1), [&](const auto& range) {
        for (std::size_t b = range.begin(); b != range.end(); ++b) {
            const std::size_t begin = b * kBandRows;
            const std::size_t end = std::min(begin + kBandRows, grid_.rows);
            switch (kernel_) {
#define ONEMAP_HEAT_BAND(k)                                                              \
    case k:                                                                              \
        addBand<k>(grid_, points_, members[b], begin, end, radius_, factor, out.data()); \
        break;
                ONEMAP_HEAT_BAND(gis::Kernel::Quartic)
                ONEMAP_HEAT_BAND(gis::Kernel::Triangular)
                ONEMAP_HEAT_BAND(gis::Kernel::Uniform)
                ONEMAP_HEAT_BAND(gis::Kernel::Triweight)
                ONEMAP_HEAT_BAND(gis::Kernel::Epanechnikov)
#undef ONEMAP_HEAT_BAND
            }
        }
    });
    return out;
}

}  // namespace onemap::core
