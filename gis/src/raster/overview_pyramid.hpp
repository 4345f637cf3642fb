#pragma once
// The overviews of one band, computed from the values in memory: level k holds the average of
// each 2^k × 2^k block of the full-resolution cells, the missing ones (nodata or NaN) left out,
// nodata where a block has none. Private to gis/raster; a function of its arguments, any thread.
#include <cstddef>
#include <vector>

namespace onemap::gis::detail {

struct OverviewLevel {
    std::size_t factor = 1;   ///< full-resolution cells on a side of one cell here
    std::size_t columns = 0;  ///< ⌈columns / factor⌉
    std::size_t rows = 0;     ///< ⌈rows / factor⌉
    std::vector<float> values;
};

/// The factors 2, 4, 8, … while the smaller side at the previous factor is larger than
/// `tileSize` (the last level's smaller side fits in one tile); none for a grid that fits.
[[nodiscard]] std::vector<std::size_t> overviewFactors(std::size_t columns, std::size_t rows,
                                                       std::size_t tileSize);

/// The levels for `factors` (each twice the one before, from 2), as Float32. Sums are taken in
/// double and carried from level to level with their counts, so each level is the block average
/// of the full-resolution values, not an average of averages.
[[nodiscard]] std::vector<OverviewLevel> overviewPyramid(const std::vector<double>& values,
                                                         std::size_t columns, std::size_t rows,
                                                         const std::vector<std::size_t>& factors,
                                                         double noData);

}  // namespace onemap::gis::detail
