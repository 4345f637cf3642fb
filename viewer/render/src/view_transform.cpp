#include "onemap/render/view_transform.hpp"

#include <algorithm>

namespace onemap::render {

gis::Envelope ViewTransform::widen(const gis::Envelope& e, double aspect) {
    gis::Envelope out = e;
    const auto c = e.center();
    double w = std::max(e.width(), 1e-9), h = std::max(e.height(), 1e-9);
    if (w / h < aspect)
        w = h * aspect;
    else
        h = w / aspect;
    out.minx = c.x - w / 2;
    out.maxx = c.x + w / 2;
    out.miny = c.y - h / 2;
    out.maxy = c.y + h / 2;
    return out;
}

ViewTransform::ViewTransform(const gis::Envelope& extent, const QRectF& target)
    : extent_(widen(extent, target.width() / std::max(target.height(), 1.0))), target_(target) {
    unitsPerPixel_ = extent_.width() / std::max(target.width(), 1.0);
}

}  // namespace onemap::render
