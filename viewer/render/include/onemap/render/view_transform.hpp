#pragma once
#include <QPointF>
#include <QRectF>

#include "onemap/gis/geom/envelope.hpp"

namespace onemap::render {

/// Maps plan-CRS coordinates to pixels of a target rectangle (north up). The extent is
/// widened to the rectangle's aspect ratio around its centre, so one map unit is the same
/// number of pixels across and down.
class ViewTransform {
  public:
    ViewTransform() = default;
    ViewTransform(const gis::Envelope& extent, const QRectF& target);

    [[nodiscard]] QPointF toPixel(double x, double y) const {
        return {target_.left() + (x - extent_.minx) / unitsPerPixel_,
                target_.top() + (extent_.maxy - y) / unitsPerPixel_};
    }
    [[nodiscard]] gis::Point toMap(const QPointF& p) const {
        return {extent_.minx + (p.x() - target_.left()) * unitsPerPixel_,
                extent_.maxy - (p.y() - target_.top()) * unitsPerPixel_};
    }
    [[nodiscard]] const gis::Envelope& extent() const { return extent_; }  ///< widened
    [[nodiscard]] const QRectF& target() const { return target_; }
    [[nodiscard]] double unitsPerPixel() const { return unitsPerPixel_; }

    /// `e` grown in one direction to the aspect ratio width/height, same centre.
    static gis::Envelope widen(const gis::Envelope& e, double aspect);

  private:
    gis::Envelope extent_;
    QRectF target_;
    double unitsPerPixel_ = 1;
};

}  // namespace onemap::render
