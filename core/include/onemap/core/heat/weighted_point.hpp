#pragma once
// One point of a kernel density and its weight (a facility's beds, or 1), in the CRS of the
// grid. A plain value; any thread.

namespace onemap::core {

struct WeightedPoint {
    double x = 0;
    double y = 0;
    double weight = 1;
};

}  // namespace onemap::core
