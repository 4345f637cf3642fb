#include "onemap/gis/geodesic.hpp"

#include <geodesic.h>
#include <proj.h>

#include <cmath>

#include "crs_object.hpp"
#include "handles.hpp"
#include "onemap/gis/error.hpp"

namespace onemap::gis {

namespace {

// Below this size (m) a polygon's ellipsoidal area is its planar area divided by the
// projection's areal scale factor at its centroid: the scale varies so little across it
// that the error is < 1e-7 relative (second order in size/earth radius), and no vertex
// has to be taken back to lon/lat. Larger polygons are measured vertex by vertex.
constexpr double kScaleFactorMaxSize = 5000.0;

// A polygon's edges are straight in its CRS, but the ellipsoidal area formula joins vertices
// by geodesics, which bow away from those lines: on a 20 km site the two differ by ~7 ppm,
// so parts measured separately would not add up to the whole. Edges are cut into pieces of
// at most this length (CRS units: metres, or degrees for lon/lat) before measuring; the
// geodesic then follows each piece to well under 1e-9 relative.
constexpr double kDensifyStepProjected = 500.0;
constexpr double kDensifyStepDegrees = 0.005;

struct RingMoments {
    double area = 0;  // signed shoelace area
    double cx = 0;    // first moments (sum of centroid * area)
    double cy = 0;
};

RingMoments moments(const std::vector<Point>& ring) {
    RingMoments m;
    if (ring.size() < 3) return m;
    const Point o = ring.front();  // shift to the first vertex: no cancellation at 3e6 m
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        const double x0 = ring[i].x - o.x, y0 = ring[i].y - o.y;
        const double x1 = ring[i + 1].x - o.x, y1 = ring[i + 1].y - o.y;
        const double c = x0 * y1 - x1 * y0;
        m.area += c / 2;
        m.cx += (x0 + x1) * c / 6;
        m.cy += (y0 + y1) * c / 6;
    }
    m.cx += o.x * m.area;
    m.cy += o.y * m.area;
    return m;
}

}  // namespace

struct EllipsoidalMeasure::Impl {
    CoordinateTransform toLonLat;
    geod_geodesic geod{};
    detail::PjPtr projection;  // the CRS's map projection, for proj_factors; null if not projected
    double step;               // densification step for areas, in CRS units
    Impl(const Crs& c)
        : toLonLat(c, c.geographic()),
          step(c.isGeographic() ? kDensifyStepDegrees : kDensifyStepProjected) {
        if (!c.isProjected()) return;
        // proj_factors wants a bare projection taking radians: rebuild it from the CRS's
        // PROJ string (a CRS object or its axis-swapping pipeline gives wrong factors here).
        const char* def = proj_as_proj_string(detail::proj(), detail::pjOf(c), PJ_PROJ_4, nullptr);
        if (!def) return;
        std::string text = def;
        if (const auto at = text.find(" +type=crs"); at != std::string::npos) text.erase(at);
        projection.reset(proj_create(detail::proj(), text.c_str()));
    }

    // Areal scale factor of the projection at a projected point, or 0 if unknown.
    double arealScale(Point p) const {
        const Point ll = toLonLat.apply(p);
        PJ_COORD lp = proj_coord(ll.x * M_PI / 180, ll.y * M_PI / 180, 0, 0);
        const PJ_FACTORS f = proj_factors(projection.get(), lp);
        if (proj_errno(projection.get()) != 0) {
            proj_errno_reset(projection.get());
            return 0;
        }
        return f.areal_scale;
    }

    // Exterior minus holes, every vertex on the ellipsoid.
    double polygonArea(const std::vector<std::vector<Point>>& polygon) const {
        std::vector<double> lats, lons;
        double total = 0;
        for (std::size_t r = 0; r < polygon.size(); ++r) {
            const double a = ringArea(polygon[r], lats, lons);
            total += r == 0 ? a : -a;
        }
        return total;
    }

