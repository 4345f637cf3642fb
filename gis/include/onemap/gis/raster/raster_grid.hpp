#pragma once
// A north-up grid of square cells: where a raster's cells lie in its CRS. A plain value owned
// by whoever made it; any thread.
#include <cstddef>

namespace onemap::gis {

/// Cells are `cellSize` on a side; row 0 is the top (north) row, column 0 the west one. The
/// cell (row, column) covers x in [originX + column·cellSize, + cellSize) and y in
/// (originY − (row + 1)·cellSize, originY − row·cellSize]; its centre is the middle of that.
struct RasterGrid {
    double originX = 0;  ///< west edge
    double originY = 0;  ///< north edge
    double cellSize = 1;
    std::size_t columns = 0;
    std::size_t rows = 0;

    [[nodiscard]] std::size_t cells() const { return columns * rows; }
    [[nodiscard]] double centreX(std::size_t column) const {
        return originX + (static_cast<double>(column) + 0.5) * cellSize;
    }
    [[nodiscard]] double centreY(std::size_t row) const {
        return originY - (static_cast<double>(row) + 0.5) * cellSize;
    }
};

}  // namespace onemap::gis
