#include "onemap/gis/geom/geometry.hpp"

#include <geos_c.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>

#include "base/handles.hpp"
#include "geom/geos_geometry.hpp"
#include "geom/wkb_walk.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::gis {
namespace {

using detail::checked;
using detail::geos;
using detail::raw;
using detail::wrap;

struct SeqDeleter {
    void operator()(GEOSCoordSequence* s) const { GEOSCoordSeq_destroy_r(geos(), s); }
};
using SeqPtr = std::unique_ptr<GEOSCoordSequence, SeqDeleter>;

GEOSCoordSequence* sequence(const std::vector<Point>& pts, bool close) {
    const bool addClose =
        close && !pts.empty() && (pts.front().x != pts.back().x || pts.front().y != pts.back().y);
    const auto n = static_cast<unsigned>(pts.size() + (addClose ? 1 : 0));
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(geos(), n, 2);
    for (unsigned i = 0; i < pts.size(); ++i)
        GEOSCoordSeq_setXY_r(geos(), seq, i, pts[i].x, pts[i].y);
    if (addClose) GEOSCoordSeq_setXY_r(geos(), seq, n - 1, pts[0].x, pts[0].y);
    return seq;
}

std::vector<Point> points(const GEOSGeometry* line) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos(), line);
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(geos(), seq, &n);
    std::vector<Point> out(n);
    for (unsigned i = 0; i < n; ++i) GEOSCoordSeq_getXY_r(geos(), seq, i, &out[i].x, &out[i].y);
    return out;
}

void collectPolygons(const GEOSGeometry* g, std::vector<std::vector<std::vector<Point>>>& out) {
    const int type = GEOSGeomTypeId_r(geos(), g);
    if (type == GEOS_POLYGON) {
        if (GEOSisEmpty_r(geos(), g)) return;
        std::vector<std::vector<Point>> rings;
        rings.push_back(points(GEOSGetExteriorRing_r(geos(), g)));
        const int holes = GEOSGetNumInteriorRings_r(geos(), g);
        for (int i = 0; i < holes; ++i)
            rings.push_back(points(GEOSGetInteriorRingN_r(geos(), g, i)));
        out.push_back(std::move(rings));
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(geos(), g);
        for (int i = 0; i < n; ++i) collectPolygons(GEOSGetGeometryN_r(geos(), g, i), out);
    }
}

void collectPaths(const GEOSGeometry* g, std::vector<std::vector<Point>>& out) {
    switch (GEOSGeomTypeId_r(geos(), g)) {
        case GEOS_POINT:
        case GEOS_LINESTRING:
        case GEOS_LINEARRING:
            if (!GEOSisEmpty_r(geos(), g)) out.push_back(points(g));
            break;
        case GEOS_POLYGON: {
            std::vector<std::vector<std::vector<Point>>> polys;
            collectPolygons(g, polys);
            for (auto& p : polys)
                for (auto& r : p) out.push_back(std::move(r));
            break;
        }
        default: {
            const int n = GEOSGetNumGeometries_r(geos(), g);
            for (int i = 0; i < n; ++i) collectPaths(GEOSGetGeometryN_r(geos(), g, i), out);
        }
    }
}

}  // namespace

Geometry::Geometry() = default;

namespace {

// GEOS 3.11 computes a geometry's envelope on first use into a mutable member: two threads
// reading a shared geometry would race to write it. Fill it now for the geometry and every
// part and ring (a polygon's envelope is its shell's; holes have their own).
void computeEnvelopes(const GEOSGeometry* g) {
    GEOSContextHandle_t h = geos();
    double v = 0;
    GEOSGeom_getXMin_r(h, g, &v);
    const int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) {
        if (const GEOSGeometry* shell = GEOSGetExteriorRing_r(h, g)) computeEnvelopes(shell);
        const int holes = GEOSGetNumInteriorRings_r(h, g);
        for (int i = 0; i < holes; ++i)
            if (const GEOSGeometry* r = GEOSGetInteriorRingN_r(h, g, i)) computeEnvelopes(r);
    } else if (type == GEOS_MULTIPOINT || type == GEOS_MULTILINESTRING ||
               type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; ++i)
            if (const GEOSGeometry* part = GEOSGetGeometryN_r(h, g, i)) computeEnvelopes(part);
    }
}

// One reader per thread, on that thread's context (made after it, so destroyed before it):
// a million parcels from the layer cache need no million readers. Null on bad WKB.
GEOSGeometry* readWkb(const unsigned char* data, std::size_t size) {
    struct Reader {
        GEOSContextHandle_t ctx = geos();
        GEOSWKBReader* reader = GEOSWKBReader_create_r(ctx);
        ~Reader() { GEOSWKBReader_destroy_r(ctx, reader); }
    };
    thread_local Reader r;
    return GEOSWKBReader_read_r(r.ctx, r.reader, data, size);
}

}  // namespace