    // Area by the scale-factor method; returns < 0 when it does not apply.
    double fastArea(const std::vector<std::vector<Point>>& polygon) const {
        if (!projection || polygon.empty()) return -1;
        Envelope e;
        for (const auto& p : polygon.front()) e.expand(p.x, p.y);
        if (std::max(e.width(), e.height()) > kScaleFactorMaxSize) return -1;
        double area = 0, cx = 0, cy = 0;
        for (std::size_t r = 0; r < polygon.size(); ++r) {
            RingMoments m = moments(polygon[r]);
            // Exterior counts positive, holes negative, whatever the ring orientation.
            const double sign = (r == 0) == (m.area >= 0) ? 1.0 : -1.0;
            area += sign * m.area;
            cx += sign * m.cx;
            cy += sign * m.cy;
        }
        if (area <= 0) return 0;
        const double s = arealScale({cx / area, cy / area});
        return s > 0 ? area / s : -1;
    }

    // Signed-free area of one ring; lon/lat arrays built in place.
    double ringArea(const std::vector<Point>& ring, std::vector<double>& lats,
                    std::vector<double>& lons) const {
        std::size_t n = ring.size();
        if (n > 1 && ring.front().x == ring.back().x && ring.front().y == ring.back().y) --n;
        if (n < 3) return 0;
        lats.clear();
        lons.clear();
        const auto add = [&](Point p) {
            p = toLonLat.apply(p);
            lons.push_back(p.x);
            lats.push_back(p.y);
        };
        for (std::size_t i = 0; i < n; ++i) {
            const Point a = ring[i], b = ring[(i + 1) % n];
            const double len = std::hypot(b.x - a.x, b.y - a.y);
            const auto pieces = static_cast<std::size_t>(std::ceil(len / step));
            add(a);
            for (std::size_t k = 1; k < pieces; ++k) {
                const double t = static_cast<double>(k) / static_cast<double>(pieces);
                add({a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)});
            }
        }
        double area = 0, perimeter = 0;
        geod_polygonarea(&geod, lats.data(), lons.data(), static_cast<int>(lats.size()), &area,
                         &perimeter);
        return std::abs(area);
    }
};

EllipsoidalMeasure::EllipsoidalMeasure(const Crs& crs) {
    if (!crs.isKnown()) throw InputError("ellipsoidal measures need a known CRS");
    impl_ = std::make_unique<Impl>(crs);
    PJ* ellipsoid = proj_get_ellipsoid(detail::proj(), detail::pjOf(crs));
    if (!ellipsoid) throw Error("CRS " + crs.label() + " has no ellipsoid");
    double a = 0, b = 0, invf = 0;
    int computed = 0;
    proj_ellipsoid_get_parameters(detail::proj(), ellipsoid, &a, &b, &computed, &invf);
    proj_destroy(ellipsoid);
    geod_init(&impl_->geod, a, invf == 0 ? 0 : 1.0 / invf);
}
EllipsoidalMeasure::~EllipsoidalMeasure() = default;

const EllipsoidalMeasure& EllipsoidalMeasure::forThisThread(const Crs& crs) {
    auto& slot = detail::threadProjObject("measure " + crs.definition());
    if (!slot) slot = std::make_shared<EllipsoidalMeasure>(crs);
    return *static_cast<const EllipsoidalMeasure*>(slot.get());
}
EllipsoidalMeasure::EllipsoidalMeasure(EllipsoidalMeasure&&) noexcept = default;
EllipsoidalMeasure& EllipsoidalMeasure::operator=(EllipsoidalMeasure&&) noexcept = default;

double EllipsoidalMeasure::area(const Geometry& g) const {
    double total = 0;
    for (const auto& polygon : g.polygons()) {
        const double fast = impl_->fastArea(polygon);
        total += fast >= 0 ? fast : impl_->polygonArea(polygon);
    }
    return total;
}

double EllipsoidalMeasure::geodesicArea(const Geometry& g) const {
    double total = 0;
    for (const auto& polygon : g.polygons()) total += impl_->polygonArea(polygon);
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
