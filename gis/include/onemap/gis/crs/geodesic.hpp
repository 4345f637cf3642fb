#pragma once
// Ellipsoidal measures, as China's land surveys measure area: geometry lives in a
// projected CRS; its vertices are taken back to the datum's lon/lat and measured on
// the ellipsoid with PROJ's geodesic routines (Karney).
// An EllipsoidalMeasure owns PROJ objects of the thread that made it: that thread only.
// Area units (m² ↔ 亩 ↔ ha): area_units.hpp.
#include <memory>

#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/geom/area_moments.hpp"
#include "onemap/gis/geom/geometry.hpp"

namespace onemap::gis {

/// Its PROJ objects belong to the thread that made it: use it on that thread only.
class EllipsoidalMeasure {
  public:
    /// Polygons up to this size (m, envelope's longer side) in a projected CRS are measured
    /// by the scale-factor integral (see area).
    static constexpr double kScaleFactorMaxSize = 5000.0;

    /// Throws InputError if crs is unknown.
    explicit EllipsoidalMeasure(const Crs& crs);
    /// The calling thread's measure for crs, made on first use and kept (owned by the
    /// thread's PROJ context) until the thread ends. The reference is for this thread only.
    static const EllipsoidalMeasure& forThisThread(const Crs& crs);
    ~EllipsoidalMeasure();
    EllipsoidalMeasure(EllipsoidalMeasure&&) noexcept;
    EllipsoidalMeasure& operator=(EllipsoidalMeasure&&) noexcept;

    /// Area in m² of the polygons of g (holes subtracted); lines and points have none.
    /// Polygons under 5 km across in a projected CRS integrate the projection's areal
    /// scale factor, expanded to second order, over the polygon (from its area moments:
    /// error < 1e-10 relative, and parts add up to the whole); larger ones, and those of a
    /// lon/lat CRS, on the ellipsoid, their edges (straight in the CRS) densified to 500 m
    /// so that parts add up to the whole to < 1 ppm.
    [[nodiscard]] double area(const Geometry& g) const;
    /// The same scale-factor integral for a region known by its moments about `origin`
    /// (CRS coordinates), for regions under 5 km across; < 0 in a CRS that is not projected.
    [[nodiscard]] double area(const AreaMoments& moments, Point origin) const;
    /// Always on the ellipsoid, edges densified (the reference for area()).
    [[nodiscard]] double geodesicArea(const Geometry& g) const;
    /// Length in m of g's lines (polygon boundaries for polygons).
    [[nodiscard]] double length(const Geometry& g) const;
    /// Geodesic distance in m between two points given in the CRS.
    [[nodiscard]] double distance(Point a, Point b) const;
    /// lon/lat (degrees) of a point of the CRS.
    [[nodiscard]] Point toLonLat(Point p) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace onemap::gis