// A geometry whose WKB is read on first use. Two threads may both build it; one wins and
// the other's copy is dropped, so no lock is held while GEOS reads.
struct Geometry::Deferred {
    WkbRef wkb;
    detail::WkbSummary summary;
    std::atomic<GEOSGeometry*> built{nullptr};
    bool checkedValid = false;
    ~Deferred() {
        // A million parcels keep a million of these: the flag fits in what alignment leaves.
        static_assert(sizeof(void*) != 8 || sizeof(Deferred) <= 80);
        if (GEOSGeometry* g = built.load()) GEOSGeom_destroy_r(geos(), g);
    }
};

std::vector<Geometry> Geometry::deferred(std::shared_ptr<const void> owner,
                                         const std::vector<WkbRef>& refs, bool checkedValid) {
    // One allocation for the batch (which keeps the owner): a million geometries would
    // otherwise mean a million allocations and as many shared counts on one owner.
    struct Batch {
        std::shared_ptr<const void> owner;
        std::unique_ptr<Deferred[]> items;
    };
    auto batch = std::make_shared<Batch>();
    batch->owner = std::move(owner);
    batch->items = std::make_unique<Deferred[]>(refs.size());
    std::vector<Geometry> out(refs.size());
    for (std::size_t i = 0; i < refs.size(); ++i) {
        Deferred& d = batch->items[i];
        d.wkb = refs[i];
        d.checkedValid = checkedValid;
        // Malformed WKB is refused now, while the caller can still read the source instead.
        if (!detail::WkbWalk(d.wkb.data, d.wkb.size).summary(d.summary) || !d.summary.vertices)
            throw Error("deferred geometry: malformed or empty WKB");
        out[i].deferred_ = std::shared_ptr<Deferred>(batch, &d);
    }
    return out;
}

const void* Geometry::handle() const {
    if (!deferred_) return geom_.get();
    Deferred& d = *deferred_;
    if (GEOSGeometry* g = d.built.load(std::memory_order_acquire)) return g;
    GEOSGeometry* g = readWkb(d.wkb.data, d.wkb.size);
    if (!g) throw Error("the layer cache holds unreadable WKB: " + detail::takeGeosError());
    computeEnvelopes(g);  // before it is shared
    GEOSGeometry* expected = nullptr;
    if (d.built.compare_exchange_strong(expected, g, std::memory_order_acq_rel)) return g;
    GEOSGeom_destroy_r(geos(), g);  // another thread was first
    return expected;
}

const Geometry::WkbRef* Geometry::deferredWkb() const {
    return deferred_ ? &deferred_->wkb : nullptr;
}

Geometry Geometry::adopt(void* geosGeometry) {
    Geometry g;
    if (geosGeometry) {
        computeEnvelopes(static_cast<const GEOSGeometry*>(geosGeometry));
        g.geom_ = std::shared_ptr<void>(geosGeometry, [](void* p) {
            GEOSGeom_destroy_r(geos(), static_cast<GEOSGeometry*>(p));
        });
    }
    return g;
}

Geometry Geometry::fromWkt(std::string_view wkt) {
    GEOSWKTReader* reader = GEOSWKTReader_create_r(geos());
    GEOSGeometry* g = GEOSWKTReader_read_r(geos(), reader, std::string(wkt).c_str());
    GEOSWKTReader_destroy_r(geos(), reader);
    if (!g)
        throw InputError("bad WKT '" + std::string(wkt.substr(0, 60)) +
                         "': " + detail::takeGeosError());
    return adopt(g);
}

Geometry Geometry::fromWkb(const unsigned char* data, std::size_t size) {
    GEOSGeometry* g = readWkb(data, size);
    if (!g) throw InputError("bad WKB geometry: " + detail::takeGeosError());
    return adopt(g);
}

Geometry Geometry::point(double x, double y) {
    return wrap(checked(GEOSGeom_createPointFromXY_r(geos(), x, y), "point"));
}

Geometry Geometry::lineString(const std::vector<Point>& pts) {
    return wrap(checked(GEOSGeom_createLineString_r(geos(), sequence(pts, false)), "line"));
}

Geometry Geometry::polygon(const std::vector<std::vector<Point>>& rings) {
    if (rings.empty()) return wrap(checked(GEOSGeom_createEmptyPolygon_r(geos()), "polygon"));
    GEOSGeometry* shell = GEOSGeom_createLinearRing_r(geos(), sequence(rings[0], true));
    std::vector<GEOSGeometry*> holes;
    for (std::size_t i = 1; i < rings.size(); ++i)
        holes.push_back(GEOSGeom_createLinearRing_r(geos(), sequence(rings[i], true)));
    return wrap(checked(
        GEOSGeom_createPolygon_r(geos(), shell, holes.data(), static_cast<unsigned>(holes.size())),
        "polygon"));
}

