#include "onemap/gis/geodesic.hpp"

#include <geodesic.h>

#include <cmath>

#include "handles.hpp"
#include "onemap/gis/error.hpp"

namespace onemap::gis {

struct EllipsoidalMeasure::Impl {
    CoordinateTransform toLonLat;
    geod_geodesic geod{};
    Impl(const Crs& crs) : toLonLat(crs, crs.geographic()) {}

    // Signed-free area of one ring; lon/lat arrays built in place.
    double ringArea(const std::vector<Point>& ring, std::vector<double>& lats, std::vector<double>& lons) const {
        std::size_t n = ring.size();
        if (n > 1 && ring.front().x == ring.back().x && ring.front().y == ring.back().y) --n;
        if (n < 3) return 0;
        lats.resize(n);
        lons.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            const Point p = toLonLat.apply(ring[i]);
            lons[i] = p.x;
            lats[i] = p.y;
        }
        double area = 0, perimeter = 0;
        geod_polygonarea(&geod, lats.data(), lons.data(), static_cast<int>(n), &area, &perimeter);
        return std::abs(area);
    }
};

EllipsoidalMeasure::EllipsoidalMeasure(const Crs& crs) {
    if (!crs.isKnown()) throw InputError("ellipsoidal measures need a known CRS");
    impl_ = std::make_unique<Impl>(crs);
    PJ* ellipsoid = proj_get_ellipsoid(detail::proj(), static_cast<const PJ*>(crs.handle()));
    if (!ellipsoid) throw Error("CRS " + crs.label() + " has no ellipsoid");
    double a = 0, b = 0, invf = 0;
    int computed = 0;
    proj_ellipsoid_get_parameters(detail::proj(), ellipsoid, &a, &b, &computed, &invf);
    proj_destroy(ellipsoid);
    geod_init(&impl_->geod, a, invf == 0 ? 0 : 1.0 / invf);
}
EllipsoidalMeasure::~EllipsoidalMeasure() = default;
EllipsoidalMeasure::EllipsoidalMeasure(EllipsoidalMeasure&&) noexcept = default;
EllipsoidalMeasure& EllipsoidalMeasure::operator=(EllipsoidalMeasure&&) noexcept = default;

double EllipsoidalMeasure::area(const Geometry& g) const {
    double total = 0;
    std::vector<double> lats, lons;
    for (const auto& polygon : g.polygons()) {
        for (std::size_t r = 0; r < polygon.size(); ++r) {
            const double a = impl_->ringArea(polygon[r], lats, lons);
            total += r == 0 ? a : -a;  // exterior minus holes
        }
    }
    return total;
}

double EllipsoidalMeasure::length(const Geometry& g) const {
    double total = 0;
    for (const auto& path : g.paths()) {
        for (std::size_t i = 1; i < path.size(); ++i) total += distance(path[i - 1], path[i]);
    }
    return total;
}

double EllipsoidalMeasure::distance(Point a, Point b) const {
    const Point p = impl_->toLonLat.apply(a);
    const Point q = impl_->toLonLat.apply(b);
    double s12 = 0;
    geod_inverse(&impl_->geod, p.y, p.x, q.y, q.x, &s12, nullptr, nullptr);
    return s12;
}

Point EllipsoidalMeasure::toLonLat(Point p) const { return impl_->toLonLat.apply(p); }

}  // namespace onemap::gis
