#pragma once
// Area moments of a planar region up to second order, about some origin: ∫1, ∫x, ∫y,
// ∫x², ∫xy, ∫y². They add up over disjoint parts, so the area of a whole can be had
// from its parts without building the whole; EllipsoidalMeasure turns them into an
// ellipsoidal area (the projection's scale factor integrated to second order).
// Plain values; any thread.
#include <cstddef>

#include "onemap/gis/geom/envelope.hpp"

namespace onemap::gis {

struct AreaMoments {
    double area = 0;
    double mx = 0, my = 0;             ///< first moments
    double mxx = 0, mxy = 0, myy = 0;  ///< second moments

    AreaMoments& operator+=(const AreaMoments& o) {
        area += o.area;
        mx += o.mx;
        my += o.my;
        mxx += o.mxx;
        mxy += o.mxy;
        myy += o.myy;
        return *this;
    }
    [[nodiscard]] AreaMoments scaled(double k) const {
        return {area * k, mx * k, my * k, mxx * k, mxy * k, myy * k};
    }
    /// The same region's moments about the point (dx, dy) of the current frame.
    [[nodiscard]] AreaMoments about(double dx, double dy) const {
        return {area,
                mx - dx * area,
                my - dy * area,
                mxx - 2 * dx * mx + dx * dx * area,
                mxy - dx * my - dy * mx + dx * dy * area,
                myy - 2 * dy * my + dy * dy * area};
    }
    /// Signed moments of a ring (n vertices, closing vertex optional) about `origin`:
    /// positive for counter-clockwise rings.
    static AreaMoments ofRing(const Point* ring, std::size_t n, Point origin);
};

}  // namespace onemap::gis