Geometry Geometry::collect(const std::vector<Geometry>& parts) {
    std::vector<GEOSGeometry*> clones;
    int kind = -1;
    bool same = true;
    for (const auto& p : parts) {
        const int t = GEOSGeomTypeId_r(geos(), raw(p));
        if (kind == -1) kind = t;
        same = same && t == kind;
        clones.push_back(GEOSGeom_clone_r(geos(), raw(p)));
    }
    int type = GEOS_GEOMETRYCOLLECTION;
    if (same && kind == GEOS_POLYGON) type = GEOS_MULTIPOLYGON;
    if (same && kind == GEOS_LINESTRING) type = GEOS_MULTILINESTRING;
    if (same && kind == GEOS_POINT) type = GEOS_MULTIPOINT;
    return wrap(checked(GEOSGeom_createCollection_r(geos(), type, clones.data(),
                                                    static_cast<unsigned>(clones.size())),
                        "collect"));
}

std::string Geometry::wkt(int precision) const {
    // GEOS 3.11's WKT writer formats numbers into a fixed stack buffer: a coordinate like
    // 1e300 overruns it and aborts the process (found by fuzz/fuzz_wkt). No CRS has such
    // coordinates; refuse them instead of writing.
    if (!isEmpty()) {
        const Envelope e = envelope();
        for (double v : {e.minx, e.miny, e.maxx, e.maxy})
            if (!(std::abs(v) < 1e15))
                throw InputError("a coordinate of " + std::to_string(v).substr(0, 40) +
                                 " cannot be written as WKT (no CRS reaches 1e15)");
    }
    GEOSWKTWriter* w = GEOSWKTWriter_create_r(geos());
    if (precision >= 0) {
        GEOSWKTWriter_setRoundingPrecision_r(geos(), w, precision);
    }
    GEOSWKTWriter_setTrim_r(geos(), w, 1);
    char* s = GEOSWKTWriter_write_r(geos(), w, raw(*this));
    GEOSWKTWriter_destroy_r(geos(), w);
    std::string out = s ? s : "";
    GEOSFree_r(geos(), s);
    return out;
}

std::vector<unsigned char> Geometry::wkb() const {
    if (deferred_) return {deferred_->wkb.data, deferred_->wkb.data + deferred_->wkb.size};
    GEOSWKBWriter* w = GEOSWKBWriter_create_r(geos());
    std::size_t size = 0;
    unsigned char* data = GEOSWKBWriter_write_r(geos(), w, raw(*this), &size);
    GEOSWKBWriter_destroy_r(geos(), w);
    std::vector<unsigned char> out(data, data + size);
    GEOSFree_r(geos(), data);
    return out;
}

std::string Geometry::typeName() const {
    char* s = GEOSGeomType_r(geos(), raw(*this));
    std::string out = s ? s : "";
    GEOSFree_r(geos(), s);
    return out;
}

const char* pluralName(GeometryKind kind) {
    switch (kind) {
        case GeometryKind::Point:
            return "points";
        case GeometryKind::Line:
            return "lines";
        case GeometryKind::Polygon:
            return "polygons";
        case GeometryKind::Collection:
            return "geometry collections";
        default:
            return "empty geometries";
    }
}

GeometryKind Geometry::kind() const {
    if (isEmpty()) return GeometryKind::Empty;
    if (deferred_) {  // known from the WKB, unless a collection (whose kind GEOS decides)
        switch (deferred_->summary.type) {
            case 1:
            case 4:
                return GeometryKind::Point;
            case 2:
            case 5:
                return GeometryKind::Line;
            case 3:
            case 6:
                return GeometryKind::Polygon;
            default:
                break;
        }
    }
    switch (GEOSGeomTypeId_r(geos(), raw(*this))) {
        case GEOS_POINT:
        case GEOS_MULTIPOINT:
            return GeometryKind::Point;
        case GEOS_LINESTRING:
        case GEOS_LINEARRING:
        case GEOS_MULTILINESTRING:
            return GeometryKind::Line;
        case GEOS_POLYGON:
        case GEOS_MULTIPOLYGON:
            return GeometryKind::Polygon;
        default:
            return GeometryKind::Collection;
    }
}

bool Geometry::isEmpty() const {
    if (deferred_) return false;  // only non-empty geometries are deferred
    return !handle() || GEOSisEmpty_r(geos(), raw(*this)) == 1;
}
bool Geometry::isValid() const {
    if (deferred_ && deferred_->checkedValid) return true;
    return GEOSisValid_r(geos(), raw(*this)) == 1;
}

