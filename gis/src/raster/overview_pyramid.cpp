// Overviews by block averages: one pass halving sums and counts per level.
#include "raster/overview_pyramid.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace onemap::gis::detail {
namespace {

// Sums and counts of valid cells at one level.
struct Sums {
    std::size_t columns = 0, rows = 0;
    std::vector<double> sum;
    std::vector<std::uint32_t> count;
};

Sums emptyHalf(std::size_t columns, std::size_t rows) {
    Sums to;
    to.columns = (columns + 1) / 2;
    to.rows = (rows + 1) / 2;
    to.sum.assign(to.columns * to.rows, 0.0);
    to.count.assign(to.columns * to.rows, 0);
    return to;
}

// The first level, straight from the values (no copy of the full grid).
Sums halveValues(const std::vector<double>& values, std::size_t columns, std::size_t rows,
                 double noData) {
    Sums to = emptyHalf(columns, rows);
    for (std::size_t row = 0; row < rows; ++row) {
        const std::size_t target = (row / 2) * to.columns;
        const double* line = values.data() + row * columns;
        for (std::size_t column = 0; column < columns; ++column) {
            const double v = line[column];
            if (std::isnan(v) || v == noData) continue;
            to.sum[target + column / 2] += v;
            ++to.count[target + column / 2];
        }
    }
    return to;
}

Sums halve(const Sums& from) {
    Sums to = emptyHalf(from.columns, from.rows);
    for (std::size_t row = 0; row < from.rows; ++row) {
        const std::size_t target = (row / 2) * to.columns;
        for (std::size_t column = 0; column < from.columns; ++column) {
            const std::size_t i = row * from.columns + column;
            to.sum[target + column / 2] += from.sum[i];
            to.count[target + column / 2] += from.count[i];
        }
    }
    return to;
}

}  // namespace

std::vector<std::size_t> overviewFactors(std::size_t columns, std::size_t rows,
                                         std::size_t tileSize) {
    std::vector<std::size_t> factors;
    const std::size_t side = std::min(columns, rows);
    for (std::size_t f = 2; side / (f / 2) > tileSize; f *= 2) factors.push_back(f);
    return factors;
}

std::vector<OverviewLevel> overviewPyramid(const std::vector<double>& values, std::size_t columns,
                                           std::size_t rows,
                                           const std::vector<std::size_t>& factors, double noData) {
    std::vector<OverviewLevel> levels;
    if (factors.empty()) return levels;
    Sums level = halveValues(values, columns, rows, noData);
    std::size_t factor = 2;
    for (const std::size_t wanted : factors) {
        while (factor < wanted) {
            level = halve(level);
            factor *= 2;
        }
        OverviewLevel out{factor, level.columns, level.rows, {}};
        out.values.resize(level.sum.size());
        for (std::size_t i = 0; i < level.sum.size(); ++i)
            out.values[i] = level.count[i] ? static_cast<float>(level.sum[i] / level.count[i])
                                           : static_cast<float>(noData);
        levels.push_back(std::move(out));
    }
    return levels;
}

}  // namespace onemap::gis::detail
