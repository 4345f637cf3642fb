#include "index/box_grid.hpp"

#include <algorithm>
#include <cmath>

namespace onemap::gis {
namespace {

constexpr double kCellsPerBox = 4;
constexpr std::size_t kMaxCells = std::size_t{1} << 22;
constexpr std::size_t kMaxIdsPerBox = 16;      // beyond that on average, the grid is no help
constexpr std::size_t kMaxCellsPerQuery = 64;  // a wider query goes to the R-tree

bool finite(const Envelope& e) {
    return std::isfinite(e.minx) && std::isfinite(e.miny) && std::isfinite(e.maxx) &&
           std::isfinite(e.maxy);
}

}  // namespace

BoxGrid::BoxGrid(const std::vector<Envelope>& boxes) {
    for (const auto& b : boxes) {
        if (b.isEmpty()) continue;
        if (!finite(b)) return;  // unusable: the R-tree answers
        boxes_.push_back(b);
        extent_.expand(b);
    }
    usable_ = true;
    if (boxes_.empty()) return;
    // Cells about as square as the extent allows, about four per box.
    const double w = std::max(extent_.width(), 1e-9), h = std::max(extent_.height(), 1e-9);
    const double cells =
        std::min(static_cast<double>(kMaxCells), kCellsPerBox * static_cast<double>(boxes_.size()));
    nx_ = static_cast<std::size_t>(std::clamp(std::sqrt(cells * w / h), 1.0, cells));
    ny_ = static_cast<std::size_t>(std::clamp(cells / static_cast<double>(nx_), 1.0, cells));
    cellW_ = w / static_cast<double>(nx_);
    cellH_ = h / static_cast<double>(ny_);
    // Counting first, then filling: one array of ids, cell after cell.
    std::vector<std::uint32_t> count(nx_ * ny_ + 1, 0);
    std::size_t total = 0;
    for (const auto& b : boxes_) {
        const std::size_t x0 = column(b.minx), x1 = column(b.maxx);
        const std::size_t y0 = row(b.miny), y1 = row(b.maxy);
        total += (x1 - x0 + 1) * (y1 - y0 + 1);
        if (total > kMaxIdsPerBox * boxes_.size() + 1024) {
            usable_ = false;
            return;
        }
        for (std::size_t y = y0; y <= y1; ++y)
            for (std::size_t x = x0; x <= x1; ++x) ++count[y * nx_ + x + 1];
    }
    start_.assign(count.size(), 0);
    for (std::size_t c = 1; c < count.size(); ++c) start_[c] = start_[c - 1] + count[c];
    ids_.resize(total);
    std::vector<std::uint32_t> next(start_.begin(), start_.end() - 1);
    for (std::size_t i = 0; i < boxes_.size(); ++i) {
        const auto& b = boxes_[i];
        for (std::size_t y = row(b.miny); y <= row(b.maxy); ++y)
            for (std::size_t x = column(b.minx); x <= column(b.maxx); ++x)
                ids_[next[y * nx_ + x]++] = static_cast<std::uint32_t>(i);
    }
}

// Monotone in x, so two intervals that meet share a column: no box is ever missed, whatever
// the rounding.
std::size_t BoxGrid::column(double x) const {
    const double t = (x - extent_.minx) / cellW_;
    if (!(t > 0)) return 0;
    return std::min(static_cast<std::size_t>(std::min(t, 1e18)), nx_ - 1);
}

std::size_t BoxGrid::row(double y) const {
    const double t = (y - extent_.miny) / cellH_;
    if (!(t > 0)) return 0;
    return std::min(static_cast<std::size_t>(std::min(t, 1e18)), ny_ - 1);
}

bool BoxGrid::anyMeeting(const Envelope& e, bool& tooWide) const {
    tooWide = false;
    if (e.isEmpty() || boxes_.empty()) return false;
    if (!finite(e)) return true;
    if (!extent_.intersects(e)) return false;
    const std::size_t x0 = column(e.minx), x1 = column(e.maxx);
    const std::size_t y0 = row(e.miny), y1 = row(e.maxy);
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > kMaxCellsPerQuery) {
        tooWide = true;
        return false;
    }
    for (std::size_t y = y0; y <= y1; ++y)
        for (std::size_t x = x0; x <= x1; ++x) {
            const std::size_t c = y * nx_ + x;
            for (std::uint32_t k = start_[c]; k < start_[c + 1]; ++k)
                if (boxes_[ids_[k]].intersects(e)) return true;
        }
    return false;
}

}  // namespace onemap::gis
