#include "onemap/gis/crs/geodesic.hpp"

#include <geodesic.h>
#include <proj.h>

#include <cmath>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "base/handles.hpp"
#include "crs/crs_object.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/geom/area_moments.hpp"

namespace onemap::gis {

namespace {

// A polygon's edges are straight in its CRS, but the ellipsoidal area formula joins vertices
// by geodesics, which bow away from those lines: on a 20 km site the two differ by ~7 ppm,
// so parts measured separately would not add up to the whole. Edges are cut into pieces of
// at most this length (CRS units: metres, or degrees for lon/lat) before measuring; the
// geodesic then follows each piece to well under 1e-9 relative.
constexpr double kDensifyStepProjected = 500.0;
constexpr double kDensifyStepDegrees = 0.005;

// The areal scale's reciprocal is expanded to second order around the centre of a grid
// cell of this size (m), so that nearby polygons share one expansion (nine proj_factors
// calls). In a Gauss–Krüger zone 1/s ≈ 1 − x²/R² + (2/3)x⁴/R⁴, so the third-order
// remainder is ~16·x·d³/(6R⁴) relative: 1.4e-10 for a 5 km polygon (d ≤ 7 km from the
// centre) 265 km off the central meridian (Hefei in the 120°E zone).
constexpr double kExpansionCell = 5000.0;
// Finite-difference step for the expansion's derivatives (m).
constexpr double kExpansionStep = 2000.0;

// 1/s(x, y), s the areal scale factor, to second order around a point:
// g + gx·u + gy·v + (gxx·u² + 2·gxy·u·v + gyy·v²)/2.
struct Expansion {
    Point at;
    double g = 0, gx = 0, gy = 0, gxx = 0, gxy = 0, gyy = 0;
    bool ok = false;
};

// Expansions depend only on the CRS, so every thread's measure shares one table per CRS:
// plain numbers, each worked out once by whichever thread needs it first (with its own PROJ
// objects; proj_factors gives the same numbers on any thread). Sites and the engine's
// threads measure the same cells, which cost nine proj_factors calls each.
class ExpansionTable {
  public:
    static ExpansionTable& of(const std::string& crsDefinition) {
        static std::mutex mutex;
        static std::unordered_map<std::string, std::unique_ptr<ExpansionTable>> tables;
        const std::lock_guard lock(mutex);
        auto& table = tables[crsDefinition];
        if (!table) table = std::make_unique<ExpansionTable>();
        return *table;
    }
    /// The cell's expansion, made by `make` if no thread has made it yet. References stay
    /// valid: an unordered_map never moves its elements.
    template <class Make>
    const Expansion& get(long long key, const Make& make) {
        {
            const std::shared_lock lock(mutex_);
            if (const auto it = cells_.find(key); it != cells_.end()) return it->second;
        }
        const Expansion made = make();
        const std::unique_lock lock(mutex_);
        return cells_.try_emplace(key, made).first->second;
    }

  private:
    std::shared_mutex mutex_;
    std::unordered_map<long long, Expansion> cells_;
};

}  // namespace

struct EllipsoidalMeasure::Impl {
    CoordinateTransform toLonLat;
    geod_geodesic geod{};
    detail::PjPtr projection;  // the CRS's map projection, for proj_factors; null if not projected
    double step;               // densification step for areas, in CRS units
    Impl(const Crs& c)
        : toLonLat(c, c.geographic()),
          step(c.isGeographic() ? kDensifyStepDegrees : kDensifyStepProjected),
          expansions(ExpansionTable::of(c.definition())) {
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

    ExpansionTable& expansions;

    const Expansion& expansionNear(Point p) const {
        const double i = std::round(p.x / kExpansionCell), j = std::round(p.y / kExpansionCell);
        const long long key = static_cast<long long>(i) * 4000003LL + static_cast<long long>(j);
        return expansions.get(key, [&] {
            Expansion e;
            e.at = {i * kExpansionCell, j * kExpansionCell};
            const double h = kExpansionStep;
            double v[3][3];
            for (int a = -1; a <= 1; ++a)
                for (int b = -1; b <= 1; ++b) {
                    const double s = arealScale({e.at.x + a * h, e.at.y + b * h});
                    if (!(s > 0)) return e;  // ok stays false
                    v[a + 1][b + 1] = 1 / s;
                }
            e.g = v[1][1];
            e.gx = (v[2][1] - v[0][1]) / (2 * h);
            e.gy = (v[1][2] - v[1][0]) / (2 * h);
            e.gxx = (v[2][1] - 2 * v[1][1] + v[0][1]) / (h * h);
            e.gyy = (v[1][2] - 2 * v[1][1] + v[1][0]) / (h * h);
            e.gxy = (v[2][2] - v[2][0] - v[0][2] + v[0][0]) / (4 * h * h);
            e.ok = true;
            return e;
        });
    }

    // ∫ 1/s dA over a region given by its moments about `origin`; < 0 when not projected.
    double areaOf(const AreaMoments& moments, Point origin) const {
        if (!projection) return -1;
        const Expansion& e = expansionNear(origin);
        if (!e.ok) return -1;
        const AreaMoments m = moments.about(e.at.x - origin.x, e.at.y - origin.y);
        return e.g * m.area + e.gx * m.mx + e.gy * m.my +
               (e.gxx * m.mxx + 2 * e.gxy * m.mxy + e.gyy * m.myy) / 2;
    }

    // Area by the scale-factor method; returns < 0 when it does not apply.
    double fastArea(const std::vector<std::vector<Point>>& polygon) const {
        if (!projection || polygon.empty() || polygon.front().empty()) return -1;
        Envelope e;
        for (const auto& p : polygon.front()) e.expand(p.x, p.y);
        if (std::max(e.width(), e.height()) > kScaleFactorMaxSize) return -1;
        const Point origin = e.center();  // moments near zero: no cancellation at 3e6 m
        AreaMoments total;
        for (std::size_t r = 0; r < polygon.size(); ++r) {
            const AreaMoments m = AreaMoments::ofRing(polygon[r].data(), polygon[r].size(), origin);
            // Exterior counts positive, holes negative, whatever the ring orientation.
            total += (r == 0) == (m.area >= 0) ? m : m.scaled(-1);
        }
        if (total.area <= 0) return 0;
        return areaOf(total, origin);
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

double EllipsoidalMeasure::area(const AreaMoments& moments, Point origin) const {
    return impl_->areaOf(moments, origin);
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
