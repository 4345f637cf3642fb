// Points in square buckets (CSR), searched within r of a place.
#include "onemap/core/coverage/point_grid.hpp"

#include <algorithm>
#include <cmath>

#include "onemap/gis/base/error.hpp"

namespace onemap::core {

PointGrid::PointGrid(const std::vector<double>& xs, const std::vector<double>& ys, double bucket,
                     std::size_t maxBuckets) {
    if (!(bucket > 0) || !std::isfinite(bucket))
        throw Error("PointGrid: bucket side must be a finite number > 0");
    const std::size_t n = xs.size();
    if (n == 0) return;
    double minX = xs[0], minY = ys[0], maxX = xs[0], maxY = ys[0];
    for (std::size_t i = 1; i < n; ++i) {
        minX = std::min(minX, xs[i]);
        maxX = std::max(maxX, xs[i]);
        minY = std::min(minY, ys[i]);
        maxY = std::max(maxY, ys[i]);
    }
    while ((std::floor((maxX - minX) / bucket) + 1) * (std::floor((maxY - minY) / bucket) + 1) >
           static_cast<double>(maxBuckets))
        bucket *= 2;
    originX_ = minX;
    originY_ = minY;
    bucket_ = bucket;
    columns_ = static_cast<std::size_t>(std::floor((maxX - minX) / bucket)) + 1;
    rows_ = static_cast<std::size_t>(std::floor((maxY - minY) / bucket)) + 1;
    std::vector<std::uint32_t> bucketOf(n);
    starts_.assign(columns_ * rows_ + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = std::min(columns_ - 1, static_cast<std::size_t>((xs[i] - minX) / bucket));
        const auto r = std::min(rows_ - 1, static_cast<std::size_t>((ys[i] - minY) / bucket));
        bucketOf[i] = static_cast<std::uint32_t>(r * columns_ + c);
        ++starts_[bucketOf[i] + 1];
    }
    for (std::size_t b = 0; b + 1 < starts_.size(); ++b) starts_[b + 1] += starts_[b];
    std::vector<std::uint32_t> fill(starts_.begin(), starts_.end() - 1);
    xs_.resize(n);
    ys_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto at = fill[bucketOf[i]]++;
        xs_[at] = xs[i];
        ys_[at] = ys[i];
    }
}

double PointGrid::nearestSquaredWithin(double x, double y, double r) const {
    if (xs_.empty()) return kNone;
    const double r2 = r * r;
    // Bucket ranges widened by one on each side: rounding in the division never hides a point
    // within r; every candidate is then tested exactly.
    const auto range = [&](double lo, double hi, double origin, std::size_t count,
                           std::size_t& first, std::size_t& last) {
        const double a = std::floor((lo - origin) / bucket_) - 1;
        const double b = std::floor((hi - origin) / bucket_) + 1;
        const double top = static_cast<double>(count) - 1;
        if (!(b >= 0) || !(a <= top)) return false;
        first = static_cast<std::size_t>(std::max(a, 0.0));
        last = static_cast<std::size_t>(std::min(b, top));
        return true;
    };
    std::size_t c0 = 0, c1 = 0, r0 = 0, r1 = 0;
    if (!range(x - r, x + r, originX_, columns_, c0, c1) ||
        !range(y - r, y + r, originY_, rows_, r0, r1))
        return kNone;
    double best = kNone;
    for (std::size_t row = r0; row <= r1; ++row) {
        const std::size_t from = starts_[row * columns_ + c0];
        const std::size_t to = starts_[row * columns_ + c1 + 1];
        for (std::size_t k = from; k < to; ++k) {
            const double dx = xs_[k] - x, dy = ys_[k] - y;
            const double d2 = dx * dx + dy * dy;
            if (d2 <= r2 && d2 < best) best = d2;
        }
    }
    return best;
}

}  // namespace onemap::core
