#include "onemap/gis/geom/prepared_geometry.hpp"

#include "base/handles.hpp"

namespace onemap::gis {
namespace {
const GEOSGeometry* raw(const Geometry& g) {
    static const Geometry empty = Geometry::fromWkt("GEOMETRYCOLLECTION EMPTY");
    return static_cast<const GEOSGeometry*>(g.handle() ? g.handle() : empty.handle());
}
}  // namespace

struct PreparedGeometry::Impl {
    detail::GeosPreparedPtr prepared;
};

PreparedGeometry::PreparedGeometry(Geometry geometry)
    : geometry_(std::move(geometry)), impl_(std::make_unique<Impl>()) {
    impl_->prepared.reset(GEOSPrepare_r(detail::geos(), raw(geometry_)));
}
PreparedGeometry::~PreparedGeometry() = default;
PreparedGeometry::PreparedGeometry(PreparedGeometry&&) noexcept = default;
PreparedGeometry& PreparedGeometry::operator=(PreparedGeometry&&) noexcept = default;

bool PreparedGeometry::intersects(const Geometry& o) const {
    return GEOSPreparedIntersects_r(detail::geos(), impl_->prepared.get(), raw(o)) == 1;
}
bool PreparedGeometry::contains(const Geometry& o) const {
    return GEOSPreparedContains_r(detail::geos(), impl_->prepared.get(), raw(o)) == 1;
}
bool PreparedGeometry::covers(const Geometry& o) const {
    return GEOSPreparedCovers_r(detail::geos(), impl_->prepared.get(), raw(o)) == 1;
}
bool PreparedGeometry::within(const Geometry& o) const {
    return GEOSPreparedWithin_r(detail::geos(), impl_->prepared.get(), raw(o)) == 1;
}

}  // namespace onemap::gis
