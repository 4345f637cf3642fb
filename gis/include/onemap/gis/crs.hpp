#pragma once
// Coordinate reference systems and transforms over PROJ. Axis order is always
// x = easting/longitude, y = northing/latitude ("traditional GIS order").
#include <memory>
#include <optional>
#include <string>

#include "onemap/gis/envelope.hpp"
#include "onemap/gis/geometry.hpp"

namespace onemap::gis {

class Crs {
  public:
    Crs() = default;  ///< unknown CRS
    /// "EPSG:4549" (any authority code), WKT (1, 2, ESRI), a PROJ string, PROJJSON, an exact
    /// CRS name, or an alias ("CGCS2000", "2000国家大地坐标系", "WGS84"). A loose name that PROJ
    /// would only guess at ("lol") is an InputError.
    static Crs fromUserInput(const std::string& text);
    static Crs fromEpsg(int code);

    [[nodiscard]] bool isKnown() const { return static_cast<bool>(pj_); }
    [[nodiscard]] bool isProjected() const;
    [[nodiscard]] bool isGeographic() const;
    /// True when every axis is in metres (a projected working CRS must be).
    [[nodiscard]] bool hasMetreUnits() const;
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

    [[nodiscard]] const void* handle() const { return pj_.get(); }  ///< PJ*; gis/src only

  private:
    std::shared_ptr<void> pj_;
};

/// Transforms coordinates between two CRSs. Not thread-safe: one per thread.
class CoordinateTransform {
  public:
    CoordinateTransform(const Crs& from, const Crs& to);
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