std::string Geometry::invalidReason() const {
    if (isValid()) return "";
    char* s = GEOSisValidReason_r(geos(), raw(*this));
    std::string out = s ? s : "invalid";
    GEOSFree_r(geos(), s);
    return out;
}

Envelope Geometry::envelope() const {
    if (deferred_) return deferred_->wkb.box;
    Envelope e;
    if (isEmpty()) return e;
    GEOSGeom_getXMin_r(geos(), raw(*this), &e.minx);
    GEOSGeom_getYMin_r(geos(), raw(*this), &e.miny);
    GEOSGeom_getXMax_r(geos(), raw(*this), &e.maxx);
    GEOSGeom_getYMax_r(geos(), raw(*this), &e.maxy);
    return e;
}

double Geometry::area() const {
    double a = 0;
    GEOSArea_r(geos(), raw(*this), &a);
    return a;
}

double Geometry::length() const {
    double l = 0;
    GEOSLength_r(geos(), raw(*this), &l);
    return l;
}

std::size_t Geometry::numParts() const {
    if (isEmpty()) return 0;
    if (deferred_) return deferred_->summary.parts;
    return static_cast<std::size_t>(GEOSGetNumGeometries_r(geos(), raw(*this)));
}

Geometry Geometry::part(std::size_t i) const {
    const GEOSGeometry* p = GEOSGetGeometryN_r(geos(), raw(*this), static_cast<int>(i));
    return wrap(checked(GEOSGeom_clone_r(geos(), p), "part"));
}

std::size_t Geometry::numVertices() const {
    if (deferred_) return deferred_->summary.vertices;
    const int n = GEOSGetNumCoordinates_r(geos(), raw(*this));
    return n < 0 ? 0 : static_cast<std::size_t>(n);
}

double Geometry::distance(const Geometry& o) const {
    double d = 0;
    if (!GEOSDistance_r(geos(), raw(*this), raw(o), &d))
        throw Error("distance failed: " + detail::takeGeosError());
    return d;
}
std::pair<Point, Point> Geometry::nearestPoints(const Geometry& o) const {
    if (isEmpty() || o.isEmpty()) throw Error("nearest points of an empty geometry");
    SeqPtr seq(GEOSNearestPoints_r(geos(), raw(*this), raw(o)));
    if (!seq) throw Error("nearest points failed: " + detail::takeGeosError());
    std::pair<Point, Point> out;
    GEOSCoordSeq_getXY_r(geos(), seq.get(), 0, &out.first.x, &out.first.y);
    GEOSCoordSeq_getXY_r(geos(), seq.get(), 1, &out.second.x, &out.second.y);
    return out;
}

bool Geometry::intersects(const Geometry& o) const {
    return GEOSIntersects_r(geos(), raw(*this), raw(o)) == 1;
}
bool Geometry::contains(const Geometry& o) const {
    return GEOSContains_r(geos(), raw(*this), raw(o)) == 1;
}
bool Geometry::covers(const Geometry& o) const {
    return GEOSCovers_r(geos(), raw(*this), raw(o)) == 1;
}
bool Geometry::equalsExact(const Geometry& o, double tol) const {
    return GEOSEqualsExact_r(geos(), raw(*this), raw(o), tol) == 1;
}

Geometry Geometry::mapCoordinates(const std::function<void(double&, double&)>& fn) const {
    if (isEmpty()) return *this;
    // No exception may cross GEOS's C frames: the callback keeps it and stops the
    // transform (returns 0); it is rethrown here with its own type and message.
    struct Ctx {
        const std::function<void(double&, double&)>* fn;
        std::exception_ptr error;
    } ctx{&fn, nullptr};
    GEOSGeometry* out = GEOSGeom_transformXY_r(
        geos(), raw(*this),
        [](double* x, double* y, void* user) -> int {
            auto* c = static_cast<Ctx*>(user);
            try {
                (*c->fn)(*x, *y);
                return 1;
            } catch (...) {
                c->error = std::current_exception();
                return 0;
            }
        },
        &ctx);
    if (ctx.error) {
        detail::GeosGeomPtr drop(out);
        (void)detail::takeGeosError();
        std::rethrow_exception(ctx.error);
    }
    return wrap(checked(out, "transform"));
}

std::vector<std::vector<Point>> Geometry::paths() const {
    std::vector<std::vector<Point>> out;
    collectPaths(raw(*this), out);
    return out;
}

std::vector<std::vector<std::vector<Point>>> Geometry::polygons() const {
    std::vector<std::vector<std::vector<Point>>> out;
    collectPolygons(raw(*this), out);
    return out;
}

}  // namespace onemap::gis
