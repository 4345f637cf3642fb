#pragma once
// Geometry: an immutable value over a GEOS geometry. Copies are cheap (shared);
// every operation returns a new Geometry. GEOS types never leave gis/src.
// Threads: a Geometry may be shared and read from any number of threads once built
// (its envelopes are computed when it is made, see adopt); GEOS work runs on the
// calling thread's own GEOS context. A deferred geometry (see deferred) is built by the
// first thread that needs it, safely under any number of readers.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "onemap/gis/geom/envelope.hpp"

namespace onemap::gis {

enum class GeometryKind { Empty, Point, Line, Polygon, Collection };

/// What a layer of this kind holds, for messages: "points", "lines", "polygons", …
[[nodiscard]] const char* pluralName(GeometryKind kind);

class Geometry {
  public:
    Geometry();  ///< the empty geometry (GEOMETRYCOLLECTION EMPTY)

    static Geometry fromWkt(std::string_view wkt);
    static Geometry fromWkb(const unsigned char* data, std::size_t size);
    static Geometry point(double x, double y);
    static Geometry polygon(const std::vector<std::vector<Point>>& rings);
    static Geometry lineString(const std::vector<Point>& points);
    /// Union of many geometries at once (cascaded); overlaps are merged, not double-counted.
    static Geometry unionOf(const std::vector<Geometry>& parts);
    /// Whether `merged` is a trustworthy union of non-overlapping `parts`: valid, and its
    /// planar area equal to the sum of theirs within 1e-9 relative.
    static bool isCoverageUnionOf(const Geometry& merged, const std::vector<Geometry>& parts);
    /// A collection (multi-geometry when all parts share one kind) without merging.
    static Geometry collect(const std::vector<Geometry>& parts);

    [[nodiscard]] std::string wkt(int precision = -1) const;
    [[nodiscard]] std::vector<unsigned char> wkb() const;
    [[nodiscard]] std::string typeName() const;  ///< "Polygon", "MultiPolygon", ...
    [[nodiscard]] GeometryKind kind() const;     ///< dimension-based kind
    [[nodiscard]] bool isEmpty() const;
    [[nodiscard]] bool isValid() const;
    [[nodiscard]] std::string invalidReason() const;  ///< "" when valid
    [[nodiscard]] Envelope envelope() const;
    [[nodiscard]] double area() const;    ///< planar, in CRS units²
    [[nodiscard]] double length() const;  ///< planar
    [[nodiscard]] std::size_t numParts() const;
    [[nodiscard]] Geometry part(std::size_t i) const;
    [[nodiscard]] std::size_t numVertices() const;

    /// Repairs an invalid geometry (GEOS make-valid, structure method, keeping collapsed
    /// parts out): the result keeps only the parts of the original dimension.
    [[nodiscard]] Geometry makeValid() const;
    [[nodiscard]] Geometry intersection(const Geometry& other) const;
    [[nodiscard]] Geometry difference(const Geometry& other) const;
    [[nodiscard]] Geometry unionWith(const Geometry& other) const;
    [[nodiscard]] Geometry buffer(double distance, int quadrantSegments = 8) const;
    [[nodiscard]] Geometry simplify(double tolerance) const;  ///< topology-preserving
    [[nodiscard]] Geometry polygonalPart() const;  ///< only the polygons of a mixed result
    [[nodiscard]] Geometry centroid() const;
    /// The part inside a rectangle (fast; GEOS clip-by-rect). May be invalid for invalid input.
    [[nodiscard]] Geometry clipToRect(const Envelope& rect) const;
    /// Splits into pieces of at most `maxVertices` vertices by halving the bounding box (as
    /// PostGIS's ST_Subdivide does), so that big polygons and long lines touch few vertices
    /// per query. Their union is the original geometry.
    [[nodiscard]] std::vector<Geometry> subdivide(std::size_t maxVertices) const;
    [[nodiscard]] Point pointOnSurface() const;

    [[nodiscard]] double distance(const Geometry& other) const;
    /// The closest pair (on this, on other), planar in the CRS. Throws Error when either is
    /// empty. Points inside each other give one shared point twice.
    [[nodiscard]] std::pair<Point, Point> nearestPoints(const Geometry& other) const;
    [[nodiscard]] bool intersects(const Geometry& other) const;
    [[nodiscard]] bool contains(const Geometry& other) const;
    [[nodiscard]] bool covers(const Geometry& other) const;
    [[nodiscard]] bool equalsExact(const Geometry& other, double tolerance = 0) const;

    /// Same shape, every coordinate passed through fn (used for reprojection). Whatever fn
    /// throws comes out of mapCoordinates unchanged (same type and message).
    [[nodiscard]] Geometry mapCoordinates(
        const std::function<void(double& x, double& y)>& fn) const;

    /// Rings of polygons (exterior then holes), lines as paths, points as single-point paths.
    /// Drawing polygons with the odd-even rule gives their holes.
    [[nodiscard]] std::vector<std::vector<Point>> paths() const;
    /// Polygons one by one, each as its rings (exterior first).
    [[nodiscard]] std::vector<std::vector<std::vector<Point>>> polygons() const;

    /// Geometries read from WKB only when first needed, so that a million cached parcels
    /// cost their boxes until something looks inside them. Each keeps `owner` (whatever
    /// holds the bytes: a mapped cache file) alive; the boxes must be the geometries' own.
    /// The WKB should be what Geometry::wkb() wrote for a non-empty geometry: structure
    /// is checked here (malformed or empty WKB throws Error, so the caller can read the
    /// source instead); coordinates are taken as they are.
    struct WkbRef {
        const unsigned char* data = nullptr;
        std::size_t size = 0;
        Envelope box;
    };
    /// `checkedValid`: GEOS found each one valid already (as it was read), so isValid()
    /// answers without building it again.
    static std::vector<Geometry> deferred(std::shared_ptr<const void> owner,
                                          const std::vector<WkbRef>& refs,
                                          bool checkedValid = false);

    /// Internal: the GEOS geometry (const GEOSGeometry*), built now if it was deferred.
    /// For gis/src only.
    [[nodiscard]] const void* handle() const;
    /// Internal: the WKB a deferred geometry reads from (null otherwise). For gis/src only.
    [[nodiscard]] const WkbRef* deferredWkb() const;
    /// Takes ownership; for gis/src only. Computes the envelopes of the geometry and of all
    /// its parts and rings at once (GEOS would fill them lazily, a data race once shared).
    static Geometry adopt(void* geosGeometry);

  private:
    struct Deferred;
    std::shared_ptr<void> geom_;          // a built geometry (null: empty, or deferred)
    std::shared_ptr<Deferred> deferred_;  // WKB not read yet (or read once, kept with it)
};

}  // namespace onemap::gis
