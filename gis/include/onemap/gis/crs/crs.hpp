#pragma once
// Coordinate reference systems and transforms over PROJ. Axis order is always
// x = easting/longitude, y = northing/latitude ("traditional GIS order").
// A Crs is a value (its definition text), shared freely between threads; a
// CoordinateTransform owns PROJ objects of the thread that made it and stays on that thread.
#include <memory>
#include <optional>
#include <string>

#include "onemap/gis/geom/envelope.hpp"
#include "onemap/gis/geom/geometry.hpp"

namespace onemap::gis {

/// A coordinate reference system as a VALUE: its definition text plus facts computed
/// once when it is made. It holds no PROJ object, so it may be copied and read from any
/// thread; PROJ objects are rebuilt from definition() on each thread's own context (gis/src).
class Crs {
  public:
    Crs() = default;  ///< unknown CRS
    /// Accepts only: authority codes ("EPSG:4549", "ESRI:102100", "IAU_2015:30100", OGC URNs),
    /// WKT 1 or 2 (ESRI .prj WKT included), PROJ strings ("+proj=..." or pipelines), PROJJSON,
    /// "CGCS2000" and exact CRS names from the PROJ database. Anything else (PROJ would
    /// fuzzy-match "lol" to a US State Plane CRS in feet) throws InputError.
    static Crs fromUserInput(const std::string& text);
    static Crs fromEpsg(int code);

    [[nodiscard]] bool isKnown() const { return static_cast<bool>(facts_); }
    [[nodiscard]] bool isProjected() const;
    [[nodiscard]] bool isGeographic() const;
    /// Projected with metre axes (the only kind a plan may work in).
    [[nodiscard]] bool isMetric() const;
    /// Name of the axes' unit ("metre", "US survey foot", "degree"; "" if unknown).
    [[nodiscard]] std::string unitName() const;
    [[nodiscard]] std::string name() const;
    [[nodiscard]] std::optional<int> epsg() const;  ///< also for ESRI WKT that matches one
    [[nodiscard]] std::string wkt() const;          ///< WKT2:2019
    [[nodiscard]] std::string wkt1Esri() const;     ///< for .prj files
    /// "EPSG:4549" when it has a code, else the name.
    [[nodiscard]] std::string label() const;
    /// The area where this CRS is meant to be used, in lon/lat; empty if unknown.
    [[nodiscard]] Envelope areaOfUse() const;
    /// The geographic CRS (lon/lat) on the same datum.
    [[nodiscard]] Crs geographic() const;
    [[nodiscard]] bool isEquivalentTo(const Crs& other) const;
    /// The text PROJ rebuilds this CRS from ("EPSG:4549" or WKT2); "" if unknown. Two Crs
    /// with the same definition are the same CRS (used as a cache key).
    [[nodiscard]] const std::string& definition() const;

  private:
    struct Facts;
    std::shared_ptr<const Facts> facts_;  // immutable once made
    friend struct CrsAccess;
};

/// Transforms coordinates between two CRSs. Its PROJ objects belong to the thread that
/// made it: use it only on that thread (one per thread). Throws InputError if no transform.
class CoordinateTransform {
  public:
    CoordinateTransform(const Crs& from, const Crs& to);
    /// The calling thread's transform from → to, made on first use and kept until the thread
    /// ends (as EllipsoidalMeasure::forThisThread). The reference is for this thread only.
    static const CoordinateTransform& forThisThread(const Crs& from, const Crs& to);
    ~CoordinateTransform();
    CoordinateTransform(CoordinateTransform&&) noexcept;
    CoordinateTransform& operator=(CoordinateTransform&&) noexcept;

    [[nodiscard]] bool isIdentity() const { return identity_; }
    [[nodiscard]] Point apply(Point p) const;
    void apply(double& x, double& y) const;
    [[nodiscard]] Geometry apply(const Geometry& g) const;
    [[nodiscard]] Envelope apply(const Envelope& e) const;  ///< densified edges

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    bool identity_ = false;
};

}  // namespace onemap::gis
