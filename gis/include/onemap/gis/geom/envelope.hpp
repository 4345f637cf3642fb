#pragma once
// Point and Envelope: plain 2D values, in the CRS of whatever holds them. Any thread.
#include <algorithm>
#include <limits>

namespace onemap::gis {

struct Point {
    double x = 0;
    double y = 0;
};

/// Axis-aligned bounding box; an empty envelope has min > max.
struct Envelope {
    double minx = std::numeric_limits<double>::infinity();
    double miny = std::numeric_limits<double>::infinity();
    double maxx = -std::numeric_limits<double>::infinity();
    double maxy = -std::numeric_limits<double>::infinity();

    [[nodiscard]] bool isEmpty() const { return minx > maxx || miny > maxy; }
    [[nodiscard]] double width() const { return isEmpty() ? 0 : maxx - minx; }
    [[nodiscard]] double height() const { return isEmpty() ? 0 : maxy - miny; }
    [[nodiscard]] Point center() const { return {(minx + maxx) / 2, (miny + maxy) / 2}; }
    void expand(double x, double y) {
        minx = std::min(minx, x);
        miny = std::min(miny, y);
        maxx = std::max(maxx, x);
        maxy = std::max(maxy, y);
    }
    void expand(const Envelope& o) {
        if (o.isEmpty()) return;
        expand(o.minx, o.miny);
        expand(o.maxx, o.maxy);
    }
    [[nodiscard]] bool intersects(const Envelope& o) const {
        return !(o.minx > maxx || o.maxx < minx || o.miny > maxy || o.maxy < miny);
    }
    [[nodiscard]] bool contains(const Envelope& o) const {
        return o.minx >= minx && o.maxx <= maxx && o.miny >= miny && o.maxy <= maxy;
    }
};

}  // namespace onemap::gis
