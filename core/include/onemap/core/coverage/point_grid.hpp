#pragma once
// PointGrid: points in square buckets, for "the nearest point within r" around many places
// (service coverage: the facilities of a kind within the largest tier of each population
// cell). Built once on one thread; const queries from any number of threads.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace onemap::core {

class PointGrid {
  public:
    /// Buckets of side `bucket` (> 0; grown when the points' box would need more than
    /// `maxBuckets`) over the points given as x, y pairs.
    PointGrid(const std::vector<double>& xs, const std::vector<double>& ys, double bucket,
              std::size_t maxBuckets = 16'000'000);

    /// The smallest squared distance dx² + dy² from (x, y) to a point whose squared distance is
    /// ≤ r² (r ≥ 0); +∞ when there is none. Every point within r is looked at: the answer is
    /// the exact minimum over them, as a loop over every point would find it.
    [[nodiscard]] double nearestSquaredWithin(double x, double y, double r) const;

    [[nodiscard]] std::size_t size() const { return xs_.size(); }

    static constexpr double kNone = std::numeric_limits<double>::infinity();

  private:
    double originX_ = 0, originY_ = 0, bucket_ = 1;
    std::size_t columns_ = 0, rows_ = 0;
    std::vector<std::uint32_t> starts_;  ///< CSR: bucket b holds order_[starts_[b]..starts_[b+1])
    std::vector<double> xs_, ys_;        ///< the points in bucket order
};

}  // namespace onemap::core
