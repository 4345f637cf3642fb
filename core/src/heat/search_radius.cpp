// ArcGIS's spatial Silverman rule (docs/heat.md "Defaults").
#include "onemap/core/heat/search_radius.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace onemap::core {

double silvermanRadius(const std::vector<WeightedPoint>& points) {
    double total = 0, sx = 0, sy = 0;
    for (const auto& p : points) {
        total += p.weight;
        sx += p.weight * p.x;
        sy += p.weight * p.y;
    }
    if (!(total > 0)) return 0;
    const double mx = sx / total, my = sy / total;
    std::vector<double> distance(points.size());
    double squares = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
        distance[i] = std::hypot(points[i].x - mx, points[i].y - my);
        squares += points[i].weight * distance[i] * distance[i];
    }
    const double standardDistance = std::sqrt(squares / total);
    std::vector<std::size_t> order(points.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return distance[a] < distance[b]; });
    double median = 0, reached = 0;
    for (const auto i : order) {
        reached += points[i].weight;
        if (reached >= total / 2) {
            median = distance[i];
            break;
        }
    }
    const double spread = std::min(standardDistance, std::sqrt(1 / std::log(2.0)) * median);
    const double radius = 0.9 * spread * std::pow(total, -0.2);
    return std::isfinite(radius) && radius > 0 ? radius : 0;
}

}  // namespace onemap::core
