#pragma once
// PreparedGeometry: a Geometry (shared with the caller) indexed by GEOS for repeated
// predicates. It owns the GEOS index: one thread at a time (make one per thread).
#include <memory>

#include "onemap/gis/geom/geometry.hpp"

namespace onemap::gis {

/// A geometry indexed for repeated predicates against many others (GEOS prepared
/// geometry). Not for concurrent use from several threads: one per thread.
class PreparedGeometry {
  public:
    explicit PreparedGeometry(Geometry geometry);
    ~PreparedGeometry();
    PreparedGeometry(PreparedGeometry&&) noexcept;
    PreparedGeometry& operator=(PreparedGeometry&&) noexcept;

    [[nodiscard]] const Geometry& geometry() const { return geometry_; }
    [[nodiscard]] bool intersects(const Geometry& other) const;
    [[nodiscard]] bool contains(const Geometry& other) const;
    [[nodiscard]] bool covers(const Geometry& other) const;
    [[nodiscard]] bool within(const Geometry& other) const;  ///< this within other

  private:
    Geometry geometry_;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace onemap::gis
